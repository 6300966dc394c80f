"""Engines and sessions. The only place that knows how to connect to a database URL."""

import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from indicators.store.turns import take_turns

# How long a writer waits for another writer before giving up, in seconds. Readers never wait
# (WAL). A DATABASE_URL may set its own, e.g. `sqlite:///lager.sqlite?timeout=60`.
BUSY_TIMEOUT_S = 30.0
# The execution option that marks a connection as a writer: it takes the store's write lock when
# its transaction begins (see write_session).
_WRITE = "indikator_write"
# PostgreSQL's counterpart of SQLite's single writer: one advisory lock for the whole store
# ("indikat" in ASCII), taken by every write session: imports, undo and the start-up's prepare
# exclude each other there as they do on SQLite.
WRITE_LOCK_KEY = 0x696E6469_6B6174

log = logging.getLogger(__name__)


class StoreBusy(OperationalError):
    """The store stayed locked by another writer for longer than the busy timeout. str() is the
    Swedish message to show; the statement that waited is logged, not shown. An
    OperationalError still, for code that handles any database error."""

    def __str__(self) -> str:
        return (
            "Databasen är upptagen: en annan ändring (till exempel en import) håller den låst och "
            "den blev inte ledig i tid. Ingenting sparades. Försök igen om en stund."
        )


def _is_busy(error: BaseException | None) -> bool:
    if isinstance(error, sqlite3.Error):
        # SQLITE_BUSY and SQLITE_LOCKED, with their extended codes (BUSY_SNAPSHOT and so on).
        return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in (5, 6) or "locked" in str(error)
    # PostgreSQL: lock_not_available, raised when lock_timeout runs out.
    return getattr(error, "sqlstate", None) == "55P03"


def _store_busy(context: Any) -> StoreBusy | None:
    if not _is_busy(context.original_exception):
        return None
    log.warning(
        "Lagret var låst längre än väntetiden (%s): %s",
        threading.current_thread().name,
        " ".join(str(context.statement or "anslutning").split())[:300],
    )
    return StoreBusy(context.statement, context.parameters, context.original_exception)


def _sqlite_on_connect(timeout_s: float) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver begins a transaction by itself only before INSERT, UPDATE, DELETE and
        # REPLACE, and then as BEGIN IMMEDIATE: a writer takes the write lock, or waits for it,
        # before it reads anything it will change. A deferred transaction that has read and then
        # writes cannot wait for the lock; SQLite refuses it at once ("database is locked").
        # Reads before the first write run one statement at a time and never wait (WAL).
        dbapi_connection.isolation_level = "IMMEDIATE"
        cursor = dbapi_connection.cursor()
        try:
            # The busy timeout itself is the driver's `timeout` (create_store_engine).
            # SQLite leaves foreign keys off unless asked, per connection.
            cursor.execute("PRAGMA foreign_keys=ON")
            _ensure_wal(cursor, timeout_s)
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    return on_connect


def _ensure_wal(cursor: Any, timeout_s: float) -> None:
    """WAL lets the dashboard read while an import writes. The mode is kept in the file, so only
    the first connection to a new file changes it. Changing it does not wait for the busy
    timeout: it fails at once while another connection holds the file's write lock, as happens
    when two threads open a new store together and one of them is already switching it or
    migrating. So the mode is asked first, and the switch retried until the timeout."""
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] in ("wal", "memory"):
        return
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def is_writing(connection: Connection) -> bool:
    """Whether `connection` belongs to a write session (one that holds the store's write lock)."""
    return bool(connection.get_execution_options().get(_WRITE))


def _sqlite_begin(connection: Connection) -> None:
    if is_writing(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _postgresql_begin(connection: Connection) -> None:
    if is_writing(connection):
        # Both statements belong to this transaction and end with it.
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(BUSY_TIMEOUT_S)}s'")
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def create_store_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        given = parsed.query.get("timeout")
        timeout_s = float(given) if isinstance(given, str) else BUSY_TIMEOUT_S
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeout_s})
        event.listen(engine, "connect", _sqlite_on_connect(timeout_s))
        event.listen(engine, "begin", _sqlite_begin)
    else:
        # A server that does not answer fails fast (the health check must say so in seconds),
        # and a connection dropped by the server is replaced, not handed out.
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
        event.listen(engine, "begin", _postgresql_begin)
    event.listen(engine, "handle_error", _store_busy)
    take_turns(engine, writing=is_writing)
    _ALL_ENGINES.add(engine)
    return engine


# Every engine of this process. gunicorn's master prepares the store before it forks the
# workers: a child must open connections of its own, never use the parent's sockets.
_ALL_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_parent_connections() -> None:
    for engine in list(_ALL_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_parent_connections)


def close_all_connections() -> None:
    """Close every pooled connection of this process (gunicorn's master, once it has prepared
    the store, holds none while it waits)."""
    for engine in list(_ALL_ENGINES):
        engine.dispose()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return create_store_engine(url)


@lru_cache(maxsize=16)
def _sessionmaker(url: str, write: bool) -> sessionmaker[Session]:
    engine = engine_for(url)
    return sessionmaker(
        engine.execution_options(**{_WRITE: True}) if write else engine, expire_on_commit=False
    )


@contextmanager
def session_scope(url: str, *, write: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: all or nothing.

    write=True takes the store's write lock before the session reads anything: SQLite
    `BEGIN IMMEDIATE`, PostgreSQL a transaction-level advisory lock on the store. Writers then
    run one at a time, and what such a session reads cannot change before it commits, so a
    diff read there is still true when it is written. A writer waits up to BUSY_TIMEOUT_S for
    another and then raises StoreBusy. Readers are never blocked by it.

    Without write, a session reads statement by statement and its first write begins the
    transaction (SQLite: BEGIN IMMEDIATE before the first INSERT/UPDATE/DELETE)."""
    session = _sessionmaker(url, write)()
    try:
        if write:
            session.connection()  # begins the transaction, and so takes the lock, now
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def write_session(url: str) -> AbstractContextManager[Session]:
    """session_scope(url, write=True): the store's writers one at a time, lock taken on entry."""
    return session_scope(url, write=True)


@contextmanager
def write_connection(url: str) -> Iterator[Connection]:
    """A Core connection in one transaction under the store's write lock, like write_session."""
    with engine_for(url).execution_options(**{_WRITE: True}).begin() as connection:
        yield connection


def is_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def has_statistics(connection: Connection) -> bool:
    """Whether the query planner has statistics of the observation table."""
    if is_postgresql(connection):
        sql = "SELECT count(*) FROM pg_stats WHERE tablename = 'observation'"
    else:
        if not connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).scalar():
            return False
        sql = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'observation'"
    return bool(connection.exec_driver_sql(sql).scalar())


def analyze(connection: Connection) -> None:
    """Refresh the query planner's statistics of every table, in the connection's transaction
    (both databases allow it there)."""
    connection.exec_driver_sql("ANALYZE")


def copy_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """PostgreSQL's own bulk path: COPY rows into `table` inside the connection's transaction.
    Several times faster than executemany there; constraints and triggers still apply. Text
    format, so each value (dates as ISO text or date objects, None as NULL) is parsed by the
    server as its column's type."""
    # Imported here: only PostgreSQL stores come this way.
    import psycopg

    driver = connection.connection.driver_connection
    if not isinstance(driver, psycopg.Connection):
        raise NotImplementedError(f"COPY needs psycopg, not {type(driver).__name__}")
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    dbapi = connection.dialect.loaded_dbapi
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except dbapi.Error as error:
        # The same exceptions as every other statement raises (IntegrityError and so on), so
        # callers need not know which path wrote the rows.
        raise DBAPIError.instance(statement, None, error, dbapi.Error) from error
