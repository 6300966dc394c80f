"""Derived tables kept in step with the observations, in the writing transaction itself.

Every write to the observations records which indicators it touched in its session: the bulk
writer (store.bulk) for its rows, and a flush of Observation objects for the ORM's. Just before
that transaction commits, each registered refresher rewrites its derived rows of those
indicators (indicators.reads.hidden_cells registers the hidden cells), so readers see the new
observations and the new summary together or neither. Should a write touch observations in a
process where no refresher is registered, the derived tables are marked incomplete instead, and
nothing reads them until `prepare` rebuilds them: a summary is never trusted when it may be
stale."""

from collections.abc import Callable, Iterable

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from indicators.store import models as m

Refresher = Callable[[Session, frozenset[str]], None]

_TOUCHED = "summaries.touched"
_REFRESHERS: list[Refresher] = []


def register(refresher: Refresher) -> None:
    if refresher not in _REFRESHERS:
        _REFRESHERS.append(refresher)


def touched(session: Session, indicator_ids: Iterable[str]) -> None:
    """Note in the session's transaction that these indicators' observations were written."""
    session.info.setdefault(_TOUCHED, set()).update(str(i) for i in indicator_ids)


def forget_touched(session: Session) -> None:
    """After a full rebuild in this transaction: nothing is left to refresh."""
    session.info.pop(_TOUCHED, None)


def mark_incomplete(session: Session) -> None:
    session.execute(update(m.SummaryState).values(complete=False))


@event.listens_for(Session, "before_flush")
def _orm_writes(session: Session, _context: object, _instances: object) -> None:
    changed = [
        o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, m.Observation)
    ]
    if changed:
        touched(session, (o.indicator_id for o in changed))


@event.listens_for(Session, "before_commit")
def _refresh(session: Session) -> None:
    # The commit's own flush comes after this hook: flush first, so ORM changes are noted.
    session.flush()
    ids = session.info.pop(_TOUCHED, None)
    if not ids:
        return
    if not _REFRESHERS:
        mark_incomplete(session)
        return
    for refresher in _REFRESHERS:
        refresher(session, frozenset(ids))


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    forget_touched(session)
