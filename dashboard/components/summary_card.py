"""A strategy or strategigrupp as a card on its menu page: what it is, how many indicators it
follows and how the county moved on them since the baseline year, by the one rule, with the
symbols, words and colours every page uses."""

from dash import dcc, html

from dashboard.components.change_words import CHANGE_SYMBOL
from indicators.reads.models import SummaryCard
from indicators.vocabulary.formatting import count_phrase
from indicators.vocabulary.trends import Change

SHOWN = (
    (Change.IMPROVED, "förbättrats"),
    (Change.UNCHANGED, "oförändrade"),
    (Change.WORSENED, "försämrats"),
    (Change.CHANGED, "förändrats utan riktning"),
    (Change.NOT_COMPARABLE, "utan jämförbara värden"),
)


def summary_cards(cards: tuple[SummaryCard, ...], href: dict[str, str]) -> html.Ul:
    return html.Ul([html.Li(summary_card(c, href[c.key])) for c in cards], className="card-grid")


def summary_card(card: SummaryCard, href: str) -> html.Article:
    items = [
        html.Li(
            [
                html.Span(CHANGE_SYMBOL[c] or "–", className="sym", **{"aria-hidden": "true"}),
                html.Strong(f" {card.counts[c]}"),
                f" {word}",
            ],
            className=c.value,
            **{"data-change": c.value},
        )
        for c, word in SHOWN
        if card.counts[c] or c is not Change.CHANGED
    ]
    return html.Article(
        className="summary-card",
        **{"data-key": card.key},
        children=[
            html.H2(dcc.Link(card.title, href=href)),
            html.P(card.line, className="card-line") if card.line else None,
            html.P(
                f"{count_phrase(card.indicator_count, 'indikator', 'indikatorer')} · "
                f"länet sedan {card.baseline_year}:",
                className="card-meta",
            ),
            html.Ul(items, className="change-list card-counts"),
        ],
    )
