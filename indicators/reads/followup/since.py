"""Sedan förra mötet: what was imported since a date, and which indicators moved beyond their
uncertainty in which kommuner.

A value "moved beyond its uncertainty" when the 95 % Wilson intervals of the latest period and
the period before do not overlap (numerator and denominator known). Without them the
uncertainty is unknown: a change visible at the displayed precision is listed and marked so.
Coded indicators list a change of category."""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from operator import itemgetter
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.reads.batches import import_batches, imported_since
from indicators.reads.cache import cached_query
from indicators.reads.common import code_labels
from indicators.reads.followup import stored_totals, stored_updates
from indicators.reads.followup.baseline import suppress_totals
from indicators.reads.models import (
    SINCE_AREAS,
    BatchSummary,
    IndicatorSummary,
    Movement,
    SinceMeeting,
)
from indicators.reads.queries import catalogue_tree, county_areas
from indicators.settings import get_settings
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.frames import OBSERVATION_READ, observation_columns, read_frame
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    Gender,
    ObservationStatus,
    PeriodType,
    ValueKind,
)
from indicators.vocabulary.formatting import format_value
from indicators.vocabulary.periods import period_label
from indicators.vocabulary.trends import Change, Reading, judge_change


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def batches_since(store: Store, since: date) -> tuple[list[BatchSummary], int]:
    """Batches imported on or after the date that still count, newest first (the demo batch
    too, flagged, so a page can say that only Exempeldata is there), and how many were undone."""
    moment = _start_of(since)
    imports = imported_since(store, moment)
    demo = [b for b in import_batches(store) if b.is_demo and b.imported_at >= moment]
    kept = [b for b in imports if not b.undone]
    ordered = sorted([*kept, *demo], key=lambda b: (b.imported_at, b.id), reverse=True)
    return ordered, len(imports) - len(kept)


@cached_query()
def since_meeting(store: Store, since: date) -> SinceMeeting:
    batches, undone = batches_since(store, since)
    summaries = {
        i.id: i for st in catalogue_tree(store) for ma in st.matomraden for i in ma.indicators
    }
    names = {a.code: a.name for a in county_areas(store)}
    with session_scope(store.url) as s:
        written = stored_updates.written_since(s, _start_of(since), Gender.TOTAL)
        if written is None:  # the summary may be stale: ask the observations
            written = _written_by(s, [b.id for b in batches])
        keys = {(i, a, pt) for i, a, pt in written if i in summaries and a in SINCE_AREAS}
        ids = sorted({i for i, _, _ in keys})
        labels = code_labels(s, ids)
        other_types = {i for i, _, pt in keys if pt != PeriodType.YEAR}
        rows = _shown_rows(s, store, {i: summaries[i].value_kind for i in ids}, other_types)
    # The two latest shown periods of every touched series.
    latest_two: dict[tuple[str, str, str], list[ShownRow]] = {}
    for row in sorted(rows, key=itemgetter(3)):
        key = (row[0], row[1], row[2])
        if key in keys:
            series = latest_two.setdefault(key, [])
            series.append(row)
            if len(series) > 2:
                series.pop(0)
    movements: list[Movement] = []
    for key, series in latest_two.items():
        if len(series) < 2:
            continue
        ind = summaries[key[0]]
        prev, last = (dict(zip(_SHOWN, row, strict=True)) for row in series)
        moved = _movement(
            ind, prev, last, names.get(key[1], key[1]), PeriodType(key[2]), labels.get(ind.id, {})
        )
        if moved is not None:
            movements.append(moved)
    order = {code: n for n, code in enumerate(SINCE_AREAS)}
    movements.sort(key=lambda mv: (order.get(mv.area_code, 99), mv.indicator.id))
    return SinceMeeting(
        since=since,
        batches=tuple(batches),
        undone=undone,
        movements=tuple(movements),
        examined=len(keys),
        last_batch=next((b for b in import_batches(store) if not b.undone), None),
    )


def _written_by(s: Session, batch_ids: list[int]) -> set[tuple[str, str, str]]:
    """The series (indicator, area, period type) of gender T that these batches wrote, judged
    from the observations (when the stored summary may be stale)."""
    rows = s.execute(
        select(m.Observation.indicator_id, m.Observation.area_code, m.Observation.period_type)
        .where(
            m.Observation.batch_id.in_(batch_ids),
            m.Observation.area_code.in_(list(SINCE_AREAS)),
            m.Observation.gender == Gender.TOTAL,
        )
        .distinct()
    ).all()
    return {(str(i), str(a), str(pt)) for i, a, pt in rows}


ShownRow = tuple[str, str, str, date, float, float | None, float | None]
_SHOWN = [
    "indicator_id",
    "area_code",
    "period_type",
    "period_start",
    "value",
    "numerator",
    "denominator",
]


def _shown_rows(
    s: Session, store: Store, kinds: dict[str, ValueKind], other_types: set[str]
) -> list[ShownRow]:
    """The shown values (gender T) of the indicators in the county and its kommuner, small
    numbers hidden, as _SHOWN: the two latest years of each yearly series from the stored
    follow-up totals when they are complete (all the caller compares), the rest read from the
    observations and hidden (of `other_types`' indicators only: those with a series of another
    period type among the written ones)."""
    if not kinds:
        return []
    stored = stored_totals.is_complete(s, get_settings().suppression_threshold)
    read = sorted(kinds) if not stored else sorted(other_types & set(kinds))
    rows: list[ShownRow] = []
    if read:
        query = select(
            *observation_columns(["indicator_id", "area_code", *OBSERVATION_READ])
        ).where(
            m.Observation.indicator_id.in_(read),
            m.Observation.area_code.in_(list(SINCE_AREAS)),
            m.Observation.gender == Gender.TOTAL,
        )
        if stored:
            query = query.where(m.Observation.period_type != PeriodType.YEAR)
        frame = read_frame(
            s, query, ["indicator_id", "area_code", *OBSERVATION_READ], dates=["period_start"]
        )
        frame = suppress_totals(store, frame, kinds)
        shown = frame[
            (frame["status"].astype(str) == ObservationStatus.OK) & frame["value"].notna()
        ]
        rows.extend(
            (str(ind), str(area), str(ptype), start, value, num, den)
            for ind, area, ptype, start, value, num, den in zip(
                *(shown[c].tolist() for c in _SHOWN), strict=True
            )
        )
    if stored:
        year_type = str(PeriodType.YEAR)
        rows.extend(
            (ind, area, year_type, date(year, 1, 1), value, num, den)
            for ind, area, year, value, num, den, _, _ in stored_totals.latest_two_shown(
                s, kinds, SINCE_AREAS
            )
            if value is not None
        )
    return rows


def _movement(
    ind: IndicatorSummary,
    prev: Mapping[str, Any],
    last: Mapping[str, Any],
    area_name: str,
    ptype: PeriodType,
    codes: dict[int, str],
) -> Movement | None:
    # The same rule as every other page, with the period before as the base.
    judged = judge_change(
        _reading(prev), _reading(last), ind.direction, ind.value_kind, ind.decimals
    )
    if judged.change in (Change.UNCHANGED, Change.NOT_COMPARABLE):
        return None  # equal as shown, or within the uncertainty
    return Movement(
        indicator=ind,
        area_code=str(last["area_code"]),
        area_name=area_name,
        previous_period=period_label(ptype, prev["period_start"]),
        previous_text=_text(float(prev["value"]), ind, codes),
        latest_period=period_label(ptype, last["period_start"]),
        latest_text=_text(float(last["value"]), ind, codes),
        previous_value=float(prev["value"]),
        latest_value=float(last["value"]),
        change=judged.change,
        certainty=judged.certainty,
        previous_interval=judged.base_interval,
        latest_interval=judged.latest_interval,
    )


def _reading(row: Mapping[str, Any]) -> Reading:
    def number(key: str) -> float | None:
        v = row[key]
        return None if v is None or pd.isna(v) else float(v)

    return Reading(number("value"), number("numerator"), number("denominator"))


def _text(value: float, ind: IndicatorSummary, codes: dict[int, str]) -> str:
    if ind.value_kind is ValueKind.CODED:
        return codes.get(int(value), str(int(value)))
    return format_value(value, ind.decimals, ind.unit)
