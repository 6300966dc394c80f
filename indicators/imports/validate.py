"""Validation: every parsed record checked against the catalogue and the areas, every failure
collected with file, sheet, row, column and value, in Swedish. Errors block saving the file;
warnings inform. Records with errors are dropped from what could be saved, so the counts of new,
changed and unchanged values describe only what would really be written.

Checks are vectorised over the whole records frame (a file may hold a million values); Problem
objects are only built for the rows that fail, and at most MAX_LISTED per check are listed (the
rest are counted in one closing problem), so a broken million-row file cannot exhaust memory."""

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from indicators.catalogue.kolada import KoladaCatalogue, KoladaKpi, kolada_catalogue
from indicators.imports.plausibility import ratio_mismatch, ratio_scale
from indicators.imports.records import ParsedFile, Problem, Severity
from indicators.vocabulary.domain import (
    OBSERVATION_KEY,
    OBSERVATION_NUMBERS,
    OBSERVATION_TEXT_KEY,
    OBSERVATION_VALUES,
    AreaLevel,
    Direction,
    Gender,
    ObservationStatus,
    PeriodType,
    ValueKind,
)
from indicators.vocabulary.periods import period_label

FIRST_YEAR = 2000
SHOWN_CHARS = 60
MAX_LISTED = 1000
KEY = list(OBSERVATION_KEY)
VALUES = list(OBSERVATION_VALUES)
# Floats read from text differ only in the last bits when they are the same figure.
REL_TOLERANCE = 1e-12

_PERIOD_WORDS = {
    PeriodType.YEAR.value: "år",
    PeriodType.HALF_YEAR.value: "halvår",
    PeriodType.TERTIAL.value: "tertial",
    PeriodType.QUARTER.value: "kvartal",
    PeriodType.MONTH.value: "månad",
    **{
        t.value: f"sammanslagen period om {t.pooled_years} år"
        for t in PeriodType
        if t.pooled_years is not None
    },
}
# The statuses' own words; an ok value is named by its number, never by a word.
_STATUS_WORDS = {s.value: s.label for s in ObservationStatus if s is not ObservationStatus.OK}


@dataclass(frozen=True)
class IndicatorRules:
    """What validation needs to know about one indicator."""

    id: str
    title: str
    value_kind: ValueKind
    unit: str
    period_type: PeriodType
    by_gender: bool
    codes: frozenset[int] = frozenset()

    @property
    def index_max(self) -> float:
        # The catalogue writes the scale in the unit: "index (0–1)" or "index (0–100)".
        return 100.0 if "100" in self.unit else 1.0


@dataclass(frozen=True)
class NewKoladaIndicator:
    """An indicator to be created from the shipped Kolada catalogue (origin "kolada")."""

    id: str
    title: str
    short_title: str
    description: str
    unit: str
    value_kind: ValueKind
    direction: Direction
    decimals: int
    by_gender: bool
    area_level: AreaLevel
    codes: tuple[tuple[int, str], ...] = ()

    @property
    def rules(self) -> IndicatorRules:
        return IndicatorRules(
            id=self.id,
            title=self.title,
            value_kind=self.value_kind,
            unit=self.unit,
            period_type=PeriodType.YEAR,
            by_gender=self.by_gender,
            codes=frozenset(c for c, _ in self.codes),
        )

    def row(self) -> dict[str, object]:
        """The indicator table row (Core insert)."""
        return {
            "id": self.id,
            "title": self.title,
            "short_title": self.short_title,
            "description": self.description,
            "unit": self.unit,
            "value_kind": self.value_kind.value,
            "direction": self.direction.value,
            "decimals": self.decimals,
            "source": "Kolada",
            "source_id": self.id,
            "numerator": "",
            "denominator": "",
            "period_type": PeriodType.YEAR.value,
            "by_gender": self.by_gender,
            "area_level": self.area_level.value,
            "headline": False,
            "sort_order": 100_000,
            "origin": "kolada",
        }


@dataclass(frozen=True)
class CatalogueView:
    """The catalogue and areas as validation sees them; built from a store by
    `indicators.imports.save.load_catalogue_view`, or directly in tests."""

    indicators: Mapping[str, IndicatorRules]
    area_codes: frozenset[str]
    kolada: KoladaCatalogue = field(default_factory=kolada_catalogue)
    current_year: int = field(default_factory=lambda: datetime.now(UTC).year)
    suppression_threshold: int = 5
    area_names: Mapping[str, str] = field(default_factory=dict)
    # The catalogue's revision_limit per indicator (plausibility.revision_reason).
    revision_limits: Mapping[str, float] = field(default_factory=dict)


@dataclass
class ValidatedFile:
    """`repeated` counts the values that repeat another of the same file with the same value:
    saved once, the repeats change nothing, so they are counted with the unchanged ones.
    `rejected` is every other value read that is not among `records`: refused by the parser or
    by validation, passed over (a group mean, a deleted Kolada entry), or lost with a problem
    of the whole file. So values_read = len(records) + repeated + rejected, always, and the
    counts shown (new + changed + unchanged + rejected) add up to what was read."""

    parsed: ParsedFile
    records: pd.DataFrame  # the records that pass, duplicates removed (RECORD_COLUMNS)
    problems: list[Problem]  # parser problems first, then validation problems
    rejected: int  # values read that will not be saved
    unknown_kolada_ids: list[str] = field(default_factory=list)
    new_indicators: list[NewKoladaIndicator] = field(default_factory=list)
    repeated: int = 0

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def values_read(self) -> int:
        return len(self.records) + self.repeated + self.rejected


def values_read(parsed: ParsedFile) -> int:
    """What the parser read: its count of value cells, or one per row; never fewer than the
    records it made (a parser that does not count cannot make the sum fail)."""
    read = parsed.values_read if parsed.values_read is not None else parsed.rows_read
    return max(read, len(parsed.records))


def shown(value: object) -> str:
    """A value as text for a problem list: never markup, never longer than SHOWN_CHARS."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        text = f"{value:.12g}".replace(".", ",").replace("-", "−")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def kolada_indicator(kpi: KoladaKpi) -> NewKoladaIndicator:
    """A catalogue entry from Kolada's metadata. Kolada gives no value kind or unit, so both are
    read from the title's customary tail ("…, andel (%)", "…, antal", "(Ja=1, Nej=0)"); when the
    title says nothing certain the kind is "ratio", which carries no range check, so a guess can
    never reject a real value. Direction is left "neither": Kolada does not say."""
    title = re.sub(r"\s*\(-\s*\d{4}\)\s*$", "", kpi.title).strip()
    folded = title.casefold()
    tail = title.rsplit(", ", 1)[-1].strip() if ", " in title else ""
    codes = _codes_in_title(title)
    decimals = 1
    if codes:
        kind, unit, decimals = ValueKind.CODED, "kod", 0
    elif "(%)" in folded or "andel" in folded:
        kind, unit = ValueKind.RATE, "%"
    elif "index" in folded:
        kind, unit = ValueKind.INDEX, "index (0–100)"
    elif "median" in folded:
        kind, unit = ValueKind.MEDIAN, tail or "median"
    elif "medelvärde" in folded or "genomsnitt" in folded or tail.casefold() == "antal dagar":
        kind, unit = ValueKind.MEAN, tail or "medelvärde"
    elif tail.casefold() == "antal":
        kind, unit, decimals = ValueKind.COUNT, "antal", 0
    else:
        kind, unit = ValueKind.RATIO, tail or "–"
    return NewKoladaIndicator(
        id=kpi.id,
        title=kpi.title[:400],
        short_title=title[:200],
        description=kpi.description or kpi.title,
        unit=unit[:80],
        value_kind=kind,
        direction=Direction.NEITHER,
        decimals=decimals,
        by_gender=kpi.by_gender,
        area_level=kpi.area_level,
        codes=codes,
    )


def _codes_in_title(title: str) -> tuple[tuple[int, str], ...]:
    """'(Breddinfört=2, testverksamhet=1, Nej=0)' → ((2, 'Breddinfört'), (1, …), (0, 'Nej'))."""
    for group in re.findall(r"\(([^()]*=\s*\d+[^()]*)\)", title):
        pairs = re.findall(r"([^,=]+?)\s*=\s*(\d+)", group)
        if len(pairs) >= 2:
            found = {int(code): label.strip().capitalize() for label, code in pairs}
            if len(found) == len(pairs):
                return tuple(sorted(found.items(), reverse=True))
    return ()


Text = str | pd.Series | Callable[[int], str]


def _text(text: Text, pos: int) -> str:
    if isinstance(text, str):
        return text
    if callable(text):
        return text(pos)
    return str(text.iloc[pos])


class _Collector:
    """Problems and the rows they reject, named the way the analyst sees the file."""

    def __init__(self, parsed: ParsedFile, frame: pd.DataFrame) -> None:
        self.parsed = parsed
        self.frame = frame
        self.problems: list[Problem] = []
        self.summaries: list[Problem] = []  # "… and N more", listed last
        self.rejected = np.zeros(len(frame), dtype=bool)

    def column(self, field_name: str, fallback: str) -> str:
        return self.parsed.columns.get(field_name, fallback)

    def add(
        self,
        mask: np.ndarray,
        severity: Severity,
        column: "Text",
        value: pd.Series | Callable[[int], object],
        message: "Text",
    ) -> None:
        """Problems for the rows in mask. Column, value and message are fixed text, a Series by
        position, or a function of the position: only failing rows pay for building them."""
        positions = np.flatnonzero(mask)
        if severity is Severity.ERROR:
            self.rejected[positions] = True
        for count, pos in enumerate(map(int, positions)):
            if count == MAX_LISTED:
                self.summaries.append(
                    Problem(
                        file=self.parsed.name,
                        message=f"… och {len(positions) - MAX_LISTED} värden till med samma "
                        "slags problem (visas inte).",
                        severity=severity,
                    )
                )
                break
            row = self.frame.iloc[pos]
            self.problems.append(
                Problem(
                    file=self.parsed.name,
                    message=_text(message, pos),
                    severity=severity,
                    sheet=None if pd.isna(row["sheet"]) else str(row["sheet"]),
                    row=None if pd.isna(row["row"]) else int(row["row"]),
                    column=_text(column, pos),
                    value=shown(value(pos) if callable(value) else value.iloc[pos]),
                )
            )


def validate(
    parsed: ParsedFile, catalogue: CatalogueView, *, add_kolada_indicators: bool = False
) -> ValidatedFile:
    frame = parsed.records.reset_index(drop=True)
    frame = frame.astype({"value": float, "numerator": float, "denominator": float})
    out = _Collector(parsed, frame)
    if frame.empty:
        return _result(parsed, frame, out, [], [])

    # Indicators: known, known only in Kolada (can be added), or unknown.
    ids = frame["indicator_id"].astype(str)
    known = ids.isin(list(catalogue.indicators))
    unknown_ids = sorted(set(ids[~known]))
    # Exact ids only: the indicator is created under Kolada's spelling, which the rows must use.
    kolada_kpis = [k for i in unknown_ids if (k := catalogue.kolada.get(i)) and k.id == i]
    kolada_ids = [k.id for k in kolada_kpis]
    new_indicators: list[NewKoladaIndicator] = []
    rules: dict[str, IndicatorRules] = dict(catalogue.indicators)
    ind_col = out.column("indicator_id", "Indikator")
    if add_kolada_indicators:
        for kpi in kolada_kpis:
            new = kolada_indicator(kpi)
            new_indicators.append(new)
            rules[kpi.id] = new.rules
        for new in new_indicators:
            # Informs the analyst that the catalogue will grow; one note per indicator.
            out.problems.append(
                Problem(
                    file=parsed.name,
                    message=f"Indikatorn {new.id} finns inte i katalogen men i Koladas "
                    f"katalog; den läggs till som {new.value_kind.label.lower()} "
                    f"({new.unit}): {shown(new.title)}",
                    severity=Severity.WARNING,
                    column=ind_col,
                    value=new.id,
                )
            )
    else:
        in_kolada = ids.isin(kolada_ids).to_numpy()
        out.add(
            in_kolada,
            Severity.ERROR,
            ind_col,
            ids,
            "Indikatorn finns inte i katalogen men i Koladas katalog och kan läggas till: "
            "bekräfta att Kolada-indikatorer ska läggas till (--add-kolada-indicators).",
        )
    unknown = ~ids.isin(list(rules)).to_numpy() & ~ids.isin(kolada_ids).to_numpy()
    out.add(
        unknown,
        Severity.ERROR,
        ind_col,
        ids,
        "Okänd indikator: finns varken i katalogen eller i Koladas katalog.",
    )
    has_rules = ids.isin(list(rules)).to_numpy()

    # Areas.
    areas = frame["area_code"].astype(str)
    out.add(
        ~areas.isin(list(catalogue.area_codes)).to_numpy(),
        Severity.ERROR,
        out.column("area_code", "Område"),
        areas,
        "Okänt område: koden finns inte bland kommuner, regioner och riket.",
    )

    # Periods: the year within reach, and the kind of period the indicator is published for.
    starts = frame["period_start"]
    years = np.array([d.year for d in starts.to_numpy(dtype=object)], dtype=int)
    ptypes = frame["period_type"].astype(str)
    ptype_values = ptypes.to_numpy(dtype=object)
    start_values = starts.to_numpy(dtype=object)

    def labels(pos: int) -> str:
        return period_label(PeriodType(ptype_values[pos]), start_values[pos])

    period_col: str | pd.Series = (
        parsed.columns["period"] if "period" in parsed.columns else frame["value_column"]
    )
    last_year = catalogue.current_year + 1
    out.add(
        (years < FIRST_YEAR) | (years > last_year),
        Severity.ERROR,
        period_col,
        labels,
        f"Året ligger utanför {FIRST_YEAR}–{last_year}.",
    )
    wanted_ptype = ids.map({i: r.period_type.value for i, r in rules.items()})
    # A yearly indicator also takes pooled years ("2021-2024"): Folkhälsomyndigheten publishes
    # the same measure per year for the county and pooled for the kommuner.
    pooled = ptypes.isin([t.value for t in PeriodType if t.pooled_years is not None])
    also_pooled = pooled & (wanted_ptype == PeriodType.YEAR.value)
    mismatch = has_rules & ((ptypes != wanted_ptype) & ~also_pooled).to_numpy()
    out.add(
        mismatch,
        Severity.ERROR,
        period_col,
        labels,
        lambda pos: (
            "Fel slags period: indikatorn redovisas per "
            f"{_PERIOD_WORDS.get(wanted_ptype.iloc[pos], '–')}."
        ),
    )

    # Gender: a split the catalogue does not publish is kept but pointed out.
    genders = frame["gender"].astype(str)
    no_split = ids.isin([i for i, r in rules.items() if not r.by_gender]).to_numpy()
    out.add(
        no_split & (genders != Gender.TOTAL.value).to_numpy(),
        Severity.WARNING,
        out.column("gender", "Kön"),
        genders,
        "Indikatorn redovisas inte per kön i katalogen; värdet sparas men visas inte.",
    )

    # Status and value agree.
    status = frame["status"].astype(str)
    value = frame["value"]
    is_ok = (status == ObservationStatus.OK.value).to_numpy()
    value_col = frame["value_column"].astype(str)
    out.add(
        ~is_ok & value.notna().to_numpy(),
        Severity.ERROR,
        value_col,
        value,
        lambda pos: (
            f"Ett värde är angivet men statusen är "
            f"{_STATUS_WORDS.get(status.iloc[pos], status.iloc[pos])}."
        ),
    )
    out.add(
        is_ok & value.isna().to_numpy(),
        Severity.ERROR,
        value_col,
        frame["status_reason"].astype(str),
        "Värde saknas: ange ett tal eller en markering för saknat värde (-, .., .).",
    )
    checked = is_ok & has_rules & value.notna().to_numpy()
    _check_ranges(out, frame, ids, rules, checked, value_col, catalogue.suppression_threshold)
    _check_counts(out, frame, catalogue.suppression_threshold)
    _check_ratio(out, frame, ids, rules, checked & ~out.rejected, value_col)
    _check_duplicates(out, frame)

    passing = frame[~out.rejected]
    kept = passing.drop_duplicates(subset=KEY, keep="first")
    return _result(parsed, kept, out, kolada_ids, new_indicators, len(passing) - len(kept))


def _check_ranges(
    out: _Collector,
    frame: pd.DataFrame,
    ids: pd.Series,
    rules: Mapping[str, IndicatorRules],
    checked: np.ndarray,
    value_col: pd.Series,
    threshold: int,
) -> None:
    value = frame["value"].to_numpy(dtype=float)
    kinds = ids.map({i: r.value_kind.value for i, r in rules.items()}).fillna("").to_numpy()
    value_s = frame["value"]
    with np.errstate(invalid="ignore"):
        rate = checked & (kinds == ValueKind.RATE.value)
        out.add(
            rate & ((value < 0) | (value > 100)),
            Severity.ERROR,
            value_col,
            value_s,
            "En andel i procent måste ligga mellan 0 och 100.",
        )
        index = checked & (kinds == ValueKind.INDEX.value)
        top = ids.map({i: r.index_max for i, r in rules.items()}).fillna(1.0).to_numpy(dtype=float)
        out.add(
            index & ((value < 0) | (value > top)),
            Severity.ERROR,
            value_col,
            value_s,
            lambda pos: f"Ett index måste ligga mellan 0 och {top[pos]:.0f} för denna indikator.",
        )
        nonneg = checked & np.isin(
            kinds, [ValueKind.COUNT.value, ValueKind.MEAN.value, ValueKind.MEDIAN.value]
        )
        out.add(
            nonneg & (value < 0),
            Severity.ERROR,
            value_col,
            value_s,
            "Antal, medelvärden och medianer kan inte vara negativa.",
        )
        count = checked & (kinds == ValueKind.COUNT.value)
        out.add(
            count & (value >= 1) & (value < threshold),
            Severity.WARNING,
            value_col,
            value_s,
            f"Litet antal (under {threshold}): sparas men visas som sekretess.",
        )
        coded = checked & (kinds == ValueKind.CODED.value)
        allowed = np.ones(len(value), dtype=bool)
        for pos in np.flatnonzero(coded):
            allowed[pos] = value[pos] in rules[ids.iloc[pos]].codes
        out.add(
            coded & ~allowed,
            Severity.ERROR,
            value_col,
            value_s,
            lambda pos: (
                "Ett kodat svar måste vara en av indikatorns koder: "
                + ", ".join(str(c) for c in sorted(rules[ids.iloc[pos]].codes))
                + "."
            ),
        )


def _check_counts(out: _Collector, frame: pd.DataFrame, threshold: int) -> None:
    for name, fallback in (("numerator", "Täljare"), ("denominator", "Nämnare")):
        series = frame[name]
        values = series.to_numpy(dtype=float)
        column = out.column(name, fallback)
        with np.errstate(invalid="ignore"):
            out.add(
                values < 0,
                Severity.ERROR,
                column,
                series,
                "Täljare och nämnare kan inte vara negativa.",
            )
            out.add(
                (values >= 1) & (values < threshold),
                Severity.WARNING,
                column,
                series,
                f"Litet antal (under {threshold}): sparas men visas som sekretess.",
            )
    with np.errstate(invalid="ignore"):
        num = frame["numerator"].to_numpy(dtype=float)
        den = frame["denominator"].to_numpy(dtype=float)
        out.add(
            den == 0,
            Severity.ERROR,
            out.column("denominator", "Nämnare"),
            frame["denominator"],
            "Nämnaren kan inte vara 0.",
        )
        out.add(
            num > den,
            Severity.WARNING,
            out.column("numerator", "Täljare"),
            frame["numerator"],
            "Täljaren är större än nämnaren.",
        )


def _check_ratio(
    out: _Collector,
    frame: pd.DataFrame,
    ids: pd.Series,
    rules: Mapping[str, IndicatorRules],
    checked: np.ndarray,
    value_col: pd.Series,
) -> None:
    """A value with täljare and nämnare must be what they give (plausibility.ratio_mismatch)."""
    scales = {i: ratio_scale(r.value_kind, r.unit) for i, r in rules.items()}
    judged = {ValueKind.RATE.value, ValueKind.MEAN.value, ValueKind.RATIO.value}
    kinds = ids.map({i: r.value_kind.value for i, r in rules.items()}).fillna("").to_numpy()
    scale_of = ids.map(scales)
    scale = scale_of.astype(float).fillna(1.0).to_numpy(dtype=float)
    known = scale_of.notna().to_numpy()
    num = frame["numerator"].to_numpy(dtype=float)
    den = frame["denominator"].to_numpy(dtype=float)
    mask, expected = ratio_mismatch(frame["value"].to_numpy(dtype=float), num, den, scale, known)
    mask &= checked & np.isin(kinds, list(judged))

    def message(pos: int) -> str:
        counts = f"{shown(num[pos])} / {shown(den[pos])}"
        if known[pos]:
            factor = "" if scale[pos] == 1.0 else f"{shown(scale[pos])} × "
            gives = f"{factor}{counts} = {shown(round(float(expected[pos]), 4))}"
        else:
            gives = f"{counts} = {shown(round(float(expected[pos]), 6))}, inte heller gånger 100, "
            gives += "1 000, 10 000 eller 100 000"
        kind = rules[ids.iloc[pos]].value_kind.label.lower()
        return (
            f"Värdet stämmer inte med täljare och nämnare ({kind}): {gives}. Rätta värdet, "
            "täljaren eller nämnaren."
        )

    out.add(mask, Severity.ERROR, value_col, frame["value"], message)


def same_values(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """Row-wise equality of value, numerator, denominator (floats at a tight tolerance, two
    missing values equal), status and status reason; a and b aligned by position."""
    equal = np.ones(len(a), dtype=bool)
    for name in OBSERVATION_NUMBERS:
        x = a[name].to_numpy(dtype=float)
        y = b[name].to_numpy(dtype=float)
        both_nan = np.isnan(x) & np.isnan(y)
        with np.errstate(invalid="ignore"):
            close = np.isclose(x, y, rtol=REL_TOLERANCE, atol=0.0)
        equal &= both_nan | close
    for name in ("status", "status_reason"):
        x = a[name].fillna("").astype(str).to_numpy()
        y = b[name].fillna("").astype(str).to_numpy()
        equal &= x == y
    return equal


def _check_duplicates(out: _Collector, frame: pd.DataFrame) -> None:
    dup = frame.duplicated(subset=KEY, keep=False).to_numpy()
    if not dup.any():
        return
    sub = frame[dup]
    first_of = sub.groupby(KEY, sort=False, dropna=False).ngroup().to_numpy()
    positions = np.flatnonzero(dup)
    groups: dict[int, list[int]] = {}
    for position, g in zip(positions, first_of, strict=True):
        groups.setdefault(int(g), []).append(int(position))
    identical = np.zeros(len(frame), dtype=bool)
    conflicting = np.zeros(len(frame), dtype=bool)
    notes = pd.Series([""] * len(frame), dtype=object)
    for members in groups.values():
        head = members[0]
        rest = frame.iloc[members[1:]]
        same = same_values(rest, frame.iloc[[head] * len(rest)])
        where = _where(frame, head)
        if same.all():
            for pos in members[1:]:
                identical[pos] = True
                notes[pos] = f"Dubblett av {where} med samma värde: räknas en gång."
        else:
            rows = ", ".join(_where(frame, p) for p in members)
            for pos in members:
                conflicting[pos] = True
                notes[pos] = f"Samma indikator, område, period och kön med olika värden: {rows}."
    value_col = frame["value_column"].astype(str)
    out.add(identical, Severity.WARNING, value_col, frame["value"], notes)
    out.add(conflicting, Severity.ERROR, value_col, frame["value"], notes)


def _where(frame: pd.DataFrame, pos: int) -> str:
    return _where_row(frame.iloc[pos])


def _where_row(row: pd.Series) -> str:
    sheet = "" if pd.isna(row["sheet"]) else f"blad {row['sheet']}, "
    column = "" if pd.isna(row["value_column"]) else f", kolumn {row['value_column']}"
    number = "?" if pd.isna(row["row"]) else int(row["row"])
    return f"{sheet}rad {number}{column}"


def _ordered(problems: list[Problem], summaries: list[Problem]) -> list[Problem]:
    """Whole-file problems first, then by sheet and row as the analyst reads the file."""
    whole = [p for p in problems if p.row is None]
    sheets = {sheet: n for n, sheet in enumerate(dict.fromkeys(p.sheet for p in problems))}
    rows = sorted(
        (p for p in problems if p.row is not None), key=lambda p: (sheets[p.sheet], p.row or 0)
    )
    return [*whole, *rows, *summaries]


def _result(
    parsed: ParsedFile,
    kept: pd.DataFrame,
    out: _Collector,
    kolada_ids: list[str],
    new_indicators: list[NewKoladaIndicator],
    repeated: int = 0,
) -> ValidatedFile:
    return ValidatedFile(
        parsed=parsed,
        records=kept.reset_index(drop=True),
        problems=_ordered([*parsed.problems, *out.problems], out.summaries),
        rejected=max(values_read(parsed) - len(kept) - repeated, 0),
        repeated=repeated,
        unknown_kolada_ids=kolada_ids,
        new_indicators=new_indicators,
    )


def check_across_files(files: list[ValidatedFile]) -> None:
    """Files imported together must agree: a key (indicator, area, period, gender) that two
    files give different values is an error in each of them, naming the other files' rows and
    values, so nothing is saved (otherwise the last file would silently win). The same value in
    several files is saved once, by the first; each later file gets a warning. Problems are
    added to the files in place; at most MAX_LISTED per file and kind are listed."""
    parts = [
        f.records[[*KEY, *VALUES, "sheet", "row", "value_column"]].assign(file=i, pos=np.arange(n))
        for i, f in enumerate(files)
        if (n := len(f.records))
    ]
    if len(parts) < 2:
        return
    frame = pd.concat(parts, ignore_index=True)
    for name in OBSERVATION_TEXT_KEY:
        frame[name] = frame[name].astype(str)
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    # Each file's own duplicates are already gone, so a repeated key spans files.
    repeated = frame[frame.duplicated(subset=KEY, keep=False)]
    if repeated.empty:
        return
    group = repeated.groupby(KEY, sort=False, dropna=False).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")  # a key's rows together, in file order
    repeated = repeated.iloc[order].reset_index(drop=True)
    group = group[order]
    start = np.searchsorted(group, group, side="left")
    end = np.searchsorted(group, group, side="right")
    same = same_values(repeated, repeated.iloc[start].reset_index(drop=True))
    in_conflict = np.isin(group, np.unique(group[~same]))
    later_same = ~in_conflict & (np.arange(len(group)) != start)
    names = [f.parsed.name for f in files]
    file_of = repeated["file"].to_numpy()
    for index, validated in enumerate(files):
        mine = file_of == index
        conflicts = np.flatnonzero(mine & in_conflict)
        if len(conflicts):
            # Out of the records and into rejected, so the file's counts still add up.
            validated.rejected += len(conflicts)
            dropped = repeated["pos"].to_numpy()[conflicts]
            validated.records = validated.records.drop(
                index=validated.records.index[dropped]
            ).reset_index(drop=True)
        for severity, positions in ((Severity.ERROR, conflicts), (Severity.WARNING, None)):
            if positions is None:
                positions = np.flatnonzero(mine & later_same)
            if not len(positions):
                continue
            shown_positions = positions[np.argsort(repeated["pos"].to_numpy()[positions])]
            for pos in shown_positions[:MAX_LISTED]:
                row = repeated.iloc[pos]
                if severity is Severity.ERROR:
                    others = " och ".join(
                        _described(names, repeated.iloc[p])
                        for p in range(start[pos], end[pos])
                        if p != pos
                    )
                    message = (
                        "Samma indikator, område, period och kön har olika värden i filerna som "
                        f"läses in tillsammans: {_described(names, row)}, men {others}. Rätta "
                        "den fil som är fel; inget sparas."
                    )
                else:
                    message = (
                        f"Samma värde finns redan i {_described(names, repeated.iloc[start[pos]])}"
                        "; det sparas en gång."
                    )
                validated.problems.append(
                    Problem(
                        file=names[index],
                        message=message,
                        severity=severity,
                        sheet=None if pd.isna(row["sheet"]) else str(row["sheet"]),
                        row=None if pd.isna(row["row"]) else int(row["row"]),
                        column=None if pd.isna(row["value_column"]) else str(row["value_column"]),
                        value=_cell_text(row),
                    )
                )
            if len(positions) > MAX_LISTED:
                validated.problems.append(
                    Problem(
                        file=names[index],
                        message=f"… och {len(positions) - MAX_LISTED} värden till med samma "
                        "slags problem (visas inte).",
                        severity=severity,
                    )
                )


def _described(names: list[str], row: pd.Series) -> str:
    """ "b.csv rad 3, kolumn Värde (värde 60, täljare 30, nämnare 50)"."""
    numbers = [
        f"{label} {shown(row[name])}"
        for name, label in (("numerator", "täljare"), ("denominator", "nämnare"))
        if not pd.isna(row[name])
    ]
    ok = str(row["status"]) == ObservationStatus.OK.value
    value = ", ".join([f"värde {_cell_text(row)}" if ok else _cell_text(row), *numbers])
    return f"{names[int(row['file'])]} {_where_row(row)} ({value})"


def _cell_text(row: pd.Series) -> str:
    status = str(row["status"])
    if status != ObservationStatus.OK.value:
        return _STATUS_WORDS.get(status, status)
    return shown(row["value"])
