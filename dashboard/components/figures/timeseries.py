"""Lines over time per area, and the honest empty chart."""

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.figures.base import (
    COUNTY_COLOUR,
    NATION_COLOUR,
    base_layout,
    figure,
    kommun_colour,
    merge,
)
from dashboard.components.figures.targetline import TargetLine, target_overlay
from indicators.reads.models import IndicatorSummary
from indicators.vocabulary.domain import AreaKind, ObservationStatus, ValueKind
from indicators.vocabulary.formatting import format_value


def time_series(
    frame: pd.DataFrame,
    indicator: IndicatorSummary,
    source_note: str,
    targets: list[TargetLine] | None = None,
    style: dict | None = None,
) -> go.Figure:
    """Lines per area; the county bold, Riket dashed, kommuner thin. Missing and suppressed
    periods stay gaps: values are NaN there and gaps are never connected. `targets` are drawn as
    dashed lines across the plot; `style` is layout merged in last (the meeting-room sizes)."""
    traces: list[dict] = []
    kinds = set(frame["area_kind"])
    # Counts are sums: Riket's ten million would flatten every kommun to a line at zero. With
    # kommuner chosen, the totals stay in the table and the chart says so.
    totals_apart = indicator.value_kind is ValueKind.COUNT and AreaKind.KOMMUN in kinds
    if totals_apart:
        source_note += " · Riket och länet visas i tabellen (annan skala)"
    # Later traces are drawn on top: kommuner first, Riket, then the county over everything.
    # legendrank keeps the legend in reading order: Riket, the county, the kommuner.
    draw_order = {AreaKind.KOMMUN: 0, AreaKind.UNIT: 0, AreaKind.NATION: 1, AreaKind.REGION: 2}
    groups = list(frame.groupby(["area_code", "area_name", "area_kind"], sort=False))
    ranks = {key: rank for rank, (key, _) in enumerate(groups)}
    for (code, name, raw_kind), part in sorted(groups, key=lambda g: draw_order[g[0][2]]):
        # A string-backed pandas column (pyarrow) hands enums back as plain text.
        kind = AreaKind(raw_kind)
        if totals_apart and kind is not AreaKind.KOMMUN:
            continue
        values = part["value"].where(part["status"] == ObservationStatus.OK)
        if kind is AreaKind.NATION:
            line, colour = {"width": 3, "dash": "dash", "color": NATION_COLOUR}, NATION_COLOUR
        elif kind is AreaKind.REGION:
            line, colour = {"width": 5, "color": COUNTY_COLOUR}, COUNTY_COLOUR
        else:
            colour = kommun_colour(code)
            line = {"width": 2, "color": colour}
        labels = [
            format_value(v, indicator.decimals, indicator.unit)
            if st == ObservationStatus.OK
            else ObservationStatus(st).label
            for v, st in zip(part["value"], part["status"], strict=True)
        ]
        traces.append(
            {
                "type": "scatter",
                "x": part["period"],
                "y": values,
                "name": name,
                "mode": "lines+markers",
                "line": line,
                "marker": {"size": 7, "color": colour},
                "connectgaps": False,
                "customdata": labels,
                "hovertemplate": f"{name} %{{x}}: %{{customdata}}<extra></extra>",
                "meta": code,
                "legendrank": ranks[(code, name, kind)],
            }
        )
    layout = {
        "xaxis": {"type": "category", "title": None, "showgrid": False, "linecolor": "#888"},
        "yaxis": {
            "title": {"text": indicator.unit},
            "gridcolor": "#e3e3e3",
            "zeroline": False,
            # Whole numbers with thousands separators, never "2M".
            "exponentformat": "none",
            "separatethousands": True,
            "rangemode": "tozero" if indicator.unit == "%" else "normal",
        },
    }
    merge(layout, base_layout(indicator.short_title, source_note), style or {})
    target_overlay(targets or [], axis="y").apply(traces, layout)
    return figure(traces, layout)


def no_data_figure(
    indicator: IndicatorSummary, message: str, style: dict | None = None
) -> go.Figure:
    """An honest empty chart: a sentence instead of axes that suggest a scale."""
    layout = {
        "annotations": [
            {
                "text": message,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 18, "color": "#444"},
            }
        ],
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
    }
    return figure([], merge(layout, base_layout(indicator.short_title, ""), style or {}))
