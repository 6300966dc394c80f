"""How many indicators improved, stayed or got worse per area: one stacked bar per area. The
segments carry their count and the legend names each kind in words with its symbol, so the
chart does not rest on colour alone."""

from dashboard.components.change_words import CHANGE_COLOUR, CHANGE_SYMBOL
from dashboard.components.figures.base import Figure, base_layout, figure, merge
from indicators.vocabulary.trends import Change

CHANGE_STYLE: dict[Change, tuple[str, str]] = {
    c: (f"{CHANGE_SYMBOL[c]} {label}".strip(), CHANGE_COLOUR[c])
    for c, label in (
        (Change.IMPROVED, "förbättrats"),
        (Change.UNCHANGED, "oförändrat"),
        (Change.WORSENED, "försämrats"),
        (Change.CHANGED, "förändrats (ingen riktning)"),
        (Change.NOT_COMPARABLE, "kan inte jämföras"),
    )
}


def change_counts(
    areas: list[tuple[str, str]],
    counts: dict[str, dict[Change, int]],
    title: str,
    source_note: str,
) -> Figure:
    """`areas` as (code, name) in reading order; `counts[code][change]` indicators per kind."""
    names = [name for _, name in areas]
    traces: list[dict] = []
    for change, (label, colour) in CHANGE_STYLE.items():
        values = [counts.get(code, {}).get(change, 0) for code, _ in areas]
        if not any(values):
            continue
        traces.append(
            {
                "type": "bar",
                "y": names,
                "x": values,
                "name": label,
                "orientation": "h",
                "marker": {"color": colour, "line": {"color": "white", "width": 1}},
                "text": [str(v) if v else "" for v in values],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "#111" if change is Change.NOT_COMPARABLE else "white"},
                "hovertemplate": f"%{{y}}: %{{x}} {label}<extra></extra>",
            }
        )
    layout = {
        "barmode": "stack",
        "yaxis": {"autorange": "reversed", "type": "category", "title": None},
        "xaxis": {"title": {"text": "antal indikatorer"}, "gridcolor": "#e3e3e3", "dtick": 5},
    }
    merge(
        layout,
        base_layout(title, source_note),
        {"height": 140 + 34 * len(areas), "legend": {"y": -0.08}},
    )
    return figure(traces, layout)
