"""The read model: every dataclass that pages and figures consume, in one place.

The query functions (queries.py, followup/, targets.py, analyses.py, reads/ranking.py) build
these from the store or from frames; the dashboard only reads them. Nothing here opens a session
or imports SQLAlchemy, so a page or figure that holds one of them holds plain data."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

import pandas as pd

from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    ActivityStatus,
    AreaKind,
    AreaLevel,
    Deliverer,
    Direction,
    ObservationStatus,
    PeriodType,
    SimilarKind,
    ValueKind,
)
from indicators.vocabulary.formatting import format_value
from indicators.vocabulary.trends import Certainty, Change, Reading

# --- Import batches ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchSummary:
    id: int
    source_name: str  # the analyst's file name: show as text, never as markup or a path
    sha256: str
    format: str
    format_label: str
    imported_by: str
    imported_at: datetime  # UTC
    is_demo: bool
    rows_read: int
    rows_new: int
    rows_changed: int
    rows_unchanged: int
    rows_rejected: int
    undone_at: datetime | None = None  # UTC
    undone_by: str | None = None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None

    @property
    def state_label(self) -> str:
        if self.is_demo:
            return "Exempeldata"
        return "ångrad" if self.undone else "sparad"


# --- Words for status, certainty and colouring -----------------------------------------------


class TargetStatus(StrEnum):
    ACHIEVED = "uppnått"
    NEAR = "nära"
    NOT_ACHIEVED = "ej uppnått"
    NO_TARGET = "inget mål"
    NO_VALUE = "inget värde"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def label(self) -> str:
        """Symbol and words, so that status never rests on colour alone: '✓ uppnått'."""
        return f"{self.symbol} {self.value}"


_SYMBOLS = {
    TargetStatus.ACHIEVED: "✓",
    TargetStatus.NEAR: "≈",
    TargetStatus.NOT_ACHIEVED: "✗",
    TargetStatus.NO_TARGET: "–",
    TargetStatus.NO_VALUE: "–",
}


ColourBy = Literal["change", "target"]


# A relative change of this size or more gets the full colour; smaller ones are paler.
FULL_COLOUR_CHANGE = 0.25


SINCE_AREAS: tuple[str, ...] = (COUNTY_CODE, *COUNTY_KOMMUN_CODES)


INTERVAL_NOTE = "Strecken visar 95 % osäkerhetsintervall (Wilson) utifrån täljare och nämnare."


NO_INTERVAL_NOTE = "Osäkerhetsintervall visas inte: källan anger inte täljare och nämnare."


# --- The catalogue and the store's state (queries.py) ----------------------------------------


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    kind: AreaKind


@dataclass(frozen=True)
class DataStatus:
    has_demo_data: bool
    observations: int
    last_import: datetime | None


@dataclass(frozen=True)
class Freshness:
    has_demo_data: bool
    last_import: datetime | None


@dataclass(frozen=True)
class Provenance:
    """What every source note says about the values it stands under: where they come from, when
    they were last imported, and whether any of them are Exempeldata. Each view that a page or
    figure shows with a note carries one (`provenance`), and the dashboard words it once."""

    sources: tuple[str, ...]
    last_updated: datetime | None
    has_demo_data: bool


@dataclass(frozen=True)
class IndicatorSummary:
    id: str
    title: str
    short_title: str
    unit: str
    value_kind: ValueKind
    direction: Direction
    decimals: int
    source: str
    area_level: AreaLevel
    headline: bool
    strategigrupper: tuple[str, ...]
    strategigrupp_ids: tuple[str, ...] = ()
    period_type: PeriodType = PeriodType.YEAR
    delivered_by: Deliverer = Deliverer.SOURCE
    due_rule: str = ""  # e.g. "31 mars året efter"; "" when no date is set
    discontinued_from: date | None = None  # the first period no value is expected for
    # The kind of Kolada's "Liknande kommuner" group the indicator is compared with.
    similar_kind: SimilarKind = SimilarKind.OVERGRIPANDE

    def matches(self, text: str) -> bool:
        """Every word of `text` occurs in the id or a title, ignoring case."""
        haystack = f"{self.id} {self.title} {self.short_title}".casefold()
        return all(word in haystack for word in text.casefold().split())


@dataclass(frozen=True)
class Headline:
    """One headline indicator on Översikt: the county now, its recent trend, and the kommuner."""

    indicator: IndicatorSummary
    latest_period: str | None
    county_value: float | None
    county_status: ObservationStatus | None
    trend: tuple[tuple[str, float | None], ...]
    window: tuple[str, str] | None
    changes: dict[Change, int]
    code_counts: tuple[tuple[str, int], ...] = ()

    @property
    def comparable_kommuner(self) -> int:
        return sum(n for c, n in self.changes.items() if c is not Change.NOT_COMPARABLE)


@dataclass(frozen=True)
class MatomradeOverview:
    id: str
    title: str
    strategigrupper: tuple[str, ...]
    indicators: tuple[IndicatorSummary, ...]
    headlines: tuple[Headline, ...] = ()


@dataclass(frozen=True)
class StrategyOverview:
    number: int
    title: str
    aim: str
    koppling_till_malbild: tuple[str, ...]
    followed_up_by: str
    matomraden: tuple[MatomradeOverview, ...]


@dataclass(frozen=True)
class IndicatorDetail:
    summary: IndicatorSummary
    description: str
    source_id: str
    numerator: str
    denominator: str
    period_type: PeriodType
    by_gender: bool
    codes: tuple[tuple[int, str], ...]
    placements: tuple[tuple[int, str, str], ...] = field(
        default=()
    )  # strategy, mätområde id, title
    last_updated: datetime | None = None
    batches: tuple[str, ...] = ()
    has_demo_data: bool = False

    @property
    def provenance(self) -> Provenance:
        source = self.summary.source + (f" ({self.source_id})" if self.source_id else "")
        return Provenance((source,), self.last_updated, self.has_demo_data)


# --- Targets and analyses (targets.py, analyses.py) ------------------------------------------


@dataclass(frozen=True)
class TargetInfo:
    id: int
    indicator_id: str
    area_code: str | None  # None: the whole county
    area_name: str
    year: int
    value: float
    note: str
    set_by: str
    set_at: datetime | None

    @property
    def is_county_wide(self) -> bool:
        return self.area_code is None

    def label(self, decimals: int, unit: str) -> str:
        """'Mål 2030: 90 %' (value with the indicator's decimals and unit)."""
        return f"Mål {self.year}: {format_value(self.value, decimals, unit)}"


@dataclass(frozen=True)
class AnalysisInfo:
    id: int
    indicator_id: str
    area_code: str | None  # None: about the whole county / the indicator as such
    area_name: str
    period: str  # canonical label: "2024", "2024H1", "2024Q1", "2024M03"
    period_type: PeriodType
    period_start: date
    text: str
    written_by: str
    written_at: datetime


# --- An area against its own baseline (followup/baseline.py) ---------------------------------


@dataclass(frozen=True)
class Cell:
    """One stored value as it is shown: value (None unless status ok) and status."""

    year: int
    value: float | None
    status: ObservationStatus
    numerator: float | None = None
    denominator: float | None = None

    @property
    def reading(self) -> Reading:
        return Reading(self.value, self.numerator, self.denominator)


@dataclass(frozen=True)
class Development:
    """An area's latest value against its own baseline, classified in the indicator's direction
    at the precision it is shown with."""

    latest: Cell | None
    baseline: Cell | None
    baseline_year: int
    change: Change
    certainty: Certainty = Certainty.NONE

    @property
    def shifted(self) -> bool:
        return self.baseline is not None and self.baseline.year != self.baseline_year


@dataclass(frozen=True)
class DevelopmentTable:
    """Every catalogue indicator's development in the county and each of its 13 kommuner, judged
    once by the one rule (indicators.vocabulary.trends.judge_change) from the same baseline year
    to the same latest year. Every page that counts or shows "förbättrats" reads it from here,
    so no two pages can disagree."""

    baseline_year: int
    latest: dict[str, int | None]  # indicator → the latest year read for every area
    developments: dict[tuple[str, str], Development]  # (indicator, area) → development

    def development(self, indicator_id: str, area_code: str) -> Development:
        found = self.developments.get((indicator_id, area_code))
        return found or Development(None, None, self.baseline_year, Change.NOT_COMPARABLE)

    def counts(self, indicator_ids: Iterable[str], area_codes: Iterable[str]) -> dict[Change, int]:
        """How many (indicator, area) pairs fall in each change; pairs the table leaves out (a
        region-level indicator in a kommun) are not counted against anyone."""
        out = {c: 0 for c in Change}
        codes = list(area_codes)
        for ind in indicator_ids:
            for code in codes:
                dev = self.developments.get((ind, code))
                if dev is not None:
                    out[dev.change] += 1
        return out


@dataclass(frozen=True)
class SummaryCard:
    """One strategy or strategigrupp on its menu page: what it is, how many indicators it
    follows, and how the county's values of them moved since the baseline year (the one rule)."""

    key: str
    title: str
    line: str
    indicator_count: int
    baseline_year: int
    counts: dict[Change, int]

    @property
    def no_data(self) -> int:
        return self.counts[Change.NOT_COMPARABLE]


# --- Strategi and Strategigrupp (followup/strategy.py) ---------------------------------------


@dataclass(frozen=True)
class AreaValue:
    """One area's value in one period after suppression; value None unless status is OK."""

    code: str
    name: str
    value: float | None
    status: ObservationStatus


@dataclass(frozen=True)
class CodeCount:
    code: int
    label: str
    count: int
    kommuner: tuple[str, ...]


def tally_codes(
    answers: Iterable[tuple[str, float | None]], codes: Iterable[tuple[int, str]]
) -> tuple[CodeCount, ...]:
    """How many areas gave each coded answer, and which, from the highest code down. `answers`
    are (name, shown value) pairs, None where no answer is shown. Categories are counted, never
    averaged: no minimum, median or maximum of codes."""
    given = [(name, int(value)) for name, value in answers if value is not None]
    tally = []
    for code, label in sorted(codes, reverse=True):
        names = tuple(name for name, answer in given if answer == code)
        tally.append(CodeCount(code, label, len(names), names))
    return tuple(tally)


@dataclass(frozen=True)
class Spread:
    """The 13 kommuner in one period. Extremes name every kommun that shares the extreme value,
    so a tie is never resolved by alphabet."""

    period: str
    kommuner: tuple[AreaValue, ...]
    minimum: float | None
    median: float | None
    maximum: float | None
    lowest: tuple[str, ...]
    highest: tuple[str, ...]
    code_counts: tuple[CodeCount, ...] = ()

    @property
    def reported(self) -> int:
        return sum(1 for k in self.kommuner if k.value is not None)

    @property
    def suppressed(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.kommuner if k.status is ObservationStatus.SUPPRESSED)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(
            k.name
            for k in self.kommuner
            if k.value is None and k.status is not ObservationStatus.SUPPRESSED
        )


@dataclass(frozen=True)
class TargetView:
    """The county against its target, and how many kommuner stand where against theirs (a
    kommun's own target, else the county's)."""

    target: TargetInfo | None
    status: TargetStatus
    kommuner: tuple[tuple[TargetStatus, int], ...] = ()


@dataclass(frozen=True)
class IndicatorBlock:
    indicator: IndicatorSummary
    codes: tuple[tuple[int, str], ...]
    trend: tuple[tuple[str, float | None], ...]
    latest_period: str | None
    county: AreaValue | None
    spread: Spread | None
    last_updated: datetime | None
    has_demo_data: bool
    target: TargetView | None = None

    @property
    def provenance(self) -> Provenance:
        return Provenance((self.indicator.source,), self.last_updated, self.has_demo_data)


@dataclass(frozen=True)
class MatomradeView:
    id: str
    title: str
    strategigrupper: tuple[str, ...]
    indicators: tuple[IndicatorBlock, ...]


@dataclass(frozen=True)
class StrategyView:
    number: int
    title: str
    aim: str
    koppling_till_malbild: tuple[str, ...]
    utvecklingsomraden: tuple[str, ...]
    followed_up_by: str
    matomraden: tuple[MatomradeView, ...]
    strategies: tuple[tuple[int, str], ...]  # every strategy, for the links between them


@dataclass(frozen=True)
class ChangeCell:
    """One area's development of one indicator from its baseline to the latest period."""

    change: Change
    base_period: str | None
    base_value: float | None
    latest_period: str | None
    latest_value: float | None
    latest_status: ObservationStatus
    baseline_moved: bool  # no value in the baseline year: the first later year is used
    certainty: Certainty = Certainty.NONE


@dataclass(frozen=True)
class GroupIndicator:
    indicator: IndicatorSummary
    placements: tuple[tuple[int, str], ...]  # (strategy number, mätområde title)
    latest_period: str | None
    codes: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class StrategigruppView:
    id: str
    name: str
    description: str
    baseline_year: int
    groups: tuple[tuple[str, str], ...]  # every strategigrupp, for the links between them
    indicators: tuple[GroupIndicator, ...]
    areas: tuple[AreaInfo, ...]  # the county, then the 13 kommuner
    cells: dict[tuple[str, str], ChangeCell]  # (indicator id, area code)
    counts: dict[str, dict[Change, int]]  # area code → how many indicators changed how
    last_updated: datetime | None = None  # the latest import of any of the group's indicators
    has_demo_data: bool = False  # any of their values are Exempeldata

    def cell(self, indicator_id: str, area_code: str) -> ChangeCell | None:
        return self.cells.get((indicator_id, area_code))

    @property
    def provenance(self) -> Provenance:
        sources = tuple(sorted({gi.indicator.source for gi in self.indicators}))
        return Provenance(sources, self.last_updated, self.has_demo_data)


# --- Kommun (followup/kommun.py) -------------------------------------------------------------


@dataclass(frozen=True)
class KommunIndicator:
    indicator: IndicatorSummary
    latest_period: str | None
    latest_text: str
    latest: Cell | None
    baseline_period: str | None
    baseline_text: str
    baseline_shifted: bool
    change: Change
    county_text: str
    nation_text: str
    target: TargetInfo | None
    target_status: TargetStatus
    rank: int | None
    rank_of: int
    category_change: str = ""  # coded indicators: "Nej → Breddinfört"
    # The area's own values from the baseline year to the latest period (None: no value shown).
    development: tuple[tuple[int, float | None], ...] = ()

    @property
    def target_text(self) -> str:
        """'✓ uppnått (Mål 2030: 90,0 %)': symbol and words, never colour alone."""
        if self.target is None:
            return self.target_status.label
        ind = self.indicator
        return f"{self.target_status.label} ({self.target.label(ind.decimals, ind.unit)})"

    @property
    def rank_text(self) -> str:
        return f"plats {self.rank} av {self.rank_of}" if self.rank is not None else ""


@dataclass(frozen=True)
class KommunMatomrade:
    id: str
    title: str
    rows: tuple[KommunIndicator, ...]


@dataclass(frozen=True)
class KommunStrategy:
    number: int
    title: str
    matomraden: tuple[KommunMatomrade, ...]


@dataclass(frozen=True)
class KommunView:
    area_code: str
    area_name: str
    is_region: bool
    baseline_year: int
    strategies: tuple[KommunStrategy, ...]
    counts: dict[Change, int]  # each indicator once, however many mätområden list it
    has_demo_data: bool

    @property
    def summary_text(self) -> str:
        c = self.counts
        text = (
            f"{c[Change.IMPROVED]} förbättrats, {c[Change.UNCHANGED]} oförändrade, "
            f"{c[Change.WORSENED]} försämrats sedan {self.baseline_year}"
        )
        extra = []
        if c[Change.CHANGED]:
            extra.append(f"{c[Change.CHANGED]} utan riktning har förändrats")
        if c[Change.NOT_COMPARABLE]:
            extra.append(f"{c[Change.NOT_COMPARABLE]} kan inte jämföras")
        return text + (f" ({'; '.join(extra)})" if extra else "")

    def rows(self) -> list[KommunIndicator]:
        """Each indicator once, in catalogue order."""
        seen: dict[str, KommunIndicator] = {}
        for st in self.strategies:
            for ma in st.matomraden:
                for row in ma.rows:
                    seen.setdefault(row.indicator.id, row)
        return list(seen.values())


# --- Jämförelse (followup/comparison.py) -----------------------------------------------------


@dataclass(frozen=True)
class ComparisonCell:
    indicator_id: str
    area_code: str
    period: str | None
    value: float | None
    text: str  # with unit: "49 dagar"
    short_text: str  # without unit, for a grid whose rows name the unit: "49"
    status: ObservationStatus | None
    baseline_period: str | None
    baseline_value: float | None
    baseline_shifted: bool
    change: Change
    score: int | None  # +1 förbättrats, 0 oförändrat, −1 försämrats
    relative_change: float | None
    target: TargetInfo | None
    target_distance: float | None  # in the unit, positive = at or beyond the target
    target_status: TargetStatus
    target_text: str  # "✗ ej uppnått (Mål 2030: 90,0 %)"

    def colour_value(self, colour_by: ColourBy) -> float | None:
        """−1 … +1 in the indicator's direction, None when the cell has nothing to colour."""
        if colour_by == "change":
            if self.score is None:
                return None
            if self.score == 0:
                return 0.0
            strength = abs(self.relative_change or 0.0) / FULL_COLOUR_CHANGE
            # Even a small real change is visibly on its side of the scale.
            return self.score * min(1.0, max(0.3, strength))
        if self.target_distance is None or self.target is None:
            return None
        scale = abs(self.target.value) or 1.0
        return max(-1.0, min(1.0, self.target_distance / scale / FULL_COLOUR_CHANGE))


@dataclass(frozen=True)
class ComparisonMatrix:
    indicators: tuple[IndicatorSummary, ...]
    areas: tuple[AreaInfo, ...]
    cells: dict[tuple[str, str], ComparisonCell] = field(repr=False)
    colour_by: ColourBy
    baseline_year: int
    selection: str  # what was chosen, in words
    has_demo_data: bool
    latest_periods: dict[str, str | None] = field(default_factory=dict)
    last_updated: datetime | None = None  # the store's latest import

    def cell(self, indicator_id: str, area_code: str) -> ComparisonCell:
        return self.cells[(indicator_id, area_code)]

    @property
    def provenance(self) -> Provenance:
        sources = tuple(dict.fromkeys(i.source for i in self.indicators))
        return Provenance(sources, self.last_updated, self.has_demo_data)

    def frame(self) -> pd.DataFrame:
        """The matrix as the table shows it, one row per kommun and indicator (Swedish names)."""
        names = {a.code: a.name for a in self.areas}
        rows = []
        for ind in self.indicators:
            for area in self.areas:
                c = self.cells[(ind.id, area.code)]
                rows.append(
                    {
                        "Indikator": ind.id,
                        "Indikatornamn": ind.short_title,
                        "Kommun": names[area.code],
                        "Kommunkod": area.code,
                        "Period": c.period or "",
                        "Värde": c.value,
                        "Visas som": c.text,
                        "Basår": c.baseline_period or "",
                        "Basvärde": c.baseline_value,
                        "Förändring": c.change.label,
                        "Relativ förändring": c.relative_change,
                        "Mål": c.target.value if c.target else None,
                        "Målår": c.target.year if c.target else None,
                        "Mot målet": c.target_status.value,
                    }
                )
        return pd.DataFrame(rows)


# --- Sedan förra mötet (followup/since.py) ---------------------------------------------------


@dataclass(frozen=True)
class Movement:
    indicator: IndicatorSummary
    area_code: str
    area_name: str
    previous_period: str
    previous_text: str
    latest_period: str
    latest_text: str
    previous_value: float
    latest_value: float
    change: Change
    certainty: Certainty
    previous_interval: tuple[float, float] | None  # in the indicator's unit
    latest_interval: tuple[float, float] | None


@dataclass(frozen=True)
class SinceMeeting:
    since: date
    batches: tuple[BatchSummary, ...]  # newest first; undone ones left out
    undone: int  # batches since the date that were undone and so are not counted
    movements: tuple[Movement, ...]
    examined: int  # indicator × area series that got new or changed values
    last_batch: BatchSummary | None = None  # the newest batch that counts, whenever it came

    @property
    def only_demo(self) -> bool:
        return bool(self.batches) and all(b.is_demo for b in self.batches)

    def by_area(self) -> list[tuple[str, str, list[Movement]]]:
        """(code, name, movements) per area that has any, region first then kommun order."""
        order = {code: n for n, code in enumerate(SINCE_AREAS)}
        grouped: dict[str, list[Movement]] = {}
        names: dict[str, str] = {}
        for mv in self.movements:
            grouped.setdefault(mv.area_code, []).append(mv)
            names[mv.area_code] = mv.area_name
        return [
            (code, names[code], grouped[code])
            for code in sorted(grouped, key=lambda c: order.get(c, 99))
        ]


# --- The kommuner side by side in one period (reads/ranking.py) ------------------------------


@dataclass(frozen=True)
class Ranking:
    """What the ranking shows, for the chart and its table alike."""

    period: str
    bars: pd.DataFrame  # area_code, area_name, value, low, high; in display order, best first
    county: float | None
    nation: float | None
    county_name: str
    nation_name: str
    gaps: tuple[tuple[str, str, str], ...]  # (area_code, area_name, "sekretess" | "saknas" | …)
    has_intervals: bool

    @property
    def note(self) -> str:
        return INTERVAL_NOTE if self.has_intervals else NO_INTERVAL_NOTE


# --- Handlingsplaner (reads/plans.py) ---------------------------------------------------------


@dataclass(frozen=True)
class ActivityAim:
    """An indicator an activity aims to move, and how the county's value has moved since the
    activity started: the last value known at its start against the latest, judged by the one
    rule of indicators.vocabulary.trends."""

    indicator_id: str
    title: str
    short_title: str
    unit: str
    decimals: int
    start_period: str | None  # the last period that ended before the activity started
    start_value: float | None
    latest_period: str | None
    latest_value: float | None
    change: Change


@dataclass(frozen=True)
class ActivityInfo:
    id: int
    strategigrupp_id: str
    strategigrupp_name: str
    title: str
    owner: str
    start_date: date
    end_date: date | None
    status: ActivityStatus
    description: str
    is_demo: bool
    changed_by: str
    changed_at: datetime
    aims: tuple[ActivityAim, ...]

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(a.indicator_id for a in self.aims)


# --- Inrapportering: who has delivered what (reads/completeness.py) ---------------------------


class DeliveryState(StrEnum):
    """One cell of the completeness matrix: an indicator in one area and period."""

    DELIVERED = "inlämnad"
    SUPPRESSED = "sekretess"  # delivered, hidden to protect individuals
    LATE = "försenad"  # missing after its due date
    PENDING = "väntas"  # missing, its due date not yet passed
    MISSING = "saknas"  # missing, and no due date is set
    NOT_EXPECTED = "ej förväntad"  # not measured at this level, or the series has ended

    @property
    def symbol(self) -> str:
        return _DELIVERY_SYMBOLS[self]

    @property
    def label(self) -> str:
        """Symbol and word, so the state never rests on colour alone: '✓ inlämnad'."""
        return f"{self.symbol} {self.value}"

    @property
    def delivered(self) -> bool:
        return self in (DeliveryState.DELIVERED, DeliveryState.SUPPRESSED)

    @property
    def expected(self) -> bool:
        return self is not DeliveryState.NOT_EXPECTED


# ".." is how Swedish statistics (Kolada among them) mark a value hidden for secrecy.
_DELIVERY_SYMBOLS = {
    DeliveryState.DELIVERED: "✓",
    DeliveryState.SUPPRESSED: "..",
    DeliveryState.LATE: "!",
    DeliveryState.PENDING: "…",
    DeliveryState.MISSING: "✗",
    DeliveryState.NOT_EXPECTED: "–",
}


@dataclass(frozen=True)
class DeliveryCell:
    indicator_id: str
    area_code: str
    state: DeliveryState
    imported_at: datetime | None  # UTC: when the stored value (or marker) was imported
    due: date | None  # the period's due date, when the catalogue sets one
    reason: str = ""  # why the cell is not expected, in Swedish


@dataclass(frozen=True)
class DeliveryTally:
    """How many expected cells of a row or column were delivered."""

    expected: int
    delivered: int  # suppressed ones included: they were delivered
    suppressed: int
    late: int
    pending: int
    missing: int
    last_import: datetime | None  # UTC

    def sentence(self, period: str) -> str:
        """'12 av 15 förväntade mått inlämnade för 2025'."""
        if not self.expected:
            return f"Inga mått förväntas för {period}"
        noun = "förväntat mått" if self.expected == 1 else "förväntade mått"
        verb = "inlämnat" if self.expected == 1 else "inlämnade"
        return f"{self.delivered} av {self.expected} {noun} {verb} för {period}"


@dataclass(frozen=True)
class LateDelivery:
    """A period of an indicator that is past its due date and still missing in some areas."""

    indicator: IndicatorSummary
    period: str
    due: date
    areas: tuple[AreaInfo, ...]


@dataclass(frozen=True)
class Completeness:
    period: str
    today: date  # the day lateness is judged on (Swedish time)
    selection: str  # the filters, in words
    indicators: tuple[IndicatorSummary, ...]
    areas: tuple[AreaInfo, ...]  # the 13 kommuner, then the county
    cells: dict[tuple[str, str], DeliveryCell] = field(repr=False)
    by_area: dict[str, DeliveryTally]
    by_indicator: dict[str, DeliveryTally]
    total: DeliveryTally
    late: tuple[LateDelivery, ...]
    has_demo_data: bool
    last_updated: datetime | None = None

    def cell(self, indicator_id: str, area_code: str) -> DeliveryCell:
        return self.cells[(indicator_id, area_code)]

    @property
    def provenance(self) -> Provenance:
        sources = tuple(dict.fromkeys(i.source for i in self.indicators))
        return Provenance(sources, self.last_updated, self.has_demo_data)


# --- Plain-Swedish summaries (followup/plain_words.py) -----------------------------------------


@dataclass(frozen=True)
class SummaryPoint:
    """One list of a summary: 'improved', 'worsened', 'changed', 'far' or 'missing'."""

    key: str
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class PlainSummary:
    """What a strategy, strategigrupp or kommun shows, said by fixed rules from the figures."""

    subject: str
    lead: str
    points: tuple[SummaryPoint, ...]
    baseline_year: int
    has_demo_data: bool


@dataclass(frozen=True)
class SpreadWords:
    """The 13 kommuner at one period: best (or highest), median, worst (or lowest), named."""

    top_label: str
    top: tuple[str, ...]
    top_text: str
    median_text: str
    bottom_label: str
    bottom: tuple[str, ...]
    bottom_text: str
    reported: int

    @property
    def text(self) -> str:
        return (
            f"{self.top_label}: {', '.join(self.top)} {self.top_text} · "
            f"median {self.median_text} · "
            f"{self.bottom_label.lower()}: {', '.join(self.bottom)} {self.bottom_text}"
        )


@dataclass(frozen=True)
class ActivityFields:
    """What a person enters for one activity, before it is checked (indicators.writes.plans);
    here because the page's form builds it."""

    title: str
    owner: str
    start_date: date | None
    end_date: date | None
    status: ActivityStatus | None
    description: str = ""
    indicator_ids: tuple[str, ...] = field(default=())

    def cleaned(self) -> "ActivityFields":
        return ActivityFields(
            title=" ".join((self.title or "").split()),
            owner=" ".join((self.owner or "").split()),
            start_date=self.start_date,
            end_date=self.end_date,
            status=self.status,
            description=(self.description or "").strip(),
            indicator_ids=tuple(dict.fromkeys(i.strip() for i in self.indicator_ids if i.strip())),
        )


# --- Liknande kommuner (similar.py) ----------------------------------------------------------


@dataclass(frozen=True)
class SimilarGroupInfo:
    """Kolada's group of kommuner similar to one kommun; the kommun is not a member."""

    id: str
    kind: SimilarKind
    area_code: str
    area_name: str
    title: str
    year: int
    members: tuple[tuple[str, str], ...]  # (code, name), by name


class SimilarState(StrEnum):
    OK = "ok"
    PARTIAL = "partial"  # some members have no value shown in the period
    NO_VALUES = "no_values"  # no member has any stored value of the indicator
    NO_GROUP = "no_group"  # the store holds no such group for the kommun
    NOT_KOMMUN = "not_kommun"  # the indicator has no kommun values, or the area is no kommun


@dataclass(frozen=True)
class SimilarPeriod:
    """The group in one period: its quartiles over the members' shown values (None with fewer
    than MIN_FOR_QUARTILES), and the kommun's own shown value."""

    period: str
    own: float | None
    median: float | None
    q1: float | None
    q3: float | None
    low: float | None
    high: float | None
    shown: int  # members with a shown value


@dataclass(frozen=True)
class SimilarMember:
    code: str
    name: str
    value: float | None  # None unless shown
    text: str  # the formatted value, the category's label, or why nothing is shown
    is_own: bool = False


@dataclass(frozen=True)
class SimilarView:
    """One kommun among its similar kommuner for one indicator: the group's median and
    quartiles per period, the kommun's place in one period (`period`, the latest with values
    unless chosen) and its own change against the change of the group's median."""

    indicator: IndicatorSummary
    area_code: str
    area_name: str
    gender: str
    kind: SimilarKind
    state: SimilarState
    group: SimilarGroupInfo | None = None
    periods: tuple[SimilarPeriod, ...] = ()  # oldest first
    period: str | None = None
    members: tuple[SimilarMember, ...] = ()  # the kommun first, then the members by value
    rank: int | None = None
    rank_of: int = 0
    missing: tuple[str, ...] = ()  # members without a shown value in `period`
    trend_from: str | None = None  # the period the changes are counted from
    own_change: float | None = None
    median_change: float | None = None
    code_counts: tuple[CodeCount, ...] = ()  # coded indicators: the members' answers
    fetch_command: str = ""  # how to fetch the members' values, when they are missing
    source_id: str = ""

    @property
    def snapshot(self) -> SimilarPeriod | None:
        return next((p for p in self.periods if p.period == self.period), None)

    @property
    def rank_text(self) -> str:
        return f"plats {self.rank} av {self.rank_of}" if self.rank is not None else ""

    @property
    def has_values(self) -> bool:
        return self.state in (SimilarState.OK, SimilarState.PARTIAL)
