"""The kommuner side by side in one period, computed from an indicator_series frame: the bars
in display order with 95 % Wilson intervals where numerator and denominator are known, the
county and Riket as reference values, and the kommuner without a shown value named with the
reason. The Indikator page's ranking chart and its table both draw this one `Ranking`."""

import pandas as pd

from indicators.reads.models import IndicatorSummary, Ranking
from indicators.vocabulary.domain import AreaKind, Direction, ObservationStatus, ValueKind
from indicators.vocabulary.uncertainty import wilson_intervals


def _scale(part: pd.DataFrame, kind: ValueKind) -> float | None:
    """How a proportion numerator/denominator becomes the shown value: 100 for percent, the
    indicator's base (per 100 000 …) for ratios, derived from the rows themselves."""
    if kind is ValueKind.RATE:
        return 100.0
    if kind is ValueKind.RATIO:
        usable = part[(part["numerator"] > 0) & (part["denominator"] > 0)]
        if usable.empty:
            return None
        return float((usable["value"] * usable["denominator"] / usable["numerator"]).median())
    return None


def ranking_data(frame: pd.DataFrame, indicator: IndicatorSummary, period: str) -> Ranking:
    """The period's row per area of `frame` (indicator_series output, one gender)."""
    part = frame[frame["period"] == period]
    kinds = part["area_kind"].map(AreaKind)

    def single(kind: AreaKind) -> tuple[float | None, str]:
        rows = part[kinds == kind]
        if rows.empty:
            return None, ""
        row = rows.iloc[0]
        value = float(row["value"]) if row["status"] == ObservationStatus.OK else None
        return value, str(row["area_name"])

    county, county_name = single(AreaKind.REGION)
    nation, nation_name = single(AreaKind.NATION)
    kommuner = part[kinds == AreaKind.KOMMUN]
    is_ok = kommuner["status"] == ObservationStatus.OK
    shown = kommuner[is_ok].copy()
    scale = _scale(shown, indicator.value_kind)
    if scale is not None and not shown.empty:
        interval = wilson_intervals(shown["numerator"], shown["denominator"]) * scale
        shown["low"], shown["high"] = interval["low"], interval["high"]
    else:
        shown["low"], shown["high"] = float("nan"), float("nan")
    ascending = indicator.direction is Direction.LOWER_BETTER
    shown = shown.sort_values(["value", "area_name"], ascending=[ascending, True])
    gaps = tuple(
        (str(code), str(name), ObservationStatus(st).gap_label)
        for code, name, st in kommuner[~is_ok][["area_code", "area_name", "status"]].itertuples(
            index=False
        )
    )
    bars = shown[["area_code", "area_name", "value", "low", "high"]].reset_index(drop=True)
    return Ranking(
        period=period,
        bars=bars,
        county=county,
        nation=nation,
        county_name=county_name,
        nation_name=nation_name,
        gaps=gaps,
        has_intervals=bool(bars["low"].notna().any()),
    )


def gap_text(ranking: Ranking) -> str:
    """'Sekretess: Aneby, Mullsjö · Saknas: Habo' for the kommuner without a bar."""
    by_label: dict[str, list[str]] = {}
    for _, name, label in ranking.gaps:
        by_label.setdefault(label, []).append(name)
    return " · ".join(
        f"{label.capitalize()}: {', '.join(names)}" for label, names in by_label.items()
    )
