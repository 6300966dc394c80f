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


# --- The storage seam -------------------------------------------------------------------------


def _indicators_imports(path) -> set[str]:
    """Every module path imported by `path`, at any depth (lazy imports in functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _module(path) -> str:
    return ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")


def _indicators_modules():
    return sorted(
        p for p in (PROJECT_ROOT / "indicators").rglob("*.py") if "migrations" not in p.parts
    )


def _users_of(*prefixes: str, outside: str) -> set[str]:
    return {
        _module(path)
        for path in _indicators_modules()
        if not _module(path).startswith(outside)
        and any(
            n == p or n.startswith(p + ".") for n in _indicators_imports(path) for p in prefixes
        )
    }


# The modules outside indicators.store that still open sessions or build SQL themselves. The set
# may only shrink: a new query module reads through indicators.reads, a new writer through the
# store's bulk writer or a named write module.
SQL_OUTSIDE_THE_STORE = {
    "indicators.accounts",
    "indicators.analyses",
    "indicators.api_queries",
    "indicators.audit",
    "indicators.bootstrap",
    "indicators.catalogue.sync",
    "indicators.followup.baseline",
    "indicators.followup.comparison",
    "indicators.followup.kommun",
    "indicators.followup.since",
    "indicators.followup.strategy",
    "indicators.health",
    "indicators.hidden_cells",
    "indicators.imports.export",
    "indicators.imports.history",
    "indicators.imports.pipeline",
    "indicators.imports.save",
    "indicators.imports.values",
    "indicators.imports.written",
    "indicators.queries",
    "indicators.reads.batches",
    "indicators.reads.common",
    "indicators.seed",
    "indicators.targets",
}


def test_only_named_modules_outside_the_store_open_sessions_or_build_sql():
    users = _users_of(
        "sqlalchemy", "indicators.store.engine.session_scope", outside="indicators.store"
    )
    assert users <= SQL_OUTSIDE_THE_STORE, sorted(users - SQL_OUTSIDE_THE_STORE)


def test_bulk_writes_go_through_the_one_bulk_writer():
    """COPY and driver-level statements are the store's business: outside indicators.store no
    module names copy_rows, exec_driver_sql or executemany (the import's save and the demo seed
    write through indicators.store.bulk)."""
    driver_level = {"copy_rows", "exec_driver_sql", "executemany"}
    offenders = []
    for path in _indicators_modules():
        if _module(path).startswith("indicators.store"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
            if name in driver_level:
                offenders.append((_module(path), name))
    assert offenders == []


def test_the_store_knows_no_use_case():
    """indicators.store imports only the vocabulary, settings and paths besides itself: the
    catalogue sync, the audit log and the import live above it."""
    allowed = ("indicators.store", "indicators.domain", "indicators.settings", "indicators.paths")
    for path in (PROJECT_ROOT / "indicators" / "store").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for name in _indicators_imports(path):
            if name.startswith("indicators"):
                assert name.startswith(allowed), (_module(path), name)


def test_the_vocabulary_stands_alone():
    """indicators.vocabulary imports nothing of indicators outside itself, nor SQLAlchemy."""
    for path in (PROJECT_ROOT / "indicators" / "vocabulary").rglob("*.py"):
        for name in _indicators_imports(path):
            assert not name.startswith("sqlalchemy"), (_module(path), name)
            if name.startswith("indicators"):
                assert name.startswith("indicators.vocabulary"), (_module(path), name)


def test_writers_and_follow_up_views_do_not_reach_into_the_import():
    """Spreadsheet writing takes its formula rule from the vocabulary, the follow-up views and
    the reads take batches from indicators.reads, and the import's shapes (records) depend on
    no other import stage, so no import module is part of a cycle through them."""
    for module in ("indicators.spreadsheets", "indicators.reads.common"):
        path = PROJECT_ROOT / (module.replace(".", "/") + ".py")
        assert not any(n.startswith("indicators.imports") for n in _indicators_imports(path))
    for path in (PROJECT_ROOT / "indicators" / "followup").rglob("*.py"):
        names = _indicators_imports(path)
        assert not any(n.startswith("indicators.imports") for n in names), _module(path)
    records = PROJECT_ROOT / "indicators" / "imports" / "records.py"
    assert not any(n.startswith("indicators.imports") for n in _indicators_imports(records))
