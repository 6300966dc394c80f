"""Mötesläge: ReKo's shared screen. A chosen list of views is shown one slide at a time, full
screen, in large type, without the navigation chrome.

The address holds everything, so a link opens the same meeting at the same slide:
`/moteslage?vyer=U21401,N20891,strategi-2&steg=3&auto=30`
- `vyer`: comma-separated views in showing order: an indicator id (its chart, and its analysis
  if one is written), `strategi-N`, `grupp-ID` (a strategigrupp) or `kommun-KOD` (a plain-Swedish
  summary, then a table). A view becomes as many slides as it takes to fit the screen.
- `steg`: the slide shown, 1 to the number of slides (default 1).
- `auto`: seconds between automatic steps (5–3600; leave out for none). It can always be paused.
- `utskrift=1`: every slide one after the other, one printed page each; /moteslage.pdf prints it
  in headless Chromium (dashboard/moteslage_pdf.py).
Without `vyer` the page is a composer that builds such a link (`urval` holds the chosen views).

Each slide is rendered on the server from the address; the keys (→/PageDown/Space, ←/PageUp,
Home/End, F for full screen, P to pause, Esc to leave) live in assets/moteslage.js, which changes
`steg` the way dcc.Link does, so Dash's router renders the next slide and back/forward step
through them.

This module is the page: the deck and its controls. Its parts, which Dash's pages loader skips
for their leading underscore: `_moteslage_address.py` reads and writes the address,
`_moteslage_slides.py` turns a view into slides (`_moteslage_indicator.py`,
`_moteslage_overviews.py`, the common frame in `_moteslage_frame.py`), `_moteslage_composer.py`
is the composer.
"""

import dash
from dash import dcc, html

from dashboard.ids import Moteslage as Ids
from dashboard.pages._moteslage_address import (
    deck_href,
    parse_auto,
    parse_step,
    parse_views,
    pdf_href,
)
from dashboard.pages._moteslage_composer import composer
from dashboard.pages._moteslage_frame import render
from dashboard.pages._moteslage_slides import deck_slides

dash.register_page(
    __name__,
    path="/moteslage",
    name="Mötesläge",
    title="Mötesläge – Tillsammans 2021–2030",
    description="Visa valda indikatorer, strategier och kommuner en i taget på en gemensam skärm.",
    order=70,
    nav=True,
)


def layout(
    vyer: str | list[str] | None = None,
    steg: str | list[str] | None = None,
    auto: str | list[str] | None = None,
    urval: str | list[str] | None = None,
    utskrift: str | list[str] | None = None,
    **other: str,
) -> html.Div:
    views = parse_views(vyer)
    if not views:
        return composer(parse_views(urval), parse_auto(auto), other)
    if utskrift:
        return printed(views)
    return deck(views, steg, parse_auto(auto))


def deck(views: list[str], steg: str | list[str] | None, auto: int | None) -> html.Div:
    slides = deck_slides(views)
    count = len(slides)
    step = parse_step(steg, count)
    view, make = slides[step - 1]
    slide = make()
    return html.Div(
        id=Ids.DECK,
        className="moteslage-deck",
        **{
            "data-steg": str(step),
            "data-antal": str(count),
            "data-auto": str(auto or ""),
            "data-vy": f"{view}#{step}",
            "data-rubrik": slide.title,
        },
        children=[
            html.Div(
                className=f"slide slide-kind-{slide.kind}",
                role="group",
                **{"aria-roledescription": "bild", "aria-label": f"Bild {step} av {count}"},
                children=render(slide),
            ),
            _controls(views, step, count, auto),
        ],
    )


def printed(views: list[str]) -> html.Div:
    """The whole deck, each slide the size of the screen and a printed page of its own."""
    slides = deck_slides(views)
    return html.Div(
        id=Ids.PRINT,
        className="moteslage-deck moteslage-print",
        **{"data-antal": str(len(slides))},
        children=[
            html.Div(
                className=f"slide slide-kind-{slide.kind} print-page",
                role="group",
                **{
                    "aria-roledescription": "bild",
                    "aria-label": f"Bild {n} av {len(slides)}",
                    "data-steg": str(n),
                },
                children=render(slide),
            )
            for n, slide in enumerate((make() for _, make in slides), start=1)
        ],
    )


def _controls(views: list[str], step: int, count: int, auto: int | None) -> html.Nav:
    def link(text: str, target: int, label: str) -> dcc.Link | html.Span:
        if target == step or not 1 <= target <= count:
            return html.Span(text, className="deck-btn disabled", title=label)
        return dcc.Link(
            text, href=deck_href(views, target, auto), className="deck-btn", title=label
        )

    return html.Nav(
        className="deck-controls",
        **{"aria-label": "Styr mötesläget"},
        children=[
            link("← Föregående", step - 1, "Föregående bild (←)"),
            html.Span(f"{step} / {count}", className="deck-position"),
            link("Nästa →", step + 1, "Nästa bild (→)"),
            html.Button(
                "Pausa",
                type="button",
                className="deck-btn deck-pause",
                title=f"Byter bild var {auto}:e sekund. P pausar och fortsätter.",
                **{"data-action": "paus", "aria-pressed": "false"},
            )
            if auto
            else None,
            html.Button(
                "Helskärm",
                type="button",
                className="deck-btn",
                title="F växlar helskärm",
                **{"data-action": "helskarm"},
            ),
            html.A(
                "PDF",
                href=pdf_href(views),
                className="deck-btn",
                title="Hela mötet som PDF, en sida per bild, för protokollet",
                **{"aria-label": "Ladda ner hela mötet som PDF"},
            ),
            html.A(
                "Avsluta",
                href="/",
                className="deck-btn deck-exit",
                title="Esc lämnar mötesläget",
                **{"data-action": "avsluta"},
            ),
            html.Span("← → byter bild · F · P · Esc", className="deck-help"),
        ],
    )
