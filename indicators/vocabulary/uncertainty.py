"""Uncertainty of proportions: the Wilson score interval.

Wilson rather than the normal (Wald) interval because the kommuner are small: with 3 of 8 the
Wald interval can run below 0 %, and with 0 of 10 it has no width at all. Wilson stays inside
0..1 and is honest at the edges. The functions return proportions (0..1); callers scale to
percent."""

import math

import numpy as np
import pandas as pd

Z_95 = 1.959964  # two-sided 95 %


def wilson_interval(numerator: float, denominator: float, z: float = Z_95) -> tuple[float, float]:
    """(low, high) of the Wilson score interval for numerator/denominator; (nan, nan) when the
    denominator is missing or not positive, or the numerator is missing or outside 0..n."""
    if (
        numerator is None
        or denominator is None
        or math.isnan(numerator)
        or math.isnan(denominator)
        or denominator <= 0
        or numerator < 0
        or numerator > denominator
    ):
        return (math.nan, math.nan)
    p = numerator / denominator
    z2 = z * z
    centre = (p + z2 / (2 * denominator)) / (1 + z2 / denominator)
    half = (z / (1 + z2 / denominator)) * math.sqrt(
        p * (1 - p) / denominator + z2 / (4 * denominator * denominator)
    )
    # At 0 and n the bounds are exactly 0 and 1; rounding must not leave them a hair inside.
    low = 0.0 if numerator == 0 else max(0.0, centre - half)
    high = 1.0 if numerator == denominator else min(1.0, centre + half)
    return (low, high)


def wilson_intervals(numerator: pd.Series, denominator: pd.Series, z: float = Z_95) -> pd.DataFrame:
    """Vectorised wilson_interval: a frame with columns `low` and `high` (proportions, NaN where
    no interval exists), on the index of `numerator`."""
    n = pd.to_numeric(denominator, errors="coerce").astype("float64").to_numpy()
    k = pd.to_numeric(numerator, errors="coerce").astype("float64").to_numpy()
    valid = (n > 0) & (k >= 0) & (k <= n)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        z2 = z * z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = (z / (1 + z2 / n)) * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
        low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
        low = np.where(valid, low, np.nan)
        high = np.where(valid, high, np.nan)
    return pd.DataFrame({"low": low, "high": high}, index=numerator.index)


def value_interval(
    value: float | None, numerator: float | None, denominator: float | None
) -> tuple[float, float] | None:
    """The 95 % Wilson interval in the value's own scale (percent for a rate, per 100 000 for a
    ratio per 100 000), or None when numerator and denominator are not both known."""
    if value is None or numerator is None or denominator is None:
        return None
    if math.isnan(value) or math.isnan(numerator) or math.isnan(denominator) or denominator <= 0:
        return None
    low, high = wilson_interval(numerator, denominator)
    if math.isnan(low):
        return None
    # The value's scale over the proportion: 100 for a rate, 100 000 for a ratio per 100 000.
    scale = value / (numerator / denominator) if numerator > 0 else 100.0
    return (low * scale, high * scale)
