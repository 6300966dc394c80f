"""What the Strategi and Strategigrupp pages ask: per strategy its mätområden with each
indicator's county trend, spread across the 13 kommuner and status against target; per
strategigrupp what improved, stayed or got worse in each kommun since the baseline year.

Every value passes `suppression.suppress` before it is counted, ranked or shown: a minimum or a
median over unsuppressed values could otherwise give a hidden value away. That is why the spread
is computed here after suppression rather than with MIN/MAX in SQL; SQL narrows the rows (areas,
total gender, the indicator's own period type) and aggregates what needs no suppression (when and
from where an indicator was last updated)."""

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from statistics import median

import pandas as pd
from sqlalchemy import case, func, select

from indicators.reads.cache import cached_query
from indicators.reads.common import code_labels
from indicators.reads.followup import stored_updates
from indicators.reads.followup.baseline import county_spreads, development_table
from indicators.reads.hidden_cells import hide
from indicators.reads.models import (
    AreaValue,
    ChangeCell,
    Development,
    GroupIndicator,
    IndicatorBlock,
    IndicatorSummary,
    MatomradeView,
    Spread,
    StrategigruppView,
    StrategyView,
    SummaryCard,
    TargetInfo,
    TargetStatus,
    TargetView,
    tally_codes,
)
from indicators.reads.queries import catalogue_tree, county_areas
from indicators.reads.targets import applicable_target, target_status, targets_by_indicator
from indicators.settings import get_settings
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.frames import OBSERVATION_READ, observation_columns, plain, read_frame
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    AreaLevel,
    Gender,
    ObservationStatus,
    PeriodType,
    ValueKind,
    shown_value,
)
from indicators.vocabulary.periods import period_label
from indicators.vocabulary.trends import Change

MIN_TREND_PERIODS = 5
FRAME_COLUMNS = ["indicator_id", "area_code", *OBSERVATION_READ]


def _observations(store: Store, indicator_ids: Iterable[str]) -> pd.DataFrame:
    """Totals for the county and its 13 kommuner in each indicator's own period type."""
    ids = sorted(set(indicator_ids))
    with session_scope(store.url) as s:
        own_type: dict[str, str] = dict(
            s.execute(
                select(m.Indicator.id, plain(m.Indicator.period_type)).where(
                    m.Indicator.id.in_(ids)
                )
            ).all()
        )
        # Each indicator's own period type is picked after reading, not joined in SQL: the join
        # steers SQLite to a slower index, and other period types are rare.
        query = (
            select(*observation_columns(FRAME_COLUMNS))
            .where(
                m.Observation.indicator_id.in_(ids),
                m.Observation.area_code.in_([COUNTY_CODE, *COUNTY_KOMMUN_CODES]),
                m.Observation.gender == Gender.TOTAL,
            )
            .order_by(m.Observation.indicator_id, m.Observation.period_start)
        )
        frame = read_frame(s, query, FRAME_COLUMNS, dates=["period_start"])
    wanted = frame["indicator_id"].map(own_type)
    return frame[frame["period_type"] == wanted].reset_index(drop=True)


def _suppressed(store: Store, frame: pd.DataFrame, kinds: dict[str, ValueKind]) -> pd.DataFrame:
    if frame.empty:
        return frame.assign(status_reason="")
    return hide(store, frame, kinds)


def _updates(store: Store, indicator_ids: Iterable[str]) -> dict[str, tuple[datetime, bool]]:
    """When each indicator's values were last imported, and whether any are Exempeldata."""
    ids = sorted(set(indicator_ids))
    with session_scope(store.url) as s:
        stored = stored_updates.last_updates(s, ids)
        if stored is not None:
            return stored
        rows = s.execute(
            select(
                m.Observation.indicator_id,
                func.max(m.ImportBatch.imported_at),
                # max() of a boolean exists in SQLite, not in PostgreSQL: count as 0/1.
                func.max(case((m.ImportBatch.is_demo, 1), else_=0)),
            )
            .join(m.ImportBatch, m.ImportBatch.id == m.Observation.batch_id)
            .where(
                m.Observation.indicator_id.in_(ids),
                # The areas the page shows: the county's values, read through their index.
                m.Observation.area_code.in_([COUNTY_CODE, *COUNTY_KOMMUN_CODES]),
            )
            .group_by(m.Observation.indicator_id)
        ).all()
    return {ind: (when, bool(demo)) for ind, when, demo in rows}


def _code_labels(
    store: Store, indicator_ids: Iterable[str]
) -> dict[str, tuple[tuple[int, str], ...]]:
    """Per coded indicator its (code, label) pairs in code order."""
    with session_scope(store.url) as s:
        labels = code_labels(s, sorted(set(indicator_ids)))
    return {ind: tuple(sorted(pairs.items())) for ind, pairs in sorted(labels.items())}


Index = dict[tuple[str, date], tuple[float | None, ObservationStatus]]


def _latest(index: Index) -> date | None:
    shown = [start for (_, start), (_, st) in index.items() if st is ObservationStatus.OK]
    return max(shown) if shown else None


def _index(part: pd.DataFrame) -> Index:
    """(area, period start) → (value if shown, status) of one indicator."""
    statuses = part["status"].astype(str).tolist()
    status_of = {text: ObservationStatus(text) for text in set(statuses)}
    rows = zip(
        part["area_code"].astype(str).tolist(),
        part["period_start"].tolist(),
        part["value"].astype(float).tolist(),
        statuses,
        strict=True,
    )
    return {(a, start): (shown_value(v, st), status_of[st]) for a, start, v, st in rows}


_COUNTY_AREAS = (COUNTY_CODE, *COUNTY_KOMMUN_CODES)


def _indexes(
    store: Store, summaries: dict[str, IndicatorSummary]
) -> dict[str, tuple[PeriodType, Index, tuple[date, ...]]]:
    """Each indicator's totals for the county and its kommuner in its own period type, as
    shown, with every period any of them has. Yearly ones are the stored follow-up totals the
    development table judges (which every follow-up page reads), the county's of every year and
    the kommuner's of the latest only (all the page shows of them); only indicators of another
    period type are read and hidden here."""
    yearly = sorted(i for i, sm in summaries.items() if sm.period_type is PeriodType.YEAR)
    spreads = county_spreads(store, tuple(yearly))
    out: dict[str, tuple[PeriodType, Index, tuple[date, ...]]] = {}
    for ind_id in yearly:
        shown = spreads.shown[ind_id]
        index = {
            (code, _year_start(year)): pair
            for code in _COUNTY_AREAS
            for year, pair in shown.get(code, {}).items()
        }
        starts = tuple(_year_start(y) for y in spreads.years.get(ind_id, ()))
        out[ind_id] = (PeriodType.YEAR, index, starts)
    others = {i: sm for i, sm in summaries.items() if sm.period_type is not PeriodType.YEAR}
    if others:
        frame = _observations(store, others)
        frame = _suppressed(store, frame, {i: sm.value_kind for i, sm in others.items()})
        for key, part in frame.groupby("indicator_id", sort=False):
            index = _index(part)
            starts = tuple(sorted({start for _, start in index}))
            out[str(key)] = (PeriodType(part["period_type"].iloc[0]), index, starts)
    return out


@lru_cache(maxsize=256)
def _year_start(year: int) -> date:
    return date(year, 1, 1)


def _area_value(index: Index, code: str, name: str, start: date) -> AreaValue:
    value, status = index.get((code, start), (None, ObservationStatus.MISSING))
    return AreaValue(code, name, value, status)


def _spread(
    index: Index,
    start: date,
    label: str,
    names: dict[str, str],
    indicator: IndicatorSummary,
    codes: tuple[tuple[int, str], ...],
) -> Spread:
    kommuner = tuple(_area_value(index, c, names[c], start) for c in COUNTY_KOMMUN_CODES)
    if indicator.value_kind is ValueKind.CODED:
        counts = tally_codes(((k.name, k.value) for k in kommuner), codes)
        return Spread(label, kommuner, None, None, None, (), (), counts)
    values = [k.value for k in kommuner if k.value is not None]
    if not values:
        return Spread(label, kommuner, None, None, None, (), ())
    low, high = min(values), max(values)
    return Spread(
        period=label,
        kommuner=kommuner,
        minimum=low,
        median=float(median(values)),
        maximum=high,
        lowest=tuple(k.name for k in kommuner if k.value == low),
        highest=tuple(k.name for k in kommuner if k.value == high),
    )


def _target_view(
    indicator: IndicatorSummary,
    targets: list[TargetInfo],
    latest: date,
    county: AreaValue,
    spread: Spread | None,
) -> TargetView:
    target = applicable_target(targets, COUNTY_CODE, latest.year)
    status = target_status(
        county.value, target.value if target else None, indicator.direction, indicator.decimals
    )
    tally: dict[TargetStatus, int] = {}
    for k in spread.kommuner if spread and targets else ():
        own = applicable_target(targets, k.code, latest.year)
        result = target_status(
            k.value, own.value if own else None, indicator.direction, indicator.decimals
        )
        tally[result] = tally.get(result, 0) + 1
    return TargetView(target, status, tuple((st, tally[st]) for st in TargetStatus if st in tally))


def _block(
    indicator: IndicatorSummary,
    indexed: tuple[PeriodType, Index, tuple[date, ...]] | None,
    names: dict[str, str],
    codes: tuple[tuple[int, str], ...],
    update: tuple[datetime, bool] | None,
    baseline_year: int,
    targets: list[TargetInfo],
) -> IndicatorBlock:
    when, demo = update if update else (None, False)
    period_type, index, starts_had = (
        indexed if indexed is not None else (indicator.period_type, {}, ())
    )
    latest = _latest(index)
    if latest is None:
        return IndicatorBlock(indicator, codes, (), None, None, None, when, demo)
    label = period_label(period_type, latest)
    # The trend runs from the baseline year, or over the last five periods when that is longer.
    starts = sorted(starts_had)
    first_shown = min(
        [s for s in starts if s.year >= baseline_year] or [latest],
        default=latest,
    )
    window = [s for s in starts if s <= latest]
    window = [s for s in window if s >= first_shown] or window
    if len(window) < MIN_TREND_PERIODS:
        window = [s for s in starts if s <= latest][-MIN_TREND_PERIODS:]
    trend = tuple(
        (period_label(period_type, s), index.get((COUNTY_CODE, s), (None,))[0]) for s in window
    )
    if indicator.value_kind is ValueKind.CODED or not any(v is not None for _, v in trend):
        trend = ()
    county = _area_value(index, COUNTY_CODE, names[COUNTY_CODE], latest)
    spread = (
        None
        if indicator.area_level is AreaLevel.REGION
        else _spread(index, latest, label, names, indicator, codes)
    )
    return IndicatorBlock(
        indicator=indicator,
        codes=codes,
        trend=trend,
        latest_period=label,
        county=county,
        spread=spread,
        last_updated=when,
        has_demo_data=demo,
        target=_target_view(indicator, targets, latest, county, spread),
    )


@cached_query()
def strategy_view(
    store: Store, number: int, baseline_year: int | None = None
) -> StrategyView | None:
    """One strategy with every indicator of its mätområden; None for an unknown number."""
    tree = catalogue_tree(store)
    strategy = next((s for s in tree if s.number == number), None)
    if strategy is None:
        return None
    baseline = baseline_year if baseline_year is not None else get_settings().baseline_year
    with session_scope(store.url) as s:
        utveckling = s.scalar(
            select(m.Strategy.utvecklingsomraden).where(m.Strategy.number == number)
        )
    summaries = {i.id: i for ma in strategy.matomraden for i in ma.indicators}
    indexes = _indexes(store, summaries)
    names = {a.code: a.name for a in county_areas(store)}
    codes = _code_labels(store, summaries)
    updates = _updates(store, summaries)
    targets = targets_by_indicator(store, sorted(summaries))
    blocks = {
        i: _block(
            sm,
            indexes.get(i),
            names,
            codes.get(i, ()),
            updates.get(i),
            baseline,
            targets.get(i, []),
        )
        for i, sm in summaries.items()
    }
    return StrategyView(
        number=strategy.number,
        title=strategy.title,
        aim=strategy.aim,
        koppling_till_malbild=strategy.koppling_till_malbild,
        utvecklingsomraden=tuple(utveckling or ()),
        followed_up_by=strategy.followed_up_by,
        matomraden=tuple(
            MatomradeView(
                id=ma.id,
                title=ma.title,
                strategigrupper=ma.strategigrupper,
                indicators=tuple(blocks[i.id] for i in ma.indicators),
            )
            for ma in strategy.matomraden
        ),
        strategies=tuple((st.number, st.title) for st in tree),
    )


# --- Strategigrupp ------------------------------------------------------------------------------


def followed_by(indicator: IndicatorSummary, matomrade_groups: tuple[str, ...]) -> tuple[str, ...]:
    """An indicator's own strategigrupper; one without its own follows its mätområde's."""
    return indicator.strategigrupp_ids or matomrade_groups


def _change_cell(dev: Development) -> ChangeCell:
    latest = dev.latest
    return ChangeCell(
        change=dev.change,
        base_period=str(dev.baseline.year) if dev.baseline else None,
        base_value=dev.baseline.value if dev.baseline else None,
        latest_period=str(latest.year) if latest else None,
        latest_value=latest.value if latest else None,
        latest_status=latest.status if latest else ObservationStatus.MISSING,
        baseline_moved=dev.shifted,
        certainty=dev.certainty,
    )


@cached_query()
def strategigrupp_view(
    store: Store, group_id: str, baseline_year: int | None = None
) -> StrategigruppView | None:
    """The indicators a strategigrupp follows across all strategies and, per area, whether each
    improved since the baseline year; None for an unknown group."""
    baseline = baseline_year if baseline_year is not None else get_settings().baseline_year
    with session_scope(store.url) as s:
        groups = s.execute(
            select(m.Strategigrupp.id, m.Strategigrupp.name, m.Strategigrupp.description).order_by(
                m.Strategigrupp.sort_order
            )
        ).all()
    group = next((g for g in groups if g[0] == group_id), None)
    if group is None:
        return None
    ids_by_name = {name: gid for gid, name, _ in groups}
    chosen: dict[str, tuple[IndicatorSummary, list[tuple[int, str]]]] = {}
    for st in catalogue_tree(store):
        for ma in st.matomraden:
            ma_groups = tuple(ids_by_name[n] for n in ma.strategigrupper if n in ids_by_name)
            for ind in ma.indicators:
                if group_id in followed_by(ind, ma_groups):
                    chosen.setdefault(ind.id, (ind, []))[1].append((st.number, ma.title))
    areas = [a for a in county_areas(store) if a.code in (COUNTY_CODE, *COUNTY_KOMMUN_CODES)]
    codes = _code_labels(store, chosen)
    updates = _updates(store, chosen)
    # The one judgement of every indicator's development: the same table every page reads.
    table = development_table(store, baseline)
    indicators: list[GroupIndicator] = []
    cells: dict[tuple[str, str], ChangeCell] = {}
    counts: dict[str, dict[Change, int]] = {a.code: {c: 0 for c in Change} for a in areas}
    for ind_id, (summary, placements) in chosen.items():
        latest = table.latest.get(ind_id)
        indicators.append(
            GroupIndicator(
                indicator=summary,
                placements=tuple(placements),
                latest_period=str(latest) if latest is not None else None,
                codes=codes.get(ind_id, ()),
            )
        )
        for area in areas:
            if area.code != COUNTY_CODE and summary.area_level is AreaLevel.REGION:
                continue  # not reported per kommun: no cell, and not counted against anyone
            cell = _change_cell(table.development(ind_id, area.code))
            cells[(ind_id, area.code)] = cell
            counts[area.code][cell.change] += 1
    return StrategigruppView(
        id=group[0],
        name=group[1],
        description=group[2],
        baseline_year=baseline,
        groups=tuple((gid, name) for gid, name, _ in groups),
        indicators=tuple(indicators),
        areas=tuple(areas),
        cells=cells,
        counts=counts,
        last_updated=max((when for when, _ in updates.values()), default=None),
        has_demo_data=any(demo for _, demo in updates.values()),
    )


# --- The menu pages' cards ----------------------------------------------------------------------


def first_sentence(text: str) -> str:
    """A card's one line: the first sentence of a longer text."""
    head, dot, _ = text.strip().partition(". ")
    return head + "." if dot else text.strip()


@cached_query()
def strategy_cards(store: Store, baseline_year: int | None = None) -> tuple[SummaryCard, ...]:
    """One card per strategy: its aim and the county's development of its indicators."""
    table = development_table(store, baseline_year)
    cards = []
    for st in catalogue_tree(store):
        ids = list(dict.fromkeys(i.id for ma in st.matomraden for i in ma.indicators))
        cards.append(
            SummaryCard(
                key=str(st.number),
                title=f"Strategi {st.number}: {st.title}",
                line=first_sentence(st.aim),
                indicator_count=len(ids),
                baseline_year=table.baseline_year,
                counts=table.counts(ids, [COUNTY_CODE]),
            )
        )
    return tuple(cards)


@cached_query()
def strategigrupp_cards(store: Store, baseline_year: int | None = None) -> tuple[SummaryCard, ...]:
    """One card per strategigrupp: what it is and the county's development of what it follows
    (the same indicators as its own page)."""
    table = development_table(store, baseline_year)
    with session_scope(store.url) as s:
        groups = s.execute(
            select(m.Strategigrupp.id, m.Strategigrupp.name, m.Strategigrupp.description).order_by(
                m.Strategigrupp.sort_order
            )
        ).all()
    ids_by_name = {name: gid for gid, name, _ in groups}
    followed: dict[str, list[str]] = {gid: [] for gid, _, _ in groups}
    for st in catalogue_tree(store):
        for ma in st.matomraden:
            ma_groups = tuple(ids_by_name[n] for n in ma.strategigrupper if n in ids_by_name)
            for ind in ma.indicators:
                for gid in followed_by(ind, ma_groups):
                    if gid in followed and ind.id not in followed[gid]:
                        followed[gid].append(ind.id)
    return tuple(
        SummaryCard(
            key=gid,
            title=name,
            line=description or "",
            indicator_count=len(followed[gid]),
            baseline_year=table.baseline_year,
            counts=table.counts(followed[gid], [COUNTY_CODE]),
        )
        for gid, name, description in groups
    )
