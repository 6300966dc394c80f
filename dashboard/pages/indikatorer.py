"""Indikatorer: the whole catalogue by strategy and mätområde, narrowed by strategigrupp or a
search, both in the URL so a link opens the same list."""

from collections.abc import Callable
from urllib.parse import urlencode

import dash
import pandas as pd
from dash import dcc, html

from dashboard import context
from dashboard.components.interactive.downloads import download_bar
from dashboard.ids import Indikatorer as Ids
from indicators.reads.models import IndicatorSummary, StrategyOverview
from indicators.reads.queries import added_indicators, catalogue_tree, strategigrupper

dash.register_page(
    __name__,
    path="/indikatorer",
    name="Indikatorer",
    title="Indikatorer – Tillsammans 2021–2030",
    description="Alla indikatorer i katalogen, ordnade efter strategi och mätområde.",
    order=1,
    nav=True,
)


def _href(group: str | None, q: str | None) -> str:
    params = {k: v for k, v in (("strategigrupp", group), ("q", q)) if v}
    return "/indikatorer" + (f"?{urlencode(params)}" if params else "")


def layout(strategigrupp: str | None = None, q: str | None = None, **_query: str) -> html.Div:
    store = context.store()
    groups = strategigrupper(store)
    group = strategigrupp if strategigrupp in {gid for gid, _ in groups} else None
    text = (q or "").strip()

    def shown(i: IndicatorSummary) -> bool:
        return (group is None or group in i.strategigrupp_ids) and i.matches(text)

    tree = catalogue_tree(store)
    every = {i.id for s in tree for ma in s.matomraden for i in ma.indicators}
    visible = {i.id for s in tree for ma in s.matomraden for i in ma.indicators if shown(i)}
    sections = []
    for s in tree:
        listed = [(ma, [i for i in ma.indicators if shown(i)]) for ma in s.matomraden]
        areas = [
            html.Div(
                [html.H3(ma.title), html.Ul([_item(i) for i in inds], className="indicator-list")],
                className="matomrade",
            )
            for ma, inds in listed
            if inds
        ]
        if areas:
            sections.append(
                html.Section(
                    [html.H2(f"Strategi {s.number}: {s.title}"), *areas], className="strategy"
                )
            )
    return html.Div(
        className="page indikatorer",
        children=[
            html.H1("Indikatorer"),
            html.P(
                f"Katalogen har {len(every)} indikatorer. Varje indikator visar sin definition, "
                "källa och enhet.",
                className="lead",
            ),
            html.Nav(
                html.Ul(
                    [
                        html.Li(
                            html.A(
                                name,
                                href=_href(gid, text),
                                **({"aria-current": "page"} if gid == group else {}),
                            )
                        )
                        for gid, name in [(None, "Alla strategigrupper"), *groups]
                    ]
                ),
                className="toc filter",
                **{"aria-label": "Filtrera på strategigrupp"},
            ),
            html.Form(
                [
                    html.Label("Sök indikator", htmlFor=Ids.SEARCH),
                    dcc.Input(
                        id=Ids.SEARCH,
                        name="q",
                        type="search",
                        value=text,
                        debounce=True,
                        className="search-input",
                    ),
                    dcc.Input(type="hidden", name="strategigrupp", value=group) if group else None,
                    html.Button("Sök", type="submit", className="btn-small"),
                ],
                method="get",
                action="/indikatorer",
                role="search",
                className="search-form",
            ),
            html.P(
                f"Visar {len(visible)} av {len(every)} indikatorer.",
                className="muted",
                role="status",
                id=Ids.COUNT,
            ),
            download_bar(
                "indikatorer",
                png_graph_id=None,
                filename="indikatorer",
                frame=_catalogue_frame(tree, shown),
                label="Ladda ner listan",
            ),
            *sections,
            _added_section([i for i in added_indicators(store) if shown(i)]),
        ],
    )


def _added_section(added: list[IndicatorSummary]) -> html.Section | None:
    """Indicators an analyst added from Kolada during an import; no mätområde lists them."""
    if not added:
        return None
    return html.Section(
        [
            html.H2("Tillagda från Kolada"),
            html.P(
                "Indikatorer som lades till från Koladas katalog vid en import. De hör ännu "
                "inte till något mätområde i strategin.",
                className="muted",
            ),
            html.Ul([_item(i) for i in added], className="indicator-list"),
        ],
        className="strategy added-indicators",
    )


def _catalogue_frame(
    tree: list[StrategyOverview], shown: Callable[[IndicatorSummary], bool]
) -> pd.DataFrame:
    """The list as shown, one row per indicator and mätområde, for the downloads."""
    return pd.DataFrame(
        [
            {
                "Strategi": s.number,
                "Mätområde": ma.title,
                "Id": i.id,
                "Indikator": i.title,
                "Enhet": i.unit,
                "Typ av värde": i.value_kind.label,
                "Riktning": i.direction.label,
                "Källa": i.source,
                "Strategigrupper": ", ".join(i.strategigrupper),
            }
            for s in tree
            for ma in s.matomraden
            for i in ma.indicators
            if shown(i)
        ],
        columns=[
            "Strategi",
            "Mätområde",
            "Id",
            "Indikator",
            "Enhet",
            "Typ av värde",
            "Riktning",
            "Källa",
            "Strategigrupper",
        ],
    )


def _item(i: IndicatorSummary) -> html.Li:
    return html.Li(
        [
            dcc.Link(i.short_title, href=f"/indikator/{i.id}"),
            html.Span(f" {i.id} · {i.source} · {i.unit}", className="ind-meta"),
        ],
        **{"data-indicator": i.id},
    )
