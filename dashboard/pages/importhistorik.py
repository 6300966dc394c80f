"""Importhistorik: every batch with its file, checksum, format, who and when — and the way back.

Undoing restores what each value was before the batch; the domain refuses when a later import
has since written the same values, and says which one.

The selection lives in the URL so back/forward and shared links work:
`?batch=N` shows what batch N wrote; adding `&indikator=..&omrade=..&period=2023&kon=T` shows the
revisions of that one value instead."""

import math
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

import dash
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard import context
from dashboard.auth import current_user, requires
from dashboard.components.interactive.downloads import download_bar
from dashboard.ids import Importhistorik as Ids
from indicators.imports.history import (
    BatchDetail,
    ValueState,
    batch_detail,
    for_reader,
    import_batches,
    value_history,
)
from indicators.imports.pipeline import undo_batch
from indicators.imports.written import ValueKey, written_later
from indicators.reads.models import BatchSummary
from indicators.reads.queries import Store
from indicators.settings import get_settings
from indicators.vocabulary.domain import Gender, ObservationStatus, PeriodType, Role
from indicators.vocabulary.formatting import format_date, format_moment, format_number
from indicators.vocabulary.periods import parse_period, period_label

dash.register_page(
    __name__,
    path="/importhistorik",
    name="Importhistorik",
    title="Importhistorik – Tillsammans 2021–2030",
    description="Alla importer med fil, kontrollsumma, format, användare och tid. Ångra en import.",
    order=90,
    nav=True,
)


ROW_CAP = 500
Selection = (
    dict  # {"batch": int, "value": [indicator, area, period_type, start ISO, gender] | None}
)


def layout(
    batch: str | None = None,
    indikator: str | None = None,
    omrade: str | None = None,
    period: str | None = None,
    kon: str | None = None,
    **_query: str,
) -> html.Div:
    selection = _selection(batch, indikator, omrade, period, kon)
    store = context.store()
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
            dcc.Store(id=Ids.SELECTION, data=selection),
            html.Div(id=Ids.MESSAGE, role="status", **{"aria-live": "polite"}),
            html.Div(id=Ids.DETAIL, children=_detail(store, selection)),
            html.H2("Alla importer") if selection else None,
            html.Div(id=Ids.TABLE, children=_table(import_batches(store))),
        ],
    )


def _when(moment: datetime) -> str:
    return format_moment(moment)


def _batch_when(batch: BatchSummary) -> str:
    return _when(batch.imported_at)


def _table(batches: list[BatchSummary]) -> html.Div:
    if not batches:
        return html.P("Inga importer ännu.", className="muted")
    head = (
        "Nr",
        "Fil",
        "Format",
        "Importerad av",
        "Tid (svensk tid)",
        "Rader",
        "Nya",
        "Ändrade",
        "Oförändrade",
        "Avvisade",
        "Läge",
        "Åtgärd",
    )
    may_undo = current_user().may(Role.ADMINISTRATOR)
    rows = []
    for b in batches:
        action: list = [
            dcc.Link(
                ["Visa ändringar", _hidden(f" i import {b.id} ({b.source_name})")],
                href=_batch_href(b.id),
            )
        ]
        if may_undo and not b.is_demo and not b.undone:
            action.append(" ")
            action.append(
                html.Button(
                    "Ångra",
                    id={"type": Ids.UNDO, "batch": b.id},
                    type="button",
                    className="btn-danger",
                    **{"aria-label": f"Ångra import {b.id} ({b.source_name})"},
                )
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
                    html.Td(_batch_when(b)),
                    *(
                        html.Td(format_number(n, 0), className="num")
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
    return _scroll(
        "Importer",
        html.Table(
            className="data-table history-table",
            children=[
                html.Caption("Importer, senaste först"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
        ),
    )


def _scroll(label: str, table: html.Table) -> html.Div:
    return html.Div(
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": label},
        children=table,
    )


def _hidden(text: str) -> html.Span:
    """Words a screen reader needs to tell one row's link from the next."""
    return html.Span(text, className="visually-hidden")


def _batch_href(batch_id: int) -> str:
    return f"/importhistorik?batch={batch_id}"


def _value_href(batch_id: int, key: ValueKey) -> str:
    indicator, area, period_type, start, gender = key
    params = {
        "batch": batch_id,
        "indikator": indicator,
        "omrade": area,
        "period": period_label(PeriodType(period_type), start),
        "kon": gender,
    }
    return "/importhistorik?" + urlencode(params)


def _selection(
    batch: str | None,
    indicator: str | None,
    area: str | None,
    period: str | None,
    gender: str | None,
) -> Selection | None:
    """The URL's choice, or None when it names no batch; a half-given value is ignored."""
    if not batch or not batch.strip().isdigit():
        return None
    value = None
    parsed = parse_period(period) if period else None
    if indicator and area and parsed and gender in tuple(Gender):
        value = [indicator, area, parsed[0].value, parsed[1].isoformat(), gender]
    return {"batch": int(batch), "value": value}


# ---------------------------------------------------------------- one batch and one value


def _number(value: object) -> str:
    """A stored number as written: every decimal it has, Swedish formatting."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    decimals = min(max(0, -int(exponent)), 6)
    return format_number(float(value), decimals)


def _state_text(value: object, status: object, reason: object, *, missing: str) -> str:
    if status is None:
        return missing
    if ObservationStatus(status) is ObservationStatus.OK:
        return _number(value) or "–"
    word = ObservationStatus(status).label
    return f"{word} ({reason})" if reason and reason != word else word


def _state_of(state: ValueState | None, *, missing: str) -> str:
    if state is None:
        return missing
    return _state_text(state.value, state.status.value, state.status_reason, missing=missing)


def _detail(store: Store, selection: Selection | None) -> list:
    if not selection:
        return []
    batch_id = int(selection["batch"])
    detail = batch_detail(store, batch_id, limit=ROW_CAP)
    if detail is None:
        return [html.P(f"Det finns ingen import med nummer {batch_id}.", className="error")]
    value = selection.get("value")
    if value:
        indicator, area, period_type, start, gender = value
        key: ValueKey = (indicator, area, period_type, date.fromisoformat(start), gender)
        return [_value_section(store, detail, key)]
    return [_batch_section(store, detail)]


def _facts(batch: BatchSummary) -> html.Dl:
    state = batch.state_label
    if batch.undone and batch.undone_at is not None:
        state = f"ångrad {_when(batch.undone_at)} av {batch.undone_by or 'okänd'}"
    counts = (
        f"{batch.rows_read} värden lästa: {batch.rows_new} nya, {batch.rows_changed} ändrade, "
        f"{batch.rows_unchanged} oförändrade, {batch.rows_rejected} avvisade"
    )
    facts = (
        ("Fil", batch.source_name),
        ("Kontrollsumma (sha256)", html.Code(batch.sha256, className="sha256")),
        ("Format", batch.format_label),
        ("Importerad av", batch.imported_by),
        ("Tid (svensk tid)", _when(batch.imported_at)),
        ("Rader", counts),
        ("Läge", state),
    )
    return html.Dl(
        [part for term, text in facts for part in (html.Dt(term), html.Dd(text))],
        className="batch-facts",
    )


def _undo_part(detail: BatchDetail) -> object:
    batch = detail.batch
    if detail.can_undo and not current_user().may(Role.ADMINISTRATOR):
        return html.P("En administratör kan ångra importen.", className="muted")
    if detail.can_undo:
        return html.Button(
            f"Ångra import {batch.id}",
            id={"type": Ids.UNDO_DETAIL, "batch": batch.id},
            type="button",
            className="btn-danger",
        )
    if detail.undo_blocked_by is not None:
        blocker = detail.undo_blocked_by
        return html.P(
            [
                "Importen kan inte ångras: ",
                dcc.Link(f"import {blocker}", href=_batch_href(blocker)),
                " har sedan skrivit några av samma värden. Ångra den först.",
            ],
            className="muted",
        )
    if batch.is_demo:
        return html.P("Exempeldata är ingen import och kan inte ångras här.", className="muted")
    return None


def _key(row: pd.Series) -> ValueKey:
    return (
        row["indicator_id"],
        row["area_code"],
        row["period_type"],
        row["period_start"],
        row["gender"],
    )


def _written(
    detail: BatchDetail, row: pd.Series, later: dict[ValueKey, ValueState | None]
) -> tuple[object, object, object]:
    """(value, status, reason) this batch wrote; status None when nothing kept it."""
    if row["current_batch_id"] == detail.batch.id:
        return row["current_value"], row["current_status"], row["current_status_reason"]
    state = later.get(_key(row))
    if state is None:
        return None, None, None
    return state.value, state.status.value, state.status_reason


def _sees_raw() -> bool:
    """Analytiker and administratörer check imports against their files, so they see the values
    as stored; a läsare sees them suppressed, as on every other page."""
    return current_user().may(Role.ANALYTIKER)


def _privacy_note() -> html.P:
    user = current_user()
    if _sees_raw():
        return html.P(
            [
                html.Strong("Osekretessbelagda värden. "),
                f"Du ser osekretessbelagda värden eftersom du har rollen {user.role.value}: "
                "även värden som bygger på få personer och som är dolda på andra sidor. "
                "Dela inte tabellen eller filerna med andra än dem som får se dem.",
            ],
            className="privacy-note raw-values",
        )
    threshold = get_settings().suppression_threshold
    return html.P(
        f"Värden som bygger på färre än {threshold} personer, och värden som skulle avslöja "
        "dem, visas som sekretess, som på alla andra sidor. Tidigare värden visas bara där "
        "inget värde för samma indikator, period och län har behövt döljas.",
        className="privacy-note muted",
    )


def _batch_section(store: Store, detail: BatchDetail) -> html.Section:
    batch = detail.batch
    later = written_later(store, batch.id) if not detail.changes.empty else {}
    if not _sees_raw():
        detail, later = for_reader(store, detail, later)
    unknown = "okänt (importen är ångrad)" if batch.undone else "okänt"
    rows, records = [], []
    for _, row in detail.changes.iterrows():
        key = _key(row)
        written = _written(detail, row, later)
        before = _state_text(
            row["previous_value"],
            row["previous_status"],
            row["previous_status_reason"],
            missing="fanns inte",
        )
        after = _state_text(*written, missing=unknown)
        now_text = _state_text(
            row["current_value"],
            row["current_status"],
            row["current_status_reason"],
            missing="finns inte",
        )
        holder = row["current_batch_id"]
        now: list = [now_text]
        changed_later = holder is not None and not pd.isna(holder) and int(holder) != batch.id
        if changed_later:
            now += [
                html.Br(),
                dcc.Link(f"ändrat av import {int(holder)}", href=_batch_href(int(holder))),
            ]
        gender = Gender(row["gender"]).label.lower()
        rows.append(
            html.Tr(
                [
                    html.Th(
                        dcc.Link(row["indicator_title"], href=f"/indikator/{row['indicator_id']}"),
                        scope="row",
                    ),
                    html.Td(row["area_name"]),
                    html.Td(row["period"]),
                    html.Td(gender),
                    html.Td(before, className="num"),
                    html.Td(after, className="num"),
                    html.Td(now, className="num changed-later" if changed_later else "num"),
                    html.Td(
                        dcc.Link(
                            [
                                "Visa historik",
                                _hidden(
                                    f" för {row['indicator_title']}, {row['area_name']}, "
                                    f"{row['period']}, {gender}"
                                ),
                            ],
                            href=_value_href(batch.id, key),
                        )
                    ),
                ]
            )
        )
        records.append(
            {
                "Indikator-id": row["indicator_id"],
                "Indikator": row["indicator_title"],
                "Områdeskod": row["area_code"],
                "Område": row["area_name"],
                "Period": row["period"],
                "Kön": gender,
                "Före": _plain(row["previous_value"], row["previous_status"]),
                "Före, status": before if row["previous_status"] != "ok" else "",
                "Skrivet": _plain(written[0], written[1]),
                "Skrivet, status": after if written[1] != "ok" else "",
                "Nu": _plain(row["current_value"], row["current_status"]),
                "Nu, status": now_text if row["current_status"] != "ok" else "",
                "Nu skrivet av import": int(holder) if changed_later else None,
            }
        )
    shown = len(rows)
    total = detail.total_changes
    extent = f"Importen skrev {total} {'värde' if total == 1 else 'värden'}."
    if total > shown:
        extent += f" Tabellen visar de första {shown}; hela importen finns i filen den kom från."
    head = ("Indikator", "Område", "Period", "Kön", "Före", "Skrivet", "Nu", "Historik")
    table = (
        _scroll(
            f"Värden i import {batch.id}",
            html.Table(
                className="data-table change-table",
                children=[
                    html.Caption(
                        f"Värden som import {batch.id} skrev: före, skrivet och vad som gäller nu"
                    ),
                    html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                    html.Tbody(rows),
                ],
            ),
        )
        if rows
        else html.P("Importen skrev inga värden.", className="muted")
    )
    return html.Section(
        className="card-section batch-detail",
        **{"aria-labelledby": Ids.DETAIL_HEADING},
        children=[
            html.H2(f"Import {batch.id}: {batch.source_name}", id=Ids.DETAIL_HEADING),
            _facts(batch),
            _undo_part(detail),
            html.P(extent),
            _privacy_note() if records else None,
            download_bar(
                f"import-{batch.id}",
                png_graph_id=None,
                filename=f"import-{batch.id}",
                frame=pd.DataFrame(records),
                label="Ladda ner värdena",
            )
            if records
            else None,
            table,
            html.P(dcc.Link("Stäng och visa bara listan", href="/importhistorik")),
        ],
    )


def _plain(value: object, status: object) -> float | None:
    """A number for the downloads: only ok values are numbers, the rest is said in words."""
    if status != "ok" or value is None or pd.isna(value):
        return None
    return float(value)


def _value_section(store: Store, detail: BatchDetail, key: ValueKey) -> html.Section:
    indicator, area, period_type, start, gender = key
    history = value_history(
        store, indicator, area, period_type, start, gender, as_reader=not _sees_raw()
    )
    match = detail.changes[
        (detail.changes["indicator_id"] == indicator) & (detail.changes["area_code"] == area)
    ]
    title = match["indicator_title"].iloc[0] if not match.empty else indicator
    area_name = match["area_name"].iloc[0] if not match.empty else area
    period = period_label(PeriodType(period_type), start)
    label = f"{title}, {area_name}, {period}, {Gender(gender).label.lower()}"
    rows = [
        html.Tr(
            [
                html.Th(
                    dcc.Link(f"Import {c.batch.id}", href=_batch_href(c.batch.id)), scope="row"
                ),
                html.Td(c.batch.source_name),
                html.Td(c.batch.imported_by),
                html.Td(_when(c.batch.imported_at)),
                html.Td(_state_of(c.before, missing="fanns inte"), className="num"),
                html.Td(_state_of(c.after, missing="okänt"), className="num"),
                html.Td(
                    f"ångrad {_when(c.batch.undone_at)}"
                    if c.batch.undone and c.batch.undone_at
                    else c.batch.state_label
                ),
            ]
        )
        for c in history
    ]
    head = ("Import", "Fil", "Importerad av", "Tid (svensk tid)", "Före", "Efter", "Läge")
    table = (
        _scroll(
            "Värdets historik",
            html.Table(
                className="data-table value-history",
                children=[
                    html.Caption("Varje import som skrev värdet, senaste först"),
                    html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                    html.Tbody(rows),
                ],
            ),
        )
        if rows
        else html.P("Ingen import har skrivit det här värdet.", className="muted")
    )
    return html.Section(
        className="card-section batch-detail",
        **{"aria-labelledby": Ids.DETAIL_HEADING},
        children=[
            html.H2(f"Värdets historik: {label}", id=Ids.DETAIL_HEADING),
            html.P(
                [
                    dcc.Link(
                        f"Tillbaka till import {detail.batch.id}", href=_batch_href(detail.batch.id)
                    ),
                    " · ",
                    dcc.Link(f"Indikatorn {title}", href=f"/indikator/{indicator}"),
                ]
            ),
            _privacy_note() if rows else None,
            table,
        ],
    )


@callback(
    Output(Ids.PENDING, "data"),
    Output(Ids.MESSAGE, "children"),
    Input({"type": Ids.UNDO, "batch": ALL}, "n_clicks"),
    Input({"type": Ids.UNDO_DETAIL, "batch": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
@requires(Role.ADMINISTRATOR)
def ask_undo(clicks: list[int | None], detail_clicks: list[int | None]) -> tuple:
    if not any([*clicks, *detail_clicks]) or not isinstance(ctx.triggered_id, dict):
        raise dash.exceptions.PreventUpdate
    batch_id = int(ctx.triggered_id["batch"])
    batch = next((b for b in import_batches(context.store()) if b.id == batch_id), None)
    if batch is None:
        raise dash.exceptions.PreventUpdate
    return batch_id, html.Div(
        className="undo-confirm",
        children=[
            html.P(
                f"Ångra import {batch.id} ({batch.source_name}, {_batch_when(batch)})? "
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
    Output(Ids.DETAIL, "children"),
    Input(Ids.CONFIRM_UNDO, "n_clicks"),
    Input(Ids.CANCEL_UNDO, "n_clicks"),
    State(Ids.PENDING, "data"),
    State(Ids.SELECTION, "data"),
    prevent_initial_call=True,
)
@requires(Role.ADMINISTRATOR)
def do_undo(
    _yes: int | None, _no: int | None, batch_id: int | None, selection: Selection | None
) -> tuple:
    store = context.store()
    if ctx.triggered_id == Ids.CANCEL_UNDO or batch_id is None:
        return None, dash.no_update, None, dash.no_update
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        raise dash.exceptions.PreventUpdate
    result = undo_batch(store, int(batch_id), user=current_user().name)
    message = html.P(result.message, className="success" if result.undone else "error")
    return message, _table(import_batches(store)), None, _detail(store, selection)
