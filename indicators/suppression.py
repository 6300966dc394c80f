"""Small-number suppression (röjandekontroll) of observation frames, before anything is shown.

Rules, following the usual practice of Socialstyrelsen and SCB:

- Primary: a value that rests on 1–4 people is hidden. "Rests on" means its numerator or
  denominator, or for value kind count the value itself, is at least 1 and below the threshold
  (settings.suppression_threshold, default 5). A 0 is not small: nobody can be recognised in an
  empty group, and hiding zeros would hide the good news too.
- Secondary: a hidden cell must not be recoverable from the cells shown next to it. For one
  area and period, when exactly one of K and M is hidden, the other is hidden as well (so
  T − M cannot reveal K); when T is hidden but K and M are both shown, K and M are hidden (their
  numerators and denominators would add up to T).

A suppressed cell gets status "suppressed", value, numerator and denominator NaN, and a reason in
the column `status_reason` (added when the frame has none). Cells that are already suppressed
keep their reason; missing and not-applicable cells are left alone.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.domain import Gender, ObservationStatus, ValueKind

REASON_COLUMN = "status_reason"
SECONDARY_REASON = "sekretess (skyddar en dold uppgift)"


def primary_reason(threshold: int) -> str:
    return f"färre än {threshold}"


def _small(values: pd.Series, threshold: int) -> pd.Series:
    return (values >= 1) & (values < threshold)


def suppress(
    frame: pd.DataFrame,
    threshold: int = 5,
    *,
    value_kind: ValueKind | str | None = None,
    kinds: Mapping[str, ValueKind | str] | None = None,
) -> pd.DataFrame:
    """A copy of `frame` (columns as queries.SERIES_COLUMNS) with small numbers hidden.

    Pure: the input is not changed. Works on any subset of genders; secondary suppression needs
    the K and M rows (and T) of an area and period in the same frame to see each other. A frame
    of several indicators (column `indicator_id`) is judged in one pass: `kinds` gives each
    indicator's value kind, and cells only protect cells of their own indicator."""
    out = frame.copy()
    if REASON_COLUMN not in out.columns:
        out[REASON_COLUMN] = ""
    if out.empty:
        return out
    status = out["status"].astype(str)
    ok = status == ObservationStatus.OK
    small = pd.Series(False, index=out.index)
    for column in ("numerator", "denominator"):
        if column in out.columns:
            small |= _small(pd.to_numeric(out[column], errors="coerce"), threshold)
    if value_kind is not None and ValueKind(value_kind) is ValueKind.COUNT:
        small |= _small(pd.to_numeric(out["value"], errors="coerce"), threshold)
    elif kinds is not None:
        counts = [i for i, kind in kinds.items() if ValueKind(kind) is ValueKind.COUNT]
        is_count = out["indicator_id"].astype(str).isin(counts)
        small |= is_count & _small(pd.to_numeric(out["value"], errors="coerce"), threshold)
    primary = ok & small
    _hide(out, primary, primary_reason(threshold))

    secondary = _secondary(out)
    _hide(out, secondary, SECONDARY_REASON)
    return out


def _hide(out: pd.DataFrame, mask: pd.Series, reason: str) -> None:
    if not mask.any():
        return
    out.loc[mask, "status"] = ObservationStatus.SUPPRESSED
    for column in ("value", "numerator", "denominator"):
        if column in out.columns:
            out.loc[mask, column] = np.nan
    out.loc[mask, REASON_COLUMN] = reason


def _secondary(out: pd.DataFrame) -> pd.Series:
    """Shown cells that would let a reader work out a hidden K, M or T of the same cell."""
    mask = pd.Series(False, index=out.index)
    if "gender" not in out.columns or "area_code" not in out.columns:
        return mask
    when = "period_start" if "period_start" in out.columns else "period"
    gender = out["gender"].astype(str)
    status = out["status"].astype(str)
    hidden = status == ObservationStatus.SUPPRESSED
    shown = status == ObservationStatus.OK
    keys = [out["area_code"].astype(str), out[when].astype(str)]
    if "indicator_id" in out.columns:
        keys.insert(0, out["indicator_id"].astype(str))

    def count(condition: pd.Series) -> pd.Series:
        return condition.astype(int).groupby(keys).transform("sum")

    is_km = gender.isin([Gender.WOMEN, Gender.MEN])
    if not is_km.any():
        return mask  # totals alone: no K or M cell to work a hidden one out from
    hidden_km = count(is_km & hidden)
    shown_km = count(is_km & shown)
    hidden_t = count((gender == Gender.TOTAL) & hidden)
    # exactly one of K/M hidden: hide the other one
    mask |= is_km & shown & (hidden_km == 1)
    # T hidden, K and M both shown: K + M would give T back
    mask |= is_km & shown & (hidden_t >= 1) & (shown_km == 2)
    return mask
