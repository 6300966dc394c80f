"""Jämförelse: a heatmap of the 13 kommuner × the indicators of a chosen strategy, mätområde or
strategigrupp, coloured by each kommun's change since its own baseline or by its distance to
target, with the value in every cell and the same numbers as a table below.

Every selection lives in the query string (?strategi=2&matomrade=…&strategigrupp=…&farg=mal);
one callback owns selection ↔ URL in both directions, as on the Indikator page."""

from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, ctx, dcc, html

from dashboard import context
from dashboard.components import lean
from dashboard.components.change_words import CHANGE_SYMBOL, CHANGE_WORD
from dashboard.components.figures.base import GRAPH_CONFIG
from dashboard.components.figures.coded import soft_break
from dashboard.components.figures.heatmap import cell_label, comparison_heatmap
from dashboard.components.interactive.downloads import (
    download_bar,
    download_data_id,
    download_source,
    source_payload,
)
from dashboard.components.selection import keep_carried
from dashboard.components.source_note import source_note_text
from dashboard.components.tables import table_section
from dashboard.ids import Jamforelse as Ids
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.models import ColourBy, ComparisonMatrix
from indicators.reads.queries import catalogue_tree, strategigrupper
from indicators.vocabulary.trends import Change

H = lean.html

dash.register_page(
    __name__,
    path="/jamforelse",
    name="Jämförelse",
    title="Jämförelse – Tillsammans 2021–2030",
    description="Kommunerna sida vid sida: förändring sedan basåret eller avstånd till målet.",
    order=50,
    nav=True,
)

ALL = "alla"
COLOUR_PARAM = {"change": "forandring", "target": "mal"}
COLOUR_BY_PARAM = {v: k for k, v in COLOUR_PARAM.items()}


def _options() -> tuple[list[dict], list[dict], list[dict]]:
    store = context.store()
    tree = catalogue_tree(store)
    strategies = [{"label": "Alla strategier", "value": ALL}] + [
        {"label": f"Strategi {s.number}: {s.title}", "value": str(s.number)} for s in tree
    ]
    matomraden = [{"label": "Alla mätområden", "value": ALL}] + [
        {"label": f"S{s.number}: {ma.title}", "value": ma.id} for s in tree for ma in s.matomraden
    ]
    groups = [{"label": "Alla strategigrupper", "value": ALL}] + [
        {"label": name, "value": gid} for gid, name in strategigrupper(store)
    ]
    return strategies, matomraden, groups


def _selection(query: dict[str, str], options: tuple[list[dict], ...]) -> tuple[str, str, str, str]:
    """Unknown values in a hand-written link fall back to "alla" rather than failing."""

    def pick(raw: str | None, choices: list[dict]) -> str:
        return raw if raw in {o["value"] for o in choices} else ALL

    strategies, matomraden, groups = options
    colour = COLOUR_BY_PARAM.get(query.get("farg", ""), "change")
    return (
        pick(query.get("strategi"), strategies),
        pick(query.get("matomrade"), matomraden),
        pick(query.get("strategigrupp"), groups),
        colour,
    )


def _select(id_: str, label: str, options: list[dict], value: str) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=id_),
            dbc.Select(id=id_, options=options, value=value, name=id_),
        ],
        className="control",
    )


def layout(**query: str) -> html.Div:
    options = _options()
    strategy, matomrade, group, colour = _selection(query, options)
    return html.Div(
        className="page jamforelse wide",
        children=[
            dcc.Location(id=Ids.URL, refresh=False),
            html.H1("Jämförelse"),
            html.P(
                "Länets 13 kommuner sida vid sida. Varje ruta jämför kommunen med sig själv – "
                "utvecklingen sedan basåret i indikatorns riktning – eller med målet. Färgen "
                "rangordnar inte kommunerna: en liten kommun kan ha få personer bakom en andel.",
                className="lead",
            ),
            html.Section(
                className="controls comparison-controls",
                **{"aria-label": "Val för jämförelsen"},
                children=[
                    _select(Ids.STRATEGY, "Strategi", options[0], strategy),
                    _select(Ids.MATOMRADE, "Mätområde", options[1], matomrade),
                    _select(Ids.GROUP, "Strategigrupp", options[2], group),
                    html.Fieldset(
                        [
                            html.Legend("Färg efter"),
                            dbc.RadioItems(
                                id=Ids.COLOUR,
                                name="farg",
                                options=[
                                    {"label": "Förändring sedan basåret", "value": "change"},
                                    {"label": "Avstånd till målet", "value": "target"},
                                ],
                                value=colour,
                                inline=True,
                            ),
                        ]
                    ),
                ],
            ),
            html.P(id=Ids.STATUS, role="status", className="muted"),
            html.Div(
                download_bar("jamforelse", png_graph_id=Ids.GRAPH.value, filename="jamforelse"),
                className="page-actions",
            ),
            html.Section(
                className="chart",
                **{"aria-label": "Diagram"},
                children=dcc.Graph(id=Ids.GRAPH, config=GRAPH_CONFIG, className="figure"),
            ),
            table_section("Tabell", Ids.TABLE_HEADING, Ids.TABLE),
        ],
    )


@callback(
    Output(Ids.STRATEGY, "value"),
    Output(Ids.MATOMRADE, "value"),
    Output(Ids.GROUP, "value"),
    Output(Ids.COLOUR, "value"),
    Output(Ids.GRAPH, "figure"),
    Output(Ids.TABLE, "children"),
    Output(Ids.STATUS, "children"),
    Output(download_data_id("jamforelse"), "data"),
    Output(Ids.URL, "search"),
    Input(Ids.STRATEGY, "value"),
    Input(Ids.MATOMRADE, "value"),
    Input(Ids.GROUP, "value"),
    Input(Ids.COLOUR, "value"),
    Input(Ids.URL, "search"),
)
def update_view(
    strategy: str, matomrade: str, group: str, colour: str, search: str | None
) -> tuple:
    """A control writes the URL; the URL (a link, back, forward) sets the controls."""
    if ctx.triggered_id == Ids.URL or ctx.triggered_id is None:
        query = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
        strategy, matomrade, group, colour = _selection(query, _options())
    colour_by: ColourBy = "target" if colour == "target" else "change"
    matrix = _matrix(strategy, matomrade, group, colour_by)
    own_search = _search(strategy, matomrade, group, colour_by)
    # The chosen kommun rides along; the strategigrupp is this page's own filter.
    new_search = keep_carried(own_search, search, own=("strategigrupp",))
    url = dash.no_update if ctx.triggered_id in (Ids.URL, None) else new_search
    status = _status(matrix)
    if not matrix.indicators:
        empty = html.P(
            "Inga indikatorer redovisas per kommun för det valet. Välj en annan strategi, "
            "ett annat mätområde eller en annan strategigrupp.",
            className="muted",
        )
        return (
            strategy,
            matomrade,
            group,
            colour_by,
            {"data": [], "layout": {"height": 80}},
            empty,
            status,
            None,
            url,
        )
    figure = comparison_heatmap(matrix, source_note_text(matrix.provenance))
    # The file is built when someone clicks: the page carries only the selection.
    payload = source_payload(
        "jamforelse",
        filename=_filename(strategy, matomrade, group),
        query=own_search,
    )
    return (
        strategy,
        matomrade,
        group,
        colour_by,
        figure,
        _table(matrix),
        status,
        payload,
        url,
    )


def _matrix(strategy: str, matomrade: str, group: str, colour_by: ColourBy) -> ComparisonMatrix:
    return comparison_matrix(
        context.store(),
        strategy=int(strategy) if strategy not in (None, ALL) else None,
        matomrade=None if matomrade in (None, ALL) else matomrade,
        strategigrupp=None if group in (None, ALL) else group,
        colour_by=colour_by,
    )


@download_source("jamforelse")
def download_frame(query: str) -> pd.DataFrame | None:
    """The matrix of the selection in `query` (the page's own query string), as on the page;
    unknown values fall back to "alla" as in a hand-written link."""
    parsed = {k: v[-1] for k, v in parse_qs(query.lstrip("?")).items()}
    strategy, matomrade, group, colour = _selection(parsed, _options())
    matrix = _matrix(strategy, matomrade, group, "target" if colour == "target" else "change")
    return matrix.frame() if matrix.indicators else None


def _search(strategy: str, matomrade: str, group: str, colour_by: ColourBy) -> str:
    params = {
        "strategi": strategy,
        "matomrade": matomrade,
        "strategigrupp": group,
    }
    kept = {k: v for k, v in params.items() if v and v != ALL}
    if colour_by != "change":
        kept["farg"] = COLOUR_PARAM[colour_by]
    return f"?{urlencode(kept)}" if kept else ""


def _filename(strategy: str, matomrade: str, group: str) -> str:
    parts = [p for p in (strategy, matomrade, group) if p and p != ALL]
    return "jamforelse" + "".join(f"-{p}" for p in parts)


def _status(matrix: ComparisonMatrix) -> str:
    n = len(matrix.indicators)
    text = (
        f"Visar {n} indikator{'er' if n != 1 else ''} ({matrix.selection}) för "
        f"{len(matrix.areas)} kommuner, jämfört med basåret {matrix.baseline_year}."
    )
    if matrix.colour_by == "target" and not any(c.target for c in matrix.cells.values()):
        text += " Inga mål är satta för de här indikatorerna ännu, så inga rutor färgas."
    return text


def _table(matrix: ComparisonMatrix) -> html.Table:
    colour_by = matrix.colour_by
    # Indicator and kommun are the cell's row and column (data-indicator on the row, data-area
    # on the column's header), so a cell carries only what it says: the label, its change as
    # the class (the colour), and its period and the symbol's word as its title.
    # Some six hundred cells: made lean (dashboard.components.lean).
    body = []
    for ind in matrix.indicators:
        cells = []
        for area in matrix.areas:
            c = matrix.cell(ind.id, area.code)
            # The title says the period and the word for the symbol; the value is the text.
            word = c.change.label if colour_by == "change" else c.target_text
            cells.append(
                H.Td(
                    soft_break(cell_label(c, colour_by, fit=False)),
                    className=f"{c.change.value}" + ("" if c.value is not None else " status"),
                    title=f"{c.period}: {word}" if c.period else word,
                )
            )
        period = matrix.latest_periods.get(ind.id) or "–"
        body.append(
            H.Tr(
                **{"data-indicator": ind.id},
                children=[
                    H.Th(
                        [
                            lean.link(ind.short_title, f"/indikator/{ind.id}"),
                            H.Span(f" {period} · {ind.unit}", className="ind-meta"),
                        ],
                        scope="row",
                    ),
                    *cells,
                ],
            )
        )
    explanation = (
        "▲ förbättrats, ● oförändrat, ▼ försämrats sedan basåret, "
        f"{CHANGE_SYMBOL[Change.CHANGED]} {CHANGE_WORD[Change.CHANGED]}"
        if colour_by == "change"
        else "✓ uppnått, ≈ nära, ✗ ej uppnått, – inget mål eller inget värde"
    )
    return html.Table(
        [
            html.Caption(f"Senaste värde per kommun. {explanation}."),
            html.Thead(
                html.Tr(
                    [html.Th("Indikator", scope="col")]
                    + [
                        html.Th(a.name, scope="col", className="num", **{"data-area": a.code})
                        for a in matrix.areas
                    ]
                )
            ),
            html.Tbody(body),
        ],
        className="data-table comparison-table",
        id=Ids.DATA_TABLE,
    )
