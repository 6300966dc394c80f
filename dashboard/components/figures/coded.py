"""Coded answers (Ja/Nej, Breddinfört/Test/Nej) as a grid of categories."""

import pandas as pd

from dashboard.components.figures.base import CODE_COLOURS, Figure, base_layout, figure, merge
from indicators.reads.models import IndicatorSummary
from indicators.vocabulary.domain import ObservationStatus

ROW_HEIGHT = 40  # room for a label on two lines at 12 px
LONGEST_ON_ONE_LINE = 11


SOFT_HYPHEN = "\u00ad"


def _break_at(word: str) -> int:
    return len(word) // 2 + 1


def soft_break(text: str) -> str:
    """For HTML tables: a soft hyphen in the middle of each long word, where the browser may
    break it ("Testverk-" / "samhet") when the column is narrow, and nowhere else."""
    return " ".join(
        w[: _break_at(w)] + SOFT_HYPHEN + w[_break_at(w) :] if len(w) > LONGEST_ON_ONE_LINE else w
        for w in text.split(" ")
    )


def _fitted(label: str) -> str:
    """A long answer on two lines rather than shrunk or clipped by the cell ("Testverksamhet"
    becomes "Testverk-" / "samhet")."""
    if len(label) <= LONGEST_ON_ONE_LINE:
        return label
    if " " in label:
        first, rest = label.split(" ", 1)
        return f"{first}<br>{rest}"
    middle = _break_at(label)
    return f"{label[:middle]}-<br>{label[middle:]}"


def coded_grid(
    frame: pd.DataFrame,
    indicator: IndicatorSummary,
    codes: dict[int, str],
    source_note: str,
    *,
    style: dict | None = None,
    cell_font_size: int = 12,
) -> Figure:
    """Coded answers as categories: one cell per kommun and period, coloured and labelled by
    answer. Never averaged, never a line. `style` is layout merged in last."""
    ordered = sorted(codes)
    areas = list(dict.fromkeys(frame["area_name"]))
    periods = sorted(set(frame["period"]))
    index = {
        (a, p): (v, st)
        for a, p, v, st in frame[["area_name", "period", "value", "status"]].itertuples(index=False)
    }
    z, text, full = [], [], []
    for area in areas:
        z_row, t_row, f_row = [], [], []
        for period in periods:
            value, raw_status = index.get((area, period), (None, ObservationStatus.MISSING))
            status = ObservationStatus(raw_status)
            if status is ObservationStatus.OK and value is not None and int(value) in codes:
                z_row.append(ordered.index(int(value)))
                t_row.append(_fitted(codes[int(value)]))
                f_row.append(codes[int(value)])
            else:
                z_row.append(None)
                t_row.append(status.gap_label)
                f_row.append(status.gap_label)
        z.append(z_row)
        text.append(t_row)
        full.append(f_row)
    n = len(ordered)
    colours = CODE_COLOURS[: max(n, 2)] if n <= len(CODE_COLOURS) else CODE_COLOURS
    scale = []
    for i, colour in enumerate(colours[:n]):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    trace = {
        "type": "heatmap",
        "z": z,
        "x": periods,
        "y": areas,
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": cell_font_size},
        "colorscale": scale,
        "zmin": -0.5,
        "zmax": n - 0.5,
        "xgap": 2,
        "ygap": 2,
        "showscale": False,
        "customdata": full,
        "hovertemplate": "%{y} %{x}: %{customdata}<extra></extra>",
    }
    layout = {
        "yaxis": {"autorange": "reversed", "type": "category"},
        "xaxis": {"type": "category", "side": "top"},
    }
    merge(
        layout,
        base_layout(indicator.short_title, source_note),
        # Period labels sit on top, under the title and source, so the grid needs a taller margin.
        {"height": 170 + ROW_HEIGHT * len(areas), "margin": {"t": 140}},
        style or {},
    )
    return figure([trace], layout)
