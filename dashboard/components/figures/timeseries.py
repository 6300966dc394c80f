"""Lines over time per area, and the honest empty chart."""

import pandas as pd

from dashboard.components.figures.base import (
    COUNTY_COLOUR,
    NATION_COLOUR,
    Figure,
    base_layout,
    figure,
    kommun_colour,
    merge,
)
from dashboard.components.figures.targetline import TargetLine, target_overlay
from indicators.reads.models import IndicatorSummary
from indicators.vocabulary.domain import AreaKind, ObservationStatus, ValueKind
from indicators.vocabulary.formatting import format_value
from indicators.vocabulary.periods import parse_period, period_end

MAX_COLOURED = 4  # more kommuner than this in colour cannot be told apart
HIGHLIGHT_COLOUR = "#009e73"  # Okabe–Ito bluish green: the chosen kommun, apart from the county
OTHERS_COLOUR = "#b8b8b8"


def time_series(
    frame: pd.DataFrame,
    indicator: IndicatorSummary,
    source_note: str,
    targets: list[TargetLine] | None = None,
    style: dict | None = None,
    highlight: str | None = None,
) -> Figure:
    """Lines per area; the county bold, Riket dashed, kommuner thin. Missing and suppressed
    periods stay gaps: values are NaN there and gaps are never connected. `targets` are drawn as
    dashed lines across the plot; `style` is layout merged in last (the meeting-room sizes).

    Many kommuner in colour are a tangle: with a chosen kommun (`highlight`), or with more than
    MAX_COLOURED kommuner, the other kommuner are thin grey lines under one legend entry, and the
    chosen one stands out in green. A percent axis shows the data's range, not 0–100:
    the axis title says so."""
    traces: list[dict] = []
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
    kommun_codes = [c for c, _, k in (g[0] for g in groups) if AreaKind(k) is AreaKind.KOMMUN]
    greyed = highlight is not None or len(kommun_codes) > MAX_COLOURED
    grey_shown = False
    ranks = {key: rank for rank, (key, _) in enumerate(groups)}
    # Pooled years ("2021–2024") are drawn as what they are: one value across the years it
    # covers, on an axis of years where the single years sit at their middle.
    spans = _placed(frame["period"])
    for (code, name, raw_kind), part in sorted(groups, key=lambda g: draw_order[g[0][2]]):
        # A string-backed pandas column (pyarrow) hands enums back as plain text.
        kind = AreaKind(raw_kind)
        if totals_apart and kind is not AreaKind.KOMMUN:
            continue
        values = part["value"].where(part["status"] == ObservationStatus.OK)
        if kind is AreaKind.NATION:
            line, colour = {"width": 3, "dash": "dash", "color": NATION_COLOUR}, NATION_COLOUR
        elif kind is AreaKind.REGION:
            line, colour = {"width": 5, "color": COUNTY_COLOUR}, COUNTY_COLOUR
        elif highlight == code:
            line, colour = {"width": 4, "color": HIGHLIGHT_COLOUR}, HIGHLIGHT_COLOUR
        elif greyed:
            line, colour = {"width": 1.5, "color": OTHERS_COLOUR}, OTHERS_COLOUR
        else:
            colour = kommun_colour(code)
            line = {"width": 2, "color": colour}
        labels = [
            format_value(v, indicator.decimals, indicator.unit)
            if st == ObservationStatus.OK
            else ObservationStatus(st).label
            for v, st in zip(part["value"], part["status"], strict=True)
        ]
        hover = f"{name} %{{x}}: %{{customdata}}<extra></extra>"
        x: object = part["period"]
        extra: dict = {}
        if spans is not None:
            periods = [str(p) for p in part["period"]]
            pooled = [spans[p][1] is not None for p in periods]
            if any(pooled):
                traces.append(
                    _pooled_trace(
                        name,
                        code,
                        line,
                        [
                            (p, v, t)
                            for p, v, t, k in zip(periods, values, labels, pooled, strict=True)
                            if k
                        ],
                        spans,
                    )
                )
            single = [not k for k in pooled]
            x = [spans[p][0] for p, k in zip(periods, single, strict=True) if k]
            values = values[single]
            labels = [f"{p}: {t}" for p, t, k in zip(periods, labels, single, strict=True) if k]
            hover = f"{name} %{{customdata}}<extra></extra>"
            extra = {"legendgroup": code}
        grey = greyed and kind is AreaKind.KOMMUN and highlight != code
        if grey:
            # One legend entry for all the grey kommuner; each still names itself on hover.
            extra = {"legendgroup": "ovriga", "showlegend": not grey_shown}
            grey_shown = True
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": values,
                "name": "Övriga kommuner" if grey else name,
                "mode": "lines+markers",
                "line": line,
                "marker": {"size": 4 if grey else 7, "color": colour},
                "connectgaps": False,
                "customdata": labels,
                "hovertemplate": hover,
                "meta": code,
                "legendrank": ranks[(code, name, kind)],
                **extra,
            }
        )
    xaxis: dict = {"type": "category", "title": None, "showgrid": False, "linecolor": "#888"}
    if spans is not None:
        first = min(int(start) for start, _ in spans.values())
        last = max(int(end - 1e-9) if end is not None else int(mid) for mid, end in spans.values())
        years = list(range(first, last + 1))
        xaxis = {
            "type": "linear",
            "title": None,
            "showgrid": False,
            "linecolor": "#888",
            "tickvals": [y + 0.5 for y in years],
            "ticktext": [str(y) for y in years],
        }
    layout = {
        "xaxis": xaxis,
        "yaxis": {
            "title": {"text": indicator.unit},
            "gridcolor": "#e3e3e3",
            "zeroline": False,
            # Whole numbers with thousands separators, never "2M".
            "exponentformat": "none",
            "separatethousands": True,
            # The data's own range, also for percent: a change of a few points must show.
            "rangemode": "normal",
        },
    }
    if indicator.unit == "%":
        # Two short lines: one long line ran over the chart's title on a short chart (a slide).
        layout["yaxis"]["title"] = {"text": "% – värdenas spann,<br>inte 0–100"}
        layout["yaxis"]["ticksuffix"] = " %"
    merge(layout, base_layout(indicator.short_title, source_note), style or {})
    target_overlay(targets or [], axis="y").apply(traces, layout)
    return figure(traces, layout)


def _placed(periods: pd.Series) -> dict[str, tuple[float, float | None]] | None:
    """Each period label's place on an axis of years, when some period pools several years:
    (middle, None) for a single period, (start, end) for pooled years. None when no period is
    pooled, so the usual chart of labelled periods is drawn."""
    places: dict[str, tuple[float, float | None]] = {}
    pooled = False
    for label in dict.fromkeys(periods.astype(str)):
        parsed = parse_period(label)
        if parsed is None:
            return None
        kind, start = parsed
        end = period_end(kind, start)
        first = start.year + (start.month - 1) / 12
        last = end.year + end.month / 12
        if kind.pooled_years is not None:
            pooled = True
            places[label] = (first, last)
        else:
            places[label] = ((first + last) / 2, None)
    return places if pooled else None


def _pooled_trace(
    name: str,
    code: str,
    line: dict,
    rows: list[tuple[str, float, str]],
    places: dict[str, tuple[float, float | None]],
) -> dict:
    """One horizontal segment per pooled period (period, value, shown value), from the start of
    its first year to the end of its last, named in its hover ("2021–2024, sammanslagna år");
    a gap stays a gap."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    hover: list[str] = []
    for period, value, shown in rows:
        start, end = places[period]
        y = None if pd.isna(value) else float(value)
        xs += [start, end, None]
        ys += [y, y, None]
        hover += [f"{period}, sammanslagna år: {shown}"] * 2 + [""]
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "name": f"{name}, sammanslagna år",
        "mode": "lines",
        "line": {**line, "dash": "solid", "width": line.get("width", 2) + 2},
        "connectgaps": False,
        "customdata": hover,
        "hovertemplate": f"{name} %{{customdata}}<extra></extra>",
        "meta": code,
        "legendgroup": code,
        "showlegend": False,
    }


def no_data_figure(indicator: IndicatorSummary, message: str, style: dict | None = None) -> Figure:
    """An honest empty chart: a sentence instead of axes that suggest a scale."""
    layout = {
        "annotations": [
            {
                "text": message,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 18, "color": "#444"},
            }
        ],
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
    }
    return figure([], merge(layout, base_layout(indicator.short_title, ""), style or {}))
