"""A target (målvärde) drawn on a chart: a dashed line with its label, never a colour alone."""

from dataclasses import dataclass

import plotly.graph_objects as go

TARGET_COLOUR = "#8a1c1c"


@dataclass(frozen=True)
class TargetLine:
    value: float
    label: str  # "Mål 2030: 90,0 %", or "Aneby – Mål 2030: 85,0 %"
    colour: str = TARGET_COLOUR


# fmt: off
def add_target_lines(fig: go.Figure, targets: list[TargetLine], axis: str = "y") -> go.Figure:
    """Dashed lines across the plot at each target. axis "y": values up the y axis (time
    series), labelled on the line. axis "x": values along the x axis (horizontal bars), labelled
    in the legend, where labels cannot collide with the bars or each other."""
    # Plain shapes and annotations: add_hline/add_vline cost a tenth of a second each.
    for t in targets:
        line = {"dash": "dash", "width": 2.5, "color": t.colour}
        if axis == "y":
            fig.add_shape(
                type="line", xref="paper", x0=0, x1=1, yref="y", y0=t.value, y1=t.value,
                line=line, name=t.label,
            )
            fig.add_annotation(
                text=t.label, xref="paper", x=0, xanchor="left", yref="y", y=t.value,
                yanchor="bottom", showarrow=False, font={"color": t.colour, "size": 14},
                bgcolor="rgba(255,255,255,0.85)",
            )
        else:
            add_reference_line(fig, t.value, t.label, line)
    return fig


def add_reference_line(fig: go.Figure, x: float, label: str, line: dict) -> None:
    """A vertical line over the whole plot, named in the legend (a line-only legend entry)."""
    fig.add_shape(type="line", xref="x", x0=x, x1=x, yref="paper", y0=0, y1=1, line=line)
    fig.add_trace(
        go.Scatter(
            x=[None], y=[None], mode="lines", line=line, name=label, hoverinfo="skip",
            showlegend=True,
        )
    )
# fmt: on
