"""The spread across the 13 kommuner in one period: one dot per kommun on a single axis, the county
as a marker of its own, and the kommuner whose value is secret or missing named under the axis.
Values are the ones shown after suppression; a hidden value is never drawn, not even as zero."""

from dashboard.components.figures.base import (
    FONT,
    SMALL_TEMPLATE,
    Figure,
    base_layout,
    figure,
    merge,
)
from indicators.reads.models import AreaValue, IndicatorSummary, Spread
from indicators.vocabulary.formatting import format_value

KOMMUN_DOT = "#4f6f99"
EXTREME_DOT = "#1a1a1a"
TARGET_COLOUR = "#1b6e3c"
HEIGHT = 230


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(names)


def _labels(shown: list[AreaValue], spread: Spread) -> list[str]:
    """Names at the two ends; kommuner tied at an end share one label instead of overprinting."""
    labels = []
    for k in shown:
        if k.name in spread.lowest[:1]:
            labels.append(_names(spread.lowest))
        elif k.name in spread.highest[:1] and spread.highest != spread.lowest:
            labels.append(_names(spread.highest))
        else:
            labels.append("")
    return labels


def spread_strip(
    spread: Spread,
    indicator: IndicatorSummary,
    source_note: str,
    *,
    county: AreaValue | None = None,
    target: float | None = None,
) -> Figure:
    """A dot strip of the kommuner, the lowest and highest labelled by name, the county as a
    diamond and the target, when there is one, as a dashed line."""
    unit, decimals = indicator.unit, indicator.decimals
    shown = [k for k in spread.kommuner if k.value is not None]
    extremes = set(spread.lowest) | set(spread.highest)
    traces: list[dict] = [
        {
            "type": "scatter",
            "x": [k.value for k in shown],
            "y": [0] * len(shown),
            "mode": "markers+text",
            "name": "Kommun",
            "text": _labels(shown, spread),
            # Names lean inwards so the ends of the axis do not cut them off.
            "textposition": ["top right" if k.name in spread.lowest else "top left" for k in shown],
            "textfont": {"size": 13},
            "marker": {
                "size": 14,
                "color": [EXTREME_DOT if k.name in extremes else KOMMUN_DOT for k in shown],
                "opacity": 0.85,
                "line": {"width": 1, "color": "white"},
            },
            "hovertext": [f"{k.name}: {format_value(k.value, decimals, unit)}" for k in shown],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    ]
    if county is not None and county.value is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [county.value],
                "y": [0],
                "mode": "markers",
                "name": "Länet",
                "marker": {
                    "symbol": "diamond",
                    "size": 18,
                    "color": "#c8102e",
                    "line": {"width": 2, "color": "white"},
                },
                "hovertemplate": (
                    f"{county.name}: {format_value(county.value, decimals, unit)}<extra></extra>"
                ),
            }
        )
    shapes, annotations = [], []
    if target is not None:
        # What plotly's add_vline(annotation_position="bottom right") draws, written out.
        shapes.append(
            {
                "type": "line",
                "x0": target,
                "x1": target,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"dash": "dash", "color": TARGET_COLOUR, "width": 2},
            }
        )
        annotations.append(
            {
                "text": f"Mål {format_value(target, decimals, unit)}",
                "font": {"color": TARGET_COLOUR, "size": 13},
                "showarrow": False,
                "x": target,
                "xanchor": "left",
                "xref": "x",
                "y": 0,
                "yanchor": "bottom",
                "yref": "y domain",
            }
        )
    hidden = []
    if spread.suppressed:
        hidden.append(f"Sekretess: {_names(spread.suppressed)}")
    if spread.missing:
        hidden.append(f"Saknas: {_names(spread.missing)}")
    if hidden:
        annotations.append(
            {
                "text": " · ".join(hidden),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.42,
                "xanchor": "left",
                "align": "left",
                "font": {"size": 13, "color": "#444", "family": FONT},
            }
        )
    layout: dict = {"template": SMALL_TEMPLATE}
    if shapes:
        layout["shapes"] = shapes
    if annotations:
        layout["annotations"] = annotations
    merge(
        layout,
        {
            "yaxis": {"visible": False, "range": [-1, 1.4], "fixedrange": True},
            "xaxis": {
                "title": None,
                "ticksuffix": " %" if unit == "%" else "",
                "gridcolor": "#e3e3e3",
                "zeroline": False,
                "automargin": True,
                "linecolor": "white",
                "ticks": "",
                "exponentformat": "none",
                "separatethousands": True,
                "fixedrange": True,
            },
        },
        base_layout(f"Spridning mellan kommunerna {spread.period}", source_note),
        {
            "height": HEIGHT,
            "showlegend": True,
            "title": {"font": {"size": 15}, "subtitle": {"font": {"size": 12}}},
            "margin": {"l": 24, "r": 24, "t": 62, "b": 70 if hidden else 44},
            "legend": {
                "y": 1.18,
                "x": 1,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 12},
            },
        },
    )
    return figure(traces, layout)
