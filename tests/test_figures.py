"""The figure builders, sparkline and table: gaps stay gaps, codes stay categories."""

import json
import math
from datetime import date
from urllib.parse import unquote

import pandas as pd

from dashboard.components.figures import coded_grid, kommun_colour, time_series
from dashboard.components.figures.base import FONT
from dashboard.components.sparkline import sparkline, sparkline_svg
from dashboard.components.tables import series_table
from indicators.reads.models import IndicatorSummary
from indicators.reads.queries import SERIES_COLUMNS
from indicators.vocabulary.domain import (
    AreaKind,
    AreaLevel,
    Direction,
    Gender,
    ObservationStatus,
    ValueKind,
)

OK, SUPPRESSED, MISSING = (
    ObservationStatus.OK,
    ObservationStatus.SUPPRESSED,
    ObservationStatus.MISSING,
)


def _summary(kind: ValueKind = ValueKind.RATE, unit: str = "%") -> IndicatorSummary:
    return IndicatorSummary(
        id="X1", title="Titel", short_title="Kort titel", unit=unit, value_kind=kind,
        direction=Direction.HIGHER_BETTER, decimals=1, source="Kolada",
        area_level=AreaLevel.ALL, headline=True, strategigrupper=(),
    )  # fmt: skip


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (code, name, kind, str(year), date(year, 1, 1), Gender.TOTAL, value, None, None, status)
            for code, name, kind, year, value, status in rows
        ],
        columns=SERIES_COLUMNS,
    ).astype({"value": "float64", "numerator": "float64", "denominator": "float64"})


FRAME = _frame([
    ("0000", "Riket", AreaKind.NATION, 2023, 50.0, OK),
    ("0000", "Riket", AreaKind.NATION, 2024, 51.0, OK),
    ("0006", "Region Jönköpings län", AreaKind.REGION, 2023, 48.25, OK),
    ("0006", "Region Jönköpings län", AreaKind.REGION, 2024, None, SUPPRESSED),
    ("0604", "Aneby", AreaKind.KOMMUN, 2023, 1234.5, OK),
    ("0604", "Aneby", AreaKind.KOMMUN, 2024, None, MISSING),
])  # fmt: skip


def test_time_series_draws_one_line_per_area_and_leaves_gaps():
    fig = time_series(FRAME, _summary(), "Källa: Kolada (X1)")
    # drawn kommuner first and the county last, on top; listed in reading order
    assert [t.name for t in fig.data] == ["Aneby", "Riket", "Region Jönköpings län"]
    legend = sorted(fig.data, key=lambda t: t.legendrank)
    assert [t.name for t in legend] == ["Riket", "Region Jönköpings län", "Aneby"]
    county = fig.data[2]
    assert list(county.x) == ["2023", "2024"]
    assert county.y[0] == 48.25 and math.isnan(county.y[1])
    assert county.connectgaps is False
    assert list(county.customdata) == ["48,3\u00a0%", "sekretess"]
    assert fig.data[1].line.dash == "dash" and county.line.width > fig.data[0].line.width
    assert fig.data[0].line.color == kommun_colour("0604")
    assert fig.layout.template.layout.separators == ", "  # the project's template
    assert fig.layout.title.subtitle.text == "Källa: Kolada (X1)"


def test_every_figure_carries_the_lean_project_template_not_plotlys_default():
    """Plotly's default template (about 6.5 KB of colour scales and 3-D settings) was most of
    each figure's JSON; the project's own look is registered once and is all a figure carries
    besides its data."""
    grid = coded_grid(FRAME, _coded(), {0: "Nej", 1: "Ja"}, "Källa")
    for fig in (time_series(FRAME, _summary(), "Källa"), grid):
        template = fig.to_plotly_json()["layout"]["template"]
        assert template["layout"]["font"]["family"] == FONT
        assert template["layout"]["separators"] == ", "
        assert "colorscale" not in template["layout"] and "scene" not in template["layout"]
        assert len(json.dumps(template)) < 2000
        # what the template says is not repeated in every figure
        assert "font" not in fig.to_plotly_json()["layout"]
        assert "separators" not in fig.to_plotly_json()["layout"]


def _coded() -> IndicatorSummary:
    return IndicatorSummary(
        id="X2", title="Titel", short_title="Kort", unit="", value_kind=ValueKind.CODED,
        direction=Direction.NEITHER, decimals=0, source="Kolada", area_level=AreaLevel.ALL,
        headline=False, strategigrupper=(),
    )  # fmt: skip


def test_coded_grid_shows_labels_never_averages():
    frame = _frame([
        ("0604", "Aneby", AreaKind.KOMMUN, 2023, 0.0, OK),
        ("0604", "Aneby", AreaKind.KOMMUN, 2024, 2.0, OK),
        ("0617", "Gnosjö", AreaKind.KOMMUN, 2023, 1.0, OK),
        ("0617", "Gnosjö", AreaKind.KOMMUN, 2024, None, SUPPRESSED),
    ])  # fmt: skip
    codes = {0: "Nej", 1: "Testverksamhet", 2: "Breddinfört"}
    fig = coded_grid(frame, _summary(ValueKind.CODED, "kod"), codes, "Källa: Kolada")
    (heatmap,) = fig.data
    assert [list(r) for r in heatmap.customdata] == [
        ["Nej", "Breddinfört"],
        ["Testverksamhet", "sekretess"],
    ]
    # In the cell a long answer takes two lines rather than shrinking below 12 px.
    assert [list(r) for r in heatmap.text] == [
        ["Nej", "Breddinfört"],
        ["Testverk-<br>samhet", "sekretess"],
    ]
    assert [list(r) for r in heatmap.z] == [[0, 2], [1, None]]
    assert list(heatmap.y) == ["Aneby", "Gnosjö"]


def test_sparkline_breaks_at_missing_years_and_describes_itself():
    svg = sparkline_svg([1.0, 2.0, None, 4.0, 5.0])
    assert svg.count("<polyline") == 2
    assert sparkline_svg([None, None]) == ""
    img = sparkline([1.0, 2.0], alt="Länet 2021–2022: 1,0 till 2,0")
    assert img.alt == "Länet 2021–2022: 1,0 till 2,0"
    assert img.src.startswith("data:image/svg+xml,%3Csvg ")
    assert unquote(img.src.split(",", 1)[1]).startswith("<svg")


def test_series_table_formats_swedish_and_names_gaps():
    table = series_table(FRAME, caption="Kort titel (%)", decimals=1, table_id="t")
    rows = table.children[2].children
    cells = [[c.children for c in row.children[1:]] for row in rows]
    assert cells == [["50,0", "51,0"], ["48,3", "sekretess"], ["1\u00a0234,5", "saknas"]]
    assert rows[0].children[0].scope == "row"


def test_counts_keep_riket_and_the_county_out_of_a_kommun_chart():
    fig = time_series(FRAME, _summary(ValueKind.COUNT, "invånare"), "Källa: Kolada")
    assert [t.name for t in fig.data] == ["Aneby"]
    assert "Riket och länet visas i tabellen" in fig.layout.title.subtitle.text
    totals_only = FRAME[FRAME["area_kind"] != AreaKind.KOMMUN]
    fig = time_series(totals_only, _summary(ValueKind.COUNT, "invånare"), "Källa: Kolada")
    assert [t.name for t in fig.data] == ["Riket", "Region Jönköpings län"]
