"""Granskningslogg: every change to values, targets, analyses, catalogue and accounts — who,
when, what, and the state before and after. Only administrators read it.

The filters live in the address (`?vad=målvärde satt&vem=Anna&fran=2026-11-01&till=2026-11-30`),
and the download links carry the same words, so the file holds exactly what the page shows
(without the page's cap)."""

from datetime import date
from urllib.parse import urlencode

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import context
from dashboard.auth import current_user, requires
from dashboard.components.access import access_denied
from dashboard.components.grid_text import swedish_grid_text
from dashboard.ids import Granskningslogg as Ids
from indicators.reads.audit import AuditFilter, audit_actors, audit_count, audit_table
from indicators.vocabulary.domain import AuditAction, Role
from indicators.vocabulary.formatting import format_number

dash.register_page(
    __name__,
    path="/granskningslogg",
    name="Granskningslogg",
    title="Granskningslogg – Tillsammans 2021–2030",
    description="Vem ändrade vad och när: importer, målvärden, analyser, katalog och konton.",
    order=95,
    nav=True,
    role=Role.ADMINISTRATOR.value,
)

ALL = "*"  # "no filter" in the selects: dbc.Select keeps "" for its own empty placeholder
ROW_CAP = 1000  # newest entries shown on the page; the downloads hold all that match
PAGE_SIZE = 50
GRID_TEXT = swedish_grid_text("Inga händelser att visa.")
_WRAPPED = {"wrapText": True, "autoHeight": True}
COLUMNS = [
    {"field": "tid", "headerName": "Tid", "width": 175},
    {"field": "vem", "headerName": "Vem", "width": 180, **_WRAPPED},
    {"field": "vad", "headerName": "Vad", "width": 175},
    {"field": "avser", "headerName": "Avser", "flex": 2, "minWidth": 200, **_WRAPPED},
    {"field": "fore", "headerName": "Före", "flex": 3, "minWidth": 220, **_WRAPPED},
    {"field": "efter", "headerName": "Efter", "flex": 3, "minWidth": 220, **_WRAPPED},
]
# audit_table's column names, as the grid's fields.
_FIELDS = {
    "Tid (svensk tid)": "tid",
    "Vem": "vem",
    "Vad": "vad",
    "Avser": "avser",
    "Före": "fore",
    "Efter": "efter",
}


def layout(**query: str) -> html.Div:
    if not current_user().may(Role.ADMINISTRATOR):
        return access_denied(Role.ADMINISTRATOR, "läsa granskningsloggen")
    chosen = AuditFilter.from_query(query)
    store = context.store()
    actors = audit_actors(store)
    return html.Div(
        className="page granskningslogg",
        children=[
            dcc.Location(id=Ids.URL, refresh=False),
            html.H1("Granskningslogg"),
            html.P(
                "Varje import, ångrad import, ändring av målvärde, analys, katalog och konto "
                "loggas: vem, när, vad och läget före och efter. Tiderna är svensk tid.",
                className="lead",
            ),
            html.Section(
                className="controls audit-filters",
                **{"aria-label": "Filter för loggen"},
                children=[
                    _control(
                        "Vad",
                        dbc.Select(
                            id=Ids.ACTION,
                            name="vad",
                            options=[{"label": "Alla ändringar", "value": ALL}]
                            + [{"label": a.value, "value": a.value} for a in AuditAction],
                            value=chosen.action.value if chosen.action else ALL,
                        ),
                        Ids.ACTION,
                    ),
                    _control(
                        "Vem",
                        dbc.Select(
                            id=Ids.ACTOR,
                            name="vem",
                            options=[{"label": "Alla personer", "value": ALL}]
                            + [{"label": a, "value": a} for a in _with(actors, chosen.actor)],
                            value=chosen.actor or ALL,
                        ),
                        Ids.ACTOR,
                    ),
                    _control(
                        "Från och med",
                        _day_input(Ids.SINCE, "fran", chosen.since),
                        Ids.SINCE,
                    ),
                    _control(
                        "Till och med",
                        _day_input(Ids.UNTIL, "till", chosen.until),
                        Ids.UNTIL,
                    ),
                ],
            ),
            html.P(id=Ids.SUMMARY, role="status", children=_summary(chosen)),
            html.Ul(
                className="button-links",
                children=[
                    html.Li(
                        html.A("Ladda ner loggen (Excel)", id=Ids.XLSX, href=_href("xlsx", chosen))
                    ),
                    html.Li(
                        html.A("Ladda ner loggen (CSV)", id=Ids.CSV, href=_href("csv", chosen))
                    ),
                ],
            ),
            html.Div(
                className="audit-log",
                children=dag.AgGrid(
                    id=Ids.GRID,
                    columnDefs=COLUMNS,
                    rowData=_rows(chosen),
                    defaultColDef={"sortable": True, "resizable": True},
                    dashGridOptions={
                        "domLayout": "autoHeight",
                        "pagination": True,
                        "paginationPageSize": PAGE_SIZE,
                        "paginationPageSizeSelector": False,
                        "localeText": GRID_TEXT,
                        "ensureDomOrder": True,
                    },
                    className="ag-theme-alpine",
                ),
            ),
        ],
    )


def _control(label: str, field: object, id_: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=id_), field], className="control")


def _day_input(id_: str, name: str, value: date | None) -> dbc.Input:
    return dbc.Input(
        id=id_,
        type="date",
        name=name,
        value=value.isoformat() if value else "",
        debounce=True,
    )


def _with(actors: list[str], chosen: str | None) -> list[str]:
    """A person from the address stays choosable even when the log has no entry of theirs."""
    return actors if not chosen or chosen in actors else [*actors, chosen]


def _rows(chosen: AuditFilter) -> list[dict[str, str]]:
    table = audit_table(context.store(), limit=ROW_CAP, **chosen.kwargs())
    return table.rename(columns=_FIELDS)[list(_FIELDS.values())].to_dict("records")


def _summary(chosen: AuditFilter) -> str:
    total = audit_count(context.store(), **chosen.kwargs())
    if total == 0:
        return "Inga händelser matchar filtret."
    if total > ROW_CAP:
        return (
            f"Visar de {format_number(ROW_CAP, 0)} senaste av {format_number(total, 0)} "
            "händelser, nyast först. Ladda ner loggen för att få alla."
        )
    if total == 1:
        return "1 händelse."
    return f"{format_number(total, 0)} händelser, nyast först."


def _href(kind: str, chosen: AuditFilter) -> str:
    query = chosen.to_query()
    return f"/granskningslogg.{kind}" + (f"?{urlencode(query)}" if query else "")


@callback(
    Output(Ids.GRID, "rowData"),
    Output(Ids.SUMMARY, "children"),
    Output(Ids.CSV, "href"),
    Output(Ids.XLSX, "href"),
    Output(Ids.URL, "search"),
    Input(Ids.ACTION, "value"),
    Input(Ids.ACTOR, "value"),
    Input(Ids.SINCE, "value"),
    Input(Ids.UNTIL, "value"),
    prevent_initial_call=True,
)
@requires(Role.ADMINISTRATOR)
def filter_log(
    action: str | None, actor: str | None, since: str | None, until: str | None
) -> tuple:
    picked = {"vad": action, "vem": actor, "fran": since, "till": until}
    chosen = AuditFilter.from_query({k: None if v == ALL else v for k, v in picked.items()})
    query = chosen.to_query()
    return (
        _rows(chosen),
        _summary(chosen),
        _href("csv", chosen),
        _href("xlsx", chosen),
        f"?{urlencode(query)}" if query else "",
    )
