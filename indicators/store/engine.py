"""Engines and sessions. The only place that knows how to connect to a database URL."""

import os
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite leaves foreign keys off unless asked, per connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the dashboard read while an import writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        _ALL_ENGINES.add(engine)
        return engine
    # A server that does not answer fails fast (the health check must say so in seconds),
    # and a connection dropped by the server is replaced, not handed out.
    engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    _ALL_ENGINES.add(engine)
    return engine


# Every engine of this process. gunicorn's master prepares the store before it forks the
# workers: a child must open connections of its own, never use the parent's sockets.
_ALL_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_parent_connections() -> None:
    for engine in list(_ALL_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_parent_connections)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return create_store_engine(url)


@lru_cache(maxsize=8)
def _sessionmaker(url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: all or nothing."""
    session = _sessionmaker(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def is_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


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
