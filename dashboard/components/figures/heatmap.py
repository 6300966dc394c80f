"""Kommuner × indicators as a heatmap: each cell coloured by the kommun's change since its own
baseline or by its distance to target, always in the indicator's direction, with the value and a
symbol written in the cell so that colour is never alone."""

from dashboard.components.change_words import CHANGE_FILL_SCALE, CHANGE_SYMBOL, CHANGE_WORD
from dashboard.components.figures.base import Figure, base_layout, figure, merge
from indicators.reads.models import ColourBy, ComparisonCell, ComparisonMatrix
from indicators.vocabulary.formatting import format_number
from indicators.vocabulary.trends import Change

# Orange (worse) through grey to blue (better), the product's one colour meaning, in shades
# light enough everywhere for black text.
DIVERGING = CHANGE_FILL_SCALE
NO_COLOUR = "#ffffff"
BLANK_COLOUR = "#e9ecef"  # no value, no direction or no target
LEGEND = {
    "change": "Blått = förbättrats, orange = försämrats sedan basåret, i indikatorns riktning. "
    + " ".join(f"{CHANGE_SYMBOL[c]} {CHANGE_WORD[c]}" for c in Change if CHANGE_SYMBOL[c]),
    "target": "Blått = målet nått eller passerat, orange = långt från målet. "
    "✓ uppnått ≈ nära ✗ ej uppnått – inget mål",
}


def cell_symbol(cell: ComparisonCell, colour_by: ColourBy) -> str:
    return cell.target_status.symbol if colour_by == "target" else CHANGE_SYMBOL[cell.change]


def cell_label(cell: ComparisonCell, colour_by: ColourBy, *, fit: bool = True) -> str:
    """What the cell says: symbol, then the value as it is shown (the unit is in the row)."""
    text = _fit(cell.short_text) if fit else cell.short_text
    return f"{cell_symbol(cell, colour_by)} {text}".strip()


def _fit(text: str) -> str:
    # A grid cell holds about eight characters; the full label is in the hover and the table.
    return text if len(text) <= 7 else text[:5] + "."


def _own(cells: list[list[str]], z: list[list[float | None]], *, coloured: bool) -> list[list[str]]:
    return [
        [c if (v is not None) == coloured else "" for c, v in zip(cr, zr, strict=True)]
        for cr, zr in zip(cells, z, strict=True)
    ]


def comparison_heatmap(matrix: ComparisonMatrix, source_note: str) -> Figure:
    colour_by = matrix.colour_by
    kommuner = [a.name for a in matrix.areas]
    # The unit is in each row's hover and in the table, not in the row's name.
    rows = [i.short_title for i in matrix.indicators]
    z, text, hover = [], [], []
    for ind in matrix.indicators:
        z_row, t_row, h_row = [], [], []
        for area in matrix.areas:
            c = matrix.cell(ind.id, area.code)
            z_row.append(c.colour_value(colour_by))
            t_row.append(cell_label(c, colour_by))
            base = (
                # Swedish decimals, rounded as the indicator's values are shown
                f"basår {c.baseline_period}: {format_number(c.baseline_value, ind.decimals)}"
                if c.baseline_value is not None
                else "inget basvärde"
            )
            # Kommun and indicator come from the axes (%{x}, %{y} in the hovertemplate): each
            # cell carries only its own numbers.
            # Coloured by change, a cell without a target says nothing about targets.
            target = c.target_text if colour_by == "target" or c.target else ""
            h_row.append(
                f"{c.period or ''}: {c.text}<br>{c.change.label} ({base})"
                + (f"<br>{target}" if target else "")
            )
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    coloured = [[v if v is not None else None for v in row] for row in z]
    # Cells with nothing to colour (no value, no direction, no target) get a flat pale trace of
    # their own: plotly writes no text in a heatmap's gaps, and every cell must say something.
    blank = [[0 if v is None else None for v in row] for row in z]
    common = {
        "x": kommuner,
        "y": rows,
        "texttemplate": "%{text}",
        "textfont": {"size": 12, "color": "#111"},
        "xgap": 2,
        "ygap": 2,
        "showscale": False,
        "hoverongaps": False,
        "hovertemplate": "%{x} · %{y}<br>%{customdata}<extra></extra>",
    }
    traces = [
        {
            "type": "heatmap",
            "z": coloured,
            "text": [
                [t if v is not None else "" for t, v in zip(tr, zr, strict=True)]
                for tr, zr in zip(text, z, strict=True)
            ],
            # Each trace hovers only over its own cells (hoverongaps off), so each carries only
            # their texts: the hover text of the grid once, not twice.
            "customdata": _own(hover, z, coloured=True),
            "colorscale": DIVERGING,
            "zmin": -1,
            "zmax": 1,
            "zmid": 0,
            "name": "färgade",
            **common,
        },
        {
            "type": "heatmap",
            "z": blank,
            "text": [
                [t if v is None else "" for t, v in zip(tr, zr, strict=True)]
                for tr, zr in zip(text, z, strict=True)
            ],
            "customdata": _own(hover, z, coloured=False),
            "colorscale": [[0, BLANK_COLOUR], [1, BLANK_COLOUR]],
            "name": "utan färg",
            **common,
        },
    ]
    layout = {
        "yaxis": {"autorange": "reversed", "type": "category", "automargin": True},
        "xaxis": {"type": "category", "side": "top", "tickangle": -30},
    }
    title = (
        "Förändring sedan basåret per kommun"
        if colour_by == "change"
        else "Avstånd till målet per kommun"
    )
    height = 230 + 38 * len(rows)
    merge(
        layout,
        base_layout(title, f"{source_note}<br>{LEGEND[colour_by]}"),
        {
            "height": height,
            "margin": {"t": 200, "l": 24},
            "plot_bgcolor": NO_COLOUR,
            # Title and source pinned to the top edge, clear of the kommun names above the grid.
            "title": {"yref": "container", "y": 1 - 12 / height, "yanchor": "top"},
        },
    )
    return figure(traces, layout)
