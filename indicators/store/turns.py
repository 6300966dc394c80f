"""A background thread's turns at the store: while `yielding_to(idle)` holds on a thread (the
cache warmer, indicators/reads/warmup.py), that thread stops before each SQL statement, and on
SQLite within a long one, until `idle` is set again (no request in flight in this process).

Python's threads take turns on one interpreter lock, and on a small machine on the same cores:
a warmer running one long statement beside a request slowed it, though the warmer stopped at
its next read-model call (bench/warmer.py measures how soon it stops). A thread that writes is
never stopped here: its write lock may be what a request waits for."""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event

# How many SQLite virtual-machine steps run between two checks within one statement: about a
# millisecond of work. The check takes the interpreter lock, so only a yielding thread's own
# connections run it (set at check-out, cleared at check-in).
_STEPS_BETWEEN_CHECKS = 100_000

_yielding = threading.local()


@contextmanager
def yielding_to(idle: threading.Event) -> Iterator[None]:
    """This thread stops at the store's turns while `idle` is clear."""
    _yielding.idle = idle
    try:
        yield
    finally:
        _yielding.idle = None


def _wait_for_turn() -> None:
    idle: threading.Event | None = getattr(_yielding, "idle", None)
    if idle is not None and not idle.is_set():
        idle.wait()


def _on_checkout(dbapi_connection: Any, *_args: Any) -> None:
    if getattr(_yielding, "idle", None) is None or not isinstance(
        dbapi_connection, sqlite3.Connection
    ):
        return

    def within_statement() -> int:
        # Outside a transaction the driver only reads (it begins one before any write). A read
        # stopped here keeps its WAL snapshot: writers go on, only the checkpoint waits for it.
        if not dbapi_connection.in_transaction:
            _wait_for_turn()
        return 0

    dbapi_connection.set_progress_handler(within_statement, _STEPS_BETWEEN_CHECKS)


def _on_checkin(dbapi_connection: Any, *_args: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.set_progress_handler(None, 0)


def take_turns(engine: Engine, writing: Callable[[Connection], bool]) -> None:
    """Give `engine`'s yielding threads their turns (engine.py, for every store engine);
    `writing` tells a write session's connection."""

    def before_statement(connection: Connection, *_args: Any) -> None:
        if not writing(connection):
            _wait_for_turn()

    event.listen(engine, "before_cursor_execute", before_statement)
    event.listen(engine, "checkout", _on_checkout)
    event.listen(engine, "checkin", _on_checkin)
