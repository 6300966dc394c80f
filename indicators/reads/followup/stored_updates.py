"""When each series of the county and its kommuner was last written, stored.

Sedan förra mötet asks which series an import since a date wrote, and Strategi and
Strategigrupp when each indicator was last updated. Both were answered from the observations
joined with their batches: at national scale a DISTINCT over every row of the batches since the
date (70–90 ms for a data set imported at once). Kept here per indicator, area, period type and
gender instead, and rewritten for the indicators a write touched in that write's transaction
(store.summaries). An observation row names the batch that wrote its value; undo gives rows back
their earlier batch, so a series' latest moment here is that of the newest batch still in
effect, as the join gave."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from indicators.store import models as m
from indicators.store import summaries
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES

STORED = "series_updates"
AREAS: tuple[str, ...] = (COUNTY_CODE, *COUNTY_KOMMUN_CODES)


def is_complete(s: Session) -> bool:
    return summaries.is_complete(s, STORED)


def _write(s: Session, indicator_ids: Iterable[str]) -> None:
    ids = sorted(set(indicator_ids))
    update = m.SeriesUpdate
    s.execute(delete(update).where(update.indicator_id.in_(ids)))
    obs, batch = m.Observation, m.ImportBatch
    latest = (
        select(
            obs.indicator_id,
            obs.area_code,
            obs.period_type,
            obs.gender,
            func.max(batch.imported_at),
            # max() of a boolean exists in SQLite, not in PostgreSQL: count as 0/1.
            func.max(case((batch.is_demo, 1), else_=0)),
        )
        .join(batch, batch.id == obs.batch_id)
        .where(obs.indicator_id.in_(ids), obs.area_code.in_(list(AREAS)))
        .group_by(obs.indicator_id, obs.area_code, obs.period_type, obs.gender)
    )
    columns = ["indicator_id", "area_code", "period_type", "gender", "imported_at", "demo"]
    s.execute(insert(update).from_select(columns, latest))


def refresh_stored(s: Session, indicator_ids: frozenset[str]) -> None:
    if is_complete(s):
        _write(s, indicator_ids)


def rebuild_stored(s: Session, threshold: int) -> None:
    """Every indicator's series, in the session's transaction; then marked complete (the
    threshold is kept only because every summary's state row has one)."""
    s.execute(delete(m.SeriesUpdate))
    ids = s.scalars(select(m.Indicator.id).order_by(m.Indicator.id)).all()
    for start in range(0, len(ids), 50):
        _write(s, ids[start : start + 50])
    summaries.mark_complete(s, STORED, threshold)


def needs_rebuild(s: Session) -> bool:
    return not is_complete(s)


def last_updates(
    s: Session, indicator_ids: Iterable[str]
) -> dict[str, tuple[datetime, bool]] | None:
    """Per indicator, its newest write to the county's areas and whether any of those values
    is Exempeldata; None when the table may be stale."""
    if not is_complete(s):
        return None
    update = m.SeriesUpdate
    rows = s.execute(
        select(update.indicator_id, func.max(update.imported_at), func.max(update.demo))
        .where(update.indicator_id.in_(sorted(set(indicator_ids))))
        .group_by(update.indicator_id)
    ).all()
    return {str(i): (when, bool(demo)) for i, when, demo in rows}


def written_since(s: Session, moment: datetime, gender: str) -> set[tuple[str, str, str]] | None:
    """The (indicator, area, period type) series of this gender written at or after `moment`;
    None when the table may be stale."""
    if not is_complete(s):
        return None
    update = m.SeriesUpdate
    rows = s.execute(
        select(update.indicator_id, update.area_code, update.period_type).where(
            update.imported_at >= moment, update.gender == gender
        )
    ).all()
    return {(str(i), str(a), str(p)) for i, a, p in rows}


summaries.register(STORED, refresh_stored)
