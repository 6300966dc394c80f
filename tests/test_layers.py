"""The layers of indicators/ and the dashboard above them: each imports only what lies below it.

indicators/, bottom to top (ARCHITECTURE.md draws it):
  vocabulary/  words, codes, periods, formatting and pure rules; no storage
  settings.py, paths.py, spreadsheets.py   the shared floor: configuration, file places, CSV/XLSX
  catalogue/   reference data read from files (strategy catalogue, Kolada KPIs, kommun outlines)
  store/       SQLAlchemy models, engine and sessions, migrations, bulk writer, locks, data version
  reads/       the read model, queries, follow-up views, hidden cells, cache, warmer, API reads
  writes/      targets, analyses, accounts, the audit log's entries, catalogue sync, seed, bootstrap
  imports/     the import use case: formats, validation, save, undo, history, Kolada's API
  cli/         `python -m indicators` (indicators/__main__.py only hands over to cli.main)
The presentation layer (dashboard/) sits on top and never the other way round."""

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
# import, audit, account and API shapes, which are not yet in the read model.
NOT_YET_IN_THE_READ_MODEL = (
    "indicators.reads.queries.Store",
    "indicators.imports.",
    "indicators.reads.audit.",
    "indicators.writes.accounts.",
    "indicators.reads.api_params.",
    "indicators.reads.api_queries.",
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
    "indicators.writes.accounts",
    "indicators.reads.analyses",
    "indicators.writes.analyses",
    "indicators.reads.api_queries",
    "indicators.reads.audit",
    "indicators.reads.completeness",
    "indicators.writes.audit",
    "indicators.writes.bootstrap",
    "indicators.writes.catalogue_sync",
    "indicators.reads.followup.baseline",
    "indicators.reads.followup.stored_totals",
    "indicators.reads.followup.stored_updates",
    "indicators.reads.derived",
    "indicators.reads.followup.comparison",
    "indicators.reads.followup.kommun",
    "indicators.reads.followup.since",
    "indicators.reads.followup.strategy",
    "indicators.reads.health",
    "indicators.reads.hidden_cells",
    "indicators.imports.export",
    "indicators.imports.history",
    "indicators.imports.pipeline",
    "indicators.imports.save",
    "indicators.imports.values",
    "indicators.imports.written",
    "indicators.reads.queries",
    "indicators.reads.batches",
    "indicators.reads.common",
    "indicators.writes.seed",
    "indicators.reads.targets",
    "indicators.writes.targets",
    "indicators.reads.plans",
    "indicators.writes.plans",
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
    allowed = (
        "indicators.store",
        "indicators.vocabulary.domain",
        "indicators.settings",
        "indicators.paths",
    )
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


def test_the_import_shapes_depend_on_no_other_import_stage():
    """The import's shapes (records) import no other import stage, so no import module is part
    of a cycle through them (records <-> safety was one)."""
    records = PROJECT_ROOT / "indicators" / "imports" / "records.py"
    assert not any(n.startswith("indicators.imports") for n in _indicators_imports(records))


# --- The layers of indicators/ ----------------------------------------------------------------

# Bottom to top. A module imports its own layer and the layers below it, never one above.
LAYERS = (
    ("indicators.vocabulary",),
    ("indicators.settings", "indicators.paths", "indicators.spreadsheets"),
    ("indicators.catalogue",),
    ("indicators.store",),
    ("indicators.reads",),
    ("indicators.writes",),
    ("indicators.imports",),
    ("indicators.cli", "indicators.__main__"),
)

# Named exceptions to the order, each with its reason. The batch list names an import's format
# with the import's own words (imported lazily: the format modules load slowly).
UPWARD_IMPORTS = {("indicators.reads.batches", "indicators.imports.pipeline")}


def _layer(module: str) -> int | None:
    for level, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return level
    return None


def _upward_imports(modules) -> list[tuple[str, str]]:
    found = []
    for path in modules:
        here = _layer(_module(path))
        for name in _indicators_imports(path):
            there = _layer(name)
            if there is not None and here is not None and there > here:
                found.append((_module(path), name))
    return found


def test_every_module_of_indicators_sits_in_a_layer():
    """No new flat module: a module belongs to one of the layers (the package's own
    __init__ aside), so the flat floor holds only the shared configuration and file helpers."""
    loose = [_module(p) for p in _indicators_modules() if _layer(_module(p)) is None]
    assert loose == ["indicators"]


def test_each_layer_imports_only_the_layers_below_it():
    """Reads never import the import or the writers, writers never the import or the command
    line, the store no use case, the catalogue nothing of storage, the vocabulary nothing."""
    upward = {
        (module, name)
        for module, name in _upward_imports(_indicators_modules())
        if not any(module == m and name.startswith(n) for m, n in UPWARD_IMPORTS)
    }
    assert upward == set()


def test_no_sql_in_the_vocabulary_the_catalogue_the_shared_floor_or_the_command_line():
    """SQLAlchemy is the store's, and of the layers above it only reads, writes and the import
    use it; the command line calls their functions."""
    plain = (
        "indicators.vocabulary",
        "indicators.catalogue",
        "indicators.cli",
        "indicators.settings",
        "indicators.paths",
        "indicators.spreadsheets",
    )
    offenders = [
        (_module(path), name)
        for path in _indicators_modules()
        if _module(path).startswith(plain) or _module(path) == "indicators.__main__"
        for name in _indicators_imports(path)
        if name.startswith(("sqlalchemy", "indicators.store.engine", "indicators.store.models"))
    ]
    assert offenders == []


def test_the_dashboard_imports_no_command_line_and_no_private_name():
    """The presentation layer calls the layers' public functions: never indicators.cli, and no
    name with a leading underscore from any module of indicators."""
    offenders = []
    for path in (PROJECT_ROOT / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("indicators"):
                module = node.module or ""
                if module.startswith("indicators.cli") or module == "indicators.__main__":
                    offenders.append((str(path), module))
                offenders += [
                    (str(path), f"{module}.{a.name}") for a in node.names if a.name.startswith("_")
                ]
    assert offenders == []
