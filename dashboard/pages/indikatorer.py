"""Indikatorer: the whole catalogue by strategy and mätområde, narrowed by strategigrupp or a
search, both in the URL so a link opens the same list. The indicators added from Kolada (a
national store has hundreds) follow in pages of ADDED_PAGE (?sida=2), found by the same search."""

from collections.abc import Callable
from urllib.parse import urlencode

import dash
import pandas as pd
from dash import dcc, html

from dashboard import context
from dashboard.components.interactive.downloads import (
    download_bar,
    download_source,
    source_payload,
)
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


# Added indicators per page: the list stays a list to read, and the page light, however many an
# import added; the search finds any of them.
ADDED_PAGE = 40


def _href(group: str | None, q: str | None, page: int = 1) -> str:
    params = {k: v for k, v in (("strategigrupp", group), ("q", q)) if v}
    if page > 1:
        params["sida"] = str(page)
    return "/indikatorer" + (f"?{urlencode(params)}" if params else "")


def _selection(strategigrupp: str | None, q: str | None) -> tuple[str | None, str]:
    """A known strategigrupp (else none) and the search text, as the URL gives them."""
    groups = strategigrupper(context.store())
    group = strategigrupp if strategigrupp in {gid for gid, _ in groups} else None
    return group, (q or "").strip()


def _shown(group: str | None, text: str) -> Callable[[IndicatorSummary], bool]:
    def shown(i: IndicatorSummary) -> bool:
        return (group is None or group in i.strategigrupp_ids) and i.matches(text)

    return shown


def layout(
    strategigrupp: str | None = None, q: str | None = None, sida: str | None = None, **_query: str
) -> html.Div:
    store = context.store()
    groups = strategigrupper(store)
    group, text = _selection(strategigrupp, q)
    shown = _shown(group, text)
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
                source=source_payload("indikatorer", strategigrupp=group, q=text),
                label="Ladda ner listan",
            ),
            *sections,
            _added_section(
                [i for i in added_indicators(store) if shown(i)], group, text, _page(sida)
            ),
        ],
    )


def _page(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10_000 else 1


def _added_section(
    added: list[IndicatorSummary], group: str | None, text: str, page: int
) -> html.Section | None:
    """Indicators an analyst added from Kolada during an import; no mätområde lists them. One
    page of ADDED_PAGE at a time, with links to the others; a page past the end shows the last."""
    if not added:
        return None
    pages = (len(added) + ADDED_PAGE - 1) // ADDED_PAGE
    page = min(page, pages)
    first = (page - 1) * ADDED_PAGE
    listed = added[first : first + ADDED_PAGE]
    return html.Section(
        [
            html.H2("Tillagda från Kolada", id=Ids.ADDED_HEADING),
            html.P(
                "Indikatorer som lades till från Koladas katalog vid en import. De hör ännu "
                "inte till något mätområde i strategin.",
                className="muted",
            ),
            html.P(
                f"Visar {first + 1}–{first + len(listed)} av {len(added)} tillagda indikatorer"
                + (". Sök ovan för att hitta en viss." if pages > 1 and not text else "."),
                className="muted",
                id=Ids.ADDED_COUNT,
            )
            if pages > 1
            else None,
            html.Ul([_item(i) for i in listed], className="indicator-list"),
            _pager(group, text, page, pages) if pages > 1 else None,
        ],
        className="strategy added-indicators",
        **{"aria-labelledby": Ids.ADDED_HEADING},
    )


def _pager(group: str | None, text: str, page: int, pages: int) -> html.Nav:
    """Links to the previous and next page and to each page by number; the current one is
    marked for screen readers (aria-current) and by style."""
    items = []
    if page > 1:
        items.append(html.Li(html.A("← Föregående", href=_href(group, text, page - 1))))
    for n in range(1, pages + 1):
        label = f"Sida {n}"
        items.append(
            html.Li(
                html.A(
                    str(n),
                    href=_href(group, text, n),
                    **{"aria-label": label, **({"aria-current": "page"} if n == page else {})},
                )
            )
        )
    if page < pages:
        items.append(html.Li(html.A("Nästa →", href=_href(group, text, page + 1))))
    return html.Nav(
        html.Ul(items),
        className="toc filter pager",
        **{"aria-label": "Sidor med tillagda indikatorer"},
    )


@download_source("indikatorer")
def download_frame(strategigrupp: str | None, q: str) -> pd.DataFrame:
    """The list as filtered on the page, built when someone clicks "Ladda ner listan"."""
    group, text = _selection(strategigrupp, str(q))
    return _catalogue_frame(catalogue_tree(context.store()), _shown(group, text))


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
