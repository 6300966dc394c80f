"""The frame around every page: skip link, header with the Exempeldata badge, navigation built
from the page registry, the page itself in <main>, and a footer naming the sources."""

import dash
from dash import Input, Output, dcc, html

from dashboard import context
from dashboard.auth import SignedIn, signed_in
from dashboard.components.access import may_see, signed_in_corner
from dashboard.components.change_words import css_variables
from dashboard.ids import Shell
from indicators.reads.queries import has_demo_data

INDEX_STRING = (
    """<!DOCTYPE html>
<html lang="sv">
  <head>
    {%metas%}
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{%title%}</title>
    {%favicon%}
    {%css%}
    <style>"""
    + css_variables()
    + """</style>
  </head>
  <body>
    {%app_entry%}
    {%config%}
    {%scripts%}
    {%renderer%}
  </body>
</html>"""
)


# Marks the current page in the navigation for screen readers and the eye; Dash's router only
# swaps the page content, so the shell learns about navigation from the router's location.
dash.clientside_callback(
    """
    function(pathname) {
        document.querySelectorAll('.site-nav a').forEach(function(a) {
            // The links carry the chosen kommun and strategigrupp (carry-selection.js).
            var href = a.getAttribute('href').split('?')[0];
            if (href.indexOf('/kommun/') === 0) { href = '/kommun'; }
            if (href.indexOf('/strategigrupp/') === 0) { href = '/strategigrupp'; }
            var current = href === '/' ? pathname === '/'
                : pathname === href || pathname.startsWith(href + '/');
            if (current) { a.setAttribute('aria-current', 'page'); }
            else { a.removeAttribute('aria-current'); }
        });
        return window.dash_clientside.no_update;
    }
    """,
    Output(Shell.NAV, "className"),
    Input("_pages_location", "pathname"),
)


def nav_pages(user: SignedIn | None) -> list[dict]:
    pages = [p for p in dash.page_registry.values() if p.get("nav") and may_see(p, user)]
    return sorted(pages, key=lambda p: p.get("order", 99))


def demo_badge() -> html.Span:
    return html.Span(
        "Exempeldata",
        className="demo-badge",
        id=Shell.DEMO_BADGE,
        title="Siffrorna är påhittade och genererade för demonstration – inte verkliga resultat.",
    )


def shell() -> html.Div:
    demo = has_demo_data(context.store())
    # Dash also builds this once, unasked, on the first request, which may be the sign-in page's.
    user = signed_in()
    return html.Div(
        className="app",
        children=[
            html.A("Hoppa till innehållet", href=f"#{Shell.MAIN}", className="skip-link"),
            html.Header(
                className="site-header",
                children=[
                    html.Div(
                        className="brand",
                        children=[
                            dcc.Link(
                                [
                                    html.Span("Tillsammans 2021–2030", className="brand-title"),
                                    html.Span(
                                        "Uppföljning · 13 kommuner och Region Jönköpings län",
                                        className="brand-sub",
                                    ),
                                ],
                                href="/",
                                className="brand-link",
                            ),
                            demo_badge() if demo else None,
                        ],
                    ),
                    html.Nav(
                        html.Ul(
                            [
                                html.Li(dcc.Link(p["name"], href=p["relative_path"]))
                                for p in nav_pages(user)
                            ],
                        ),
                        **{"aria-label": "Huvudmeny"},
                        className="site-nav",
                        id=Shell.NAV,
                    ),
                    signed_in_corner(user) if user else None,
                ],
            ),
            html.Main(dash.page_container, id=Shell.MAIN, tabIndex="-1"),
            html.Div(
                className="site-footer",
                role="contentinfo",
                children=[
                    html.P(
                        "Strategin Tillsammans möter vi framtidens behov inom området främjande, "
                        "hälsa, stöd, omsorg och vård 2021–2030. Källor: Kolada (RKA), regionala "
                        "och kommunala uppföljningar. Varje diagram anger sin källa."
                    ),
                    html.P(
                        "Innehåller Exempeldata: genererade värden, inte verkliga resultat."
                        if demo
                        else "",
                        className="demo-note",
                    ),
                ],
            ),
        ],
    )
