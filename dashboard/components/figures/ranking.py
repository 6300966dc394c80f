"""The kommuner side by side for one period: bars with 95 % Wilson intervals where the source
gives numerator and denominator, the county and Riket as reference lines, and the kommuner whose
value is suppressed or missing named in words instead of drawn as empty bars."""

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.figures.base import (
    COUNTY_COLOUR,
    NATION_COLOUR,
    base_layout,
    figure,
    merge,
)
from dashboard.components.figures.targetline import (
    Overlay,
    TargetLine,
    reference_line,
    target_overlay,
)
from indicators.domain import AreaKind, Direction, ObservationStatus, ValueKind
from indicators.formatting import format_value
from indicators.queries import IndicatorSummary
from indicators.uncertainty import wilson_intervals

NO_INTERVAL_NOTE = "Osäkerhetsintervall visas inte: källan anger inte täljare och nämnare."
BAR_COLOUR = "#3a6ea5"  # white labels on it keep a contrast above 4.5:1
INTERVAL_NOTE = "Strecken visar 95 % osäkerhetsintervall (Wilson) utifrån täljare och nämnare."


@dataclass(frozen=True)
class Ranking:
    """What the ranking shows, for the chart and its table alike."""

    period: str
    bars: pd.DataFrame  # area_code, area_name, value, low, high; in display order, best first
    county: float | None
    nation: float | None
    county_name: str
    nation_name: str
    gaps: tuple[tuple[str, str, str], ...]  # (area_code, area_name, "sekretess" | "saknas" | …)
    has_intervals: bool

    @property
    def note(self) -> str:
        return INTERVAL_NOTE if self.has_intervals else NO_INTERVAL_NOTE


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
        (str(code), str(name), ObservationStatus(st).label or "saknas")
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


def ranking_bars(
    ranking: Ranking,
    indicator: IndicatorSummary,
    source_note: str,
    targets: list[TargetLine] | None = None,
) -> go.Figure:
    """Horizontal bars, best first (by the indicator's direction; highest first when it has
    none), with the interval as error bars and the county, Riket and target as lines."""
    bars = ranking.bars

    def fmt(v: float | None) -> str:
        return format_value(v, indicator.decimals, indicator.unit)

    intervals = [
        f"95 % intervall {fmt(lo)}–{fmt(hi)}" if pd.notna(lo) else "inget intervall"
        for lo, hi in zip(bars["low"], bars["high"], strict=True)
    ]
    traces: list[dict] = [
        {
            "type": "bar",
            "x": bars["value"],
            "y": bars["area_name"],
            "orientation": "h",
            # one colour: the bars compare values, the colours of the kommuner add nothing here
            "marker": {"color": BAR_COLOUR},
            "text": [fmt(v) for v in bars["value"]],
            "textposition": "inside",
            "insidetextanchor": "start",
            "textfont": {"color": "white"},
            "error_x": {
                "type": "data",
                "symmetric": False,
                "array": (bars["high"] - bars["value"]).tolist(),
                "arrayminus": (bars["value"] - bars["low"]).tolist(),
                "color": "#1a1a1a",
                "thickness": 2,
                "width": 6,
                "visible": ranking.has_intervals,
            },
            "customdata": list(zip([fmt(v) for v in bars["value"]], intervals, strict=True)),
            "hovertemplate": "%{y}: %{customdata[0]} (%{customdata[1]})<extra></extra>",
            "name": f"Kommuner {ranking.period}",
            "showlegend": False,
            "meta": list(bars["area_code"]),
        }
    ]
    overlay = Overlay()
    if ranking.county is not None:
        reference_line(
            overlay,
            ranking.county,
            f"{ranking.county_name} {fmt(ranking.county)}",
            {"color": COUNTY_COLOUR, "width": 3},
        )
    if ranking.nation is not None:
        reference_line(
            overlay,
            ranking.nation,
            f"{ranking.nation_name} {fmt(ranking.nation)}",
            {"color": NATION_COLOUR, "width": 3, "dash": "dot"},
        )
    target_overlay(targets or [], axis="x", overlay=overlay)
    note = f"{source_note} · {ranking.note}"
    axis_title = indicator.unit
    if ranking.gaps:
        # Suppressed and missing kommuner are named, not drawn as bars of length zero.
        axis_title += f"<br><span style='font-size:14px'>{gap_text(ranking)}</span>"
    layout: dict = {
        "yaxis": {"autorange": "reversed", "type": "category", "title": None},
        "xaxis": {
            "title": {"text": axis_title},
            "gridcolor": "#e3e3e3",
            "zeroline": True,
            "zerolinecolor": "#888",
            "exponentformat": "none",
            "separatethousands": True,
            "rangemode": "tozero",
        },
    }
    overlay.apply(traces, layout)
    merge(
        layout,
        base_layout(f"{indicator.short_title} – kommunerna {ranking.period}", note),
        {"height": 260 + 34 * max(len(bars), 1), "legend": {"y": -0.18}},
    )
    return figure(traces, layout)
