"""Mötesläge's slides, rendered on the server from the address. Each view of `vyer` becomes one
or more slides: an indicator id its chart slide (and its analysis, if written); `strategi-N`,
`grupp-ID` and `kommun-KOD` a plain-Swedish summary and a table, as many slides as fit."""

from dash import dcc, html

from dashboard import context
from dashboard.pages._moteslage_address import (
    GROUP_PREFIX,
    KOMMUN_PREFIX,
    PATH,
    STRATEGY_PREFIX,
)
from dashboard.pages._moteslage_frame import MakeSlide, Slide, ready
from dashboard.pages._moteslage_indicator import indicator_slides
from dashboard.pages._moteslage_overviews import group_slides, kommun_slides, strategy_slides
from indicators.reads.cache import cached_query
from indicators.reads.queries import Store, indicator_detail


def slides_for(view: str) -> list[MakeSlide]:
    """The view's slides, each as what makes it. A summary or table is made at once (how many
    slides it takes depends on its text and rows); an indicator's chart only when it is shown."""
    found: list[Slide] = []
    if view.startswith(STRATEGY_PREFIX):
        number = view.removeprefix(STRATEGY_PREFIX)
        found = strategy_slides(int(number)) if number.isdigit() else []
    elif view.startswith(GROUP_PREFIX):
        found = group_slides(view.removeprefix(GROUP_PREFIX))
    elif view.startswith(KOMMUN_PREFIX):
        found = kommun_slides(view.removeprefix(KOMMUN_PREFIX))
    else:
        detail = indicator_detail(context.store(), view)
        if detail is not None:
            return indicator_slides(detail)
    return [ready(slide) for slide in found or [_missing(view)]]


def deck_slides(views: list[str]) -> list[tuple[str, MakeSlide]]:
    """(view, what makes the slide) for every slide of the deck, in showing order."""
    return _deck(context.store(), tuple(views))


# Every step of a meeting renders one slide but must know them all (their number, where each
# view begins): planned once per deck and data version, not once per key press.
@cached_query(maxsize=8)
def _deck(store: Store, views: tuple[str, ...]) -> list[tuple[str, MakeSlide]]:
    return [(view, make) for view in views for make in slides_for(view)]


def _missing(view: str) -> Slide:
    title = "Vyn finns inte"
    return Slide(
        title=title,
        kicker="Mötesläge",
        heading=title,
        body=[
            html.P(
                f"Ingen indikator, strategi, strategigrupp eller kommun har id {view!r}. "
                "Välj vyer på nytt i mötesläget.",
                className="slide-lead",
            ),
            dcc.Link("Välj vyer", href=PATH, className="slide-link"),
        ],
    )
