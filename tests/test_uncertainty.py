"""Wilson intervals against published values and the normal approximation."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.vocabulary.uncertainty import wilson_interval, wilson_intervals


def test_known_values():
    # Newcombe (1998), Statistics in Medicine 17:857–872, method 3 examples, and R binom.wilson.
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(10, 10)
    assert low == pytest.approx(0.7225, abs=1e-4) and high == 1.0
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4) and high == pytest.approx(0.7634, abs=1e-4)
    low, high = wilson_interval(81, 263)
    assert low == pytest.approx(0.2553, abs=1e-4) and high == pytest.approx(0.3662, abs=1e-4)


def test_large_samples_approach_the_normal_interval():
    k, n = 40_000, 100_000
    p = k / n
    half = 1.959964 * math.sqrt(p * (1 - p) / n)
    low, high = wilson_interval(k, n)
    assert low == pytest.approx(p - half, abs=1e-5) and high == pytest.approx(p + half, abs=1e-5)


def test_no_interval_without_a_usable_denominator():
    for k, n in [(1, 0), (float("nan"), 10), (5, float("nan")), (11, 10), (-1, 10)]:
        low, high = wilson_interval(k, n)
        assert math.isnan(low) and math.isnan(high)


def test_vectorised_matches_scalar():
    num = pd.Series([0, 5, 10, None, 3], index=list("abcde"), dtype="float64")
    den = pd.Series([10, 10, 10, 10, 0], index=list("abcde"), dtype="float64")
    frame = wilson_intervals(num, den)
    assert list(frame.index) == list("abcde")
    for key in "abc":
        low, high = wilson_interval(num[key], den[key])
        assert frame.loc[key, "low"] == pytest.approx(low)
        assert frame.loc[key, "high"] == pytest.approx(high)
    assert frame.loc[["d", "e"]].isna().all().all()


@given(st.integers(1, 5000), st.data())
def test_interval_contains_the_estimate_and_stays_in_bounds(n, data):
    k = data.draw(st.integers(0, n))
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
