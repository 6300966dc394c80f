"""Plausibility: what looks wrong in an import even when every rule of the catalogue holds.

Three checks, each with its thresholds named here and the reason for them:

1. Täljare and nämnare (an ERROR, in validation): a value given with both must be what they
   give, in the indicator's kind: a share in percent is 100 · t / n, a mean t / n, a ratio per
   N inhabitants N · t / n (N read from the unit, "per 100 000 invånare"). "Beyond rounding"
   means more than one unit in the value's own last decimal (a source rounds 87,46 to 87,5 or
   to 87) and more than RATIO_RELATIVE_TOLERANCE of the expected value (sources round small
   counts for privacy, which moves t / n a little).
2. The area's own history (a WARNING): a new or changed value far from the rest of its series
   (same indicator, area, gender; the stored values with the file's own laid over them). Far
   means a robust z-score (distance from the series' median in units of its median absolute
   deviation) above ROBUST_Z_LIMIT, the cut-off Iglewicz and Hoaglin recommend for outliers;
   it is only judged with at least MIN_OTHER_VALUES other values, and the spread is never
   taken as smaller than MIN_SPREAD_SHARE of the median (or RATE_MIN_SPREAD percentage points
   for a share): a flat series would otherwise call every small revision an outlier. Besides,
   a share below 1 where the series' median is at least FRACTION_MEDIAN_FLOOR is named for
   what it almost always is: a proportion written as a fraction (0,746 for 74,6 %).
3. Changes to published values (a WARNING that must be confirmed before saving): every stored
   value with status ok is published, on the dashboard and in the API. A new value differing
   from it by more than the indicator's limit needs the analyst's confirmation, and so does a
   published value replaced by a missing marker. The limit is the catalogue's
   `revision_limit` (in the indicator's unit) when set; otherwise DEFAULT_RATE_POINTS
   percentage points for shares, DEFAULT_RELATIVE_CHANGE of the published value for other
   kinds, and any change at all for coded answers (a category is either the same or not)."""

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.vocabulary.domain import ObservationStatus, ValueKind

# 1. Täljare and nämnare.
RATIO_RELATIVE_TOLERANCE = 0.005
# The most decimals a value's own rounding is read to; floats carry noise beyond that.
MAX_DECIMALS = 6
# Scales tried for a ratio whose unit names none ("kvot"): per one, per cent, per mille, …
RATIO_SCALES = (1.0, 100.0, 1_000.0, 10_000.0, 100_000.0)

# 2. History.
ROBUST_Z_LIMIT = 3.5
MAD_TO_SD = 1.4826  # the MAD of a normal distribution times this is its standard deviation
MIN_OTHER_VALUES = 4
MIN_SPREAD_SHARE = 0.05
RATE_MIN_SPREAD = 1.0
FRACTION_MEDIAN_FLOOR = 10.0

# 3. Published values.
DEFAULT_RATE_POINTS = 5.0
DEFAULT_RELATIVE_CHANGE = 0.10

SERIES = ["indicator_id", "area_code", "period_type", "gender"]
_OK = ObservationStatus.OK.value


def ratio_scale(kind: ValueKind, unit: str) -> float | None:
    """What t / n is multiplied by to give the value; None when the kind does not say (a
    median, an index, a count, a coded answer, or a ratio whose unit names no scale)."""
    if kind is ValueKind.RATE:
        return 100.0
    if kind is ValueKind.MEAN:
        return 1.0
    if kind is ValueKind.RATIO:
        match = re.search(r"per\s+(\d[\d\s\u00a0\u202f]*)", unit)
        if match:
            return float(re.sub(r"\D", "", match[1]))
    return None


def own_decimals(values: np.ndarray) -> np.ndarray:
    """The number of decimals each value was written with (at most MAX_DECIMALS)."""
    decimals = np.full(len(values), MAX_DECIMALS, dtype=int)
    for d in range(MAX_DECIMALS - 1, -1, -1):
        with np.errstate(invalid="ignore"):
            exact = np.abs(values - np.round(values, d)) <= 1e-9 * np.maximum(1.0, np.abs(values))
        decimals[exact] = d
    return decimals


def ratio_mismatch(
    value: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    scale: np.ndarray,
    scale_known: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(mask, expected): rows whose value is not scale · t / n beyond rounding. `scale` holds
    each row's factor where `scale_known`; the other rows (a ratio without a scale in its unit)
    pass when any of RATIO_SCALES fits. Rows without both counts, or with n ≤ 0, pass."""
    with np.errstate(invalid="ignore", divide="ignore"):
        given = ~np.isnan(value) & ~np.isnan(numerator) & ~np.isnan(denominator) & (denominator > 0)
        share = numerator / denominator
        step = 10.0 ** (-own_decimals(value))

        def fits(factor: np.ndarray | float) -> np.ndarray:
            expected = factor * share
            tolerance = np.maximum(step, RATIO_RELATIVE_TOLERANCE * np.abs(expected)) + 1e-9
            fit: np.ndarray = np.abs(value - expected) <= tolerance
            return fit

        fits_known = fits(scale)
        fits_any = np.zeros(len(value), dtype=bool)
        for factor in RATIO_SCALES:
            fits_any |= fits(factor)
        mask = given & np.where(scale_known, ~fits_known, ~fits_any)
        expected = np.where(scale_known, scale * share, share)
    return mask, expected


def history_reasons(
    incoming: pd.DataFrame, stored: pd.DataFrame, kinds: Mapping[str, ValueKind]
) -> dict[int, str]:
    """Warnings for incoming values (a frame with SERIES, period_start, value, status and
    `position`) that lie far from their series: position → reason in Swedish. `stored` holds
    what the store has for the same indicators and areas; incoming values replace stored ones
    of the same key. Coded answers are categories and never judged this way."""
    if incoming.empty:
        return {}
    key = [*SERIES, "period_start"]
    checked = incoming[(incoming["status"].astype(str) == _OK) & incoming["value"].notna()]
    checked = checked[_kinds_of(checked["indicator_id"], kinds) != ValueKind.CODED]
    if checked.empty:
        return {}
    mine = _dated(incoming[[*key, "value", "status"]])
    others = _dated(stored[[*key, "value", "status"]])
    if len(others):
        # Only series that have something to judge, and none of the keys the file replaces.
        series_wanted = checked[SERIES].drop_duplicates()
        others = others.merge(series_wanted, on=SERIES, how="inner")
        replaced = others.merge(mine[key], on=key, how="left", indicator=True)["_merge"]
        others = others[(replaced == "left_only").to_numpy()]
    series = pd.concat([mine, others], ignore_index=True)
    series = series[(series["status"].astype(str) == _OK) & series["value"].notna()]
    series = series.astype({"value": float})
    # One group number per series for the judged values and the series' values together (one
    # factorisation of the four key columns), then median, count and median absolute
    # deviation by that number.
    keys = pd.concat([checked[SERIES], series[SERIES]], ignore_index=True)
    codes = keys.groupby(SERIES, sort=False, dropna=False).ngroup().to_numpy()
    mine_codes, series_codes = codes[: len(checked)], codes[len(checked) :]
    values = series["value"].to_numpy(dtype=float)
    grouped = pd.Series(values).groupby(series_codes)
    groups = int(codes.max()) + 1 if len(codes) else 0
    medians, counts, mads = (
        np.full(groups, np.nan),
        np.zeros(groups, dtype=int),
        np.full(groups, np.nan),
    )
    found = grouped.median()
    medians[found.index.to_numpy()] = found.to_numpy()
    found = grouped.count()
    counts[found.index.to_numpy()] = found.to_numpy()
    found = pd.Series(np.abs(values - medians[series_codes])).groupby(series_codes).median()
    mads[found.index.to_numpy()] = found.to_numpy()
    judged = checked.reset_index(drop=True)
    value = judged["value"].to_numpy(dtype=float)
    median = medians[mine_codes]
    count = counts[mine_codes]
    is_rate = _kinds_of(judged["indicator_id"], kinds) == ValueKind.RATE
    fraction = is_rate & (value > 0) & (value < 1) & (count >= 2)
    fraction &= median >= FRACTION_MEDIAN_FLOOR
    floor = np.where(is_rate, RATE_MIN_SPREAD, 1e-12)
    spread = np.maximum.reduce(
        [MAD_TO_SD * mads[mine_codes], MIN_SPREAD_SHARE * np.abs(median), floor]
    )
    z = np.abs(value - median) / spread
    outlier = ~fraction & (count - 1 >= MIN_OTHER_VALUES) & (z > ROBUST_Z_LIMIT)
    reasons: dict[int, str] = {}
    flagged = np.flatnonzero(fraction | outlier)
    if not flagged.size:
        return reasons
    # The other values of each flagged value's series (its own period left out), for the range
    # a warning quotes: one merge for all of them, not a filter per warning (a synthetic file
    # of a million values gives thousands).
    named = _dated(judged.iloc[flagged][[*key, "position"]]).assign(at=flagged)
    pool = named.merge(series[[*key, "value"]], on=SERIES, suffixes=("", "_other"))
    pool = pool[(pool["period_start"] != pool["period_start_other"]).to_numpy()]
    ranges = pool.groupby("at", sort=False)["value"].agg(["min", "max"])
    low = ranges["min"].reindex(flagged).to_numpy(dtype=float)
    high = ranges["max"].reindex(flagged).to_numpy(dtype=float)
    positions = named["position"].to_numpy(dtype=int)
    for i, at in enumerate(flagged):
        x, mid = value[at], median[at]
        quoted = f"{_number(low[i])}–{_number(high[i])}" if not np.isnan(low[i]) else "–"
        if fraction[at]:
            reasons[int(positions[i])] = (
                f"Andelen {_number(x)} är under 1 medan seriens median är {_number(mid)} "
                f"(övriga värden {quoted}): är den skriven som bråk i stället för procent "
                f"({_number(x)} i stället för {_number(x * 100)})?"
            )
        else:
            reasons[int(positions[i])] = (
                f"Värdet {_number(x)} ligger långt från områdets egen serie: median "
                f"{_number(mid)}, övriga värden {quoted} ({count[at]} värden; robust z-poäng "
                f"{_number(z[at], 1)}, varning över {_number(ROBUST_Z_LIMIT, 1)}). "
                "Kontrollera värdet."
            )
    return reasons


def _kinds_of(ids: pd.Series, kinds: Mapping[str, ValueKind]) -> np.ndarray:
    """Each id's kind (None when unknown), looked up once per distinct id."""
    codes, uniques = pd.factorize(ids.to_numpy(dtype=object))
    table = np.full(len(uniques) + 1, None, dtype=object)  # the last: factorize's -1 (missing)
    for i, unique in enumerate(uniques):
        table[i] = kinds.get(unique)
    found: np.ndarray = table[codes]
    return found


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """One representation of period_start (the store hands it over as text or as a date)."""
    return frame.assign(period_start=pd.to_datetime(frame["period_start"]).dt.date)


def revision_reason(
    kind: ValueKind,
    old_value: float,
    old_status: str,
    new_value: float,
    new_status: str,
    *,
    limit: float | None,
    unit: str,
) -> str | None:
    """Why a change to a stored value must be confirmed, or None. Only a published value (status
    ok with a number) is guarded; filling in a gap or changing a marker is not."""
    if old_status != _OK or math.isnan(old_value):
        return None
    if new_status != _OK or math.isnan(new_value):
        word = ObservationStatus(new_status).gap_label
        return (
            f"Det publicerade värdet {_number(old_value)} ersätts av '{word}'. Bekräfta att "
            "det ska tas bort."
        )
    change = new_value - old_value
    arrow = f"{_number(old_value)} → {_number(new_value)} ({_signed(change)})"
    if limit is not None:
        if abs(change) <= limit + 1e-9:
            return None
        return (
            f"Publicerat värde ändras mer än katalogens gräns {_number(limit)} {unit}: {arrow}. "
            "Bekräfta ändringen."
        )
    if kind is ValueKind.CODED:
        if change == 0:
            return None
        return f"Publicerat kodat svar ändras: {arrow}. Bekräfta ändringen."
    if kind is ValueKind.RATE:
        if abs(change) <= DEFAULT_RATE_POINTS + 1e-9:
            return None
        return (
            f"Publicerat värde ändras mer än {_number(DEFAULT_RATE_POINTS, 0)} procentenheter: "
            f"{arrow}. Bekräfta ändringen."
        )
    if abs(change) <= DEFAULT_RELATIVE_CHANGE * abs(old_value) + 1e-9:
        return None
    share = f"{_number(100 * DEFAULT_RELATIVE_CHANGE, 0)} %"
    return (
        f"Publicerat värde ändras mer än {share} av det publicerade värdet: {arrow}. "
        "Bekräfta ändringen."
    )


def _number(value: float, decimals: int | None = None) -> str:
    """Swedish decimals: as few as the value needs (at most four), or exactly `decimals`."""
    if decimals is not None:
        text = f"{value:.{decimals}f}"
    else:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    if text in ("-0", "-0,0"):
        text = text[1:]
    return text.replace(".", ",").replace("-", "−")


def _signed(change: float) -> str:
    text = _number(change)
    return text if text.startswith("−") else f"+{text}"
