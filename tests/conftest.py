"""Shared fixtures: a real SQLite store prepared exactly as `make run` prepares one, and a real
app served in a subprocess for the browser tests."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_helpers import off_machine, record_requests, wait_for_dash
from playwright.sync_api import Page

from indicators.bootstrap import prepare_store
from indicators.catalogue import Catalogue, load_catalogue
from indicators.paths import PROJECT_ROOT
from indicators.settings import Settings
from indicators.store.store import Store

CHROMIUM = "/usr/bin/chromium"


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(database_url: str, log_dir: Path, **env: str) -> Iterator[str]:
    """`python app.py` on a free port, as a newcomer would start it; yields its base URL."""
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INDIKATOR_PORT": str(port),
        "INDIKATOR_HOST": "127.0.0.1",
        **env,
    }
    log = log_dir / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py"], cwd=PROJECT_ROOT, env=environment, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_dash-layout", timeout=2) as response:
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
