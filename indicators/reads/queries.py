"""What the pages ask of the store. Every function takes a Store and returns plain data: the
dataclasses of the read model (indicators/reads/models.py) or DataFrames, never ORM objects or
sessions. `Store` is re-exported here so the dashboard needs nothing from indicators.store."""

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from indicators.reads import common
from indicators.reads.cache import cached_query
from indicators.reads.followup.baseline import JUDGED_AREAS, development_table, followup_series
from indicators.reads.hidden_cells import hide
from indicators.reads.models import (
    AreaInfo,
    Cell,
    DataStatus,
    DevelopmentTable,
    Freshness,
    Headline,
    IndicatorDetail,
    IndicatorSummary,
    MatomradeOverview,
    SimilarGroupInfo,
    StrategyOverview,
    tally_codes,
)
from indicators.reads.suppression import REASON_COLUMN
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.frames import (
    OBSERVATION_READ,
    observation_columns,
    plain,
    read_frame,
)
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaKind,
    AreaLevel,
    Deliverer,
    Direction,
    Gender,
    PeriodType,
    SimilarKind,
    ValueKind,
    shown_value,
)
from indicators.vocabulary.periods import period_label, period_order
from indicators.vocabulary.trends import Change

TREND_YEARS = 5


@cached_query()
def has_demo_data(store: Store) -> bool:
    """Whether any stored value comes from the demo generator: every page then says so."""
    with session_scope(store.url) as s:
        return common.has_demo_data(s)


@cached_query()
def data_freshness(store: Store) -> Freshness:
    """What a source note says: when values were last imported, and whether any are Exempeldata.
    Unlike data_status it counts nothing, so it costs the same at any size of store."""
    with session_scope(store.url) as s:
        return Freshness(has_demo_data=common.has_demo_data(s), last_import=common.last_import(s))


@cached_query()
def data_status(store: Store) -> DataStatus:
    with session_scope(store.url) as s:
        count = s.scalar(select(func.count(m.Observation.id))) or 0
        last = common.last_import(s)
        return DataStatus(
            has_demo_data=common.has_demo_data(s), observations=count, last_import=last
        )


@cached_query()
def county_areas(store: Store) -> list[AreaInfo]:
    """Riket, Region Jönköpings län and its 13 kommuner, in display order."""
    codes = [NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES]
    with session_scope(store.url) as s:
        rows = s.execute(
            select(m.Area.code, m.Area.name, m.Area.kind)
            .where(m.Area.code.in_(codes))
            .order_by(m.Area.sort_order, m.Area.name)
        ).all()
    return [AreaInfo(code, name, AreaKind(kind)) for code, name, kind in rows]


@cached_query()
def strategigrupper(store: Store) -> list[tuple[str, str]]:
    """(id, name) of the strategigrupper, in catalogue order."""
    with session_scope(store.url) as s:
        rows = s.execute(
            select(m.Strategigrupp.id, m.Strategigrupp.name).order_by(m.Strategigrupp.sort_order)
        ).all()
    return [(gid, name) for gid, name in rows]


def _summary(i: m.Indicator) -> IndicatorSummary:
    return IndicatorSummary(
        id=i.id,
        title=i.title,
        short_title=i.short_title,
        unit=i.unit,
        value_kind=ValueKind(i.value_kind),
        direction=Direction(i.direction),
        decimals=i.decimals,
        source=i.source,
        area_level=AreaLevel(i.area_level),
        headline=i.headline,
        strategigrupper=tuple(g.name for g in i.strategigrupper),
        strategigrupp_ids=tuple(g.id for g in i.strategigrupper),
        period_type=PeriodType(i.period_type),
        delivered_by=Deliverer(i.delivered_by),
        due_rule=i.due_rule,
        discontinued_from=i.discontinued_from,
        similar_kind=SimilarKind(i.similar_kind),
    )


_SUMMARY_COLUMNS = (
    m.Indicator.id,
    m.Indicator.title,
    m.Indicator.short_title,
    m.Indicator.unit,
    plain(m.Indicator.value_kind),
    plain(m.Indicator.direction),
    m.Indicator.decimals,
    m.Indicator.source,
    plain(m.Indicator.area_level),
    m.Indicator.headline,
    plain(m.Indicator.period_type),
    m.Indicator.delivered_by,
    m.Indicator.due_rule,
    m.Indicator.discontinued_from,
    plain(m.Indicator.similar_kind),
)


def _summaries_where(s: Session, *conditions: ColumnElement[bool]) -> list[IndicatorSummary]:
    """The matching indicators' summaries by title, read as plain columns: loading them as ORM
    objects with their strategigrupper took most of a cold catalogue read (300 indicators at
    national scale)."""
    rows = s.execute(
        select(*_SUMMARY_COLUMNS).where(*conditions).order_by(m.Indicator.title, m.Indicator.id)
    ).all()
    groups: dict[str, list[tuple[str, str]]] = {}
    linked = (
        select(m.indicator_strategigrupp.c.indicator_id, m.Strategigrupp.id, m.Strategigrupp.name)
        .join(m.Strategigrupp, m.Strategigrupp.id == m.indicator_strategigrupp.c.strategigrupp_id)
        .order_by(m.Strategigrupp.sort_order)
    )
    if conditions:
        linked = linked.where(
            m.indicator_strategigrupp.c.indicator_id.in_(select(m.Indicator.id).where(*conditions))
        )
    for ind, gid, name in s.execute(linked).all():
        groups.setdefault(ind, []).append((gid, name))
    out = []
    for r in rows:
        found = groups.get(r[0], [])
        out.append(
            IndicatorSummary(
                id=r[0],
                title=r[1],
                short_title=r[2],
                unit=r[3],
                value_kind=ValueKind(r[4]),
                direction=Direction(r[5]),
                decimals=r[6],
                source=r[7],
                area_level=AreaLevel(r[8]),
                headline=bool(r[9]),
                strategigrupper=tuple(name for _, name in found),
                strategigrupp_ids=tuple(gid for gid, _ in found),
                period_type=PeriodType(r[10]),
                delivered_by=Deliverer(r[11]),
                due_rule=r[12],
                discontinued_from=r[13],
                similar_kind=SimilarKind(r[14]),
            )
        )
    return out


@cached_query()
def catalogue_tree(store: Store) -> list[StrategyOverview]:
    """Strategies → mätområden → indicators in catalogue order, without any values."""
    with session_scope(store.url) as s:
        return _tree(s)


@cached_query()
def added_indicators(store: Store) -> list[IndicatorSummary]:
    """Indicators added from Kolada on an analyst's confirmation (origin "kolada"): they sit in
    no mätområde, so the catalogue tree never lists them."""
    with session_scope(store.url) as s:
        return _summaries_where(s, m.Indicator.origin == "kolada")


@cached_query()
def overview(store: Store) -> list[StrategyOverview]:
    """The catalogue tree with each mätområde's headline indicators and their recent values."""
    with session_scope(store.url) as s:
        tree = _tree(s)
        headline_ids = sorted(
            {i.id for st in tree for ma in st.matomraden for i in ma.indicators if i.headline}
        )
        codes = common.code_labels(s, headline_ids)
    # The county's and its kommuner's yearly totals as shown: the totals the development table
    # judges (no second read of the observations), of the headline indicators only, and of
    # those only what a headline shows: the county's last TREND_YEARS years, and the kommuner's
    # latest year where their answers are counted (coded indicators).
    table = development_table(store)
    series = _headline_cells(store, tree, headline_ids, table)
    return [
        replace(
            st,
            matomraden=tuple(
                replace(
                    ma,
                    headlines=tuple(
                        _headline(i, series.get(i.id, {}), codes.get(i.id, {}), table)
                        for i in ma.indicators
                        if i.headline
                    ),
                )
                for ma in st.matomraden
            ),
        )
        for st in tree
    ]


def _headline_cells(
    store: Store, tree: list[StrategyOverview], ids: list[str], table: DevelopmentTable
) -> dict[str, Mapping[str, Mapping[int, Cell]]]:
    """indicator → area → year → cell, as `_headline` reads them."""
    latest = [y for i in ids if (y := table.latest.get(i)) is not None]
    if not latest:
        return {}
    cells = dict(
        followup_series(
            store, tuple(ids), (COUNTY_CODE,), from_year=min(latest) - TREND_YEARS + 1
        ).cells
    )
    coded = sorted(
        {
            i.id
            for st in tree
            for ma in st.matomraden
            for i in ma.indicators
            if i.id in ids and i.value_kind is ValueKind.CODED and table.latest.get(i.id)
        }
    )
    if coded:
        start = min(y for i in coded if (y := table.latest.get(i)) is not None)
        answers = followup_series(store, tuple(coded), JUDGED_AREAS, from_year=start).cells
        cells.update({i: answers.get(i, {}) for i in coded})
    return cells


def _tree(s: Session) -> list[StrategyOverview]:
    strategies = s.execute(
        select(
            m.Strategy.number,
            m.Strategy.title,
            m.Strategy.aim,
            m.Strategy.koppling_till_malbild,
            m.Strategy.followed_up_by,
        ).order_by(m.Strategy.number)
    ).all()
    areas = s.execute(
        select(m.Matomrade.strategy_number, m.Matomrade.id, m.Matomrade.title).order_by(
            m.Matomrade.sort_order
        )
    ).all()
    area_groups: dict[str, list[str]] = {}
    for area_id, name in s.execute(
        select(m.matomrade_strategigrupp.c.matomrade_id, m.Strategigrupp.name)
        .join(m.Strategigrupp, m.Strategigrupp.id == m.matomrade_strategigrupp.c.strategigrupp_id)
        .order_by(m.Strategigrupp.sort_order)
    ).all():
        area_groups.setdefault(area_id, []).append(name)
    placed: dict[str, list[str]] = {}
    for area_id, ind_id in s.execute(
        select(m.IndicatorMatomrade.matomrade_id, m.IndicatorMatomrade.indicator_id)
        .join(m.Indicator, m.Indicator.id == m.IndicatorMatomrade.indicator_id)
        .order_by(m.Indicator.sort_order, m.IndicatorMatomrade.sort_order)
    ).all():
        placed.setdefault(area_id, []).append(ind_id)
    summaries = {
        i.id: i
        for i in _summaries_where(s, m.Indicator.id.in_(select(m.IndicatorMatomrade.indicator_id)))
    }
    return [
        StrategyOverview(
            number=number,
            title=title,
            aim=aim,
            koppling_till_malbild=tuple(koppling or ()),
            followed_up_by=followed_up_by,
            matomraden=tuple(
                MatomradeOverview(
                    id=area_id,
                    title=area_title,
                    strategigrupper=tuple(area_groups.get(area_id, ())),
                    indicators=tuple(summaries[i] for i in placed.get(area_id, ())),
                )
                for strategy, area_id, area_title in areas
                if strategy == number
            ),
        )
        for number, title, aim, koppling, followed_up_by in strategies
    ]


def _headline(
    sm: IndicatorSummary,
    cells: Mapping[str, Mapping[int, Cell]],
    codes: dict[int, str],
    table: DevelopmentTable,
) -> Headline:
    """`cells`: area → year → cell as shown (`followup_series`' of the county and kommuner)."""
    empty = {c: 0 for c in Change}
    # The latest year with a shown value in the county or a kommun, as the table judged it:
    # looking for it among the cells made all 7 000 of them, of which the headline shows 20.
    latest = table.latest.get(sm.id)
    if latest is None:
        return Headline(sm, None, None, None, (), None, empty)
    first = latest - TREND_YEARS + 1
    county_series = cells.get(COUNTY_CODE, {})
    county = county_series.get(latest)
    trend = tuple((str(y), _ok_value(county_series.get(y))) for y in range(first, latest + 1))
    # The kommuner's changes are the one judgement every page shows: since the baseline year.
    changes = table.counts([sm.id], COUNTY_KOMMUN_CODES)
    code_counts: tuple[tuple[str, int], ...] = ()
    if sm.value_kind is ValueKind.CODED:
        answers = ((c, _ok_value(cells.get(c, {}).get(latest))) for c in COUNTY_KOMMUN_CODES)
        code_counts = tuple((c.label, c.count) for c in tally_codes(answers, codes.items()))
    return Headline(
        indicator=sm,
        latest_period=str(latest),
        county_value=_ok_value(county),
        county_status=county.status if county else None,
        trend=trend if any(v is not None for _, v in trend) else (),
        window=(str(table.baseline_year), str(latest)),
        changes=changes,
        code_counts=code_counts,
    )


def _ok_value(cell: Cell | None) -> float | None:
    return None if cell is None else shown_value(cell.value, cell.status)


@cached_query()
def indicator_detail(store: Store, indicator_id: str) -> IndicatorDetail | None:
    with session_scope(store.url) as s:
        i = s.scalar(
            select(m.Indicator)
            .where(m.Indicator.id == indicator_id)
            .options(
                selectinload(m.Indicator.codes),
                selectinload(m.Indicator.strategigrupper),
                selectinload(m.Indicator.links).selectinload(m.IndicatorMatomrade.matomrade),
            )
        )
        if i is None:
            return None
        batches = s.execute(
            select(m.ImportBatch.source_name, m.ImportBatch.imported_at, m.ImportBatch.is_demo)
            .where(
                m.ImportBatch.id.in_(
                    select(m.Observation.batch_id)
                    .where(m.Observation.indicator_id == indicator_id)
                    .distinct()
                )
            )
            .order_by(m.ImportBatch.imported_at.desc())
        ).all()
        return IndicatorDetail(
            summary=_summary(i),
            description=i.description,
            source_id=i.source_id,
            numerator=i.numerator,
            denominator=i.denominator,
            period_type=PeriodType(i.period_type),
            by_gender=i.by_gender,
            codes=tuple((c.code, c.label) for c in i.codes),
            placements=tuple(
                sorted(
                    (link.matomrade.strategy_number, link.matomrade.id, link.matomrade.title)
                    for link in i.links
                )
            ),
            last_updated=batches[0][1] if batches else None,
            batches=tuple(name for name, _, _ in batches),
            has_demo_data=any(demo for _, _, demo in batches),
        )


# The source's own reason (status_reason) comes along: a flag on a value that is shown ("e
# Uppskattat värde") or the source's note on a gap; hiding a cell replaces it with the reason
# for hiding.
_RAW_SERIES_COLUMNS = ["area_code", "area_name", "area_kind", *OBSERVATION_READ, REASON_COLUMN]
SERIES_COLUMNS = [
    "area_code",
    "area_name",
    "area_kind",
    "period",
    "period_start",
    "gender",
    "value",
    "numerator",
    "denominator",
    "status",
]


@cached_query()
def indicator_series(
    store: Store, indicator_id: str, area_codes: list[str], gender: Gender | None = Gender.TOTAL
) -> pd.DataFrame:
    """Every stored period of one indicator for the given areas, ordered by area then period.
    Missing and suppressed values keep their rows (value NaN) so charts show gaps, not zeros.
    Small numbers are suppressed here (indicators.reads.hidden_cells, with a `status_reason`
    column): the cells the store's whole hierarchy hides, whichever areas are asked for.
    gender None returns every gender (one query for pages that show T, K and M)."""
    with session_scope(store.url) as s:
        value_kind = s.scalar(select(m.Indicator.value_kind).where(m.Indicator.id == indicator_id))
        query = (
            select(
                plain(m.Observation.area_code),
                m.Area.name,
                plain(m.Area.kind),
                *observation_columns(OBSERVATION_READ),
                m.Observation.status_reason,
            )
            .join(m.Area, m.Area.code == m.Observation.area_code)
            .where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.area_code.in_(area_codes),
            )
            .order_by(m.Area.sort_order, m.Area.name, m.Observation.period_start)
        )
        raw = read_frame(s, query, _RAW_SERIES_COLUMNS, dates=["period_start"])
    # Each distinct period is labelled once, not once per area and gender.
    periods = list(zip(raw["period_type"].tolist(), raw["period_start"].tolist(), strict=True))
    labels = {key: period_label(PeriodType(key[0]), key[1]) for key in set(periods)}
    raw["period"] = [labels[key] for key in periods]
    if any(PeriodType(kind).pooled_years for kind, _ in labels):
        # Pooled years ("2021–2024") sort after their last year, within each area.
        order = {key: period_order(PeriodType(key[0]), key[1]) for key in labels}
        raw = raw.assign(_area=pd.factorize(raw["area_code"])[0])
        raw["_when"] = [order[k][0] for k in periods]
        raw["_years"] = [order[k][1] for k in periods]
        raw = raw.sort_values(["_area", "_when", "_years"], kind="stable").drop(
            columns=["_area", "_when", "_years"]
        )
    if value_kind is not None:
        raw = hide(store, raw, {indicator_id: value_kind})
    elif REASON_COLUMN not in raw.columns:
        raw[REASON_COLUMN] = ""
    frame = raw[[*SERIES_COLUMNS, REASON_COLUMN]].reset_index(drop=True)
    if gender is None:
        return frame
    return frame[frame["gender"] == gender].reset_index(drop=True)


@cached_query(maxsize=512)
def similar_group(store: Store, area_code: str, kind: SimilarKind) -> SimilarGroupInfo | None:
    """The kommun's group of similar kommuner of that kind (data/kolada/groups.csv as synced at
    prepare), or None when the store holds none."""
    group, member, area = m.SimilarGroup, m.SimilarGroupMember, m.Area
    with session_scope(store.url) as s:
        row = s.execute(
            select(group.id, group.title, group.year, area.name)
            .join(area, area.code == group.area_code)
            .where(group.area_code == area_code, group.kind == kind)
        ).first()
        if row is None:
            return None
        members = s.execute(
            select(member.area_code, area.name)
            .join(area, area.code == member.area_code)
            .where(member.group_id == row[0])
            .order_by(area.name)
        ).all()
    return SimilarGroupInfo(
        id=row[0],
        kind=kind,
        area_code=area_code,
        area_name=row[3],
        title=row[1],
        year=row[2],
        members=tuple((code, name) for code, name in members),
    )
