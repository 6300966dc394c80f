"""One colour meaning for better / unchanged / worse / no direction / no data, defined once in
dashboard/components/change_words.py and used by every stylesheet, figure and sparkline."""

import re
from pathlib import Path
from urllib.parse import unquote

from dashboard.components.change_words import (
    CHANGE_COLOUR,
    CHANGE_FILL_SCALE,
    CHANGE_SYMBOL,
    CHANGE_VARIABLE,
    CHANGE_WORD,
    NEUTRAL_DOT,
    css_variables,
)
from dashboard.components.figures.change import change_counts
from dashboard.components.sparkline import sparkline, sparkline_svg
from dashboard.shell import INDEX_STRING
from indicators.vocabulary.trends import Change

ASSETS = Path(__file__).resolve().parents[1] / "dashboard" / "assets"
CHANGE_CLASSES = {c.value for c in Change}
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def test_the_page_head_defines_each_change_colour_once_from_python():
    assert css_variables() in INDEX_STRING
    for change, colour in CHANGE_COLOUR.items():
        assert f"{CHANGE_VARIABLE[change]}: {colour}" in css_variables()


def test_stylesheets_colour_changes_only_through_the_variables():
    checked = 0
    for path in sorted(ASSETS.glob("*.css")):
        if path.name.startswith("bootstrap"):
            continue
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        for selector, body in RULE.findall(text):
            classes = set(re.findall(r"\.([a-z_]+)\b", selector))
            if not classes & CHANGE_CLASSES or "color" not in body:
                continue
            checked += 1
            assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(", body), (path.name, selector)
            assert "var(--good)" not in body and "var(--bad)" not in body, (path.name, selector)
    assert checked >= 6


def test_the_change_chart_uses_the_same_colours():
    fig = change_counts(
        [("0680", "Jönköping")],
        {"0680": {c: 1 for c in Change}},
        "Utveckling",
        "Källa: test",
    )
    colours = {trace.marker.color for trace in fig.data}
    assert colours == set(CHANGE_COLOUR.values())


def test_the_heatmap_uses_the_fill_scale_of_the_same_hues():
    from dashboard.components.figures.heatmap import DIVERGING

    assert DIVERGING is CHANGE_FILL_SCALE


def test_a_sparkline_ends_in_a_neutral_dot_unless_its_point_is_judged():
    plain = sparkline_svg([1.0, 2.0, 3.0])
    assert f"fill='{NEUTRAL_DOT}'/></svg>" in plain
    judged = sparkline_svg([1.0, 2.0, 3.0], Change.WORSENED)
    assert f"fill='{CHANGE_COLOUR[Change.WORSENED]}'/></svg>" in judged
    img = sparkline([1.0, 2.0], "alt", Change.IMPROVED)
    svg = unquote(img.src.split(",", 1)[1])
    assert CHANGE_COLOUR[Change.IMPROVED] in svg


def test_each_change_has_one_symbol_on_every_page_and_figure():
    """The change without a better direction was "–" in cells and "◆" in Översikt and the
    Strategigrupp chart, while "–" also marks a missing value or target."""
    from dashboard.components.figures.change import CHANGE_STYLE
    from dashboard.components.figures.heatmap import LEGEND

    shown = [s for s in CHANGE_SYMBOL.values() if s]
    assert len(shown) == len(set(shown)) and "–" not in shown
    for change, (label, _colour) in CHANGE_STYLE.items():
        assert label.startswith(CHANGE_SYMBOL[change])
    for change in Change:
        if CHANGE_SYMBOL[change]:
            assert f"{CHANGE_SYMBOL[change]} {CHANGE_WORD[change]}" in LEGEND["change"]
    assert f'content: "{CHANGE_SYMBOL[Change.CHANGED]} "' in css_variables()
