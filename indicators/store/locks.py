"""One writer at a time per store, for the writes whose correctness depends on what they read.

An import compares the file with what the store holds and records, per key, the value it
replaces; an undo checks that no later import wrote the same keys and then restores. If two of
them read before either writes, the second records a stale "before" (the first import's values
vanish from the history and undo restores the wrong ones) or restores over a newer value. So
each takes this lock as the first statement of its transaction and reads only afterwards; the
lock is released by the transaction's commit or rollback.

PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock`, one key per database).
Its READ COMMITTED statements then see everything committed before the lock was granted.
SQLite: `BEGIN IMMEDIATE`, which takes the database's write lock at once instead of at the first
write; in WAL mode readers are not blocked, and the reads that follow see the latest commit.

Readers never take it: pages and the API keep reading while an import is written."""

import sqlite3

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

# How long a writer waits for the one before it. A million-value import takes some seconds;
# the request that saves an import may run for 180 s (gunicorn.conf.py).
WAIT_SECONDS = 120
# The advisory lock's key: any constant shared by every writer ("indikat" in ASCII).
ADVISORY_KEY = 0x696E6469_6B6174


class StoreBusy(Exception):
    """Another import or undo held the store for longer than WAIT_SECONDS."""

    def __init__(self) -> None:
        super().__init__(
            "En annan import eller ångring sparas just nu och blev inte klar i tid. "
            "Inget har sparats; försök igen om en stund."
        )


def lock_store_for_writes(session: Session, *, wait_seconds: float = WAIT_SECONDS) -> None:
    """Take the store's write lock for the session's transaction, waiting for the writer
    before. Call it first, before anything is read: what was read earlier may be stale.
    Raises StoreBusy when the lock is not granted within `wait_seconds`."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # SET LOCAL lasts to the end of the transaction: the timeout is put back right after.
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(wait_seconds * 1000)}ms'")
        try:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})")
        except OperationalError as error:  # lock_timeout: LockNotAvailable
            raise StoreBusy from error
        connection.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")
        return
    if connection.dialect.name != "sqlite":
        raise NotImplementedError(f"Skrivlås saknas för {connection.dialect.name}")
    driver = connection.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        raise NotImplementedError(f"Skrivlås saknas för drivrutinen {type(driver).__name__}")
    if driver.in_transaction:
        # Python's sqlite3 opens a transaction only at the first write; a write before the
        # lock means the reads before it were not protected.
        raise RuntimeError("lock_store_for_writes must come before the transaction's first write")
    previous = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait_seconds * 1000)}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as error:  # "database is locked" after the busy timeout
        raise StoreBusy from error
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous)}")
