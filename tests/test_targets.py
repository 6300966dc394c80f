"""Targets (målvärden) and analyses: stored per indicator, area and year, validated in Swedish."""

import pytest

from indicators.reads.analyses import analyses_for
from indicators.reads.models import TargetStatus
from indicators.reads.targets import (
    applicable_target,
    target_status,
    targets_by_indicator,
    targets_for,
)
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, Direction, PeriodType
from indicators.vocabulary.periods import parse_period
from indicators.writes.analyses import MAX_TEXT, AnalysisError, add_analysis, delete_analysis
from indicators.writes.targets import TargetError, delete_target, parse_number, set_target

RATE = "N21497"  # andel, högre är bättre
WAIT = "U23401"  # väntetid i dagar, lägre är bättre
CODED = "U21340"  # Breddinfört=2 / Test=1 / Nej=0
INDEX01 = "RJL-KONTINUITETSINDEX-PV"  # index (0–1)


@pytest.fixture
def store(prepared_store_url) -> Store:
    """Catalogue and areas, no values: on SQLite and on PostgreSQL."""
    return Store(prepared_store_url)


def test_set_replace_list_and_delete_targets(store):
    county = set_target(store, RATE, None, 2030, "90", "ReKo 2026-11", "anna")
    assert county.is_county_wide and county.area_name == "hela länet"
    assert county.label(1, "%") == "Mål 2030: 90,0\u00a0%"
    own = set_target(store, RATE, "0604", 2030, "85,5", "", "anna")
    assert own.area_name == "Aneby" and own.value == 85.5
    again = set_target(store, RATE, COUNTY_CODE, "2030", 92, "höjt", "bo")  # the county = all
    assert again.id == county.id and again.value == 92 and again.set_by == "bo"
    listed = targets_for(store, RATE)
    assert [(t.area_code, t.year, t.value) for t in listed] == [
        (None, 2030, 92),
        ("0604", 2030, 85.5),
    ]
    assert targets_by_indicator(store, [RATE, WAIT]) == {RATE: listed}
    assert delete_target(store, RATE, "0604", 2030) is True
    assert delete_target(store, RATE, "0604", 2030) is False
    assert [t.area_code for t in targets_for(store, RATE)] == [None]


@pytest.mark.parametrize(
    ("indicator", "area", "year", "value", "message"),
    [
        (RATE, None, 2030, "120", "Målvärde: en andel ska ligga mellan 0 och 100 %."),
        (RATE, None, 2030, "mycket", "Målvärde: ange ett tal"),
        (RATE, None, 1990, "50", "År: ange ett år mellan 2000 och 2050."),
        (RATE, "9999", 2030, "50", "Kommun: området 9999 finns inte."),
        (WAIT, None, 2030, "-3", "Målvärde: medelvärde kan inte vara negativ."),
        (CODED, None, 2030, "1,5", "Målvärde: ange en av koderna 0 (Nej), 1 (Testverksamhet)"),
        (INDEX01, None, 2030, "1,2", "Målvärde: ska ligga mellan 0 och 1 (index (0–1))."),
        ("FINNS-INTE", None, 2030, "1", "Indikatorn FINNS-INTE finns inte."),
    ],
)
def test_invalid_targets_are_refused_in_swedish(store, indicator, area, year, value, message):
    with pytest.raises(TargetError) as error:
        set_target(store, indicator, area, year, value, "", "anna")
    assert message in str(error.value)
    assert targets_for(store, indicator) == []


def test_note_length_is_limited(store):
    with pytest.raises(TargetError, match="Kommentar: högst 500 tecken"):
        set_target(store, RATE, None, 2030, "90", "x" * 501, "anna")


def test_swedish_numbers_parse():
    assert parse_number("90,5") == 90.5
    assert parse_number("1 000") == 1000.0
    assert parse_number("1\u00a0000,25") == 1000.25
    assert parse_number("\u22122") == -2.0
    assert parse_number("") is None and parse_number("9O") is None and parse_number(None) is None


def test_applicable_target_prefers_own_area_and_the_goal_ahead(store):
    set_target(store, RATE, None, 2026, "80", "", "a")
    set_target(store, RATE, None, 2030, "90", "", "a")
    set_target(store, RATE, "0604", 2030, "85", "", "a")
    targets = targets_for(store, RATE)
    assert applicable_target(targets, "0604", 2024).value == 85
    assert applicable_target(targets, "0680", 2024).value == 80
    assert applicable_target(targets, "0680", 2027).value == 90
    assert applicable_target(targets, COUNTY_CODE, 2031).value == 90
    assert applicable_target([], "0680", 2024) is None


@pytest.mark.parametrize(
    ("value", "target", "direction", "decimals", "status"),
    [
        (90.0, 90.0, Direction.HIGHER_BETTER, 1, TargetStatus.ACHIEVED),
        (89.96, 90.0, Direction.HIGHER_BETTER, 1, TargetStatus.ACHIEVED),  # reads 90,0
        (85.5, 90.0, Direction.HIGHER_BETTER, 1, TargetStatus.NEAR),  # exactly 5 % short
        (85.4, 90.0, Direction.HIGHER_BETTER, 1, TargetStatus.NOT_ACHIEVED),
        (40.0, 45.0, Direction.LOWER_BETTER, 0, TargetStatus.ACHIEVED),
        (47.0, 45.0, Direction.LOWER_BETTER, 0, TargetStatus.NEAR),
        (60.0, 45.0, Direction.LOWER_BETTER, 0, TargetStatus.NOT_ACHIEVED),
        (1.0, 0.0, Direction.LOWER_BETTER, 0, TargetStatus.NEAR),  # target 0: one shown unit
        (50.0, 50.0, Direction.NEITHER, 1, TargetStatus.ACHIEVED),
        (53.0, 50.0, Direction.NEITHER, 1, TargetStatus.NOT_ACHIEVED),
        (None, 50.0, Direction.HIGHER_BETTER, 1, TargetStatus.NO_VALUE),
        (50.0, None, Direction.HIGHER_BETTER, 1, TargetStatus.NO_TARGET),
    ],
)
def test_target_status(value, target, direction, decimals, status):
    assert target_status(value, target, direction, decimals) is status


def test_status_has_symbol_and_words():
    assert TargetStatus.ACHIEVED.label == "✓ uppnått"
    assert TargetStatus.NEAR.label == "≈ nära"
    assert TargetStatus.NOT_ACHIEVED.label == "✗ ej uppnått"
    assert TargetStatus.NO_TARGET.label == "– inget mål"


def test_analyses_add_list_and_delete(store):
    first = add_analysis(store, RATE, "2024", "  Länet ligger stilla.  ", "anna")
    assert first.text == "Länet ligger stilla." and first.area_name == "hela länet"
    assert first.period == "2024" and first.period_type is PeriodType.YEAR
    aneby = add_analysis(store, RATE, "2024", "<b>Aneby</b> ökar.", "bo", area_code="0604")
    assert aneby.text == "<b>Aneby</b> ökar."  # plain text, stored as typed
    add_analysis(store, RATE, "2025", "Nytt år.", "bo", area_code="0680")
    assert [a.period for a in analyses_for(store, RATE)] == ["2025", "2024", "2024"]
    assert {a.area_code for a in analyses_for(store, RATE, "0604")} == {None, "0604"}
    assert [a.text for a in analyses_for(store, RATE, period="2025")] == ["Nytt år."]
    assert delete_analysis(store, first.id) is True and delete_analysis(store, first.id) is False
    assert len(analyses_for(store, RATE)) == 2


@pytest.mark.parametrize(
    ("period", "text", "area", "message"),
    [
        ("2024", "", None, "Analys: skriv en text."),
        ("2024", "x" * (MAX_TEXT + 1), None, f"Analys: högst {MAX_TEXT} tecken"),
        ("förra året", "Text", None, "Period: 'förra året' är ingen period"),
        ("2024", "Text", "9999", "Kommun: området 9999 finns inte."),
    ],
)
def test_invalid_analyses_are_refused_in_swedish(store, period, text, area, message):
    with pytest.raises(AnalysisError) as error:
        add_analysis(store, RATE, period, text, "anna", area_code=area)
    assert message in str(error.value)
    assert analyses_for(store, RATE) == []


def test_period_labels_parse_back():
    assert parse_period("2024H2")[1].month == 7
    assert parse_period("2024Q3")[1].month == 7
    assert parse_period("2024M03")[0] is PeriodType.MONTH
    assert parse_period("2024Q5") is None
