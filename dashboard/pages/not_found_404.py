"""Shown for any address that is not a page."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Sidan finns inte", title="Sidan finns inte")


def layout(**_query: str) -> html.Div:
    return html.Div(
        className="page",
        children=[
            html.H1("Sidan finns inte"),
            html.P("Adressen leder inte till någon sida i uppföljningen."),
            dcc.Link("Till översikten", href="/"),
        ],
    )
