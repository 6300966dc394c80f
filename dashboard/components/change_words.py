"""The one look of a change: symbol, word and colour of förbättrats / oförändrat / försämrats /
förändrats / kan inte jämföras, for every page, figure and slide. Colour is never alone: a
symbol and a word always stand beside it.

Colours: blue for better and orange for worse (Okabe–Ito's blue; an orange darkened from its
vermillion so small text keeps 4.5:1 on white), grey for unchanged, purple for a change without
a better direction, light grey for no data. Blue against orange stays apart in every common form
of colour blindness, which green against red does not. CSS reads them as custom properties
(`css_variables`, set in the page head by dashboard.shell), figures from CHANGE_COLOUR."""

from dash import html

from dashboard.components import lean
from indicators.vocabulary.trends import Change

CHANGE_SYMBOL: dict[Change, str] = {
    Change.IMPROVED: "▲",
    Change.UNCHANGED: "●",
    Change.WORSENED: "▼",
    # Not "–": that is the mark of a missing value or target in every table.
    Change.CHANGED: "◆",
    Change.NOT_COMPARABLE: "",
}
CHANGE_WORD: dict[Change, str] = {
    Change.IMPROVED: "förbättrats",
    Change.UNCHANGED: "oförändrat",
    Change.WORSENED: "försämrats",
    # Moved, but higher is neither better nor worse for this indicator.
    Change.CHANGED: "ingen riktning",
    Change.NOT_COMPARABLE: "kan inte jämföras",
}


CHANGE_COLOUR: dict[Change, str] = {
    Change.IMPROVED: "#0072b2",
    Change.UNCHANGED: "#595959",
    Change.WORSENED: "#b35806",
    Change.CHANGED: "#6a51a3",
    Change.NOT_COMPARABLE: "#bdbdbd",
}
# The CSS custom property of each change, used by every stylesheet rule that colours one.
CHANGE_VARIABLE: dict[Change, str] = {
    Change.IMPROVED: "--better",
    Change.UNCHANGED: "--unchanged",
    Change.WORSENED: "--worse",
    Change.CHANGED: "--changed",
    Change.NOT_COMPARABLE: "--nodata",
}
# The same meaning as areas under black text (the comparison heatmap): light shades of the same
# hues, worse (0) through unchanged (0.5) to better (1).
CHANGE_FILL_SCALE: list[list[float | str]] = [
    [0.0, "#e08214"],
    [0.25, "#fdb863"],
    [0.5, "#f2f2f2"],
    [0.75, "#92c5de"],
    [1.0, "#4393c3"],
]
# A sparkline's last point when nothing judges it: ink, not a colour that reads as a verdict.
NEUTRAL_DOT = "#1a1a1a"


def css_variables() -> str:
    """`:root { --better: …; }` for the page head, from CHANGE_COLOUR, and the symbol of a lean
    change cell (`change_cell`) from CHANGE_SYMBOL."""
    pairs = "; ".join(f"{CHANGE_VARIABLE[c]}: {CHANGE_COLOUR[c]}" for c in Change)
    # `content: "▲" / ""`: the symbol is drawn but not read (the word beside it is), as the
    # aria-hidden symbol of change_badge.
    marks = " ".join(
        f'.change-mark.{c.value}::before {{ content: "{CHANGE_SYMBOL[c]} " / ""; '
        f"color: var({CHANGE_VARIABLE[c]}); }}"
        for c in Change
        if CHANGE_SYMBOL[c]
    )
    return f":root {{ {pairs}; }} {marks}"


def change_cell(change: Change, *extra: object, class_name: str = "") -> lean.Element:
    """A table cell that says the change as change_badge does (symbol, word, colour), with the
    symbol drawn by the stylesheet (css_variables): one element instead of four, for tables of
    many rows."""
    classes = " ".join(c for c in (class_name, "change-mark", change.value) if c)
    word = CHANGE_WORD[change]
    return lean.html.Td([word, *extra] if extra else word, className=classes)


def change_text(change: Change) -> str:
    symbol = CHANGE_SYMBOL[change]
    return f"{symbol} {CHANGE_WORD[change]}" if symbol else CHANGE_WORD[change]


def change_badge(change: Change) -> html.Span:
    symbol = CHANGE_SYMBOL[change]
    return html.Span(
        [
            html.Span(symbol, className="sym", **{"aria-hidden": "true"}) if symbol else None,
            " " if symbol else None,
            CHANGE_WORD[change],
        ],
        className=f"change-badge {change.value}",
    )
