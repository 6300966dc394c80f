"""What every chart shares: fonts, colours, title with source note, Swedish separators."""

import os
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from indicators.catalogue.geography import kommun_geojson
from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
COUNTY_COLOUR = "#1d3f6e"
NATION_COLOUR = "#4a4a4a"
# Colour-blind safe and distinguishable on a projector (Okabe–Ito, then Tol's muted).
KOMMUN_COLOURS = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#8a6d00",
    "#882255",
    "#117733",
    "#AA4499",
    "#44AA99",
    "#999933",
    "#332288",
]
CODE_COLOURS = ["#d9d9d9", "#f2c14e", "#2a7f62", "#1d3f6e"]
_AXIS = {
    "automargin": True,
    "gridcolor": "white",
    "linecolor": "white",
    "zerolinecolor": "white",
    "zerolinewidth": 2,
    "ticks": "",
    "title": {"standoff": 15},
}


def kommun_colour(code: str) -> str:
    """Each kommun keeps its colour whichever others are chosen."""
    index = COUNTY_KOMMUN_CODES.index(code) if code in COUNTY_KOMMUN_CODES else sum(map(ord, code))
    return KOMMUN_COLOURS[index % len(KOMMUN_COLOURS)]


# The project's look, registered once as plotly's default template: each figure's JSON then
# carries this (about 1 KB) instead of plotly's default template (about 6.5 KB, most of it
# colour scales and 3-D, polar and ternary settings no chart here uses), and the figures
# themselves only their data and what is particular to them. What is kept of plotly's default
# is what the drawn charts depend on: category axes of number-like codes (autotypenumbers),
# axes that reserve room for their labels (automargin, standoff), no grid unless a chart asks
# for one (white on white), hover and colour-bar details.
TEMPLATE_NAME = "indikator"
TEMPLATE: dict[str, Any] = {
    "layout": {
        "font": {"family": FONT, "size": 15, "color": "#1a1a1a"},
        "separators": ", ",
        "colorway": KOMMUN_COLOURS,
        "autotypenumbers": "strict",
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "font": {"family": FONT, "size": 15}},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 64, "r": 24, "t": 96, "b": 40},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0},
        "title": {
            "x": 0,
            "xanchor": "left",
            "font": {"size": 20},
            "subtitle": {"font": {"size": 14, "color": "#444"}},
        },
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "coloraxis": {"colorbar": {"outlinewidth": 0, "ticks": ""}},
        "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
        "shapedefaults": {"line": {"color": "#2a3f5f"}},
    },
    "data": {
        "bar": [{"marker": {"line": {"color": "#E5ECF6", "width": 0.5}}}],
        "heatmap": [{"colorbar": {"outlinewidth": 0, "ticks": ""}}],
        "choropleth": [{"colorbar": {"outlinewidth": 0, "ticks": ""}}],
    },
}
pio.templates[TEMPLATE_NAME] = go.layout.Template(TEMPLATE)
pio.templates.default = TEMPLATE_NAME

# Small multiples (a strip per indicator, up to 20 on a page) carry only the part of the look
# they draw with: the whole template repeated in each was a third of Strategi 2's figures
# (23 of 56 KB). Axes, legend and title positions are set by the strip itself.
SMALL_TEMPLATE: dict[str, Any] = {
    "layout": {
        "font": TEMPLATE["layout"]["font"],
        "separators": TEMPLATE["layout"]["separators"],
        # The hover text's family is the layout's own (plotly's default), white backgrounds too.
        "hoverlabel": {"align": "left", "font": {"size": 15}},
        "legend": {"orientation": "h"},
        "title": {"x": 0, "xanchor": "left", "subtitle": {"font": {"color": "#444"}}},
    }
}


def base_layout(title: str, source_note: str) -> dict[str, Any]:
    """Title, source and date on top where no legend can cover them; legend below the plot
    (both from the template).

    A plain dict: each builder merges its own settings in (`merge`) and makes the go.Figure once
    (`figure`), since every update_layout/add_trace on a go.Figure walks plotly's validators
    again (a spread strip built step by step took 60 ms, built from dicts 3 ms)."""
    return {"title": {"text": title, "subtitle": {"text": source_note}}}


def merge(target: dict[str, Any], *updates: dict[str, Any]) -> dict[str, Any]:
    """Merge nested dicts into `target` in place, as plotly's update_layout does: a dict merges
    into a dict, anything else replaces."""
    for update in updates:
        for key, value in update.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                merge(target[key], value)
            else:
                target[key] = merge({}, value) if isinstance(value, dict) else value
    return target


# A chart as served: plotly's Figure under the tests, the plain dict plotly.js takes when serving.
Figure = go.Figure | dict[str, Any]

# Making a go.Figure walks plotly's validators over every property and deep-copies the data
# (2–3 ms a figure, the map's outlines more), and serializing it walks it again: about a third
# of Strategi 2's cold render for its 15 spread strips. Served figures are the plain dicts Dash
# sends as they are, which is what Dash's maintainers advise for speed. The builders are checked
# where it costs nobody: in-process tests make every figure as a validated go.Figure
# (tests/conftest.py sets INDIKATOR_VALIDATE_FIGURES=1), and tests/test_figure_validation.py
# proves that the dict sent gives the same JSON as the validated figure.
VALIDATE = os.environ.get("INDIKATOR_VALIDATE_FIGURES") == "1"
# What go.Figure adds to a layout without a template of its own: the default template, whole.
_DEFAULT_TEMPLATE: dict[str, Any] = pio.templates[TEMPLATE_NAME].to_plotly_json()


def figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> Figure:
    """The one figure of a chart, from plain dicts: a validated go.Figure under the tests, the
    dict itself when serving. Unset properties (None) are left out either way, as validation
    leaves them out."""
    spec = {"data": [_set(t) for t in traces], "layout": _set(layout)}
    if VALIDATE:
        return go.Figure(spec)
    spec["layout"].setdefault("template", _DEFAULT_TEMPLATE)
    return spec


def _set(value: Any) -> Any:
    """`value` without the None values of its dicts, at any depth (lists of dicts included)."""
    if isinstance(value, dict):
        return {k: _set(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple) and value and isinstance(value[0], dict | list | tuple):
        return [_set(v) for v in value]
    return value


# What every dcc.Graph is configured with. Plotly's share and Chart Studio buttons would send the
# data to plotly.com, so they are off everywhere.
GRAPH_CONFIG = {
    "displaylogo": False,
    "locale": "sv",
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "plotlyServerURL": "",
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}
# Slides and small multiples: nothing but the chart. Without a mode bar the share, Chart Studio
# and logo settings have nothing to act on, and plotly.js's defaults already keep links off.
STILL_GRAPH_CONFIG = {"displayModeBar": False, "locale": "sv"}


def warm_up() -> None:
    """Build each kind of trace once at start-up: plotly loads its validators lazily and the map
    outlines are read from disk on first use, which would otherwise cost the first reader about
    a second."""
    kommun_geojson()
    fig = go.Figure([go.Scatter(), go.Bar(), go.Choropleth(), go.Scattergeo(), go.Heatmap()])
    fig.update_layout(title={"text": "", "subtitle": {"text": ""}}, geo={"visible": False})
    fig.add_shape(type="line", x0=0, x1=1, y0=0, y1=1)
    fig.add_annotation(text="")
    fig.to_plotly_json()
