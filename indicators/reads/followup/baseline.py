"""What the follow-up pages share: yearly totals for Riket, the county and its 13 kommuner with
small numbers suppressed, and each area's value in the latest period against its own baseline.

The kommun page and the comparison both compare an area with itself: the latest period of the
indicator against the area's value in the baseline year (settings.baseline_year), or the first
later year with a value when that year is missing, said so by `shifted`."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.reads.cache import cached_query
from indicators.reads.followup import stored_totals
from indicators.reads.hidden_cells import hide
from indicators.reads.models import Cell, Development, DevelopmentTable, IndicatorSummary
from indicators.settings import get_settings
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    MISSING_WORD,
    AreaLevel,
    Direction,
    ObservationStatus,
    PeriodType,
    ValueKind,
    shown_value,
)
from indicators.vocabulary.formatting import format_value, round_half_up
from indicators.vocabulary.trends import Change, judge_change


def suppress_totals(
    store: Store,
    frame: pd.DataFrame,
    kinds: dict[str, ValueKind],
    *,
    period_type: PeriodType | None = None,
) -> pd.DataFrame:
    """Small numbers hidden in a frame of many indicators, in one pass: the cells the store's
    whole area hierarchy hides (indicators.reads.hidden_cells), whatever areas the frame holds."""
    if frame.empty:
        return frame.assign(status_reason="")
    return hide(store, frame, kinds, period_type=period_type)


def followup_totals(
    s: Session, store: Store, kinds: Mapping[str, ValueKind]
) -> list[stored_totals.TotalRow]:
    """The indicators' yearly totals in Riket, the county and its kommuner as shown (small
    numbers hidden): stored beside the observations when complete, else judged from them."""
    if stored_totals.is_complete(s, get_settings().suppression_threshold):
        return stored_totals.stored_rows(s, kinds)

    def hide_year(frame: pd.DataFrame, kinds: Mapping[str, ValueKind]) -> pd.DataFrame:
        return hide(store, frame, kinds, period_type=PeriodType.YEAR)

    return stored_totals.frame_rows(stored_totals.judged_totals(s, kinds, hide_year))


K = TypeVar("K")
S = TypeVar("S")
V = TypeVar("V")
T = TypeVar("T")


class Converted(Mapping[K, V]):
    """A read-only mapping whose values are made from `source`'s when first asked for and kept.
    The development table's cells are three of these deep (indicator → area → year): a page
    reads the few series it shows, and judging reads none (making all 13 500 cells up front
    was a third of a cold development table at national scale). Threads that race make equal
    values; the last one kept wins, harmlessly."""

    __slots__ = ("_convert", "_made", "_source")

    def __init__(self, source: Mapping[K, S], convert: Callable[[S], V]) -> None:
        self._source = source
        self._convert = convert
        self._made: dict[K, V] = {}

    def __getitem__(self, key: K) -> V:
        try:
            return self._made[key]
        except KeyError:
            value = self._convert(self._source[key])
            self._made[key] = value
            return value

    def __iter__(self) -> Iterator[K]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


Totals = dict[str, dict[str, dict[int, stored_totals.TotalRow]]]  # indicator → area → year
CellMap = Mapping[str, Mapping[str, Mapping[int, Cell]]]


def _cells_of(totals: Totals) -> CellMap:
    def areas(
        by_area: dict[str, dict[int, stored_totals.TotalRow]],
    ) -> Mapping[str, Mapping[int, Cell]]:
        return Converted(by_area, lambda by_year: Converted(by_year, _cell))

    return Converted(totals, areas)


ShownPair = tuple[float | None, ObservationStatus]


def _shown_of(totals: Totals) -> Mapping[str, Mapping[str, Mapping[int, ShownPair]]]:
    def areas(
        by_area: dict[str, dict[int, stored_totals.TotalRow]],
    ) -> Mapping[str, Mapping[int, ShownPair]]:
        return Converted(by_area, lambda by_year: {y: _pair(r) for y, r in by_year.items()})

    return Converted(totals, areas)


def _pair(row: stored_totals.TotalRow) -> ShownPair:
    st = ObservationStatus(row[6])
    return shown_value(row[3], st), st


def _cell(row: stored_totals.TotalRow) -> Cell:
    _, _, year, value, num, den, status, _reason = row
    st = ObservationStatus(status)
    shown = shown_value(value, st)
    return Cell(
        year, shown, st, num if shown is not None else None, den if shown is not None else None
    )


def _grouped(rows: Iterable[stored_totals.TotalRow], indicator_ids: Iterable[str]) -> Totals:
    """indicator → area → year → total, years in order (every indicator asked for, with or
    without totals)."""
    out: Totals = {i: {} for i in indicator_ids}
    for row in sorted(rows, key=itemgetter(0, 1, 2)):
        out.setdefault(row[0], {}).setdefault(row[1], {})[row[2]] = row
    return out


def _is_shown(row: stored_totals.TotalRow) -> bool:
    return shown_value(row[3], row[6]) is not None


def _last_shown(series: dict[int, stored_totals.TotalRow]) -> int | None:
    """The latest year with a shown value (years are in order)."""
    return next((year for year in reversed(series) if _is_shown(series[year])), None)


def baseline_cell(series: dict[int, Cell], baseline_year: int, latest: int | None) -> Cell | None:
    """The area's value in the baseline year, else the first later year with a value before the
    latest period (a baseline in the latest period itself compares nothing)."""
    by_year = [(y, series[y]) for y in sorted(series)]
    found = _baseline_year(by_year, _has_value, baseline_year, latest)
    return series[found] if found is not None else None


def _has_value(cell: Cell) -> bool:
    return cell.value is not None


def _baseline_year(
    by_year: Iterable[tuple[int, T]],
    shown: Callable[[T], bool],
    baseline_year: int,
    latest: int | None,
) -> int | None:
    """`baseline_cell`'s rule over (year, value) in year order, `shown` telling whether a
    value is shown: the one place the rule is written."""
    for year, item in by_year:
        if year < baseline_year or not shown(item):
            continue
        return None if latest is not None and year >= latest else year
    return None


def development(
    now: Cell | None,
    base: Cell | None,
    baseline_year: int,
    direction: Direction,
    kind: ValueKind,
    decimals: int,
) -> Development:
    """One area's latest value against its own baseline, by the one rule. Only
    `development_table` calls this; pages read the table."""
    judged = judge_change(
        base.reading if base else None, now.reading if now else None, direction, kind, decimals
    )
    return Development(now, base, baseline_year, judged.change, judged.certainty)


def _latest_and_baseline(
    series: dict[int, stored_totals.TotalRow], latest: int | None, baseline_year: int
) -> tuple[Cell | None, Cell | None]:
    """The cell of the latest year and `baseline_cell`, from one area's totals by year."""
    now = series.get(latest) if latest is not None else None
    base = _baseline_year(series.items(), _is_shown, baseline_year, latest)
    return (
        _cell(now) if now is not None else None,
        _cell(series[base]) if base is not None else None,
    )


JUDGED_AREAS: tuple[str, ...] = (COUNTY_CODE, *COUNTY_KOMMUN_CODES)


_JUDGED_COLUMNS = (
    m.Indicator.id,
    m.Indicator.direction,
    m.Indicator.value_kind,
    m.Indicator.decimals,
    m.Indicator.area_level,
)


def development_table(store: Store, baseline_year: int | None = None) -> DevelopmentTable:
    """Every catalogue indicator's development in the county and its 13 kommuner since the
    baseline year (settings.baseline_year unless given), each area read at the indicator's
    latest year with a shown value in any of them. Region-level indicators are judged for the
    county only.

    Only the catalogue's indicators (those placed under a mätområde): they are what Översikt,
    Strategigrupp, Kommun and Jämförelse count. Reading every indicator in the store made it
    six times the work at national scale (300 indicators, 54 in the catalogue); any other
    indicator is judged alone by `indicator_development_table`, by the same rule."""
    # One cache entry per baseline year, however the caller spells the default.
    return _catalogue_development(store, _baseline(baseline_year))


def _baseline(baseline_year: int | None) -> int:
    return get_settings().baseline_year if baseline_year is None else baseline_year


@cached_query()
def _catalogue_development(store: Store, baseline_year: int) -> DevelopmentTable:
    in_catalogue = select(m.IndicatorMatomrade.indicator_id)
    with session_scope(store.url) as s:
        rows = s.execute(select(*_JUDGED_COLUMNS).where(m.Indicator.id.in_(in_catalogue))).all()
        return _judged_table(s, store, [tuple(r) for r in rows], baseline_year)


@cached_query(maxsize=64)
def indicator_development_table(
    store: Store, indicator_id: str, baseline_year: int | None = None
) -> DevelopmentTable:
    """development_table for one indicator, whether in the catalogue or not (a Mötesläge slide
    of an indicator an import added)."""
    with session_scope(store.url) as s:
        rows = s.execute(select(*_JUDGED_COLUMNS).where(m.Indicator.id == indicator_id)).all()
        return _judged_table(s, store, [tuple(r) for r in rows], baseline_year)


def _judged_table(
    s: Session, store: Store, rows: list[tuple[Any, ...]], baseline_year: int | None
) -> DevelopmentTable:
    baseline = _baseline(baseline_year)
    kinds = {str(r[0]): ValueKind(r[2]) for r in rows}
    if stored_totals.is_complete(s, get_settings().suppression_threshold):
        latest, pairs = _stored_pairs(s, kinds, baseline)
    else:
        latest, pairs = _pairs_of(_grouped(followup_totals(s, store, kinds), kinds), baseline)
    developments: dict[tuple[str, str], Development] = {}
    for ind_id, direction, kind, decimals, level in rows:
        ind_id = str(ind_id)
        judged = (COUNTY_CODE,) if AreaLevel(level) is AreaLevel.REGION else JUDGED_AREAS
        for code in judged:
            now, base = pairs.get((ind_id, code), (None, None))
            developments[(ind_id, code)] = development(
                now, base, baseline, Direction(direction), ValueKind(kind), int(decimals)
            )
    return DevelopmentTable(baseline, latest, developments)


Pairs = dict[tuple[str, str], tuple[Cell | None, Cell | None]]  # (indicator, area) → now, base


def _stored_pairs(
    s: Session, indicator_ids: Iterable[str], baseline_year: int
) -> tuple[dict[str, int | None], Pairs]:
    """Each indicator's latest year and each series' (latest, baseline) cells, picked from the
    stored totals by the database (stored_totals.judged_rows)."""
    now_rows, base_rows = stored_totals.judged_rows(s, indicator_ids, JUDGED_AREAS, baseline_year)
    latest: dict[str, int | None] = dict.fromkeys(indicator_ids)
    pairs: Pairs = {}
    for row in now_rows:
        latest[row[0]] = row[2]
        pairs[(row[0], row[1])] = (_cell(row), None)
    for row in base_rows:
        now = pairs.get((row[0], row[1]), (None, None))[0]
        pairs[(row[0], row[1])] = (now, _cell(row))
    return latest, pairs


def _pairs_of(totals: Totals, baseline_year: int) -> tuple[dict[str, int | None], Pairs]:
    """`_stored_pairs` from every year of every series (the totals judged from the
    observations while the stored ones are not complete)."""
    latest: dict[str, int | None] = {}
    pairs: Pairs = {}
    for ind_id, by_area in totals.items():
        # Every area is read at the latest year with a shown value in any of them, so values
        # side by side are comparable.
        last = (
            max((_last_shown(by_area.get(code, {})) or 0 for code in JUDGED_AREAS), default=0)
            or None
        )
        latest[ind_id] = last
        for code in JUDGED_AREAS:
            pairs[(ind_id, code)] = _latest_and_baseline(by_area.get(code, {}), last, baseline_year)
    return latest, pairs


@dataclass(frozen=True)
class FollowupSeries:
    """Indicators' yearly totals as shown, indicator → area → year, as cells and as plain
    (shown value, status) pairs (for views that index every year of many series), each made
    when first asked for."""

    cells: CellMap
    shown: Mapping[str, Mapping[str, Mapping[int, ShownPair]]]


@cached_query(maxsize=64)
def followup_series(
    store: Store,
    indicator_ids: tuple[str, ...],
    areas: tuple[str, ...] = stored_totals.FOLLOWUP_AREAS,
    from_year: int | None = None,
) -> FollowupSeries:
    """The indicators' yearly totals in the areas (from the year when given) as every
    follow-up page shows them: the same totals the development table judges. Each page reads
    the series it shows, not every catalogue indicator's."""
    with session_scope(store.url) as s:
        if stored_totals.is_complete(s, get_settings().suppression_threshold):
            rows = stored_totals.stored_rows(s, indicator_ids, areas, from_year)
        else:
            wanted, start = set(areas), from_year or 0
            rows = [r for r in _judged(s, store, indicator_ids) if r[1] in wanted and r[2] >= start]
    totals = _grouped(rows, indicator_ids)
    return FollowupSeries(_cells_of(totals), _shown_of(totals))


def _judged(s: Session, store: Store, indicator_ids: Iterable[str]) -> list[stored_totals.TotalRow]:
    """The indicators' totals judged from the observations (when the stored ones may be stale)."""
    kinds = {
        str(i): ValueKind(k)
        for i, k in s.execute(
            select(m.Indicator.id, m.Indicator.value_kind).where(
                m.Indicator.id.in_(sorted(set(indicator_ids)))
            )
        ).all()
    }
    return followup_totals(s, store, kinds)


@dataclass(frozen=True)
class CountySpreads:
    """What Strategi shows of each indicator's yearly totals: the county's of every year, the
    kommuner's in the latest year with a shown total among the county and its kommuner (as
    (shown value, status) pairs, indicator → area → year), and every year any of them has a
    total (the trend's window is counted in those)."""

    shown: Mapping[str, Mapping[str, Mapping[int, ShownPair]]]
    years: Mapping[str, tuple[int, ...]]


@cached_query(maxsize=64)
def county_spreads(store: Store, indicator_ids: tuple[str, ...]) -> CountySpreads:
    """The county's series and its kommuner's latest year, without the kommuner's other years
    (three quarters of the rows of a strategy's series at national scale)."""
    with session_scope(store.url) as s:
        if stored_totals.is_complete(s, get_settings().suppression_threshold):
            rows, years = stored_totals.county_and_latest(
                s, indicator_ids, JUDGED_AREAS, COUNTY_CODE
            )
        else:
            wanted = set(JUDGED_AREAS)
            rows, years = _county_and_latest(
                [r for r in _judged(s, store, indicator_ids) if r[1] in wanted]
            )
    return CountySpreads(_shown_of(_grouped(rows, indicator_ids)), years)


def _county_and_latest(
    rows: list[stored_totals.TotalRow],
) -> tuple[list[stored_totals.TotalRow], dict[str, tuple[int, ...]]]:
    """`stored_totals.county_and_latest` of rows already read."""
    latest: dict[str, int] = {}
    years: dict[str, set[int]] = {}
    for ind, _area, year, *_, status, _reason in rows:
        years.setdefault(ind, set()).add(year)
        if status == ObservationStatus.OK and year > latest.get(ind, year - 1):
            latest[ind] = year
    kept = [r for r in rows if r[1] == COUNTY_CODE or r[2] == latest.get(r[0])]
    return kept, {ind: tuple(sorted(ys)) for ind, ys in years.items()}


def relative_change(dev: Development) -> float | None:
    if dev.latest is None or dev.baseline is None:
        return None
    if dev.latest.value is None or dev.baseline.value in (None, 0):
        return None
    return (dev.latest.value - dev.baseline.value) / abs(dev.baseline.value)


def score(change: Change) -> int | None:
    """+1 improved, 0 unchanged, −1 worsened; None when the indicator has no better direction
    or the values cannot be compared."""
    return {Change.IMPROVED: 1, Change.UNCHANGED: 0, Change.WORSENED: -1}.get(change)


def rank_among(
    values: dict[str, float | None], code: str, direction: Direction, decimals: int
) -> tuple[int | None, int]:
    """Place of `code` among the areas with a value, best first in the indicator's direction;
    equal values at the shown precision share a place. No place without a direction."""
    shown = {a: round_half_up(v, decimals) for a, v in values.items() if v is not None}
    if direction is Direction.NEITHER or code not in shown:
        return None, len(shown)
    own = shown[code]
    if direction is Direction.HIGHER_BETTER:
        better = sum(1 for v in shown.values() if v > own)
    else:
        better = sum(1 for v in shown.values() if v < own)
    return better + 1, len(shown)


def cell_text(cell: Cell | None, ind: IndicatorSummary, codes: dict[int, str] | None = None) -> str:
    """A value as the pages show it: formatted number, category label, or why it is missing."""
    if cell is None:
        return MISSING_WORD
    if cell.value is None:
        return cell.status.gap_label
    if ind.value_kind is ValueKind.CODED:
        return (codes or {}).get(int(cell.value), str(int(cell.value)))
    return format_value(cell.value, ind.decimals, cell_unit(ind.unit))


SHORT_UNIT = 3


def cell_unit(unit: str) -> str:
    """The unit a table cell repeats after each number: a short one ("%", "kr"), else none,
    since the row names its unit once under the indicator and a long one would widen every
    column of the table."""
    return unit if len(unit) <= SHORT_UNIT else ""
