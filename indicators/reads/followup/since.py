"""Sedan förra mötet: what was imported since a date, and which indicators moved beyond their
uncertainty in which kommuner.

A value "moved beyond its uncertainty" when the 95 % Wilson intervals of the latest period and
the period before do not overlap (numerator and denominator known). Without them the
uncertainty is unknown: a change visible at the displayed precision is listed and marked so.
Coded indicators list a change of category."""

from collections.abc import Hashable, Mapping
from datetime import UTC, date, datetime, time
from itertools import pairwise
from typing import Any

import pandas as pd
from sqlalchemy import select

from indicators.reads.batches import import_batches, imported_since
from indicators.reads.cache import cached_query
from indicators.reads.common import code_labels
from indicators.reads.followup.baseline import suppress_totals
from indicators.reads.models import (
    SINCE_AREAS,
    BatchSummary,
    IndicatorSummary,
    Movement,
    SinceMeeting,
)
from indicators.reads.queries import catalogue_tree
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.frames import OBSERVATION_READ, observation_columns, plain, read_frame
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
    batch_ids = [b.id for b in batches]
    summaries = {
        i.id: i for st in catalogue_tree(store) for ma in st.matomraden for i in ma.indicators
    }
    with session_scope(store.url) as s:
        touched = s.execute(
            select(m.Observation.indicator_id, m.Observation.area_code, m.Observation.period_type)
            .where(
                m.Observation.batch_id.in_(batch_ids),
                m.Observation.area_code.in_(list(SINCE_AREAS)),
                m.Observation.gender == Gender.TOTAL,
            )
            .distinct()
        ).all()
        keys = {(i, a, pt) for i, a, pt in touched if i in summaries}
        ids = sorted({i for i, _, _ in keys})
        query = (
            select(
                plain(m.Observation.indicator_id),
                plain(m.Observation.area_code),
                m.Area.name,
                *observation_columns(OBSERVATION_READ),
            )
            .join(m.Area, m.Area.code == m.Observation.area_code)
            .where(
                m.Observation.indicator_id.in_(ids),
                m.Observation.area_code.in_(list(SINCE_AREAS)),
                m.Observation.gender == Gender.TOTAL,
            )
        )
        frame = read_frame(
            s,
            query,
            ["indicator_id", "area_code", "area_name", *OBSERVATION_READ],
            dates=["period_start"],
        )
        labels = code_labels(s, ids)
    frame = suppress_totals(store, frame, {i: summaries[i].value_kind for i in ids})
    # The two latest shown periods of every touched series, in one sorted pass.
    group = ["indicator_id", "area_code", "period_type"]
    shown = frame[(frame["status"] == ObservationStatus.OK) & frame["value"].notna()]
    pairs = shown.sort_values([*group, "period_start"]).groupby(group, sort=False).tail(2)
    movements: list[Movement] = []
    records = pairs.to_dict("records")
    for prev, last in pairwise(records):
        key = (last["indicator_id"], last["area_code"], last["period_type"])
        if key not in keys or key != (prev["indicator_id"], prev["area_code"], prev["period_type"]):
            continue
        ind = summaries[str(key[0])]
        moved = _movement(ind, prev, last, PeriodType(key[2]), labels.get(ind.id, {}))
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


def _movement(
    ind: IndicatorSummary,
    prev: Mapping[Hashable, Any],
    last: Mapping[Hashable, Any],
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
        area_name=str(last["area_name"]),
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


def _reading(row: Mapping[Hashable, Any]) -> Reading:
    def number(key: str) -> float | None:
        v = row[key]
        return None if v is None or pd.isna(v) else float(v)

    return Reading(number("value"), number("numerator"), number("denominator"))


def _text(value: float, ind: IndicatorSummary, codes: dict[int, str]) -> str:
    if ind.value_kind is ValueKind.CODED:
        return codes.get(int(value), str(int(value)))
    return format_value(value, ind.decimals, ind.unit)
