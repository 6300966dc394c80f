"""One kommun (or the region) against its own baseline: every indicator it has values for, with
the county and Riket beside it and its place among the 13 as context, never as a verdict."""

from collections.abc import Iterable, Mapping

from indicators.reads.cache import cached_query
from indicators.reads.common import code_labels
from indicators.reads.followup.baseline import (
    cell_text,
    development_table,
    followup_series,
    rank_among,
)
from indicators.reads.followup.goals import goals_for_areas
from indicators.reads.followup.stored_totals import FOLLOWUP_AREAS
from indicators.reads.models import (
    Cell,
    Development,
    IndicatorSummary,
    KommunIndicator,
    KommunMatomrade,
    KommunStrategy,
    KommunView,
    TargetInfo,
)
from indicators.reads.queries import catalogue_tree, county_areas, has_demo_data
from indicators.reads.targets import target_status
from indicators.settings import get_settings
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    MISSING_WORD,
    NATION_CODE,
    AreaLevel,
    ObservationStatus,
    ValueKind,
)
from indicators.vocabulary.trends import Change

RANK_NOTE = (
    "Placeringen bland länets 13 kommuner är sammanhang, inte ett betyg: kommunerna skiljer sig "
    "i storlek och förutsättningar, och i en liten kommun vilar en andel på få personer."
)


@cached_query()
def followup_areas(store: Store) -> list[tuple[str, str]]:
    """(code, name) of the region and the 13 kommuner, region first."""
    return [(a.code, a.name) for a in county_areas(store) if a.code != NATION_CODE]


def county_view_of(store: Store, indicator_ids: Iterable[str]) -> KommunView | None:
    """The county's view limited to these indicators (one cache entry per set)."""
    return kommun_view(store, COUNTY_CODE, indicator_ids=tuple(sorted(set(indicator_ids))))


@cached_query()
def kommun_view(
    store: Store,
    area_code: str,
    baseline_year: int | None = None,
    indicator_ids: tuple[str, ...] | None = None,
) -> KommunView | None:
    """None when the code is neither the region nor one of the county's 13 kommuner.
    `indicator_ids` limits the view to those indicators (a strategy's or a strategigrupp's
    summary reads only its own series, not the whole catalogue's); pass them sorted, so that
    callers asking for the same set share one cache entry."""
    if area_code not in (COUNTY_CODE, *COUNTY_KOMMUN_CODES):
        return None
    baseline_year = get_settings().baseline_year if baseline_year is None else baseline_year
    is_region = area_code == COUNTY_CODE
    tree = catalogue_tree(store)
    indicators = {
        i.id: i
        for st in tree
        for ma in st.matomraden
        for i in ma.indicators
        if (is_region or i.area_level is not AreaLevel.REGION)
        and (indicator_ids is None or i.id in indicator_ids)
    }
    with session_scope(store.url) as s:
        name = s.get(m.Area, area_code)
        area_name = name.name if name else area_code
        codes = code_labels(s, list(indicators))
    # The one judgement of every indicator's development: the same table every page reads.
    table = development_table(store, baseline_year)
    # Every area is read at the indicator's latest period among the county's areas, so the
    # kommun, the county and Riket stand side by side for the same year.
    latest = {ind_id: table.latest.get(ind_id) for ind_id in indicators}
    # The page shows the years from the baseline and ranks the kommuner in the latest year.
    first = min([baseline_year, *(y for y in latest.values() if y is not None)])
    # The region is shown beside Riket only; a kommun beside the county, Riket and, for its
    # place, the other twelve.
    areas = (NATION_CODE, COUNTY_CODE) if is_region else FOLLOWUP_AREAS
    series = followup_series(store, tuple(sorted(indicators)), areas, from_year=first)
    cells = {ind_id: series.cells.get(ind_id, {}) for ind_id in indicators}
    years = {ind_id: year for ind_id, year in latest.items() if year is not None}
    goals = goals_for_areas(store, list(indicators), [area_code], years)[area_code]
    rows = {
        ind_id: _row(
            ind,
            cells[ind_id],
            latest[ind_id],
            area_code,
            baseline_year,
            codes.get(ind_id, {}),
            goals.get(ind_id),
            table.development(ind_id, area_code),
        )
        for ind_id, ind in indicators.items()
    }
    counts = {c: 0 for c in Change}
    for row in rows.values():
        counts[row.change] += 1
    strategies = tuple(
        KommunStrategy(
            st.number,
            st.title,
            tuple(
                KommunMatomrade(
                    ma.id, ma.title, tuple(rows[i.id] for i in ma.indicators if i.id in rows)
                )
                for ma in st.matomraden
                if any(i.id in rows for i in ma.indicators)
            ),
        )
        for st in tree
    )
    return KommunView(
        area_code=area_code,
        area_name=area_name,
        is_region=is_region,
        baseline_year=baseline_year,
        strategies=strategies,
        counts=counts,
        has_demo_data=has_demo_data(store),
    )


def _row(
    ind: IndicatorSummary,
    cells: Mapping[str, Mapping[int, Cell]],
    latest: int | None,
    area_code: str,
    baseline_year: int,
    codes: dict[int, str],
    target: TargetInfo | None,
    dev: Development,
) -> KommunIndicator:
    own = cells.get(area_code, {})
    county = cells.get(COUNTY_CODE, {}).get(latest) if latest else None
    nation = cells.get(NATION_CODE, {}).get(latest) if latest else None
    rank, of = None, 0
    coded = ind.value_kind is ValueKind.CODED
    if area_code != COUNTY_CODE and latest is not None and not coded:
        values = {
            code: (
                cells.get(code, {}).get(latest) or Cell(latest, None, ObservationStatus.MISSING)
            ).value
            for code in COUNTY_KOMMUN_CODES
        }
        rank, of = rank_among(values, area_code, ind.direction, ind.decimals)
    category_change = ""
    if coded and dev.baseline is not None and dev.latest is not None:
        before = cell_text(dev.baseline, ind, codes)
        now = cell_text(dev.latest, ind, codes)
        category_change = f"{before} → {now}" if before != now else f"{now} (samma)"
    return KommunIndicator(
        indicator=ind,
        latest_period=str(latest) if latest is not None else None,
        latest_text=cell_text(dev.latest, ind, codes) if latest is not None else "Inga värden",
        latest=dev.latest,
        baseline_period=str(dev.baseline.year) if dev.baseline else None,
        baseline_text=cell_text(dev.baseline, ind, codes) if dev.baseline else MISSING_WORD,
        baseline_shifted=dev.shifted,
        change=dev.change,
        county_text=cell_text(county, ind, codes) if latest is not None else "",
        nation_text=cell_text(nation, ind, codes) if latest is not None else "",
        target=target,
        target_status=target_status(
            dev.latest.value if dev.latest else None,
            target.value if target else None,
            ind.direction,
            ind.decimals,
        ),
        rank=rank,
        rank_of=of,
        category_change=category_change,
        development=tuple(
            (year, own[year].value if year in own else None)
            for year in range(baseline_year, latest + 1)
        )
        if latest is not None and not coded
        else (),
    )
