"""Shared fixtures: a real SQLite store prepared exactly as `make run` prepares one, and a real
app served in a subprocess for the browser tests."""

import itertools
import os

# Every figure the tests make, in-process or in the app they start, goes through plotly's
# validators (served figures skip them: dashboard/components/figures/base.py).
os.environ.setdefault("INDIKATOR_VALIDATE_FIGURES", "1")
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from browser_helpers import off_machine, record_requests, wait_for_dash
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from indicators.catalogue import Catalogue, load_catalogue
from indicators.paths import PROJECT_ROOT
from indicators.settings import Settings
from indicators.store.engine import engine_for
from indicators.store.store import Store
from indicators.writes.bootstrap import prepare_store

CHROMIUM = "/usr/bin/chromium"
# An assertion on the page waits this long for the page to get there. Playwright's five seconds
# are too short for a first chart on a machine shared with other test runs (CI's, or the
# sessions'); a passing test never waits longer than it has to.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """One store with catalogue, all Kolada areas and the demo data, shared read-only."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    settings = Settings(database_url=f"sqlite:///{path}", seed_demo=True)
    prepare_store(settings)
    return Store(settings.database_url)


@pytest.fixture
def empty_store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tom.sqlite'}"


# --- The store on both backends ------------------------------------------------------------------
# Tests that take `backend` (directly or through the fixtures below) run once on SQLite and once
# on PostgreSQL. The PostgreSQL server is the throwaway one `make test` starts
# (scripts/postgres-start.sh) and names in INDIKATOR_TEST_POSTGRES_URL; without it the
# PostgreSQL runs are skipped. Every test gets databases of its own: on PostgreSQL a
# `CREATE DATABASE … TEMPLATE` of a database prepared once per session (a file copy, ~0.1 s).

POSTGRES_URL_ENV = "INDIKATOR_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


class PostgresServer:
    """Creates and drops databases on the test server through an autocommit connection."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str = "template0") -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop(self, name: str) -> None:
        engine_for(self.url_of(name)).dispose()
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(
            f"{POSTGRES_URL_ENV} är inte satt: `make test` startar PostgreSQL och sätter den "
            "(eller kör scripts/postgres-start.sh och exportera adressen den skriver ut)"
        )
    server = PostgresServer(url)
    yield server
    server.admin.dispose()


def sqlite_copy(path: str, folder: Path) -> str:
    """A copy of a SQLite store through SQLite's backup API, so a WAL not yet checkpointed (the
    demo store is open in other connections) is copied too; returns the copy's URL."""
    target = folder / f"{uuid.uuid4().hex[:12]}.sqlite"
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


class StoreTemplates:
    """Databases built once per session on one backend, handed out as fresh copies."""

    def __init__(self, backend: str, folder: Path, server: PostgresServer | None) -> None:
        self.backend = backend
        self.folder = folder
        self.server = server
        self.built: dict[str, str] = {}  # key -> template database name or file path
        self.session_databases: list[str] = []

    def empty(self) -> tuple[str, str]:
        """A fresh empty database: (URL, name to drop)."""
        if self.server is None:
            path = self.folder / f"{uuid.uuid4().hex[:12]}.sqlite"
            return f"sqlite:///{path}", ""
        name = self.server.create()
        return self.server.url_of(name), name

    def template(self, key: str, build: Callable[[str], None]) -> str:
        if key not in self.built:
            url, name = self.empty()
            build(url)
            # The last connection closing checkpoints SQLite's WAL into the file; PostgreSQL
            # copies a template only while no one is connected to it.
            engine_for(url).dispose()
            self.built[key] = name or make_url(url).database
            if name:
                self.session_databases.append(name)
        return self.built[key]

    def copy(self, template: str) -> tuple[str, str]:
        if self.server is None:
            return sqlite_copy(template, self.folder), ""
        name = self.server.create(template)
        return self.server.url_of(name), name


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend name; the PostgreSQL run is skipped when no test server is set."""
    if request.param == "postgresql":
        request.getfixturevalue("postgres_server")
    return request.param


@pytest.fixture(scope="session")
def store_templates(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[StoreTemplates]:
    server = request.getfixturevalue("postgres_server") if backend == "postgresql" else None
    templates = StoreTemplates(backend, tmp_path_factory.mktemp(f"mallar-{backend}"), server)
    yield templates
    if server is not None:
        for name in templates.session_databases:
            server.drop(name)


class Stores:
    """Fresh databases for one test, on the test's backend, dropped when the test ends."""

    def __init__(self, templates: StoreTemplates) -> None:
        self.templates = templates
        self.backend = templates.backend
        self.created: list[str] = []

    def _keep(self, made: tuple[str, str]) -> str:
        url, name = made
        if name:
            self.created.append(name)
        return url

    def empty(self) -> str:
        """An empty database: not even migrated."""
        return self._keep(self.templates.empty())

    def from_template(self, key: str, build: Callable[[str], None]) -> str:
        """A copy of the database `build(url)` made from an empty one, built once per session
        and backend under `key`."""
        return self._keep(self.templates.copy(self.templates.template(key, build)))

    def prepared(self) -> str:
        """Migrated, with the catalogue and all Kolada areas, no values: a production install."""
        return self.from_template("prepared", _prepare_without_demo)

    def demo(self) -> str:
        """A writable copy of the demo store (catalogue, areas and all Exempeldata)."""
        return self.from_template("demo", _prepare_with_demo)


def _prepare_without_demo(url: str) -> None:
    prepare_store(Settings(database_url=url, seed_demo=False))


def _prepare_with_demo(url: str) -> None:
    prepare_store(Settings(database_url=url, seed_demo=True))


@pytest.fixture
def stores(store_templates: StoreTemplates) -> Iterator[Stores]:
    made = Stores(store_templates)
    yield made
    if store_templates.server is not None:
        for name in made.created:
            store_templates.server.drop(name)


@pytest.fixture
def store_url(stores: Stores) -> str:
    """An empty database (not migrated) on each backend."""
    return stores.empty()


@pytest.fixture
def prepared_store_url(stores: Stores) -> str:
    """Migrated, catalogue and areas synced, no values — on each backend."""
    return stores.prepared()


@pytest.fixture
def demo_copy(stores: Stores, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A writable copy of the demo store on each backend."""
    if stores.backend == "sqlite":
        demo = request.getfixturevalue("demo_store")
        return Store(sqlite_copy(make_url(demo.url).database, tmp_path))
    return Store(stores.demo())


@pytest.fixture(scope="session")
def any_demo_store(
    backend: str, store_templates: StoreTemplates, request: pytest.FixtureRequest
) -> Store:
    """The read-only demo store on each backend (on SQLite the very `demo_store`)."""
    if store_templates.server is None:
        return request.getfixturevalue("demo_store")
    template = store_templates.template("demo", _prepare_with_demo)
    name = store_templates.server.create(template)
    store_templates.session_databases.append(name)
    return Store(store_templates.server.url_of(name))


_PORT_BLOCK = 400
_port_offsets = itertools.count(os.getpid() % _PORT_BLOCK)


def _free_port() -> int:
    """A port for a server this test process starts, free when asked and never handed out twice.

    A port taken by binding to port 0 and closing again lands in the kernel's ephemeral range
    (32768–60999), where the OS soon hands it to the next socket bound to port 0, such as a fake
    Kolada server in another xdist worker, which then answered this process's health probe. So
    each worker takes ports from its own block below that range instead (gw0 from 20000, gw1 from
    20400, ...): no port-0 socket and no other worker ever gets one of them.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    base = 20000 + int(worker or 0) * _PORT_BLOCK
    for _ in range(_PORT_BLOCK):
        port = base + next(_port_offsets) % _PORT_BLOCK
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"Ingen ledig port mellan {base} och {base + _PORT_BLOCK}.")


@contextmanager
def served(
    database_url: str, log_dir: Path, *, gunicorn: bool = False, **env: str
) -> Iterator[str]:
    """`python app.py` on a free port, as a newcomer would start it, or with `gunicorn=True` the
    production command `gunicorn app:server` (gunicorn.conf.py, two workers); yields its URL."""
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INDIKATOR_PORT": str(port),
        "INDIKATOR_HOST": "127.0.0.1",
        # Most servers here live for a few tests; test_production_http turns it on.
        "INDIKATOR_WARM_CACHE": "false",
        # The app serves its figures as in production, as plain dicts (the in-process tests
        # validate every builder's figures: test_figure_validation).
        "INDIKATOR_VALIDATE_FIGURES": "0",
        **env,
    }
    log = log_dir / "app.log"
    with log.open("wb") as out:
        program = ["-m", "gunicorn", "app:server"] if gunicorn else ["app.py"]
        command = [sys.executable, *program]
        proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                # /healthz answers without sign-in in every mode, once the store is reachable.
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Appen startade inte:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over the demo store."""
    with served(demo_store.url, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def empty_live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as a production install first starts: catalogue loaded, no values at all."""
    folder = tmp_path_factory.mktemp("empty-server")
    with served(f"sqlite:///{folder / 'tom.sqlite'}", folder, INDIKATOR_SEED_DEMO="false") as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, started so it makes no connection of its own off the machine."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1920, "height": 1080}, "locale": "sv-SE"}


@pytest.fixture
def visit(page: Page, live_server: str) -> Iterator:
    """Open a path on the demo server and fail the test if any request left the machine."""
    requests = record_requests(page)

    def go(path: str) -> Page:
        page.goto(live_server + path)
        wait_for_dash(page)
        return page

    yield go
    assert off_machine(requests) == []
    assert requests, "no request was recorded"
