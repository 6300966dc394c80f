"""Jämförelse: the 13 kommuner × the indicators of a strategy, mätområde or strategigrupp, each
cell the kommun's latest value, its change against its own baseline and its distance to target.

Each kommun is compared with itself (change since the baseline year, in the indicator's
direction) or with the target; the colour never ranks kommuner against each other."""

from indicators.reads.cache import cached_query
from indicators.reads.common import code_labels
from indicators.reads.followup.baseline import (
    cell_text,
    development_table,
    relative_change,
    score,
)
from indicators.reads.followup.goals import goal_distance, goals_for_areas
from indicators.reads.models import (
    Cell,
    ColourBy,
    ComparisonCell,
    ComparisonMatrix,
    Development,
    IndicatorSummary,
    TargetInfo,
)
from indicators.reads.queries import catalogue_tree, county_areas, data_freshness
from indicators.reads.targets import target_status
from indicators.settings import get_settings
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    AreaKind,
    AreaLevel,
    ValueKind,
)
from indicators.vocabulary.formatting import format_number


def selected_indicators(
    store: Store,
    *,
    strategy: int | None = None,
    matomrade: str | None = None,
    strategigrupp: str | None = None,
) -> tuple[list[IndicatorSummary], str]:
    """The indicators reported per kommun that match every given choice, in catalogue order,
    and the choice in words."""
    tree = catalogue_tree(store)
    chosen: dict[str, IndicatorSummary] = {}
    words = []
    for st in tree:
        if strategy is not None and st.number != strategy:
            continue
        for ma in st.matomraden:
            if matomrade is not None and ma.id != matomrade:
                continue
            for i in ma.indicators:
                if i.area_level is AreaLevel.REGION:
                    continue
                if strategigrupp is not None and strategigrupp not in i.strategigrupp_ids:
                    continue
                chosen.setdefault(i.id, i)
    if strategy is not None:
        words.append(f"Strategi {strategy}")
    if matomrade is not None:
        title = next((ma.title for st in tree for ma in st.matomraden if ma.id == matomrade), "")
        words.append(f"mätområde {title or matomrade}")
    if strategigrupp is not None:
        name = next(
            (
                g
                for i in chosen.values()
                for gid, g in zip(i.strategigrupp_ids, i.strategigrupper, strict=False)
                if gid == strategigrupp
            ),
            strategigrupp,
        )
        words.append(f"strategigrupp {name}")
    return list(chosen.values()), ", ".join(words) or "alla indikatorer per kommun"


@cached_query()
def comparison_matrix(
    store: Store,
    *,
    strategy: int | None = None,
    matomrade: str | None = None,
    strategigrupp: str | None = None,
    colour_by: ColourBy = "change",
    baseline_year: int | None = None,
) -> ComparisonMatrix:
    baseline_year = get_settings().baseline_year if baseline_year is None else baseline_year
    indicators, selection = selected_indicators(
        store, strategy=strategy, matomrade=matomrade, strategigrupp=strategigrupp
    )
    areas = tuple(a for a in county_areas(store) if a.kind is AreaKind.KOMMUN)
    codes_of = [a.code for a in areas]
    ids = [i.id for i in indicators]
    with session_scope(store.url) as s:
        labels = code_labels(s, ids)
    # The one judgement of every indicator's development: the same table every page reads, so
    # each kommun is read at the same latest year as on the kommun and strategigrupp pages.
    table = development_table(store, baseline_year)
    latest_of = {i.id: table.latest.get(i.id) for i in indicators}
    years = {i: y for i, y in latest_of.items() if y is not None}
    goals = goals_for_areas(store, ids, codes_of, years)
    cells: dict[tuple[str, str], ComparisonCell] = {}
    latest_periods: dict[str, str | None] = {}
    for ind in indicators:
        latest = latest_of[ind.id]
        latest_periods[ind.id] = str(latest) if latest is not None else None
        for code in codes_of:
            cells[(ind.id, code)] = _cell(
                ind,
                code,
                table.development(ind.id, code),
                latest,
                labels.get(ind.id, {}),
                goals.get(code, {}).get(ind.id),
            )
    freshness = data_freshness(store)
    return ComparisonMatrix(
        indicators=tuple(indicators),
        areas=areas,
        cells=cells,
        colour_by=colour_by,
        baseline_year=baseline_year,
        selection=selection,
        has_demo_data=freshness.has_demo_data,
        latest_periods=latest_periods,
        last_updated=freshness.last_import,
    )


def _cell(
    ind: IndicatorSummary,
    code: str,
    dev: Development,
    latest: int | None,
    codes: dict[int, str],
    target: TargetInfo | None,
) -> ComparisonCell:
    now = dev.latest
    value = now.value if now else None
    coded = ind.value_kind is ValueKind.CODED
    status = target_status(value, target.value if target else None, ind.direction, ind.decimals)
    distance = goal_distance(value, target, ind.direction)
    target_text = status.label
    if target is not None:
        target_text += f" ({target.label(ind.decimals, ind.unit)})"
    return ComparisonCell(
        indicator_id=ind.id,
        area_code=code,
        period=str(latest) if latest is not None else None,
        value=value,
        text=cell_text(now, ind, codes) if latest is not None else "Inga värden",
        short_text=_short(now, ind, codes) if latest is not None else "–",
        status=now.status if now else None,
        baseline_period=str(dev.baseline.year) if dev.baseline else None,
        baseline_value=dev.baseline.value if dev.baseline else None,
        baseline_shifted=dev.shifted,
        change=dev.change,
        score=score(dev.change),
        relative_change=None if coded else relative_change(dev),
        target=target,
        target_distance=distance,
        target_status=status,
        target_text=target_text,
    )


def _short(cell: Cell | None, ind: IndicatorSummary, codes: dict[int, str]) -> str:
    if cell is None or cell.value is None or ind.value_kind is ValueKind.CODED:
        return cell_text(cell, ind, codes)
    return format_number(cell.value, ind.decimals)
