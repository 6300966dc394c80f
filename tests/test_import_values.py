"""One cell to one canonical value: numbers, missing markers, periods, genders and areas."""

import csv
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.imports.values import (
    EMPTY_CELL,
    AreaResolver,
    NumberText,
    ValueProblem,
    decimal_mark_conflict,
    missing_marker,
    parse_gender,
    parse_number,
    parse_period,
    read_number,
)
from indicators.paths import PROJECT_ROOT
from indicators.vocabulary.domain import AreaKind, Gender, ObservationStatus, PeriodType
from indicators.vocabulary.formatting import round_half_up
from indicators.vocabulary.periods import period_label

# --- Numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "percent", "mark"),
    [
        ("1 234,5", 1234.5, False, ","),
        ("1\u00a0234,5", 1234.5, False, ","),
        ("1\u202f234\u202f567", 1234567.0, False, None),
        ("1234.5", 1234.5, False, "."),
        ("12,5", 12.5, False, ","),
        ("−5", -5.0, False, None),
        ("−5,2", -5.2, False, ","),
        ("-0,25", -0.25, False, ","),
        ("+3", 3.0, False, None),
        ("45 %", 45.0, True, None),
        ("45%", 45.0, True, None),
        ("45,5\u00a0%", 45.5, True, ","),
        ("1,5E-05", 1.5e-05, False, ","),
        (" 7 ", 7.0, False, None),
        (",5", 0.5, False, ","),
        (0, 0.0, False, None),
        (12.5, 12.5, False, None),
    ],
)
def test_numbers_as_analysts_write_them(text, value, percent, mark):
    assert read_number(text) == NumberText(value, percent, mark)
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("1,234.5", "både komma och punkt"),
        ("1.234,5", "både komma och punkt"),
        ("1.234.567", "flera punkter"),
        ("1 23,4", "inget tal"),
        ("12 %%", "inget tal"),
        ("abc", "inget tal"),
        ("-", "inget tal"),
        ("%", "inget tal"),
        ("", "tom"),
        ("#DIV/0!", "Excel-felet '#DIV/0!'"),
        ("–5", "tankstreck"),
        (True, "sanningsvärde"),
        (float("nan"), "ändligt"),
        (float("inf"), "ändligt"),
        ("1e999", "för stort"),
        (datetime(2023, 1, 1), "datum"),
    ],
)
def test_numbers_that_are_refused(cell, words):
    with pytest.raises(ValueProblem) as caught:
        parse_number(cell)
    assert words in caught.value.message


SEPARATORS = [" ", "\u00a0", "\u202f"]


def swedish(value: float, decimals: int, group: str, minus: str, percent: str) -> str:
    text = f"{abs(value):,.{decimals}f}".replace(",", group).replace(".", ",")
    return f"{minus if value < 0 else ''}{text}{percent}"


@given(
    st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False),
    st.integers(0, 4),
    st.sampled_from(SEPARATORS),
    st.sampled_from(["-", "\u2212"]),
    st.sampled_from(["", "%", " %", "\u00a0%"]),
)
def test_swedish_formatted_numbers_parse_back(value, decimals, group, minus, percent):
    rounded = round_half_up(value, decimals)
    text = swedish(rounded, decimals, group, minus, percent)
    parsed = read_number(text)
    assert parsed.value == pytest.approx(rounded, rel=1e-12, abs=10.0**-decimals / 2)
    assert parsed.percent is bool(percent)
    assert parsed.decimal_mark == ("," if decimals else None)


@given(st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False))
def test_point_decimal_numbers_parse_back(value):
    assert parse_number(repr(value)) == value


def test_mixed_decimal_marks_in_a_column_is_an_error_naming_rows():
    cells = [(2, "12,5"), (3, "13"), (4, 14.5), (5, "12.5"), (6, "1,5")]
    message = decimal_mark_conflict(cells, "Värde")
    assert message is not None
    assert "Kolumnen 'Värde'" in message
    assert "rad 2" in message and "rad 5" in message


@pytest.mark.parametrize(
    "cells",
    [
        [(2, "12,5"), (3, "1 234,5"), (4, "7")],
        [(2, "12.5"), (3, "1234.5")],
        [(2, 12.5), (3, "12,5")],  # numeric xlsx cells have no decimal mark
        [(2, "..")],
    ],
)
def test_consistent_columns_pass(cells):
    assert decimal_mark_conflict(cells, "Värde") is None


# --- Missing markers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "status", "reason"),
    [
        ("-", ObservationStatus.MISSING, "-: bortfall"),
        ("–", ObservationStatus.MISSING, "-: bortfall"),
        (".", ObservationStatus.NOT_APPLICABLE, ".: ej tillämpligt"),
        ("..", ObservationStatus.SUPPRESSED, "..: sekretess"),
        (" .. ", ObservationStatus.SUPPRESSED, "..: sekretess"),
        ("UNK", ObservationStatus.MISSING, "UNK: okänt"),
        ("unk", ObservationStatus.MISSING, "UNK: okänt"),
        ("MSK", ObservationStatus.SUPPRESSED, "MSK: maskerat"),
        ("INV", ObservationStatus.MISSING, "INV: ogiltigt eller inte tillförlitligt"),
    ],
)
def test_missing_markers_keep_status_and_reason(cell, status, reason):
    assert missing_marker(cell) == (status, reason)


@pytest.mark.parametrize("cell", ["", "   ", "\u00a0", None])
def test_empty_cell_is_a_distinct_answer(cell):
    assert missing_marker(cell) is EMPTY_CELL


@pytest.mark.parametrize("cell", ["0", "12,5", 0, 3.5, "...", "x", "-5"])
def test_values_are_not_markers(cell):
    assert missing_marker(cell) is None


# --- Periods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "kind", "start"),
    [
        ("2023", PeriodType.YEAR, date(2023, 1, 1)),
        (2023, PeriodType.YEAR, date(2023, 1, 1)),
        (2023.0, PeriodType.YEAR, date(2023, 1, 1)),
        ("2023.0", PeriodType.YEAR, date(2023, 1, 1)),
        ("2023H1", PeriodType.HALF_YEAR, date(2023, 1, 1)),
        ("2023h2", PeriodType.HALF_YEAR, date(2023, 7, 1)),
        ("2023Q1", PeriodType.QUARTER, date(2023, 1, 1)),
        ("2023-Q2", PeriodType.QUARTER, date(2023, 4, 1)),
        # Tertialer: four months each, never quarters (the regions' T1–T3 reports).
        ("2023T1", PeriodType.TERTIAL, date(2023, 1, 1)),
        ("2023T2", PeriodType.TERTIAL, date(2023, 5, 1)),
        ("2023T3", PeriodType.TERTIAL, date(2023, 9, 1)),
        ("2023-t2", PeriodType.TERTIAL, date(2023, 5, 1)),
        ("2023K4", PeriodType.QUARTER, date(2023, 10, 1)),
        ("2007K1", PeriodType.QUARTER, date(2007, 1, 1)),
        ("200701", PeriodType.MONTH, date(2007, 1, 1)),  # SCB's older month headers
        ("202312", PeriodType.MONTH, date(2023, 12, 1)),
        ("2023 q4", PeriodType.QUARTER, date(2023, 10, 1)),
        ("2023M03", PeriodType.MONTH, date(2023, 3, 1)),
        ("2023M3", PeriodType.MONTH, date(2023, 3, 1)),
        ("2023-03", PeriodType.MONTH, date(2023, 3, 1)),
        ("2023-12", PeriodType.MONTH, date(2023, 12, 1)),
        ("2031", PeriodType.YEAR, date(2031, 1, 1)),  # the year range is validation's business
        ("1899", PeriodType.YEAR, date(1899, 1, 1)),
        # Folkhälsomyndigheten's pooled years: a period of its own, never an error.
        ("2021-2024", PeriodType.YEARS_4, date(2021, 1, 1)),
        ("2018–2021", PeriodType.YEARS_4, date(2018, 1, 1)),
        ("2022 - 2023", PeriodType.YEARS_2, date(2022, 1, 1)),
        ("2011-2020", PeriodType.YEARS_10, date(2011, 1, 1)),
    ],
)
def test_periods(cell, kind, start):
    assert parse_period(cell) == (kind, start)


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("2023Q5", "Kvartal 5 finns inte"),
        ("2023Q0", "Kvartal 0 finns inte"),
        ("2023H3", "Halvår 3 finns inte"),
        ("2023T4", "Tertial 4 finns inte"),
        ("2023T4", "Kvartal skrivs K1–K4 eller Q1–Q4"),
        ("2023T0", "Tertial 0 finns inte"),
        ("202313", "Månad 13 finns inte"),
        ("2023-13", "Månad 13 finns inte"),
        ("2023M00", "Månad 0 finns inte"),
        ("2023M13", "Månad 13 finns inte"),
        ("2022/23", "intervall"),
        ("2023-2022", "slutar före"),
        ("2023-2023", "slutar före"),
        ("2000-2024", "högst 10 år"),
        ("2023-03-01", "datum"),
        (date(2023, 3, 1), "datum"),
        ("23", "känns inte igen"),
        ("år 2023", "känns inte igen"),
        (2023.5, "ingen period"),
        (99, "inget årtal"),
    ],
)
def test_periods_that_are_refused(cell, words):
    with pytest.raises(ValueProblem) as caught:
        parse_period(cell)
    assert words in caught.value.message


def period_notations(kind: PeriodType, start: date) -> list[str | int | float]:
    y = start.year
    match kind:
        case PeriodType.YEAR:
            return [f"{y}", y, float(y), f"{y}.0"]
        case PeriodType.HALF_YEAR:
            h = 1 if start.month == 1 else 2
            return [f"{y}H{h}", f"{y}h{h}", f"{y}-H{h}"]
        case PeriodType.QUARTER:
            q = (start.month - 1) // 3 + 1
            return [f"{y}{letter}{q}" for letter in "QKqk"] + [f"{y}-Q{q}", f"{y}-K{q}"]
        case PeriodType.TERTIAL:
            t = (start.month - 1) // 4 + 1
            return [f"{y}T{t}", f"{y}t{t}", f"{y}-T{t}", f"{y} T{t}"]
        case PeriodType.MONTH:
            m = start.month
            return [f"{y}M{m:02d}", f"{y}M{m}", f"{y}-{m:02d}", f"{y}m{m:02d}", f"{y}{m:02d}"]
    if kind.pooled_years is not None:
        last = y + kind.pooled_years - 1
        return [f"{y}-{last}", f"{y}–{last}", f"{y} - {last}"]
    raise AssertionError(kind)


@st.composite
def periods(draw: st.DrawFn) -> tuple[PeriodType, date]:
    kind = draw(st.sampled_from(list(PeriodType)))
    year = draw(st.integers(1000, 9990))
    month = {
        PeriodType.YEAR: st.just(1),
        PeriodType.HALF_YEAR: st.sampled_from([1, 7]),
        PeriodType.TERTIAL: st.sampled_from([1, 5, 9]),
        PeriodType.QUARTER: st.sampled_from([1, 4, 7, 10]),
        PeriodType.MONTH: st.integers(1, 12),
    }.get(kind, st.just(1))
    return kind, date(year, draw(month), 1)


@given(periods())
def test_every_period_in_every_notation_parses_back(period):
    kind, start = period
    for notation in period_notations(kind, start):
        assert parse_period(notation) == (kind, start)
    # And the canonical label is one of the notations.
    assert parse_period(period_label(kind, start)) == (kind, start)


# --- Gender --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "gender"),
    [
        ("T", Gender.TOTAL),
        ("t", Gender.TOTAL),
        ("K", Gender.WOMEN),
        ("M", Gender.MEN),
        (1, Gender.MEN),
        ("2", Gender.WOMEN),
        (3.0, Gender.TOTAL),
        ("Kvinnor", Gender.WOMEN),
        ("women", Gender.WOMEN),
        ("men", Gender.MEN),
        ("total", Gender.TOTAL),
        ("KVINNOR", Gender.WOMEN),
        ("män", Gender.MEN),
        ("Män", Gender.MEN),
        ("Totalt", Gender.TOTAL),
        ("alla", Gender.TOTAL),
        ("Båda  könen", Gender.TOTAL),
        ("1+2", Gender.TOTAL),
    ],
)
def test_genders(cell, gender):
    assert parse_gender(cell) is gender


@pytest.mark.parametrize("cell", ["X", "4", "", "kvinnor och män", True])
def test_unknown_gender(cell):
    with pytest.raises(ValueProblem) as caught:
        parse_gender(cell)
    assert caught.value.message == f"Kön '{str(cell).strip()}' är okänt; använd T, K eller M."


# --- Areas ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def resolver() -> AreaResolver:
    """Every Kolada area the product ships, as the store holds them."""
    with (PROJECT_ROOT / "data" / "kolada" / "areas.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    areas = []
    for row in rows:
        if row["id"] == "0000":
            kind = AreaKind.NATION
        elif row["type"] == "L":
            kind = AreaKind.REGION
        else:
            kind = AreaKind.KOMMUN
        areas.append((row["id"], row["title"], kind))
    return AreaResolver(areas)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("0680", "0680"),
        ("Jönköping", "0680"),
        ("JÖNKÖPING", "0680"),
        ("jönköping", "0680"),
        ("Jönköpings kommun", "0680"),
        (" Jönköpings  kommun ", "0680"),
        ("Eksjö kommun", "0686"),
        ("Habo kommun", "0643"),
        ("Gislaveds kommun", "0662"),
        ("Värnamo kommun", "0683"),
        ("Tranås kommun", "0687"),
        ("Stockholms stad", "0180"),
        ("Göteborgs stad", "1480"),
        ("Region Jönköpings län", "0006"),
        ("Jönköpings län", "0006"),
        ("Riket", "0000"),
        ("Sverige", "0000"),
        ("Hela landet", "0000"),
        ("06", "0006"),
        ("00", "0000"),
        ("0680 Jönköping", "0680"),
        ("06 Jönköpings län", "0006"),
        ("Jönköping (0680)", "0680"),
        ("0680 - Jönköpings kommun", "0680"),
        ("Gotland", "0980"),
        ("Region Gotland", "0009"),
        ("Västra Götalands län", "0014"),
        # SCB's English tables.
        ("06 Jönköping county", "0006"),
        ("Jönköping county", "0006"),
        ("14 Västra Götaland county", "0014"),
        ("00 Sweden", "0000"),
        # SCB names the county, not the region: Region Sörmland, Region Jämtland Härjedalen.
        ("04 Södermanlands län", "0004"),
        ("04 Södermanland county", "0004"),
        ("23 Jämtlands län", "0023"),
        ("Region Sörmland", "0004"),
        ("0680 Jönköping", "0680"),
    ],
)
def test_areas_by_code_and_name(resolver, cell, code):
    assert resolver.resolve(cell) == code


@pytest.mark.parametrize(("cell", "code"), [(0, "0000"), (6, "0006"), ("6", "0006"), (680, "0680")])
def test_integer_region_ids_only_when_asked(resolver, cell, code):
    assert resolver.resolve(cell, integer_ids=True) == code


@pytest.mark.parametrize("cell", ["680", 680, 680.0])
def test_kommun_code_without_leading_zero_is_never_fixed(resolver, cell):
    with pytest.raises(ValueProblem) as caught:
        resolver.resolve(cell)
    assert caught.value.message.startswith(
        "Kommunkoden '680' saknar inledande nolla; menade du '0680'?"
    )


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("9999", "Områdeskoden '9999' är okänd"),
        (6, "Områdeskoden '6' är okänd"),
        ("Atlantis", "Området 'Atlantis' är okänt"),
        ("0680 Eksjö", "stämmer koden 0680 inte med namnet 'Eksjö'"),
        ("06 Jönköping", "stämmer koden 06 inte med namnet 'Jönköping'"),
        ("", "Området saknas"),
    ],
)
def test_unknown_areas(resolver, cell, words):
    with pytest.raises(ValueProblem) as caught:
        resolver.resolve(cell)
    assert words in caught.value.message


@pytest.mark.parametrize("cell", ["006", "001", "014", "000"])
def test_a_three_digit_code_gets_no_hint_at_another_levels_code(resolver, cell):
    """'006' is not a kommun code without its zero: pointing at the county's '0006' would
    send the analyst to another level."""
    with pytest.raises(ValueProblem) as caught:
        resolver.resolve(cell)
    assert "menade du" not in caught.value.message
    assert f"Områdeskoden '{cell}' är okänd" in caught.value.message


def test_names_starting_with_digits_are_names_first():
    resolver = AreaResolver([("0680", "Jönköping", "kommun"), ("U9", "1177 Vårdguiden", "unit")])
    assert resolver.resolve("1177 Vårdguiden") == "U9"


def test_ambiguous_alias_is_refused():
    resolver = AreaResolver(
        [("U1", "Vårdcentralen Norr", "unit"), ("U2", "Vårdcentralen Norr", "unit")]
    )
    with pytest.raises(ValueProblem, match="flera områden"):
        resolver.resolve("Vårdcentralen Norr")
    assert resolver.resolve("U2") == "U2"


def test_resolver_from_store(demo_store):
    resolver = AreaResolver.from_store(demo_store)
    assert resolver.resolve("Jönköpings kommun") == "0680"
    assert resolver.name_of("0006") == "Region Jönköpings län"
    assert resolver.kind_of("0680") is AreaKind.KOMMUN
    assert resolver.kind_of("9999") is None
