"""The kommuner side by side for one period, drawn from a `Ranking` (indicators/reads/ranking.py):
bars with 95 % Wilson intervals where the source gives numerator and denominator, the county and
Riket as reference lines, and the kommuner whose value is suppressed or missing named in words
instead of drawn as empty bars."""

import pandas as pd

from dashboard.components.figures.base import (
    COUNTY_COLOUR,
    NATION_COLOUR,
    Figure,
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
from indicators.reads.models import IndicatorSummary, Ranking
from indicators.reads.ranking import gap_text
from indicators.vocabulary.formatting import format_value

BAR_COLOUR = "#3a6ea5"  # white labels on it keep a contrast above 4.5:1


def ranking_bars(
    ranking: Ranking,
    indicator: IndicatorSummary,
    source_note: str,
    targets: list[TargetLine] | None = None,
) -> Figure:
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
