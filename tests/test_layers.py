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


# Dataclasses the dashboard may still import from their own modules: the store handle, and the
# import, audit, account and API shapes, whose modules are not yet split into reads and writes.
NOT_YET_IN_THE_READ_MODEL = (
    "indicators.queries.Store",
    "indicators.imports.",
    "indicators.audit.",
    "indicators.accounts.",
    "indicators.api_params.",
    "indicators.api_queries.",
)


def test_pages_and_figures_take_their_data_shapes_from_the_read_model():
    """Every dataclass the dashboard imports from indicators comes from indicators.reads.models,
    so what a page or figure consumes is defined in one place."""
    code = (
        "import ast, dataclasses, importlib, pathlib, sys\n"
        "found = []\n"
        "for path in sorted(pathlib.Path('dashboard').rglob('*.py')):\n"
        "    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):\n"
        "        if isinstance(node, ast.ImportFrom) and (node.module or '').startswith("
        "'indicators.'):\n"
        "            module = importlib.import_module(node.module)\n"
        "            for a in node.names:\n"
        "                if dataclasses.is_dataclass(getattr(module, a.name, None)):\n"
        "                    found.append(f'{path}: {node.module}.{a.name}')\n"
        "print('\\n'.join(found))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True
    )
    imports = [line.split(": ", 1) for line in out.stdout.splitlines()]
    assert imports, "the dashboard imports read-model dataclasses"
    elsewhere = [
        (path, name)
        for path, name in imports
        if not name.startswith("indicators.reads.models.")
        and not name.startswith(NOT_YET_IN_THE_READ_MODEL)
    ]
    assert elsewhere == []


def test_the_read_model_is_plain_data():
    """Importing the read model and the ranking loads neither SQLAlchemy nor the store."""
    code = (
        "import sys\n"
        "import indicators.reads.models, indicators.reads.ranking\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'"
        " or m.startswith('indicators.store')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True
    )
    assert out.stdout.strip() == "[]"
