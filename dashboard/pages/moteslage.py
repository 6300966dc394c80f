"""Mötesläge: ReKo's shared screen. A chosen list of views is shown one slide at a time, full
screen, in large type, without the navigation chrome.

The address holds everything, so a link opens the same meeting at the same slide:
`/moteslage?vyer=U21401,N20891,strategi-2&steg=3&auto=30`
- `vyer`: comma-separated views in showing order; an indicator id (one slide with its chart) or
  `strategi-N` (a summary of strategy N's headline indicators).
- `steg`: the slide shown, 1 to the number of views (default 1).
- `auto`: seconds between automatic steps (5–3600; leave out for none). It can always be paused.
Without `vyer` the page is a composer that builds such a link (`urval` pre-selects views).

Each slide is rendered on the server from the address; the keys (→/PageDown/Space, ←/PageUp,
Home/End, F for full screen, P to pause, Esc to leave) live in assets/moteslage.js, which changes
`steg` the way dcc.Link does, so Dash's router renders the next slide and back/forward step
through them.

This module is the page: the deck and its controls. Its parts, which Dash's pages loader skips
for their leading underscore: `_moteslage_address.py` reads and writes the address,
`_moteslage_slides.py` builds a slide per view, `_moteslage_composer.py` is the composer and its
callback.
"""

import dash
from dash import dcc, html

from dashboard.ids import Moteslage as Ids
from dashboard.pages._moteslage_address import deck_href, parse_auto, parse_step, parse_views
from dashboard.pages._moteslage_composer import composer
from dashboard.pages._moteslage_slides import slide_for

dash.register_page(
    __name__,
    path="/moteslage",
    name="Mötesläge",
    title="Mötesläge – Tillsammans 2021–2030",
    description="Visa valda indikatorer och strategier en i taget på en gemensam skärm.",
    order=70,
    nav=True,
)


def layout(
    vyer: str | list[str] | None = None,
    steg: str | list[str] | None = None,
    auto: str | list[str] | None = None,
    urval: str | list[str] | None = None,
    **_other: str,
) -> html.Div:
    views = parse_views(vyer)
    if not views:
        return composer(parse_views(urval), parse_auto(auto))
    step = parse_step(steg, len(views))
    return deck(views, step, parse_auto(auto))


def deck(views: list[str], step: int, auto: int | None) -> html.Div:
    view = views[step - 1]
    slide = slide_for(view)
    count = len(views)
    return html.Div(
        id=Ids.DECK,
        className="moteslage-deck",
        **{
            "data-steg": str(step),
            "data-antal": str(count),
            "data-auto": str(auto or ""),
            "data-vy": view,
            "data-rubrik": slide.title,
        },
        children=[
            html.Div(
                className="slide",
                role="group",
                **{"aria-roledescription": "bild", "aria-label": f"Bild {step} av {count}"},
                children=slide.children,
            ),
            _controls(views, step, auto),
        ],
    )


def _controls(views: list[str], step: int, auto: int | None) -> html.Nav:
    count = len(views)

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
                "Avsluta",
                href="/",
                className="deck-btn deck-exit",
                title="Esc lämnar mötesläget",
                **{"data-action": "avsluta"},
            ),
            html.Span(
                "Piltangenter byter bild · F helskärm · P paus · Esc avslutar",
                className="deck-help",
            ),
        ],
    )
