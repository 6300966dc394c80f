"""The kommun view against the demo store: every number equals a direct computation from the
stored observations, and improvement follows each indicator's direction."""

from datetime import date

import pytest
from sqlalchemy import select

from indicators.reads.followup.baseline import baseline_cell, cell_unit, rank_among
from indicators.reads.followup.kommun import county_view_of, kommun_view
from indicators.reads.models import Cell, TargetStatus
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaLevel,
    Direction,
    ObservationStatus,
    ValueKind,
)
from indicators.vocabulary.formatting import format_value, round_half_up
from indicators.vocabulary.trends import Change, Reading, judge_change
from indicators.writes.targets import set_target

OK = ObservationStatus.OK
AREAS = [COUNTY_CODE, *COUNTY_KOMMUN_CODES]


def stored_years(store: Store, indicator_id: str) -> dict[str, dict[int, float | None]]:
    """area → year → value (None unless ok), straight from the observation table."""
    with session_scope(store.url) as s:
        rows = s.execute(
            select(
                m.Observation.area_code,
                m.Observation.period_start,
                m.Observation.value,
                m.Observation.status,
            ).where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.gender == "T",
                m.Observation.period_type == "year",
                m.Observation.area_code.in_([NATION_CODE, *AREAS]),
            )
        ).all()
    out: dict[str, dict[int, float | None]] = {}
    for area, start, value, status in rows:
        out.setdefault(area, {})[start.year] = value if status == OK else None
    return out


def stored_readings(store: Store, indicator_id: str, area: str) -> dict[int, Reading]:
    """year → value with numerator and denominator, straight from the observation table."""
    with session_scope(store.url) as s:
        rows = s.execute(
            select(
                m.Observation.period_start,
                m.Observation.value,
                m.Observation.numerator,
                m.Observation.denominator,
            ).where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.gender == "T",
                m.Observation.period_type == "year",
                m.Observation.area_code == area,
                m.Observation.status == OK,
            )
        ).all()
    return {start.year: Reading(value, num, den) for start, value, num, den in rows}


@pytest.fixture(scope="module")
def jonkoping(any_demo_store):
    return kommun_view(any_demo_store, "0680", 2020)


def test_every_row_equals_a_direct_computation_from_the_store(any_demo_store, jonkoping):
    rows = jonkoping.rows()
    assert len(rows) >= 30
    checked_direction = {Direction.HIGHER_BETTER: 0, Direction.LOWER_BETTER: 0}
    for row in rows:
        ind = row.indicator
        assert ind.area_level is not AreaLevel.REGION
        years = stored_years(any_demo_store, ind.id)
        shown = [y for a in AREAS for y, v in years.get(a, {}).items() if v is not None]
        if not shown:
            assert row.latest_period is None
            continue
        latest = max(shown)
        assert row.latest_period == str(latest)
        own = years.get("0680", {})
        if ind.value_kind is ValueKind.CODED:
            continue
        if own.get(latest) is not None:
            assert row.latest_text == format_value(own[latest], ind.decimals, cell_unit(ind.unit))
        else:
            assert row.latest_text in ("saknas", "sekretess", "ej tillämpligt")
        base_year = next((y for y in sorted(own) if y >= 2020 and own[y] is not None), None)
        base = own.get(base_year) if base_year is not None and base_year < latest else None
        readings = stored_readings(any_demo_store, ind.id, "0680")
        # The one rule (tested on its own in test_trends) on the base and latest read here.
        change = judge_change(
            readings.get(base_year) if base is not None else None,
            readings.get(latest),
            ind.direction,
            ind.value_kind,
            ind.decimals,
        ).change
        assert row.change is change, ind.id
        if base is not None:
            assert row.baseline_period == str(base_year)
            assert row.baseline_text == format_value(base, ind.decimals, cell_unit(ind.unit))
            assert row.baseline_shifted == (base_year != 2020)
        county = years.get(COUNTY_CODE, {}).get(latest)
        if county is not None:
            assert row.county_text == format_value(county, ind.decimals, cell_unit(ind.unit))
        nation = years.get(NATION_CODE, {}).get(latest)
        if nation is not None:
            assert row.nation_text == format_value(nation, ind.decimals, cell_unit(ind.unit))
        if row.change in (Change.IMPROVED, Change.WORSENED):
            checked_direction[ind.direction] += 1
    # both directions were exercised, so "lower is better" was really tested
    assert all(n > 0 for n in checked_direction.values())


def test_summary_counts_each_indicator_once(jonkoping):
    rows = jonkoping.rows()
    for change in Change:
        assert jonkoping.counts[change] == sum(1 for r in rows if r.change is change)
    c = jonkoping.counts
    assert jonkoping.summary_text.startswith(
        f"{c[Change.IMPROVED]} förbättrats, {c[Change.UNCHANGED]} oförändrade, "
        f"{c[Change.WORSENED]} försämrats sedan 2020"
    )


def test_rank_is_the_place_among_the_13_in_the_indicators_direction(any_demo_store, jonkoping):
    row = next(
        r
        for r in jonkoping.rows()
        if r.indicator.direction is Direction.LOWER_BETTER
        and r.indicator.value_kind is not ValueKind.CODED
        and r.rank is not None
    )
    ind = row.indicator
    years = stored_years(any_demo_store, ind.id)
    latest = int(row.latest_period)
    values = {
        code: round_half_up(years[code][latest], ind.decimals)
        for code in COUNTY_KOMMUN_CODES
        if years.get(code, {}).get(latest) is not None
    }
    better = sum(1 for v in values.values() if v < values["0680"])
    assert row.rank == better + 1
    assert row.rank_text == f"plats {better + 1} av {len(values)}"


def test_coded_indicators_show_categories_never_numbers(jonkoping):
    coded = [r for r in jonkoping.rows() if r.indicator.value_kind is ValueKind.CODED]
    assert coded
    labels = {"Breddinfört", "Testverksamhet", "Nej", "Ja", "saknas", "sekretess"}
    for row in coded:
        assert row.latest_text in labels
        assert row.rank is None
        if row.baseline_period:
            assert "→" in row.category_change or "(samma)" in row.category_change


def test_region_has_no_rank_and_includes_region_level_indicators(any_demo_store):
    view = kommun_view(any_demo_store, COUNTY_CODE)
    assert view is not None and view.is_region
    assert view.area_name == "Region Jönköpings län"
    rows = view.rows()
    assert any(r.indicator.area_level is AreaLevel.REGION for r in rows)
    assert all(r.rank is None for r in rows)


def test_unknown_area_gives_none(any_demo_store):
    assert kommun_view(any_demo_store, "0180") is None
    assert kommun_view(any_demo_store, "9999") is None


def test_missing_baseline_year_moves_to_the_first_later_year():
    series = {
        2019: Cell(2019, 10.0, OK),
        2020: Cell(2020, None, ObservationStatus.SUPPRESSED),
        2021: Cell(2021, None, ObservationStatus.MISSING),
        2022: Cell(2022, 12.0, OK),
        2024: Cell(2024, 13.0, OK),
    }
    assert baseline_cell(series, 2020, 2024) == series[2022]
    # a baseline in the latest period itself compares nothing
    assert baseline_cell({2024: Cell(2024, 1.0, OK)}, 2020, 2024) is None


def test_rank_among_shares_places_at_the_shown_precision():
    values = {"a": 10.04, "b": 10.01, "c": 9.0, "d": None}
    assert rank_among(values, "a", Direction.HIGHER_BETTER, 1) == (1, 3)
    assert rank_among(values, "b", Direction.HIGHER_BETTER, 1) == (1, 3)
    assert rank_among(values, "c", Direction.LOWER_BETTER, 1) == (1, 3)
    assert rank_among(values, "c", Direction.NEITHER, 1) == (None, 3)
    assert rank_among(values, "d", Direction.HIGHER_BETTER, 1) == (None, 3)


def test_target_status_uses_the_kommuns_latest_value(demo_copy: Store):
    store = demo_copy
    before = kommun_view(store, "0680")
    row = next(
        r
        for r in before.rows()
        if r.indicator.direction is Direction.HIGHER_BETTER
        and r.latest is not None
        and r.latest.value is not None
        and r.indicator.value_kind is ValueKind.RATE
    )
    assert row.target_status is TargetStatus.NO_TARGET
    value = row.latest.value
    set_target(store, row.indicator.id, None, 2030, min(100.0, value + 20))
    set_target(store, row.indicator.id, "0680", 2030, max(0.0, value - 5))
    after = next(r for r in kommun_view(store, "0680").rows() if r.indicator.id == row.indicator.id)
    # the kommun's own target wins over the county's
    assert after.target is not None and after.target.area_code == "0680"
    assert after.target_status is TargetStatus.ACHIEVED
    assert after.target_text.startswith("✓ uppnått (Mål 2030:")
    aneby = next(r for r in kommun_view(store, "0604").rows() if r.indicator.id == row.indicator.id)
    assert aneby.target is not None and aneby.target.is_county_wide
    assert date(aneby.target.year, 1, 1) == date(2030, 1, 1)


def test_development_is_the_kommuns_own_series_from_the_baseline_year(any_demo_store, jonkoping):
    row = next(r for r in jonkoping.rows() if r.indicator.id == "U23401")
    years = stored_years(any_demo_store, "U23401")["0680"]
    assert row.development[0][0] == 2020
    assert row.development[-1][0] == int(row.latest_period)
    assert dict(row.development) == {y: years.get(y) for y, _ in row.development}


def test_the_county_view_of_some_indicators_has_their_rows_of_the_whole_view(any_demo_store):
    # Strategi's and Strategigrupp's summaries read the county's view of their own indicators
    # only: every row must be the one the whole view has.
    whole = kommun_view(any_demo_store, COUNTY_CODE)
    assert whole is not None
    rows = {r.indicator.id: r for st in whole.strategies for ma in st.matomraden for r in ma.rows}
    some = sorted(rows)[::3]
    limited = county_view_of(any_demo_store, reversed(some))
    assert limited is not None and limited.baseline_year == whole.baseline_year
    limited_rows = {
        r.indicator.id: r for st in limited.strategies for ma in st.matomraden for r in ma.rows
    }
    assert limited_rows == {i: rows[i] for i in some}
    assert sum(limited.counts.values()) == len(some)
    assert county_view_of(any_demo_store, some) is limited  # one cache entry per set
