"""Small-number suppression: primary (1–4 hidden, 0 shown) and secondary (T − M cannot reveal K).

These frames hold a few kommuner without their region, so most pass `parents={}` (no sums over
areas) to look at one rule at a time; tests/test_suppression_hierarchy.py covers the sums."""

import math
from datetime import date

import pandas as pd

from indicators.reads.queries import SERIES_COLUMNS
from indicators.reads.suppression import REASON_COLUMN, SECONDARY_REASON, suppress
from indicators.vocabulary.domain import AreaKind, Gender, ObservationStatus, ValueKind

OK, SUPPRESSED, MISSING = (
    ObservationStatus.OK,
    ObservationStatus.SUPPRESSED,
    ObservationStatus.MISSING,
)
T, K, M = Gender.TOTAL, Gender.WOMEN, Gender.MEN


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (area, year, gender, value, numerator, denominator, status)"""
    return pd.DataFrame(
        [
            (a, a, AreaKind.KOMMUN, str(y), date(y, 1, 1), g, v, n, d, st)
            for a, y, g, v, n, d, st in rows
        ],
        columns=SERIES_COLUMNS,
    ).astype({"value": "float64", "numerator": "float64", "denominator": "float64"})


def _cell(frame: pd.DataFrame, area: str, gender: Gender) -> pd.Series:
    return frame[(frame["area_code"] == area) & (frame["gender"] == gender)].iloc[0]


def test_primary_hides_one_to_four_but_not_zero():
    frame = _frame([
        ("0604", 2024, T, 40.0, 4, 10, OK),
        ("0617", 2024, T, 0.0, 0, 12, OK),
        ("0642", 2024, T, 50.0, 5, 10, OK),
        ("0643", 2024, T, 75.0, 3, 4, OK),  # small denominator too
    ])  # fmt: skip
    out = suppress(frame, 5)
    small = _cell(out, "0604", T)
    assert small["status"] == SUPPRESSED
    assert math.isnan(small["value"]) and math.isnan(small["numerator"])
    assert math.isnan(small["denominator"])
    assert small[REASON_COLUMN] == "färre än 5"
    assert _cell(out, "0617", T)["status"] == OK and _cell(out, "0617", T)["value"] == 0.0
    assert _cell(out, "0642", T)["status"] == OK and _cell(out, "0642", T)["value"] == 50.0
    assert _cell(out, "0643", T)["status"] == SUPPRESSED


def test_input_frame_is_not_changed_and_threshold_is_configurable():
    frame = _frame([("0604", 2024, T, 70.0, 7, 10, OK)])
    before = frame.copy()
    assert _cell(suppress(frame, 10), "0604", T)[REASON_COLUMN] == "färre än 10"
    assert _cell(suppress(frame, 5), "0604", T)["status"] == OK
    pd.testing.assert_frame_equal(frame, before)


def test_counts_hide_the_value_itself_only_for_count_indicators():
    frame = _frame([
        ("0604", 2024, T, 3.0, None, None, OK),
        ("0617", 2024, T, 0.0, None, None, OK),
    ])  # fmt: skip
    counted = suppress(frame, 5, value_kind=ValueKind.COUNT, parents={})
    assert _cell(counted, "0604", T)["status"] == SUPPRESSED
    assert _cell(counted, "0617", T)["status"] == OK
    # a mean of 3 days rests on no count: it stays
    mean = suppress(frame, 5, value_kind=ValueKind.MEAN, parents={})
    assert _cell(mean, "0604", T)["status"] == OK


def test_secondary_hides_the_other_gender_so_total_minus_men_cannot_reveal_women():
    frame = _frame([
        ("0604", 2024, T, 60.0, 12, 20, OK),
        ("0604", 2024, K, 37.5, 3, 8, OK),  # primary
        ("0604", 2024, M, 75.0, 9, 12, OK),  # secondary: T − M would give K
        ("0617", 2024, T, 50.0, 20, 40, OK),
        ("0617", 2024, K, 50.0, 10, 20, OK),
        ("0617", 2024, M, 50.0, 10, 20, OK),
    ])  # fmt: skip
    out = suppress(frame, 5, parents={})
    assert _cell(out, "0604", T)["status"] == OK
    assert _cell(out, "0604", K)["status"] == SUPPRESSED
    men = _cell(out, "0604", M)
    assert men["status"] == SUPPRESSED and math.isnan(men["value"])
    assert men[REASON_COLUMN] == SECONDARY_REASON
    assert (out[out["area_code"] == "0617"]["status"] == OK).all()


def test_secondary_respects_cells_hidden_at_the_source_and_ignores_missing():
    frame = _frame([
        ("0604", 2023, K, None, None, None, SUPPRESSED),  # hidden by the source
        ("0604", 2023, M, 80.0, 16, 20, OK),
        ("0604", 2024, K, None, None, None, MISSING),  # bortfall is not a secret
        ("0604", 2024, M, 80.0, 16, 20, OK),
        ("0617", 2024, T, None, None, None, SUPPRESSED),
        ("0617", 2024, K, 50.0, 10, 22, OK),  # K + M would give T back: the smaller goes
        ("0617", 2024, M, 50.0, 10, 20, OK),
    ])  # fmt: skip
    out = suppress(frame, 5, parents={})
    by = {(a, p, g): st for a, p, g, st in out[["area_code", "period", "gender", "status"]].values}
    assert by[("0604", "2023", M)] == SUPPRESSED
    assert by[("0604", "2024", M)] == OK
    assert by[("0617", "2024", M)] == SUPPRESSED and by[("0617", "2024", K)] == OK


def test_empty_frame_gets_the_reason_column():
    out = suppress(_frame([]), 5)
    assert out.empty and REASON_COLUMN in out.columns


def test_several_indicators_are_judged_in_one_pass_each_by_its_own_kind_and_cells():
    rate = _frame(
        [
            ("0604", 2024, T, 40.0, 40, 100, OK),
            ("0604", 2024, K, 50.0, 3, 6, OK),  # small: hidden, and M with it
            ("0604", 2024, M, 40.0, 37, 94, OK),
        ]
    ).assign(indicator_id="A")
    count = _frame(
        [
            ("0604", 2024, T, 3.0, math.nan, math.nan, OK),  # a count of 3: hidden
            ("0604", 2024, K, 20.0, math.nan, math.nan, OK),
            ("0604", 2024, M, 22.0, math.nan, math.nan, OK),
        ]
    ).assign(indicator_id="B")
    both = suppress(
        pd.concat([rate, count], ignore_index=True),
        5,
        kinds={"A": "rate", "B": "count"},
        parents={},
    )
    one_by_one = pd.concat(
        [
            suppress(rate, 5, value_kind="rate", parents={}),
            suppress(count, 5, value_kind="count", parents={}),
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(both, one_by_one)
    shown = both.set_index(["indicator_id", "gender"])["status"]
    assert shown[("A", T)] == OK  # B's hidden T does not reach across to A
    assert (shown[("A", K)], shown[("A", M)]) == (SUPPRESSED, SUPPRESSED)
    # B's T is hidden, so one of K and M goes with it (the smaller: K + M would give T back)
    assert (shown[("B", T)], shown[("B", K)], shown[("B", M)]) == (SUPPRESSED, SUPPRESSED, OK)
