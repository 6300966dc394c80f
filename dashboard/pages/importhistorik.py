"""Importhistorik: every batch with its file, checksum, format, who and when — and the way back.

Undoing restores what each value was before the batch; the domain refuses when a later import
has since written the same values, and says which one."""

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard import context
from dashboard.ids import Importhistorik as Ids
from indicators.formatting import format_date
from indicators.imports.history import BatchSummary, import_batches
from indicators.imports.pipeline import undo_batch
from indicators.settings import get_settings

dash.register_page(
    __name__,
    path="/importhistorik",
    name="Importhistorik",
    title="Importhistorik – Tillsammans 2021–2030",
    description="Alla importer med fil, kontrollsumma, format, användare och tid. Ångra en import.",
    order=90,
    nav=True,
)


def layout(**_query: str) -> html.Div:
    return html.Div(
        className="page importhistorik",
        children=[
            html.H1("Importhistorik"),
            html.P(
                "Varje import sparas som en egen batch. Ett värde vet alltid vilken fil det kom "
                "från, och en import kan ångras: då återställs värdena som fanns innan.",
                className="lead",
            ),
            dcc.Store(id=Ids.PENDING),
            dcc.Store(id=Ids.REFRESH, data=0),
            html.Div(id=Ids.MESSAGE, role="status", **{"aria-live": "polite"}),
            html.Div(id=Ids.TABLE, children=_table(import_batches(context.store()))),
        ],
    )


def _when(batch: BatchSummary) -> str:
    return f"{format_date(batch.imported_at)} {batch.imported_at:%H:%M}"


def _table(batches: list[BatchSummary]) -> html.Div:
    if not batches:
        return html.P("Inga importer ännu.", className="muted")
    head = (
        "Nr",
        "Fil",
        "Format",
        "Importerad av",
        "Tid (UTC)",
        "Rader",
        "Nya",
        "Ändrade",
        "Oförändrade",
        "Avvisade",
        "Läge",
        "Åtgärd",
    )
    rows = []
    for b in batches:
        action: object = ""
        if not b.is_demo and not b.undone:
            action = html.Button(
                "Ångra",
                id={"type": Ids.UNDO, "batch": b.id},
                type="button",
                className="btn-danger",
                **{"aria-label": f"Ångra import {b.id} ({b.source_name})"},
            )
        state = b.state_label
        if b.undone and b.undone_at is not None:
            state = f"ångrad {format_date(b.undone_at)} av {b.undone_by or 'okänd'}"
        rows.append(
            html.Tr(
                [
                    html.Td(str(b.id), className="num"),
                    html.Th(
                        [b.source_name, html.Br(), html.Small(f"sha256 {b.sha256[:12]}…")],
                        scope="row",
                        title=b.sha256,
                    ),
                    html.Td(b.format_label),
                    html.Td(b.imported_by),
                    html.Td(_when(b)),
                    *(
                        html.Td(f"{n:,}".replace(",", "\u00a0"), className="num")
                        for n in (
                            b.rows_read,
                            b.rows_new,
                            b.rows_changed,
                            b.rows_unchanged,
                            b.rows_rejected,
                        )
                    ),
                    html.Td(state),
                    html.Td(action),
                ]
            )
        )
    return html.Div(
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": "Importer"},
        children=html.Table(
            className="data-table history-table",
            children=[
                html.Caption("Importer, senaste först"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
        ),
    )


@callback(
    Output(Ids.PENDING, "data"),
    Output(Ids.MESSAGE, "children"),
    Input({"type": Ids.UNDO, "batch": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def ask_undo(clicks: list[int | None]) -> tuple:
    if not any(clicks) or not isinstance(ctx.triggered_id, dict):
        raise dash.exceptions.PreventUpdate
    batch_id = int(ctx.triggered_id["batch"])
    batch = next((b for b in import_batches(context.store()) if b.id == batch_id), None)
    if batch is None:
        raise dash.exceptions.PreventUpdate
    return batch_id, html.Div(
        className="undo-confirm",
        children=[
            html.P(
                f"Ångra import {batch.id} ({batch.source_name}, {_when(batch)})? "
                f"{batch.rows_new} nya värden tas bort och {batch.rows_changed} ändrade värden "
                "får tillbaka sitt tidigare värde."
            ),
            html.Button(
                "Ja, ångra importen", id=Ids.CONFIRM_UNDO, type="button", className="btn-danger"
            ),
            " ",
            html.Button("Avbryt", id=Ids.CANCEL_UNDO, type="button", className="btn-small"),
        ],
    )


@callback(
    Output(Ids.MESSAGE, "children", allow_duplicate=True),
    Output(Ids.TABLE, "children"),
    Output(Ids.PENDING, "data", allow_duplicate=True),
    Input(Ids.CONFIRM_UNDO, "n_clicks"),
    Input(Ids.CANCEL_UNDO, "n_clicks"),
    State(Ids.PENDING, "data"),
    prevent_initial_call=True,
)
def do_undo(_yes: int | None, _no: int | None, batch_id: int | None) -> tuple:
    store = context.store()
    if ctx.triggered_id == Ids.CANCEL_UNDO or batch_id is None:
        return None, dash.no_update, None
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        raise dash.exceptions.PreventUpdate
    result = undo_batch(store, int(batch_id), user=get_settings().user)
    message = html.P(result.message, className="success" if result.undone else "error")
    return message, _table(import_batches(store)), None
