"""Start-up order and the store's locking: one connection prepares the store before any thread
or worker starts, writers take turns (SQLite `BEGIN IMMEDIATE`, PostgreSQL an advisory lock),
readers never wait, and a lock that outlasts the busy timeout is a Swedish sentence, never a
traceback — at start, in the command line and in the web app."""

import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from conftest import _free_port, served
from dash_requests import DashClient
from sqlalchemy import inspect, select, update
from sqlalchemy.engine import make_url

from dashboard.ids import Indikator
from indicators.paths import PROJECT_ROOT
from indicators.settings import Settings
from indicators.store import models as m
from indicators.store.engine import (
    StoreBusy,
    engine_for,
    session_scope,
    write_connection,
    write_session,
)
from indicators.store.version import data_version
from indicators.writes.bootstrap import prepare_store

BUSY = "Databasen är upptagen"


@contextmanager
def held_write_lock(path: str | Path) -> Iterator[sqlite3.Connection]:
    """Another process's writer, as an import would be: holds SQLite's write lock until the
    block ends."""
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield other
        finally:
            other.execute("ROLLBACK")


def _prepared_sqlite(tmp_path: Path, query: str = "") -> tuple[str, Path]:
    path = tmp_path / "lager.sqlite"
    prepare_store(Settings(database_url=f"sqlite:///{path}", seed_demo=False))
    engine_for(f"sqlite:///{path}").dispose()
    return f"sqlite:///{path}{query}", path


def _no_traceback(output: str) -> None:
    assert "Traceback" not in output
    assert "OperationalError" not in output


# --- the engine -----------------------------------------------------------------------------


def test_a_new_file_waits_for_a_writer_instead_of_failing_to_switch_to_wal(tmp_path):
    """The lock behind issue 18: switching a file to WAL fails at once, without waiting for the
    busy timeout, while another connection holds its write lock. Two threads opening a new
    store together (the cache warmer and the migration) hit exactly that."""
    path = tmp_path / "ny.sqlite"
    with closing(sqlite3.connect(path)) as first:
        first.execute("CREATE TABLE t (a INTEGER)")
        first.commit()
    url = f"sqlite:///{path}"
    with held_write_lock(path):
        opened: dict[str, object] = {}

        def open_store() -> None:
            try:
                with engine_for(url).connect() as conn:
                    opened["mode"] = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            except Exception as error:  # reported below, in the test's thread
                opened["error"] = error

        opener = threading.Thread(target=open_store)
        opener.start()
        opener.join(0.3)  # meanwhile it must be waiting, not failed
        assert "error" not in opened, opened
    opener.join()
    assert opened == {"mode": "wal"}


def test_writers_take_turns_and_readers_do_not_wait(prepared_store_url):
    """Two writers that read, then write what they read plus one: with the write lock taken
    before the read, the second reads what the first wrote and no update is lost. A reader
    meanwhile answers at once."""
    url = prepared_store_url
    start = data_version(url)
    holding, go = threading.Event(), threading.Event()
    seen: list[int] = []

    def bump(wait: bool) -> None:
        with write_session(url) as session:
            version = session.scalar(select(m.DataVersion.version).where(m.DataVersion.id == 1))
            seen.append(version)
            if wait:
                holding.set()
                go.wait(60)
            session.execute(
                update(m.DataVersion).where(m.DataVersion.id == 1).values(version=version + 1)
            )

    first = threading.Thread(target=bump, args=(True,))
    first.start()
    assert holding.wait(60)
    second = threading.Thread(target=bump, args=(False,))
    second.start()
    # Read while the first writer holds the lock and the second waits for it.
    assert data_version(url) == start
    with session_scope(url) as session:
        assert session.scalar(select(m.DataVersion.version)) == start
    assert seen == [start]  # the second writer has not read yet: it waits for the lock
    go.set()
    first.join()
    second.join()
    assert seen == [start, start + 1]
    assert data_version(url) == start + 2


def test_a_write_connection_takes_the_same_lock(tmp_path):
    url, path = _prepared_sqlite(tmp_path, "?timeout=0.2")
    with held_write_lock(path), pytest.raises(StoreBusy), write_connection(url):
        pass
    with write_connection(url) as conn:
        conn.exec_driver_sql("UPDATE data_version SET version = version + 1")


def test_a_lock_that_outlasts_the_busy_timeout_is_a_swedish_message(tmp_path):
    url, path = _prepared_sqlite(tmp_path, "?timeout=0.2")
    version = data_version(url)
    with held_write_lock(path):
        with pytest.raises(StoreBusy) as raised, write_session(url):
            pass
        assert str(raised.value).startswith(BUSY)
        # A session that writes without asking for the lock first waits and says the same.
        with pytest.raises(StoreBusy), session_scope(url) as session:
            session.execute(update(m.DataVersion).values(version=99))
        # Readers are not blocked by the writer.
        assert data_version(url) == version
    assert data_version(url) == version


def test_preparing_is_all_or_nothing(store_url):
    """Migration, sync and seed run in one transaction: a migration that fails half-way (here
    the third, on a table in its way) leaves none of the earlier ones behind. SQLite used to
    commit each CREATE TABLE on its own."""
    with engine_for(store_url).begin() as conn:
        conn.exec_driver_sql("CREATE TABLE data_version (i INTEGER)")
    with pytest.raises(Exception, match="data_version"):
        prepare_store(Settings(database_url=store_url, seed_demo=False))
    with engine_for(store_url).connect() as conn:
        assert inspect(conn).get_table_names() == ["data_version"]


# --- the command line -----------------------------------------------------------------------


def _cli(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_status_on_a_new_store_migrates_first(store_url):
    """Issue 11, item 14: `status` on a store nothing has prepared yet."""
    done = _cli("status", database_url=store_url)
    assert done.returncode == 0, done.stderr
    assert "Observationer: 0" in done.stdout
    assert "Exempeldata: nej" in done.stdout
    with engine_for(store_url).connect() as conn:
        assert "data_version" in inspect(conn).get_table_names()


def test_the_command_line_says_in_swedish_when_the_store_stays_locked(tmp_path):
    url, path = _prepared_sqlite(tmp_path, "?timeout=0.2")
    with held_write_lock(path):
        for command in (["status"], ["users", "list"], ["history"]):
            done = _cli(*command, database_url=url)
            assert done.returncode == 1, (command, done.stdout, done.stderr)
            assert BUSY in done.stderr, command
            _no_traceback(done.stderr)


# --- the app --------------------------------------------------------------------------------


def _start(program: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *program],
        cwd=PROJECT_ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.parametrize("program", [["app.py"], ["-m", "gunicorn", "app:server"]])
def test_a_start_that_finds_the_store_locked_says_so_in_swedish(program, tmp_path):
    url, path = _prepared_sqlite(tmp_path, "?timeout=0.3")
    with held_write_lock(path):
        done = _start(
            program,
            {"DATABASE_URL": url, "INDIKATOR_PORT": str(_free_port()), "INDIKATOR_WARM_CACHE": "0"},
        )
    assert done.returncode != 0
    assert f"Appen startar inte: {BUSY}" in done.stderr
    _no_traceback(done.stdout + done.stderr)


def test_the_web_app_says_in_swedish_when_a_save_finds_the_store_locked(tmp_path):
    url, path = _prepared_sqlite(tmp_path, "?timeout=0.3")
    with served(url, tmp_path, INDIKATOR_SEED_DEMO="false") as base:
        client = DashClient(base)
        values = {
            f"{Indikator.TARGET_SAVE}.n_clicks": 1,
            f"{Indikator.TARGET_VALUE}.value": "91,5",
            f"{Indikator.TARGET_YEAR}.value": 2030,
            f"{Indikator.TARGET_AREA}.value": "0680",
            f"{Indikator.TARGET_NOTE}.value": "",
            f"{Indikator.INDICATOR}.data": "N21497",
            f"{Indikator.TARGET_REVISION}.data": 0,
        }
        with held_write_lock(path):
            # The health check only reads, and WAL readers do not wait for the writer.
            with urllib.request.urlopen(f"{base}/healthz", timeout=30) as health:
                assert health.status == 200
            response = client.call(
                Indikator.TARGET_MESSAGE, values, f"{Indikator.TARGET_SAVE}.n_clicks"
            )
        assert response.status_code == 503, response.text
        assert BUSY in response.text
        _no_traceback(response.text)
        # Once the other writer is done, the same save goes through.
        again = client.call(Indikator.TARGET_MESSAGE, values, f"{Indikator.TARGET_SAVE}.n_clicks")
        assert again.status_code == 200, again.text
    _no_traceback((tmp_path / "app.log").read_text(errors="replace"))


@pytest.mark.parametrize("program", [["app.py"], ["-m", "gunicorn", "app:server"]])
def test_a_refused_start_writes_nothing(program, store_url):
    """The checks that need no database run first, and the accounts are read from the store as
    it stands: refused, the store is not even created."""
    done = _start(
        program,
        {
            "DATABASE_URL": store_url,
            "INDIKATOR_HOST": "0.0.0.0",
            "INDIKATOR_PORT": str(_free_port()),
        },
    )
    assert done.returncode != 0
    assert "inga konton" in done.stderr
    database = make_url(store_url)
    if database.get_backend_name() == "sqlite":
        assert not Path(database.database).exists()
        assert not Path(database.database).parent.joinpath("lager.sqlite-wal").exists()
    else:
        with engine_for(store_url).connect() as conn:
            assert inspect(conn).get_table_names() == []


def test_importing_the_app_touches_no_store_and_starts_no_thread(tmp_path):
    """`gunicorn app:server` imports app.py in every worker and `python app.py` imports it before
    main() prepares the store: the import itself must leave the store alone (before, it started
    the cache warmer, which raced the migration)."""
    database = tmp_path / "lager.sqlite"
    probe = "import threading, app\nprint(sorted(t.name for t in threading.enumerate()))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}", "INDIKATOR_WARM_CACHE": "1"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['MainThread']"
    assert not database.exists()


_ports_taken: set[int] = set()
_ports_lock = threading.Lock()


def _distinct_port() -> int:
    """A free port no other start of this test was given (they run side by side)."""
    with _ports_lock:
        port = _free_port()
        while port in _ports_taken:
            port = _free_port()
        _ports_taken.add(port)
        return port


def _serve_once(folder: Path) -> tuple[bool, str]:
    """`python app.py` on a new store with the cache warmer on: wait for /healthz, stop.
    Whether it served, and its log."""
    port = _distinct_port()
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'lager.sqlite'}",
        "INDIKATOR_HOST": "127.0.0.1",
        "INDIKATOR_PORT": str(port),
        "INDIKATOR_SEED_DEMO": "false",
        "INDIKATOR_WARM_CACHE": "true",
    }
    log = folder / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "app.py"], cwd=PROJECT_ROOT, env=environment, stdout=out, stderr=out
        )
    healthy = False
    try:
        while not healthy and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    healthy = r.status == 200
            except OSError:
                time.sleep(0.1)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return healthy, log.read_text(errors="replace")


def test_twenty_starts_under_cpu_load_never_see_a_lock(tmp_path):
    """Issue 18: a start races nothing of its own. Each start gets a new store (migration,
    catalogue and area sync) with the cache warmer on, four starts at a time beside a busy
    loop, so every core is contended; every one serves /healthz and no log mentions a lock.
    (gunicorn's master prepares the store before it forks, and its workers start their warmers
    after: the tests above.)"""
    folders = [tmp_path / f"start-{attempt}" for attempt in range(20)]
    for folder in folders:
        folder.mkdir()
    loop = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        with ThreadPoolExecutor(max_workers=4) as starts:
            results = list(starts.map(_serve_once, folders))
    finally:
        loop.kill()
        loop.wait()
    for healthy, output in results:
        assert healthy, output
        assert "locked" not in output and "låst" not in output, output
        assert "Traceback" not in output, output
