"""Handlingsplaner: each strategigrupp's activities, the indicators each aims to move, and how
the county has moved on those indicators since the activity started.

"Since it started" compares the last value of a period that ended before the start date with
the latest value, judged by the one rule of indicators.vocabulary.trends. Values are the ones
every other view shows (the development table's cells, or indicator_series), small numbers
hidden."""

import math
from dataclasses import replace
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from indicators.reads.cache import cached_query
from indicators.reads.followup.baseline import followup_series
from indicators.reads.models import ActivityAim, ActivityInfo, IndicatorSummary
from indicators.reads.queries import added_indicators, catalogue_tree, indicator_series
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, ActivityStatus, Gender, PeriodType
from indicators.vocabulary.periods import parse_period, period_end
from indicators.vocabulary.trends import Change, Reading, judge_change


@cached_query()
def handlingsplan(store: Store, strategigrupp_id: str) -> list[ActivityInfo]:
    """The group's activities: ongoing first, then planned, paused and done; by start date."""
    return _activities(store, strategigrupp_id=strategigrupp_id)


@cached_query()
def activities_for_indicator(store: Store, indicator_id: str) -> list[ActivityInfo]:
    """Every activity, of any strategigrupp, that aims to move the indicator."""
    return _activities(store, indicator_id=indicator_id)


@cached_query()
def all_activities(store: Store) -> list[ActivityInfo]:
    return _activities(store)


@cached_query()
def plan_indicator_choices(store: Store, strategigrupp_id: str) -> list[tuple[str, str]]:
    """(id, short title) of the indicators an activity of the group may aim at: the ones the
    group follows, in catalogue order."""
    return [
        (i.id, i.short_title or i.title)
        for i in _summaries(store).values()
        if strategigrupp_id in i.strategigrupp_ids
    ]


@cached_query()
def known_indicator_ids(store: Store) -> frozenset[str]:
    return frozenset(_summaries(store))


STATUS_ORDER = {
    ActivityStatus.PAGAR: 0,
    ActivityStatus.PLANERAD: 1,
    ActivityStatus.PAUSAD: 2,
    ActivityStatus.KLAR: 3,
}


def _activities(
    store: Store, *, strategigrupp_id: str | None = None, indicator_id: str | None = None
) -> list[ActivityInfo]:
    with session_scope(store.url) as s:
        query = select(m.Activity).options(selectinload(m.Activity.indicators))
        if strategigrupp_id is not None:
            query = query.where(m.Activity.strategigrupp_id == strategigrupp_id)
        if indicator_id is not None:
            query = query.where(
                m.Activity.id.in_(
                    select(m.activity_indicator.c.activity_id).where(
                        m.activity_indicator.c.indicator_id == indicator_id
                    )
                )
            )
        rows = s.scalars(query).all()
        groups = dict(s.execute(select(m.Strategigrupp.id, m.Strategigrupp.name)).all())
        ordered = sorted(rows, key=lambda a: (STATUS_ORDER[a.status], a.start_date, a.id))
        found = [
            (
                ActivityInfo(
                    id=a.id,
                    strategigrupp_id=a.strategigrupp_id,
                    strategigrupp_name=groups.get(a.strategigrupp_id, a.strategigrupp_id),
                    title=a.title,
                    owner=a.owner,
                    start_date=a.start_date,
                    end_date=a.end_date,
                    status=ActivityStatus(a.status),
                    description=a.description,
                    is_demo=a.is_demo,
                    changed_by=a.changed_by,
                    changed_at=a.changed_at,
                    aims=(),
                ),
                sorted(i.id for i in a.indicators),
            )
            for a in ordered
        ]
    if not found:
        return []
    summaries = _summaries(store, {i for _, ids in found for i in ids})
    return [
        replace(
            info,
            aims=tuple(_aim(store, summaries[i], info.start_date) for i in ids if i in summaries),
        )
        for info, ids in found
    ]


def _summaries(store: Store, wanted: set[str] | None = None) -> dict[str, IndicatorSummary]:
    """The catalogue's indicators and those imports added (all when `wanted` is None); the
    added ones, of which there can be hundreds, only when one of `wanted` is among them."""
    placed = {
        i.id: i for s in catalogue_tree(store) for area in s.matomraden for i in area.indicators
    }
    if wanted is None or wanted - set(placed):
        placed.update((i.id, i) for i in added_indicators(store))
    return placed


def _aim(store: Store, indicator: IndicatorSummary, started: date) -> ActivityAim:
    known = _county_values(store, indicator)
    before = [k for k in known if _ended_before(k[0], started)]
    start = before[-1] if before else None
    latest = known[-1] if known else None
    if start is not None and latest is not None and latest[0] == start[0]:
        latest = None  # no value has come since the activity started
    # The one rule every page uses, with the last period before the start as the base.
    change = judge_change(
        start[2] if start else None,
        latest[2] if latest else None,
        indicator.direction,
        indicator.value_kind,
        indicator.decimals,
    ).change
    return ActivityAim(
        indicator_id=indicator.id,
        title=indicator.title,
        short_title=indicator.short_title,
        unit=indicator.unit,
        decimals=indicator.decimals,
        start_period=start[0] if start else None,
        start_value=start[1] if start else None,
        latest_period=latest[0] if latest else None,
        latest_value=latest[1] if latest else None,
        change=change if latest is not None else Change.NOT_COMPARABLE,
    )


Known = tuple[str, float, Reading]  # period, value, the reading judged


def _county_values(store: Store, indicator: IndicatorSummary) -> list[Known]:
    """The county's shown values (gender T) in period order. A yearly indicator's are the
    stored follow-up totals every follow-up page reads; others are read as the Indikator page
    reads them."""
    if indicator.period_type is PeriodType.YEAR:
        cells = followup_series(store, (indicator.id,), (COUNTY_CODE,)).cells[indicator.id]
        county = cells.get(COUNTY_CODE, {})
        return [
            (str(year), cell.value, cell.reading)
            for year, cell in sorted(county.items())
            if cell.value is not None
        ]
    series = indicator_series(store, indicator.id, [COUNTY_CODE], Gender.TOTAL)
    known = series[series["value"].notna()]

    def number(v: float | None) -> float | None:
        return None if v is None or v != v else float(v)  # NaN ≠ NaN

    return [
        (str(period), float(value), Reading(float(value), number(num), number(den)))
        for period, value, num, den in zip(
            known["period"].tolist(),
            known["value"].tolist(),
            _column(known, "numerator"),
            _column(known, "denominator"),
            strict=True,
        )
        if not math.isnan(float(value))
    ]


def _column(frame: pd.DataFrame, name: str) -> list[float | None]:
    return frame[name].tolist() if name in frame else [None] * len(frame)


def _ended_before(label: str, started: date) -> bool:
    """Whether the whole period lies before `started`: a year's value measured while the
    activity ran is not its starting point."""
    parsed = parse_period(label)
    return parsed is not None and period_end(*parsed) < started
