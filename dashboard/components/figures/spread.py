"""The spread across the 13 kommuner in one period: one dot per kommun on a single axis, the county
as a marker of its own, and the kommuner whose value is secret or missing named under the axis.
Values are the ones shown after suppression; a hidden value is never drawn, not even as zero."""

import plotly.graph_objects as go

from dashboard.components.figures.base import FONT, base_layout
from indicators.followup.strategy import AreaValue, Spread
from indicators.formatting import format_value
from indicators.queries import IndicatorSummary

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
) -> go.Figure:
    """A dot strip of the kommuner, the lowest and highest labelled by name, the county as a
    diamond and the target, when there is one, as a dashed line."""
    unit, decimals = indicator.unit, indicator.decimals
    shown = [k for k in spread.kommuner if k.value is not None]
    extremes = set(spread.lowest) | set(spread.highest)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[k.value for k in shown],
            y=[0] * len(shown),
            mode="markers+text",
            name="Kommun",
            text=_labels(shown, spread),
            # Names lean inwards so the ends of the axis do not cut them off.
            textposition=["top right" if k.name in spread.lowest else "top left" for k in shown],
            textfont={"size": 13},
            marker={
                "size": 14,
                "color": [EXTREME_DOT if k.name in extremes else KOMMUN_DOT for k in shown],
                "opacity": 0.85,
                "line": {"width": 1, "color": "white"},
            },
            customdata=[[k.name, format_value(k.value, decimals, unit)] for k in shown],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        )
    )
    if county is not None and county.value is not None:
        fig.add_trace(
            go.Scatter(
                x=[county.value],
                y=[0],
                mode="markers",
                name="Länet",
                marker={
                    "symbol": "diamond",
                    "size": 18,
                    "color": "#c8102e",
                    "line": {"width": 2, "color": "white"},
                },
                hovertemplate=(
                    f"{county.name}: {format_value(county.value, decimals, unit)}<extra></extra>"
                ),
            )
        )
    if target is not None:
        fig.add_vline(
            x=target,
            line={"dash": "dash", "color": TARGET_COLOUR, "width": 2},
            annotation={
                "text": f"Mål {format_value(target, decimals, unit)}",
                "font": {"color": TARGET_COLOUR, "size": 13},
            },
            annotation_position="bottom right",
        )
    hidden = []
    if spread.suppressed:
        hidden.append(f"Sekretess: {_names(spread.suppressed)}")
    if spread.missing:
        hidden.append(f"Saknas: {_names(spread.missing)}")
    if hidden:
        fig.add_annotation(
            text=" · ".join(hidden),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0,
            y=-0.42,
            xanchor="left",
            align="left",
            font={"size": 13, "color": "#444", "family": FONT},
        )
    fig.update_yaxes(visible=False, range=[-1, 1.4], fixedrange=True)
    fig.update_xaxes(
        title=None,
        ticksuffix=" %" if unit == "%" else "",
        gridcolor="#e3e3e3",
        zeroline=False,
        exponentformat="none",
        separatethousands=True,
        fixedrange=True,
    )
    base_layout(fig, f"Spridning mellan kommunerna {spread.period}", source_note)
    fig.update_layout(
        height=HEIGHT,
        showlegend=True,
        title={"font": {"size": 15}, "subtitle": {"font": {"size": 12}}},
        margin={"l": 24, "r": 24, "t": 62, "b": 70 if hidden else 44},
        legend={"y": 1.18, "x": 1, "xanchor": "right", "yanchor": "bottom", "font": {"size": 12}},
    )
    return fig
