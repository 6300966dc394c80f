"""Kvinnor and män side by side for one period, per area: a grouped bar per area, with gaps
named ("sekretess") rather than drawn as zero."""

import pandas as pd

from dashboard.components.figures.base import Figure, base_layout, figure, merge
from indicators.reads.models import IndicatorSummary
from indicators.vocabulary.domain import Gender, ObservationStatus, shown_value
from indicators.vocabulary.formatting import format_value

GENDER_COLOURS = {Gender.WOMEN: "#8a3b8f", Gender.MEN: "#2f7d6d"}
# kvinnor are drawn above män in each group; a gap's note sits where its bar would be
GAP_SHIFT = {Gender.WOMEN: 9, Gender.MEN: -9}


def gender_split(
    frame: pd.DataFrame, indicator: IndicatorSummary, period: str, source_note: str
) -> Figure:
    """`frame`: indicator_series rows of K and M (concatenated), any areas; areas keep their
    order of first appearance."""
    part = frame[frame["period"] == period]
    areas = list(dict.fromkeys(part["area_name"]))
    traces: list[dict] = []
    annotations: list[dict] = []
    for gender in (Gender.WOMEN, Gender.MEN):
        rows = part[part["gender"] == gender]
        by_area = {
            name: (value, ObservationStatus(st))
            for name, value, st in rows[["area_name", "value", "status"]].itertuples(index=False)
        }
        values, labels = [], []
        for area in areas:
            value, status = by_area.get(area, (None, ObservationStatus.MISSING))
            shown = shown_value(value, status)
            values.append(shown)
            labels.append(
                status.gap_label
                if shown is None
                else format_value(shown, indicator.decimals, indicator.unit)
            )
        traces.append(
            {
                "type": "bar",
                "x": values,
                "y": areas,
                "orientation": "h",
                "name": gender.label,
                "marker": {"color": GENDER_COLOURS[gender]},
                # the label stands also where no bar is drawn, so "sekretess" is read, not guessed
                "text": labels,
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": labels,
                "hovertemplate": f"%{{y}}, {gender.label.lower()}: %{{customdata}}<extra></extra>",
            }
        )
        for area, value, label in zip(areas, values, labels, strict=True):
            if value is None:
                # no bar where there is no value: the reason is written where the bar would be
                annotations.append(
                    {
                        "x": 0,
                        "y": area,
                        "xanchor": "left",
                        "yshift": GAP_SHIFT[gender],
                        "text": f"{gender.label}: {label}",
                        "showarrow": False,
                        "font": {"size": 12, "color": "#333"},
                    }
                )
    layout: dict = {"annotations": annotations} if annotations else {}
    merge(
        layout,
        {
            "barmode": "group",
            "bargap": 0.25,
            "bargroupgap": 0.05,
            "yaxis": {"autorange": "reversed", "type": "category", "title": None},
            "xaxis": {
                "title": {"text": indicator.unit},
                "gridcolor": "#e3e3e3",
                "exponentformat": "none",
                "separatethousands": True,
                "rangemode": "tozero",
            },
        },
        base_layout(f"{indicator.short_title} – kvinnor och män {period}", source_note),
        {"height": 200 + 44 * max(len(areas), 1), "margin": {"r": 90}},
    )
    return figure(traces, layout)
