"""Inrapportering: which values of a period have been delivered, per kommun and indicator.

A cell is one indicator in one area (the 13 kommuner and the county) for one period, judged on
its total (gender T) row:

- inlämnad: a value is stored and shown;
- sekretess: a value was delivered but is hidden, by the source or by the same suppression
  every other view applies (reads.hidden_cells.hide), so the cell says no more than they do;
- ej förväntad: the indicator is not measured at the area's level (area_level), its series
  ended before the period (the catalogue's discontinued_from), or the source marked the value
  not applicable;
- otherwise it is missing: försenad once the catalogue's due date for the period has passed
  (Swedish time), väntas before it, saknas when no due date is set.

No value is ever read into the result: only statuses, dates and counts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.reads.cache import cached_query
from indicators.reads.followup import stored_totals
from indicators.reads.hidden_cells import hide
from indicators.reads.models import (
    AreaInfo,
    Completeness,
    DeliveryCell,
    DeliveryState,
    DeliveryTally,
    IndicatorSummary,
    LateDelivery,
)
from indicators.reads.queries import catalogue_tree, county_areas, data_freshness
from indicators.settings import get_settings
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.frames import OBSERVATION_READ, observation_columns, plain, read_frame
from indicators.store.store import Store
from indicators.vocabulary.deadlines import parse_due_rule
from indicators.vocabulary.domain import (
    AreaKind,
    AreaLevel,
    Deliverer,
    Gender,
    ObservationStatus,
    PeriodType,
)
from indicators.vocabulary.formatting import format_timestamp
from indicators.vocabulary.periods import parse_period, period_label

_NOT_AT_LEVEL = {
    AreaKind.KOMMUN: (AreaLevel.REGION, "mäts inte per kommun"),
    AreaKind.REGION: (AreaLevel.KOMMUN, "mäts inte för länet"),
}


@dataclass(frozen=True)
class Selection:
    """The page's filters; None means every choice."""

    strategy: int | None = None
    matomrade: str | None = None
    strategigrupp: str | None = None
    delivered_by: Deliverer | None = None


def selected(store: Store, selection: Selection) -> tuple[list[IndicatorSummary], str]:
    """The catalogue's indicators matching every filter, in catalogue order, and the choice in
    words. Unlike Jämförelse's selection, region-level indicators stay: the county delivers
    them."""
    tree = catalogue_tree(store)
    chosen: dict[str, IndicatorSummary] = {}
    for st in tree:
        if selection.strategy is not None and st.number != selection.strategy:
            continue
        for ma in st.matomraden:
            if selection.matomrade is not None and ma.id != selection.matomrade:
                continue
            for i in ma.indicators:
                group = selection.strategigrupp
                if group is not None and group not in i.strategigrupp_ids:
                    continue
                if (
                    selection.delivered_by is not None
                    and i.delivered_by is not selection.delivered_by
                ):
                    continue
                chosen.setdefault(i.id, i)
    words = []
    if selection.strategy is not None:
        words.append(f"Strategi {selection.strategy}")
    if selection.matomrade is not None:
        title = next(
            (ma.title for st in tree for ma in st.matomraden if ma.id == selection.matomrade),
            selection.matomrade,
        )
        words.append(f"mätområde {title}")
    if selection.strategigrupp is not None:
        name = next(
            (
                g
                for i in chosen.values()
                for gid, g in zip(i.strategigrupp_ids, i.strategigrupper, strict=False)
                if gid == selection.strategigrupp
            ),
            selection.strategigrupp,
        )
        words.append(f"strategigrupp {name}")
    if selection.delivered_by is not None:
        words.append(selection.delivered_by.label.casefold())
    return list(chosen.values()), ", ".join(words) or "alla indikatorer"


def default_period(today: date) -> str:
    """Last year: the newest period whose values are normally due during this year."""
    return str(today.year - 1)


def due_date(indicator: IndicatorSummary, period_type: PeriodType, start: date) -> date | None:
    if not indicator.due_rule:
        return None
    return parse_due_rule(indicator.due_rule).due_date(period_type, start)


def _areas(store: Store) -> tuple[AreaInfo, ...]:
    """The 13 kommuner in display order, then the county."""
    areas = [a for a in county_areas(store) if a.kind in (AreaKind.KOMMUN, AreaKind.REGION)]
    return tuple(sorted(areas, key=lambda a: a.kind is AreaKind.REGION))


@cached_query()
def completeness(
    store: Store,
    period: str,
    *,
    today: date,
    strategy: int | None = None,
    matomrade: str | None = None,
    strategigrupp: str | None = None,
    delivered_by: Deliverer | None = None,
) -> Completeness:
    """The matrix for `period` (a label such as "2025"), lateness judged on `today`."""
    parsed = parse_period(period)
    if parsed is None:
        raise ValueError(f"okänd period {period!r}")
    period_type, start = parsed
    label = period_label(period_type, start)
    found, words = selected(store, Selection(strategy, matomrade, strategigrupp, delivered_by))
    indicators = [i for i in found if i.period_type is period_type]
    areas = _areas(store)
    # Every catalogue indicator of the period is read and judged, whatever the filters: the
    # hidden pattern (reads.hidden_cells) is cached under the indicators it was asked for, so
    # each filter of a period then shares the one the warmer computed for the whole period.
    everything, _ = selected(store, Selection())
    rows = _read(
        store, [i for i in everything if i.period_type is period_type], areas, period_type, start
    )
    cells: dict[tuple[str, str], DeliveryCell] = {}
    for ind in indicators:
        due = due_date(ind, period_type, start)
        for area in areas:
            cells[(ind.id, area.code)] = _cell(
                ind, area, start, rows.get((ind.id, area.code)), due, today
            )
    by_area = {a.code: _tally([cells[(i.id, a.code)] for i in indicators]) for a in areas}
    by_indicator = {i.id: _tally([cells[(i.id, a.code)] for a in areas]) for i in indicators}
    late = tuple(
        LateDelivery(
            indicator=ind,
            period=label,
            due=due,
            areas=tuple(a for a in areas if cells[(ind.id, a.code)].state is DeliveryState.LATE),
        )
        for ind in indicators
        if (due := due_date(ind, period_type, start)) is not None
        and any(cells[(ind.id, a.code)].state is DeliveryState.LATE for a in areas)
    )
    freshness = data_freshness(store)
    return Completeness(
        period=label,
        today=today,
        selection=words,
        indicators=tuple(indicators),
        areas=areas,
        cells=cells,
        by_area=by_area,
        by_indicator=by_indicator,
        total=_tally(list(cells.values())),
        late=late,
        has_demo_data=freshness.has_demo_data,
        last_updated=freshness.last_import,
    )


@dataclass(frozen=True)
class _Row:
    status: ObservationStatus
    batch_id: int
    imported_at: datetime | None


def _read(
    store: Store,
    indicators: Sequence[IndicatorSummary],
    areas: Sequence[AreaInfo],
    period_type: PeriodType,
    start: date,
) -> dict[tuple[str, str], _Row]:
    """Each stored total row's status after suppression and its import's moment."""
    if not indicators:
        return {}
    ids = [i.id for i in indicators]
    obs = m.Observation
    columns = ["indicator_id", "area_code", *OBSERVATION_READ, "batch_id"]
    query = select(
        plain(obs.indicator_id),
        plain(obs.area_code),
        *observation_columns(OBSERVATION_READ),
        obs.batch_id,
    ).where(
        obs.indicator_id.in_(ids),
        obs.area_code.in_([a.code for a in areas]),
        obs.period_type == period_type,
        obs.period_start == start,
        obs.gender == Gender.TOTAL,
    )
    with session_scope(store.url) as s:
        frame = read_frame(s, query, columns, dates=["period_start"])
        batch_ids = sorted({int(b) for b in frame["batch_id"].tolist()})
        found = s.execute(
            select(m.ImportBatch.id, m.ImportBatch.imported_at).where(
                m.ImportBatch.id.in_(batch_ids)
            )
        ).all()
        moments: dict[int, datetime] = {batch: moment for batch, moment in found}
        stored = (
            _stored_statuses(s, ids, [a.code for a in areas], start.year)
            if period_type is PeriodType.YEAR
            and stored_totals.is_complete(s, get_settings().suppression_threshold)
            else None
        )
    if frame.empty:
        return {}
    keys = list(zip(frame["indicator_id"].tolist(), frame["area_code"].tolist(), strict=True))
    if stored is not None and all(key in stored for key in keys):
        # A year's totals of the county's areas are stored as every follow-up view shows them
        # (small numbers and what they give away already hidden): the same statuses as hiding
        # the frame here, without judging the hierarchy again (issue 16).
        judged = frame.assign(status=[stored[key] for key in keys])
    else:
        # The same cells hidden as in every other view: a value hidden there is "sekretess" here.
        judged = hide(store, frame, {i.id: i.value_kind for i in indicators})
    return {
        (str(i), str(a)): _Row(ObservationStatus(str(st)), int(b), moments.get(int(b)))
        for i, a, st, b in zip(
            judged["indicator_id"].tolist(),
            judged["area_code"].tolist(),
            judged["status"].tolist(),
            judged["batch_id"].tolist(),
            strict=True,
        )
    }


def _stored_statuses(
    s: Session, ids: list[str], areas: list[str], year: int
) -> dict[tuple[str, str], str]:
    return {
        (row[0], row[1]): row[6]
        for row in stored_totals.stored_rows(s, ids, areas, from_year=year)
        if row[2] == year
    }


def _cell(
    ind: IndicatorSummary,
    area: AreaInfo,
    start: date,
    row: _Row | None,
    due: date | None,
    today: date,
) -> DeliveryCell:
    def cell(state: DeliveryState, reason: str = "") -> DeliveryCell:
        return DeliveryCell(
            indicator_id=ind.id,
            area_code=area.code,
            state=state,
            imported_at=row.imported_at if row else None,
            due=due,
            reason=reason,
        )

    # An uncertain value was delivered too: the source has the number but does not publish it.
    if row is not None and row.status in (ObservationStatus.OK, ObservationStatus.UNCERTAIN):
        return cell(DeliveryState.DELIVERED)
    if row is not None and row.status is ObservationStatus.SUPPRESSED:
        return cell(DeliveryState.SUPPRESSED)
    level = _NOT_AT_LEVEL.get(area.kind)
    if level is not None and ind.area_level is level[0]:
        return cell(DeliveryState.NOT_EXPECTED, level[1])
    if ind.discontinued_from is not None and start >= ind.discontinued_from:
        ended = period_label(ind.period_type, ind.discontinued_from)
        return cell(DeliveryState.NOT_EXPECTED, f"serien finns inte från {ended}")
    if row is not None and row.status is ObservationStatus.NOT_APPLICABLE:
        return cell(DeliveryState.NOT_EXPECTED, "källan anger ej tillämpligt")
    if due is None:
        return cell(DeliveryState.MISSING)
    return cell(DeliveryState.LATE if today > due else DeliveryState.PENDING)


def _tally(cells: Sequence[DeliveryCell]) -> DeliveryTally:
    def count(state: DeliveryState) -> int:
        return sum(1 for c in cells if c.state is state)

    moments = [c.imported_at for c in cells if c.imported_at is not None and c.state.delivered]
    return DeliveryTally(
        expected=sum(1 for c in cells if c.state.expected),
        delivered=sum(1 for c in cells if c.state.delivered),
        suppressed=count(DeliveryState.SUPPRESSED),
        late=count(DeliveryState.LATE),
        pending=count(DeliveryState.PENDING),
        missing=count(DeliveryState.MISSING),
        last_import=max(moments, default=None),
    )


_MONTHS = {
    PeriodType.YEAR: 12,
    PeriodType.HALF_YEAR: 6,
    PeriodType.TERTIAL: 4,
    PeriodType.QUARTER: 3,
    PeriodType.MONTH: 1,
}


def latest_due_period(indicator: IndicatorSummary, today: date) -> str | None:
    """The newest period of the indicator whose due date has passed on `today`."""
    if not indicator.due_rule:
        return None
    rule = parse_due_rule(indicator.due_rule)
    step = _MONTHS.get(indicator.period_type)
    if step is None:  # pooled years start in any year: no "newest" period to remind about
        return None
    # Start with the period that holds today and step back until one is due.
    month = (today.month - 1) // step * step + 1
    start = date(today.year, month, 1)
    for _ in range(48):
        if today > rule.due_date(indicator.period_type, start):
            return period_label(indicator.period_type, start)
        month_index = start.year * 12 + start.month - 1 - step
        start = date(month_index // 12, month_index % 12 + 1, 1)
    return None


@cached_query()
def late_deliveries(store: Store, today: date) -> tuple[LateDelivery, ...]:
    """For every indicator with a due date: its newest period past that date, with the areas
    still missing it. Older periods are left out: a reminder is about the one just due."""
    wanted: dict[str, set[str]] = {}
    for st in catalogue_tree(store):
        for ma in st.matomraden:
            for ind in ma.indicators:
                period = latest_due_period(ind, today)
                if period is not None:
                    wanted.setdefault(period, set()).add(ind.id)
    found: list[LateDelivery] = []
    for period in sorted(wanted, reverse=True):
        matrix = completeness(store, period, today=today)
        found.extend(d for d in matrix.late if d.indicator.id in wanted[period])
    return tuple(found)


def swedish_time(moment: datetime | None) -> str:
    """'2026-04-02 09:30' in Swedish time; '' for None."""
    return format_timestamp(moment, seconds=False) if moment is not None else ""


def completeness_frames(c: Completeness) -> dict[str, pd.DataFrame]:
    """The matrix for a spreadsheet, in Swedish: the matrix itself, the summary per area, one
    row per cell still to be delivered (the reminder list), and every cell with the date of
    its last import. States as words, dates as text in Swedish time."""
    names = {a.code: a.name for a in c.areas}
    matrix = pd.DataFrame(
        [
            {
                "Indikator": ind.id,
                "Indikatornamn": ind.short_title,
                "Lämnas in av": ind.delivered_by.label,
                "Sista inlämningsdag": _iso(c.cell(ind.id, c.areas[0].code).due) if c.areas else "",
                **{names[a.code]: c.cell(ind.id, a.code).state.value for a in c.areas},
                "Inlämnade": f"{c.by_indicator[ind.id].delivered} av "
                f"{c.by_indicator[ind.id].expected}",
                "Senast inläst (svensk tid)": swedish_time(c.by_indicator[ind.id].last_import),
            }
            for ind in c.indicators
        ],
        columns=[
            "Indikator",
            "Indikatornamn",
            "Lämnas in av",
            "Sista inlämningsdag",
            *(names[a.code] for a in c.areas),
            "Inlämnade",
            "Senast inläst (svensk tid)",
        ],
    )
    summary = pd.DataFrame(
        [
            {
                "Område": a.name,
                "Områdeskod": a.code,
                "Period": c.period,
                "Förväntade": t.expected,
                "Inlämnade": t.delivered,
                "Varav sekretess": t.suppressed,
                "Försenade": t.late,
                "Väntas": t.pending,
                "Saknas": t.missing,
                "Sammanfattning": t.sentence(c.period),
                "Senast inläst (svensk tid)": swedish_time(t.last_import),
            }
            for a in c.areas
            for t in [c.by_area[a.code]]
        ]
    )
    remind = pd.DataFrame(
        [
            {
                "Område": a.name,
                "Områdeskod": a.code,
                "Indikator": ind.id,
                "Indikatornamn": ind.short_title,
                "Period": c.period,
                "Lämnas in av": ind.delivered_by.label,
                "Sista inlämningsdag": _iso(cell.due),
                "Läge": cell.state.value,
            }
            for a in c.areas
            for ind in c.indicators
            for cell in [c.cell(ind.id, a.code)]
            if cell.state in (DeliveryState.LATE, DeliveryState.PENDING, DeliveryState.MISSING)
        ],
        columns=[
            "Område",
            "Områdeskod",
            "Indikator",
            "Indikatornamn",
            "Period",
            "Lämnas in av",
            "Sista inlämningsdag",
            "Läge",
        ],
    )
    cells = pd.DataFrame(
        [
            {
                "Område": a.name,
                "Områdeskod": a.code,
                "Indikator": ind.id,
                "Indikatornamn": ind.short_title,
                "Period": c.period,
                "Läge": cell.state.value,
                "Orsak": cell.reason,
                "Sista inlämningsdag": _iso(cell.due),
                "Senast inläst (svensk tid)": swedish_time(cell.imported_at),
            }
            for ind in c.indicators
            for a in c.areas
            for cell in [c.cell(ind.id, a.code)]
        ],
        columns=[
            "Område",
            "Områdeskod",
            "Indikator",
            "Indikatornamn",
            "Period",
            "Läge",
            "Orsak",
            "Sista inlämningsdag",
            "Senast inläst (svensk tid)",
        ],
    )
    return {"Matris": matrix, "Per område": summary, "Att påminna om": remind, "Celler": cells}


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""
