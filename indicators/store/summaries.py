"""Derived tables kept in step with the observations, in the writing transaction itself.

Every write to the observations records which indicators it touched in its session: the bulk
writer (store.bulk) for its rows, and a flush of Observation objects for the ORM's. Just before
that transaction commits, each registered refresher rewrites its derived rows of those
indicators (indicators.reads.derived registers the hidden cells, then the follow-up totals
built from them), so readers see the new observations and the new summaries together or
neither. Should a write touch observations in a process where a table's refresher is not
registered, that table is marked incomplete instead, and nothing reads it until `prepare`
rebuilds it: a summary is never trusted when it may be stale."""

from collections.abc import Callable, Iterable

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from indicators.store import models as m

Refresher = Callable[[Session, frozenset[str]], None]

_TOUCHED = "summaries.touched"
# name (the table's summary_state row) → refresher, called in the order registered: a summary
# built from another registers after it.
_REFRESHERS: dict[str, Refresher] = {}


def register(name: str, refresher: Refresher) -> None:
    _REFRESHERS.setdefault(name, refresher)


def touched(session: Session, indicator_ids: Iterable[str]) -> None:
    """Note in the session's transaction that these indicators' observations were written."""
    session.info.setdefault(_TOUCHED, set()).update(str(i) for i in indicator_ids)


def forget_touched(session: Session) -> None:
    """After a full rebuild in this transaction: nothing is left to refresh."""
    session.info.pop(_TOUCHED, None)


def is_complete(session: Session, name: str, threshold: int | None = None) -> bool:
    """Whether the derived table `name` may be read (built for `threshold`, when given)."""
    state = session.get(m.SummaryState, name)
    return (
        state is not None and state.complete and (threshold is None or state.threshold == threshold)
    )


def mark_complete(session: Session, name: str, threshold: int) -> None:
    """After a full rebuild of `name` in this transaction: readable, and nothing left to
    refresh."""
    state = session.get(m.SummaryState, name)
    if state is None:
        session.add(m.SummaryState(name=name, threshold=threshold, complete=True))
    else:
        state.threshold, state.complete = threshold, True
    session.flush()
    forget_touched(session)


def mark_incomplete(session: Session, *, except_names: Iterable[str] = ()) -> None:
    session.execute(
        update(m.SummaryState)
        .where(m.SummaryState.name.not_in(list(except_names)))
        .values(complete=False)
    )


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
    # A derived table whose refresher this process never registered would go stale.
    mark_incomplete(session, except_names=_REFRESHERS)
    for refresher in _REFRESHERS.values():
        refresher(session, frozenset(ids))


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    forget_touched(session)
