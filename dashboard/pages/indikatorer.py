"""Indikatorer: the whole catalogue, by strategy and mätområde, each linking to its page."""

import dash
from dash import dcc, html

from dashboard import context
from indicators.queries import overview

dash.register_page(
    __name__,
    path="/indikatorer",
    name="Indikatorer",
    title="Indikatorer – Tillsammans 2021–2030",
    description="Alla indikatorer i katalogen, ordnade efter strategi och mätområde.",
    order=1,
    nav=True,
)


def layout(**_query: str) -> html.Div:
    strategies = overview(context.store())
    total = len({i.id for s in strategies for ma in s.matomraden for i in ma.indicators})
    return html.Div(
        className="page indikatorer",
        children=[
            html.H1("Indikatorer"),
            html.P(
                f"Katalogen har {total} indikatorer. Varje indikator visar sin definition, "
                "källa och enhet.",
                className="lead",
            ),
            *[
                html.Section(
                    [
                        html.H2(f"Strategi {s.number}: {s.title}"),
                        *[
                            html.Div(
                                [
                                    html.H3(ma.title),
                                    html.Ul(
                                        [
                                            html.Li(
                                                [
                                                    dcc.Link(i.title, href=f"/indikator/{i.id}"),
                                                    html.Span(
                                                        f" {i.id} · {i.source} · {i.unit}",
                                                        className="ind-meta",
                                                    ),
                                                ]
                                            )
                                            for i in ma.indicators
                                        ],
                                        className="indicator-list",
                                    ),
                                ],
                                className="matomrade",
                            )
                            for ma in s.matomraden
                        ],
                    ],
                    className="strategy",
                )
                for s in strategies
            ],
        ],
    )
