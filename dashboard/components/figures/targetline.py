"""A target (målvärde) drawn on a chart: a dashed line with its label, never a colour alone."""

from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

TARGET_COLOUR = "#8a1c1c"


@dataclass(frozen=True)
class TargetLine:
    value: float
    label: str  # "Mål 2030: 90,0 %", or "Aneby – Mål 2030: 85,0 %"
    colour: str = TARGET_COLOUR


@dataclass
class Overlay:
    """Traces, shapes and annotations to add to a chart's plain dicts before its go.Figure is
    made (see base.figure)."""

    traces: list[dict[str, Any]] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)

    def apply(self, traces: list[dict[str, Any]], layout: dict[str, Any]) -> None:
        traces.extend(self.traces)
        if self.shapes:
            layout["shapes"] = [*layout.get("shapes", []), *self.shapes]
        if self.annotations:
            layout["annotations"] = [*layout.get("annotations", []), *self.annotations]


# fmt: off
def target_overlay(
    targets: list[TargetLine], axis: str = "y", overlay: Overlay | None = None
) -> Overlay:
    """Dashed lines across the plot at each target. axis "y": values up the y axis (time
    series), labelled on the line. axis "x": values along the x axis (horizontal bars), labelled
    in the legend, where labels cannot collide with the bars or each other."""
    overlay = overlay if overlay is not None else Overlay()
    for t in targets:
        line = {"dash": "dash", "width": 2.5, "color": t.colour}
        if axis == "y":
            overlay.shapes.append({
                "type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": t.value,
                "y1": t.value, "line": line, "name": t.label,
            })
            overlay.annotations.append({
                "text": t.label, "xref": "paper", "x": 0, "xanchor": "left", "yref": "y",
                "y": t.value, "yanchor": "bottom", "showarrow": False,
                "font": {"color": t.colour, "size": 14}, "bgcolor": "rgba(255,255,255,0.85)",
            })
        else:
            reference_line(overlay, t.value, t.label, line)
    return overlay


def reference_line(overlay: Overlay, x: float, label: str, line: dict) -> None:
    """A vertical line over the whole plot, named in the legend (a line-only legend entry)."""
    overlay.shapes.append({
        "type": "line", "xref": "x", "x0": x, "x1": x, "yref": "paper", "y0": 0, "y1": 1,
        "line": line,
    })
    overlay.traces.append({
        "type": "scatter", "x": [None], "y": [None], "mode": "lines", "line": line,
        "name": label, "hoverinfo": "skip", "showlegend": True,
    })
# fmt: on


def add_target_lines(fig: go.Figure, targets: list[TargetLine], axis: str = "y") -> go.Figure:
    """The target lines added to a finished figure in one step. Builders take `targets` and
    draw them before the figure is made, which is cheaper; this is for a figure made elsewhere."""
    overlay = target_overlay(targets, axis)
    if overlay.traces:
        fig.add_traces(overlay.traces)
    if overlay.shapes or overlay.annotations:
        fig.update_layout(
            shapes=[*fig.layout.shapes, *overlay.shapes],
            annotations=[*fig.layout.annotations, *overlay.annotations],
        )
    return fig
