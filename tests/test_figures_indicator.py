"""The Indikator page's figure builders: ranking with intervals, map, kvinnor/män, target lines;
and the plain-data helpers under them (outlines, Swedish dates)."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from dashboard.components.figures.gender_split import gender_split
from dashboard.components.figures.kommun_map import kommun_map
from dashboard.components.figures.ranking import ranking_bars
from dashboard.components.figures.targetline import TargetLine, add_target_lines
from dashboard.components.figures.timeseries import time_series
from indicators.catalogue.geography import FEATURE_KEY, kommun_geojson
from indicators.reads.models import INTERVAL_NOTE, NO_INTERVAL_NOTE, IndicatorSummary
from indicators.reads.queries import SERIES_COLUMNS
from indicators.reads.ranking import gap_text, ranking_data
from indicators.vocabulary.domain import (
    COUNTY_KOMMUN_CODES,
    AreaKind,
    AreaLevel,
    Direction,
    Gender,
    ObservationStatus,
    ValueKind,
)
from indicators.vocabulary.formatting import format_date
from indicators.vocabulary.uncertainty import wilson_interval

OK, SUPPRESSED, MISSING = (
    ObservationStatus.OK,
    ObservationStatus.SUPPRESSED,
    ObservationStatus.MISSING,
)
NAMES = {"0604": "Aneby", "0617": "Gnosjö", "0642": "Mullsjö", "0680": "Jönköping"}


def _summary(
    kind: ValueKind = ValueKind.RATE,
    direction: Direction = Direction.HIGHER_BETTER,
    unit: str = "%",
) -> IndicatorSummary:
    return IndicatorSummary(
        id="X1", title="Titel", short_title="Kort titel", unit=unit, value_kind=kind,
        direction=direction, decimals=1, source="Kolada", area_level=AreaLevel.KOMMUN,
        headline=False, strategigrupper=(),
    )  # fmt: skip


def _frame(rows: list[tuple], gender: Gender = Gender.TOTAL) -> pd.DataFrame:
    """rows: (code, year, value, numerator, denominator, status)"""

    def area(code: str) -> tuple[str, AreaKind]:
        if code == "0000":
            return "Riket", AreaKind.NATION
        if code == "0006":
            return "Region Jönköpings län", AreaKind.REGION
        return NAMES[code], AreaKind.KOMMUN

    return pd.DataFrame(
        [(c, *area(c), str(y), date(y, 1, 1), gender, v, n, d, st) for c, y, v, n, d, st in rows],
        columns=SERIES_COLUMNS,
    ).astype({"value": "float64", "numerator": "float64", "denominator": "float64"})


RATES = _frame([
    ("0000", 2024, 71.0, 7100, 10000, OK),
    ("0006", 2024, 68.0, 680, 1000, OK),
    ("0604", 2024, 80.0, 8, 10, OK),
    ("0617", 2024, None, None, None, SUPPRESSED),
    ("0642", 2024, None, None, None, MISSING),
    ("0680", 2024, 65.0, 130, 200, OK),
    ("0680", 2023, 60.0, 120, 200, OK),
])  # fmt: skip


def test_ranking_orders_by_direction_and_carries_wilson_intervals():
    ranking = ranking_data(RATES, _summary(), "2024")
    assert list(ranking.bars["area_name"]) == ["Aneby", "Jönköping"]
    low, high = wilson_interval(8, 10)
    aneby = ranking.bars.iloc[0]
    assert aneby["low"] == pytest.approx(100 * low) and aneby["high"] == pytest.approx(100 * high)
    assert ranking.county == 68.0 and ranking.nation == 71.0
    assert ranking.gaps == (("0617", "Gnosjö", "sekretess"), ("0642", "Mullsjö", "saknas"))
    assert ranking.note == INTERVAL_NOTE
    lower = ranking_data(RATES, _summary(direction=Direction.LOWER_BETTER), "2024")
    assert list(lower.bars["area_name"]) == ["Jönköping", "Aneby"]


def test_ranking_figure_names_suppressed_kommuner_instead_of_drawing_them():
    ranking = ranking_data(RATES, _summary(), "2024")
    target = TargetLine(90.0, "Mål 2030: 90,0\u00a0%")
    fig = ranking_bars(ranking, _summary(), "Källa: Kolada (X1)", [target])
    bars = fig.data[0]
    assert list(bars.y) == ["Aneby", "Jönköping"]  # no zero-length bar for Gnosjö or Mullsjö
    assert list(bars.x) == [80.0, 65.0]
    assert bars.error_x.visible is True
    assert bars.error_x.array[0] == pytest.approx(ranking.bars["high"][0] - 80.0)
    assert "Sekretess: Gnosjö" in fig.layout.xaxis.title.text
    assert "Saknas: Mullsjö" in fig.layout.xaxis.title.text
    assert gap_text(ranking) == "Sekretess: Gnosjö · Saknas: Mullsjö"
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == [
        "Region Jönköpings län 68,0\u00a0%",
        "Riket 71,0\u00a0%",
        "Mål 2030: 90,0\u00a0%",
    ]
    assert [s.x0 for s in fig.layout.shapes] == [68.0, 71.0, 90.0]
    assert fig.layout.shapes[2].line.dash == "dash"


def test_ranking_without_numerator_and_denominator_says_so():
    means = _frame([("0604", 2024, 12.0, None, None, OK), ("0680", 2024, 9.0, None, None, OK)])
    ranking = ranking_data(means, _summary(ValueKind.MEAN, unit="dagar"), "2024")
    assert ranking.bars["low"].isna().all() and ranking.note == NO_INTERVAL_NOTE
    fig = ranking_bars(ranking, _summary(ValueKind.MEAN, unit="dagar"), "Källa")
    assert fig.data[0].error_x.visible is False


def test_ratio_intervals_use_the_indicators_own_base():
    ratios = _frame([("0604", 2024, 250.0, 25, 10000, OK), ("0680", 2024, 0.0, 0, 20000, OK)])
    ranking = ranking_data(ratios, _summary(ValueKind.RATIO, unit="per 100 000"), "2024")
    low, high = wilson_interval(25, 10000)
    aneby = ranking.bars[ranking.bars["area_code"] == "0604"].iloc[0]
    assert aneby["low"] == pytest.approx(100_000 * low)
    assert aneby["high"] == pytest.approx(100_000 * high)
    jkpg = ranking.bars[ranking.bars["area_code"] == "0680"].iloc[0]
    assert jkpg["low"] == 0.0 and jkpg["high"] > 0


def test_map_shades_values_and_greys_gaps_with_words():
    geojson = kommun_geojson()
    fig = kommun_map(RATES, _summary(), "2024", geojson, "Källa")
    values, gaps, labels = fig.data
    assert list(values.locations) == ["0604", "0680"] and list(values.z) == [80.0, 65.0]
    assert values.featureidkey == FEATURE_KEY
    assert set(gaps.locations) == set(COUNTY_KOMMUN_CODES) - {"0604", "0680"}
    assert "Gnosjö: sekretess" in gaps.customdata
    assert labels.mode == "text" and "Gnosjö<br><b>sekretess</b>" in labels.text
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False


def test_map_of_a_coded_indicator_colours_by_category_never_by_average():
    codes = {0: "Nej", 1: "Test", 2: "Breddinfört"}
    coded = _frame([
        ("0604", 2024, 2.0, None, None, OK),
        ("0617", 2024, 0.0, None, None, OK),
        ("0680", 2024, 2.0, None, None, OK),
    ])  # fmt: skip
    fig = kommun_map(coded, _summary(ValueKind.CODED, unit="kod"), "2024", kommun_geojson(),
                     "Källa", codes)  # fmt: skip
    choropleths = [t for t in fig.data if t.type == "choropleth"]
    by_name = {t.name: list(t.locations) for t in choropleths}
    assert by_name["Nej"] == ["0617"] and by_name["Breddinfört"] == ["0604", "0680"]
    assert "Test" not in by_name
    assert all(t.showscale is False for t in choropleths)


def test_gender_split_leaves_suppressed_cells_empty_and_says_why():
    women = _frame([("0006", 2024, 70.0, 700, 1000, OK), ("0604", 2024, None, None, None,
                   SUPPRESSED)], Gender.WOMEN)  # fmt: skip
    men = _frame([("0006", 2024, 66.0, 660, 1000, OK), ("0604", 2024, None, None, None,
                 SUPPRESSED)], Gender.MEN)  # fmt: skip
    fig = gender_split(pd.concat([women, men]), _summary(), "2024", "Källa")
    k, m = fig.data
    assert (k.name, m.name) == ("Kvinnor", "Män")
    assert list(k.y) == ["Region Jönköpings län", "Aneby"]
    assert k.x[0] == 70.0 and k.x[1] is None and m.x[1] is None
    assert [a.text for a in fig.layout.annotations] == ["Kvinnor: sekretess", "Män: sekretess"]


def test_time_series_gets_a_dashed_labelled_target_line():
    fig = time_series(RATES[RATES["area_code"] == "0006"], _summary(), "Källa")
    add_target_lines(fig, [TargetLine(90.0, "Mål 2030: 90,0\u00a0%")])
    (shape,) = fig.layout.shapes
    assert shape.y0 == 90.0 and shape.line.dash == "dash"
    assert fig.layout.annotations[-1].text == "Mål 2030: 90,0\u00a0%"


def test_target_lines_drawn_by_the_builder_match_lines_added_afterwards():
    lines = [TargetLine(90.0, "Mål 2030: 90,0\u00a0%"), TargetLine(80.0, "Aneby – Mål", "#123")]
    part = RATES[RATES["area_code"] == "0006"]
    built = time_series(part, _summary(), "Källa", targets=lines)
    added = add_target_lines(time_series(part, _summary(), "Källa"), lines)
    assert built.to_plotly_json() == added.to_plotly_json()
    assert [s.y0 for s in built.layout.shapes] == [90.0, 80.0]


def test_style_is_merged_into_the_layout_last():
    fig = time_series(RATES, _summary(), "Källa", style={"font": {"size": 22}, "height": None})
    # merged over the template's font, not replacing it
    assert fig.layout.font.size == 22 and fig.layout.template.layout.font.family
    assert fig.layout.height is None


def test_outlines_of_the_thirteen_kommuner_are_plain_cached_geojson():
    geojson = kommun_geojson()
    assert geojson is kommun_geojson()
    assert [f["id"] for f in geojson["features"]] == list(COUNTY_KOMMUN_CODES)
    jkpg = geojson["features"][COUNTY_KOMMUN_CODES.index("0680")]
    assert jkpg["properties"]["kommun"] == "Jönköping"
    assert jkpg["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert 13.5 < jkpg["properties"]["label_lon"] < 15.5
    assert 57.2 < jkpg["properties"]["label_lat"] < 58.2


def test_dates_in_swedish():
    assert format_date(date(2026, 11, 27)) == "27 november 2026"
    assert format_date(datetime(2026, 1, 1, 12, tzinfo=UTC)) == "1 januari 2026"
    assert format_date(None) == ""
