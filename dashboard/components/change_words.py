"""A change since the baseline as symbol and word together, so colour is never alone."""

from dash import html

from indicators.vocabulary.trends import Change

CHANGE_SYMBOL: dict[Change, str] = {
    Change.IMPROVED: "▲",
    Change.UNCHANGED: "●",
    Change.WORSENED: "▼",
    Change.CHANGED: "–",
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
