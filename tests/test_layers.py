"""The domain layer never depends on the presentation layer."""

import ast
import subprocess
import sys

from indicators.paths import PROJECT_ROOT

FORBIDDEN = ("dash", "plotly", "dashboard", "flask")


def _imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_of_indicators_imports_dash_or_plotly():
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): sorted(_imported_modules(path) & set(FORBIDDEN))
        for path in (PROJECT_ROOT / "indicators").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_indicators_module_loads_no_dash_or_plotly():
    modules = sorted(
        ".".join(p.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (PROJECT_ROOT / "indicators").rglob("*.py")
        if "migrations" not in p.parts and p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def test_dashboard_reaches_the_store_only_through_query_functions():
    """No SQL, sessions, engines or ORM models in the presentation layer: it may import the
    domain's queries, vocabulary and formatting, never indicators.store or SQLAlchemy."""
    for path in (PROJECT_ROOT / "dashboard").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith(("sqlalchemy", "indicators.store")), (path, name)
