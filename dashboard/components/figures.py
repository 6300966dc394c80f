"""One builder per kind of chart, parameterised by indicator. No per-indicator copies."""

import pandas as pd
import plotly.graph_objects as go

from indicators.domain import COUNTY_KOMMUN_CODES, AreaKind, ObservationStatus, ValueKind
from indicators.formatting import format_value
from indicators.queries import IndicatorSummary

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


def kommun_colour(code: str) -> str:
    """Each kommun keeps its colour whichever others are chosen."""
    index = COUNTY_KOMMUN_CODES.index(code) if code in COUNTY_KOMMUN_CODES else sum(map(ord, code))
    return KOMMUN_COLOURS[index % len(KOMMUN_COLOURS)]


def _base_layout(fig: go.Figure, title: str, source_note: str) -> go.Figure:
    """Title, source and date on top where no legend can cover them; legend below the plot."""
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": source_note, "font": {"size": 14, "color": "#444"}},
            "x": 0,
            "xanchor": "left",
            "font": {"size": 20},
        },
        font={"family": FONT, "size": 15, "color": "#1a1a1a"},
        separators=", ",
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 64, "r": 24, "t": 96, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT, "size": 15}},
    )
    return fig


def time_series(frame: pd.DataFrame, indicator: IndicatorSummary, source_note: str) -> go.Figure:
    """Lines per area; the county bold, Riket dashed, kommuner thin. Missing and suppressed
    periods stay gaps: values are NaN there and gaps are never connected."""
    fig = go.Figure()
    kinds = set(frame["area_kind"])
    # Counts are sums: Riket's ten million would flatten every kommun to a line at zero. With
    # kommuner chosen, the totals stay in the table and the chart says so.
    totals_apart = indicator.value_kind is ValueKind.COUNT and AreaKind.KOMMUN in kinds
    if totals_apart:
        source_note += " · Riket och länet visas i tabellen (annan skala)"
    # Later traces are drawn on top: kommuner first, Riket, then the county over everything.
    # legendrank keeps the legend in reading order: Riket, the county, the kommuner.
    draw_order = {AreaKind.KOMMUN: 0, AreaKind.UNIT: 0, AreaKind.NATION: 1, AreaKind.REGION: 2}
    groups = list(frame.groupby(["area_code", "area_name", "area_kind"], sort=False))
    ranks = {key: rank for rank, (key, _) in enumerate(groups)}
    for (code, name, kind), part in sorted(groups, key=lambda g: draw_order[g[0][2]]):
        if totals_apart and kind is not AreaKind.KOMMUN:
            continue
        values = part["value"].where(part["status"] == ObservationStatus.OK)
        if kind is AreaKind.NATION:
            line, colour = {"width": 3, "dash": "dash", "color": NATION_COLOUR}, NATION_COLOUR
        elif kind is AreaKind.REGION:
            line, colour = {"width": 5, "color": COUNTY_COLOUR}, COUNTY_COLOUR
        else:
            colour = kommun_colour(code)
            line = {"width": 2, "color": colour}
        labels = [
            format_value(v, indicator.decimals, indicator.unit)
            if st is ObservationStatus.OK
            else st.label
            for v, st in zip(part["value"], part["status"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=values,
                name=name,
                mode="lines+markers",
                line=line,
                marker={"size": 7, "color": colour},
                connectgaps=False,
                customdata=labels,
                hovertemplate=f"{name} %{{x}}: %{{customdata}}<extra></extra>",
                meta=code,
                legendrank=ranks[(code, name, kind)],
            )
        )
    fig.update_xaxes(type="category", title=None, showgrid=False, linecolor="#888")
    fig.update_yaxes(
        title={"text": indicator.unit},
        gridcolor="#e3e3e3",
        zeroline=False,
        # Whole numbers with thousands separators, never "2M".
        exponentformat="none",
        separatethousands=True,
        rangemode="tozero" if indicator.unit == "%" else "normal",
    )
    return _base_layout(fig, indicator.short_title, source_note)


def no_data_figure(indicator: IndicatorSummary, message: str) -> go.Figure:
    """An honest empty chart: a sentence instead of axes that suggest a scale."""
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"size": 18, "color": "#444"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base_layout(fig, indicator.short_title, "")


def coded_grid(
    frame: pd.DataFrame, indicator: IndicatorSummary, codes: dict[int, str], source_note: str
) -> go.Figure:
    """Coded answers as categories: one cell per kommun and period, coloured and labelled by
    answer. Never averaged, never a line."""
    ordered = sorted(codes)
    areas = list(dict.fromkeys(frame["area_name"]))
    periods = sorted(set(frame["period"]))
    index = {
        (a, p): (v, st)
        for a, p, v, st in frame[["area_name", "period", "value", "status"]].itertuples(index=False)
    }
    z, text = [], []
    for area in areas:
        z_row, t_row = [], []
        for period in periods:
            value, status = index.get((area, period), (None, ObservationStatus.MISSING))
            if status is ObservationStatus.OK and value is not None and int(value) in codes:
                z_row.append(ordered.index(int(value)))
                t_row.append(codes[int(value)])
            else:
                z_row.append(None)
                t_row.append(status.label or "saknas")
        z.append(z_row)
        text.append(t_row)
    n = len(ordered)
    colours = CODE_COLOURS[: max(n, 2)] if n <= len(CODE_COLOURS) else CODE_COLOURS
    scale = []
    for i, colour in enumerate(colours[:n]):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=periods,
            y=areas,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 12},
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            xgap=2,
            ygap=2,
            showscale=False,
            hovertemplate="%{y} %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    fig = _base_layout(fig, indicator.short_title, source_note)
    # Period labels sit on top, under the title and source, so the grid needs a taller margin.
    fig.update_layout(height=170 + 36 * len(areas), margin={"t": 140})
    return fig
