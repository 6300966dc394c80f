"""The data version: one counter that every write to the data moves forward."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from indicators.store import models as m
from indicators.store.dml import rows_matched
from indicators.store.engine import engine_for

# Each store's version as this request first read it (None outside `one_read_per_request`).
_seen: ContextVar[dict[str, int] | None] = ContextVar("data_versions_seen", default=None)
_BUMPED = "indikator_data_version_bumped"


def bump_data_version(session: Session) -> None:
    """Inside the writing transaction, so readers see the new version and the new data together."""
    moved = rows_matched(
        session.execute(
            update(m.DataVersion)
            .where(m.DataVersion.id == 1)
            .values(version=m.DataVersion.version + 1)
        )
    )
    if not moved:
        session.add(m.DataVersion(id=1, version=1))
        session.flush()
    session.info[_BUMPED] = True


def current_version(session: Session) -> int:
    """The data version as `session` reads it now: in a write session, under the write lock, so
    it cannot move until that session commits."""
    return session.scalar(select(m.DataVersion.version).where(m.DataVersion.id == 1)) or 0


def data_version(url: str) -> int:
    """The store's version: read from the store, or inside `one_read_per_request` as the
    request first read it."""
    seen = _seen.get()
    if seen is not None and url in seen:
        return seen[url]
    with engine_for(url).connect() as conn:
        version = (
            conn.execute(select(m.DataVersion.version).where(m.DataVersion.id == 1)).scalar() or 0
        )
    if seen is not None:
        seen[url] = version
    return version


@contextmanager
def one_read_per_request() -> Iterator[None]:
    """Within the block (one request), each store's version is read once. A cold page asks the
    query cache 10–25 times, and every ask read the version: on PostgreSQL a connection
    check-out with its ping and a query each time, 10–20 ms of a page. A request that writes
    reads it again after its commit (`_forget_after_write`), so what it shows next is new."""
    token = _seen.set({})
    try:
        yield
    finally:
        _seen.reset(token)


@event.listens_for(Session, "after_commit")
def _forget_after_write(session: Session) -> None:
    if session.info.pop(_BUMPED, False):
        seen = _seen.get()
        if seen is not None:
            seen.clear()


@event.listens_for(Session, "after_rollback")
def _forget_bump(session: Session) -> None:
    session.info.pop(_BUMPED, None)
