"""The Strategi and Strategigrupp figure builders, and both views on a store without values:
hidden values are named, never drawn as zeros; change counts carry words and symbols."""

import pytest

from dashboard.components.figures.change import change_counts
from dashboard.components.figures.spread import spread_strip
from indicators.reads.followup.strategy import strategigrupp_view, strategy_view
from indicators.reads.models import AreaValue, IndicatorSummary, Spread
from indicators.settings import Settings
from indicators.store.store import Store
from indicators.vocabulary.domain import AreaLevel, Direction, ObservationStatus, ValueKind
from indicators.vocabulary.trends import Change
from indicators.writes.bootstrap import prepare_store

OK, SUPPRESSED, MISSING = (
    ObservationStatus.OK,
    ObservationStatus.SUPPRESSED,
    ObservationStatus.MISSING,
)
INDICATOR = IndicatorSummary(
    id="X1", title="Titel", short_title="Kort titel", unit="%", value_kind=ValueKind.RATE,
    direction=Direction.HIGHER_BETTER, decimals=1, source="Kolada",
    area_level=AreaLevel.ALL, headline=True, strategigrupper=(),
)  # fmt: skip
SPREAD = Spread(
    period="2025",
    kommuner=(
        AreaValue("0604", "Aneby", None, SUPPRESSED),
        AreaValue("0617", "Gnosjö", 40.0, OK),
        AreaValue("0642", "Mullsjö", 55.5, OK),
        AreaValue("0643", "Habo", 70.0, OK),
        AreaValue("0662", "Gislaved", 70.0, OK),
        AreaValue("0665", "Vaggeryd", None, MISSING),
    ),
    minimum=40.0,
    median=62.75,
    maximum=70.0,
    lowest=("Gnosjö",),
    highest=("Habo", "Gislaved"),
)


def test_spread_strip_draws_only_shown_values_and_names_the_hidden():
    county = AreaValue("0006", "Region Jönköpings län", 60.0, OK)
    fig = spread_strip(SPREAD, INDICATOR, "Källa: Kolada", county=county, target=65.0)
    kommuner, lan = fig.data
    assert list(kommuner.x) == [40.0, 55.5, 70.0, 70.0]
    assert 0 not in kommuner.x
    # A tie at the top shares one label instead of two printed on top of each other.
    assert list(kommuner.text) == ["Gnosjö", "", "Habo, Gislaved", ""]
    assert lan.name == "Länet" and list(lan.x) == [60.0]
    notes = [a.text for a in fig.layout.annotations]
    assert "Sekretess: Aneby · Saknas: Vaggeryd" in notes
    assert any("Mål 65,0" in n for n in notes)
    # the target as plotly's add_vline draws it: the whole height of the plot, dashed
    (line,) = fig.layout.shapes
    assert (line.x0, line.x1, line.y0, line.y1, line.yref) == (65.0, 65.0, 0, 1, "y domain")
    assert line.line.dash == "dash"
    assert fig.layout.title.subtitle.text == "Källa: Kolada"
    assert fig.layout.title.text == "Spridning mellan kommunerna 2025"


def test_change_counts_names_each_kind_in_words_with_symbol():
    areas = [("0006", "Region Jönköpings län"), ("0604", "Aneby")]
    counts = {
        "0006": {Change.IMPROVED: 3, Change.WORSENED: 1},
        "0604": {Change.IMPROVED: 1, Change.UNCHANGED: 2},
    }
    fig = change_counts(areas, counts, "Utveckling sedan 2020", "Källa: Kolada")
    names = [t.name for t in fig.data]
    assert names == ["▲ förbättrats", "● oförändrat", "▼ försämrats"]
    improved = fig.data[0]
    assert list(improved.y) == ["Region Jönköpings län", "Aneby"]
    assert list(improved.x) == [3, 1]
    assert fig.layout.barmode == "stack"


@pytest.fixture
def store_without_values(empty_store_url: str) -> Store:
    prepare_store(Settings(database_url=empty_store_url, seed_demo=False))
    return Store(empty_store_url)


def test_views_of_a_store_without_values_say_nothing_rather_than_zero(store_without_values):
    view = strategy_view(store_without_values, 2)
    blocks = [b for ma in view.matomraden for b in ma.indicators]
    assert blocks
    assert all(b.latest_period is None and b.spread is None and b.trend == () for b in blocks)
    group = strategigrupp_view(store_without_values, "aldre", 2020)
    assert group.indicators
    assert {c.change for c in group.cells.values()} == {Change.NOT_COMPARABLE}
    assert all(c.base_value is None and c.latest_value is None for c in group.cells.values())


def test_comparison_heatmap_carries_each_cells_hover_text_once(any_demo_store: Store):
    """Each of the grid's two traces (coloured cells, cells with nothing to colour) hovers only
    over its own cells, so each cell's text travels in one of them (it was in both: a third of
    Jämförelse's JSON)."""
    from dashboard.components.figures.heatmap import comparison_heatmap
    from indicators.reads.followup.comparison import comparison_matrix

    matrix = comparison_matrix(
        any_demo_store, strategy=None, matomrade=None, strategigrupp=None, colour_by="change"
    )
    coloured, blank = comparison_heatmap(matrix, "Källa").data
    cells = 0
    for ind_row, (zc, zb, hc, hb) in enumerate(
        zip(coloured.z, blank.z, coloured.customdata, blank.customdata, strict=True)
    ):
        for col, (c, b, text_c, text_b) in enumerate(zip(zc, zb, hc, hb, strict=True)):
            own, other = (text_c, text_b) if c is not None else (text_b, text_c)
            assert own and other == "", (ind_row, col)
            assert (c is None) != (b is None)
            cells += 1
    assert cells == len(matrix.indicators) * len(matrix.areas)
