"""A kommun among its similar kommuner over time: the band where the middle half of the group
lies (first to third quartile), the group's median as a dashed line, the kommun's own line on
top, and in the chosen period each member as a grey dot, so the box and the kommun's place in
it are seen at once. Only shown values are drawn; a hidden value is never drawn, not even as
zero."""

from dashboard.components.figures.base import Figure, base_layout, figure, kommun_colour, merge
from indicators.reads.models import SimilarView
from indicators.vocabulary.formatting import format_value

BAND_COLOUR = "rgba(120, 144, 176, 0.28)"
MEDIAN_COLOUR = "#1d3f6e"
MEMBER_DOT = "#8c8c8c"
HEIGHT = 420


def similar_figure(view: SimilarView, source_note: str) -> Figure:
    ind = view.indicator
    unit, decimals = ind.unit, ind.decimals
    quart = [p for p in view.periods if p.median is not None]
    x = [p.period for p in quart]

    def text(values: list[float | None]) -> list[str]:
        return [format_value(v, decimals, unit) for v in values]

    traces: list[dict] = [
        {
            "type": "scatter",
            "x": x,
            "y": [p.q3 for p in quart],
            "mode": "lines",
            "line": {"width": 0},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "Tredje kvartilen",
        },
        {
            "type": "scatter",
            "x": x,
            "y": [p.q1 for p in quart],
            "mode": "lines",
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": BAND_COLOUR,
            "name": "Mittersta hälften av gruppen",
            "customdata": [
                [format_value(p.q1, decimals, unit), format_value(p.q3, decimals, unit)]
                for p in quart
            ],
            "hovertemplate": "%{x}: hälften mellan %{customdata[0]} och %{customdata[1]}"
            "<extra></extra>",
        },
        {
            "type": "scatter",
            "x": x,
            "y": [p.median for p in quart],
            "mode": "lines",
            "line": {"dash": "dash", "color": MEDIAN_COLOUR, "width": 2},
            "name": "Gruppens median",
            "customdata": text([p.median for p in quart]),
            "hovertemplate": "%{x}: median %{customdata}<extra></extra>",
        },
    ]
    members = [m for m in view.members if not m.is_own and m.value is not None]
    if view.period is not None and members:
        traces.append(
            {
                "type": "scatter",
                "x": [view.period] * len(members),
                "y": [m.value for m in members],
                "mode": "markers",
                "marker": {"size": 9, "color": MEMBER_DOT, "line": {"width": 1, "color": "white"}},
                "name": f"Liknande kommuner {view.period}",
                "customdata": [[m.name, m.text] for m in members],
                "hovertemplate": "%{customdata[0]}: %{customdata[1]}<extra></extra>",
            }
        )
    own = [(p.period, p.own) for p in view.periods if p.own is not None]
    if own:
        traces.append(
            {
                "type": "scatter",
                "x": [period for period, _ in own],
                "y": [value for _, value in own],
                "mode": "lines+markers",
                "line": {"color": kommun_colour(view.area_code), "width": 4},
                "marker": {"size": 8},
                "name": view.area_name,
                "customdata": text([value for _, value in own]),
                "hovertemplate": f"{view.area_name} %{{x}}: %{{customdata}}<extra></extra>",
            }
        )
    layout = merge(
        base_layout(
            f"{ind.short_title}: {view.area_name} bland liknande kommuner "
            f"({view.kind.kolada_word})",
            source_note,
        ),
        {
            "height": HEIGHT,
            "xaxis": {"type": "category", "title": None, "gridcolor": "#e3e3e3"},
            "yaxis": {
                "title": None,
                "ticksuffix": " %" if unit == "%" else "",
                "gridcolor": "#e3e3e3",
                "exponentformat": "none",
                "separatethousands": True,
            },
            "margin": {"b": 60},
        },
    )
    return figure(traces, layout)
