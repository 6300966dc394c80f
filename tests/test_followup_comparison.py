"""The comparison matrix against the demo store: kommuner × indicators, each cell equal to a
direct computation from the stored observations, scored in the indicator's direction."""

import pytest
from sqlalchemy import select
from test_followup_kommun import stored_readings

from indicators.catalogue import Catalogue
from indicators.reads.followup.baseline import cell_unit
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.models import TargetStatus
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES, AreaLevel, Direction, ValueKind
from indicators.vocabulary.formatting import format_number, format_value, round_half_up
from indicators.vocabulary.trends import Change, judge_change
from indicators.writes.targets import set_target


def kommun_years(store: Store, indicator_id: str) -> dict[str, dict[int, float | None]]:
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
                m.Observation.area_code.in_(COUNTY_KOMMUN_CODES),
            )
        ).all()
    out: dict[str, dict[int, float | None]] = {}
    for area, start, value, status in rows:
        out.setdefault(area, {})[start.year] = value if status == "ok" else None
    return out


@pytest.fixture(scope="module")
def strategy_2(any_demo_store):
    return comparison_matrix(any_demo_store, strategy=2, colour_by="change", baseline_year=2020)


def test_rows_are_the_strategys_kommun_indicators_and_columns_the_13(
    strategy_2, catalogue: Catalogue
):
    matomraden = {ma.id for ma in catalogue.matomraden if ma.strategy == 2}
    expected = [
        i.id
        for i in catalogue.indicators
        if set(i.matomraden) & matomraden and i.area_level != AreaLevel.REGION
    ]
    assert sorted(i.id for i in strategy_2.indicators) == sorted(expected)
    assert [a.code for a in strategy_2.areas] == list(COUNTY_KOMMUN_CODES)
    assert len(strategy_2.frame()) == len(expected) * 13


def test_cells_equal_the_stored_values_and_the_direction_aware_change(any_demo_store, strategy_2):
    scored = {Direction.HIGHER_BETTER: 0, Direction.LOWER_BETTER: 0}
    for ind in strategy_2.indicators:
        years = kommun_years(any_demo_store, ind.id)
        shown = [y for a in years.values() for y, v in a.items() if v is not None]
        latest = max(shown)
        assert strategy_2.latest_periods[ind.id] == str(latest)
        for code in COUNTY_KOMMUN_CODES:
            cell = strategy_2.cell(ind.id, code)
            own = years.get(code, {})
            now = own.get(latest)
            assert cell.value == now
            if ind.value_kind is ValueKind.CODED:
                continue
            if now is not None:
                assert cell.text == format_value(now, ind.decimals, cell_unit(ind.unit))
                assert cell.short_text == format_number(now, ind.decimals)
            base_year = next((y for y in sorted(own) if y >= 2020 and own[y] is not None), None)
            base = own.get(base_year) if base_year is not None and base_year < latest else None
            if base is None or now is None:
                assert cell.score is None
                continue
            if ind.direction is Direction.NEITHER:
                assert cell.score is None
                assert cell.change in (Change.CHANGED, Change.UNCHANGED)
                continue
            readings = stored_readings(any_demo_store, ind.id, code)
            # The one rule (tested on its own in test_trends) on the base and latest read here.
            judged = judge_change(
                readings[base_year], readings[latest], ind.direction, ind.value_kind, ind.decimals
            )
            expected = {Change.IMPROVED: 1, Change.UNCHANGED: 0, Change.WORSENED: -1}[judged.change]
            assert cell.score == expected, (ind.id, code)
            assert cell.relative_change == pytest.approx((now - base) / abs(base))
            colour = cell.colour_value("change")
            assert colour is not None and (colour > 0) == (expected > 0)
            if expected:
                scored[ind.direction] += 1
    assert all(n > 0 for n in scored.values())


def test_filters_combine(any_demo_store, catalogue: Catalogue):
    aldre = comparison_matrix(any_demo_store, strategigrupp="aldre")
    assert aldre.indicators
    assert all("aldre" in i.strategigrupp_ids for i in aldre.indicators)
    assert aldre.selection == "strategigrupp Äldre"
    narrowed = comparison_matrix(any_demo_store, strategy=2, strategigrupp="aldre")
    s2 = comparison_matrix(any_demo_store, strategy=2)
    assert {i.id for i in narrowed.indicators} == {i.id for i in s2.indicators} & {
        i.id for i in aldre.indicators
    }
    assert narrowed.selection == "Strategi 2, strategigrupp Äldre"
    ma = next(ma for ma in catalogue.matomraden if ma.strategy == 2)
    one = comparison_matrix(any_demo_store, matomrade=ma.id)
    assert {i.id for i in one.indicators} <= {
        i.id for i in catalogue.indicators if ma.id in i.matomraden
    }
    assert comparison_matrix(any_demo_store, strategy=9).indicators == ()


def test_coded_cells_show_categories(any_demo_store):
    matrix = comparison_matrix(any_demo_store, strategy=3)
    coded = [i for i in matrix.indicators if i.value_kind is ValueKind.CODED]
    assert coded
    labels = {"Breddinfört", "Testverksamhet", "Nej", "Ja", "saknas", "sekretess"}
    for ind in coded:
        for code in COUNTY_KOMMUN_CODES:
            cell = matrix.cell(ind.id, code)
            assert cell.text in labels
            assert cell.relative_change is None


def test_colour_by_target_measures_the_distance_in_the_indicators_direction(
    demo_copy: Store,
):
    store = demo_copy
    plain = comparison_matrix(store, strategy=2, colour_by="target")
    assert all(c.colour_value("target") is None for c in plain.cells.values())
    ind = next(
        i
        for i in plain.indicators
        if i.direction is Direction.LOWER_BETTER and i.value_kind is not ValueKind.CODED
    )
    values = [plain.cell(ind.id, c).value for c in COUNTY_KOMMUN_CODES]
    known = sorted(v for v in values if v is not None)
    goal = known[len(known) // 2]
    set_target(store, ind.id, None, 2030, goal)
    matrix = comparison_matrix(store, strategy=2, colour_by="target")
    for code in COUNTY_KOMMUN_CODES:
        cell = matrix.cell(ind.id, code)
        if cell.value is None:
            continue
        assert cell.target is not None and cell.target.value == goal
        # lower is better: below the target is good
        assert cell.target_distance == pytest.approx(goal - cell.value)
        if round_half_up(cell.value, ind.decimals) <= round_half_up(goal, ind.decimals):
            assert cell.target_status is TargetStatus.ACHIEVED
            assert cell.colour_value("target") >= 0
        else:
            assert cell.target_status is not TargetStatus.ACHIEVED
            assert cell.colour_value("target") < 0
