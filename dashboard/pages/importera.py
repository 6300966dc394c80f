"""Importera: analysts drop exports, see a verdict on every row and every value the import
changes (old → new, with what looks wrong beside it), and only then confirm.

The preview stages the files on the server and keeps an opaque token in the browser, so what is
saved is byte for byte what was previewed, and a large file crosses the network once. Changes
to published values beyond the indicator's limit need a tick in a box before the save button
works; the save itself checks it again on the server (the digest of the confirmed changes must
be the digest of the changes found under the write lock)."""

import base64
import binascii
import contextlib

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import context
from dashboard.auth import current_user, require_role, requires
from dashboard.components.access import access_denied
from dashboard.components.grid_text import swedish_grid_text
from dashboard.ids import Importera as Ids
from indicators.imports import staging
from indicators.imports.formats import FORMATS
from indicators.imports.pipeline import FileStatus, ImportResult, ValueChange, preview, save
from indicators.imports.records import Problem, Severity, UploadedFile
from indicators.reads.queries import catalogue_tree
from indicators.settings import get_settings
from indicators.vocabulary.domain import Role
from indicators.vocabulary.formatting import format_number

dash.register_page(
    __name__,
    path="/importera",
    name="Importera",
    title="Importera – Tillsammans 2021–2030",
    description="Läs in exporter från Kolada, Vården i siffror, Socialstyrelsen, SCB, egna filer.",
    order=80,
    nav=True,
    role=Role.ANALYTIKER.value,
)

AUTO = "auto"
GRID_TEXT = swedish_grid_text("Inga problem att visa.")
PROBLEM_COLUMNS = [
    {"field": "allvar", "headerName": "Allvar", "width": 110},
    {"field": "fil", "headerName": "Fil", "flex": 2},
    {"field": "blad", "headerName": "Blad", "width": 120},
    {"field": "rad", "headerName": "Rad", "width": 90, "type": "numericColumn"},
    {"field": "kolumn", "headerName": "Kolumn", "flex": 1},
    {"field": "varde", "headerName": "Värde", "flex": 1},
    {"field": "problem", "headerName": "Problem", "flex": 4, "wrapText": True, "autoHeight": True},
]
CHANGES_TEXT = swedish_grid_text("Inga ändrade värden.")
# Before, after and the difference sort as numbers and show as the Swedish text of each row.
_SHOWN = "params.data.{}"
CHANGE_COLUMNS = [
    {"field": "bekrafta", "headerName": "Bekräftas", "width": 120},
    {"field": "fil", "headerName": "Fil", "width": 140},
    {"field": "rad", "headerName": "Rad", "width": 90, "type": "numericColumn"},
    {"field": "indikator", "headerName": "Indikator", "width": 130, "tooltipField": "titel"},
    {"field": "omrade", "headerName": "Område", "width": 160},
    {"field": "period", "headerName": "Period", "width": 110},
    {"field": "kon", "headerName": "Kön", "width": 100},
    {
        "field": "fore",
        "headerName": "Före",
        "width": 110,
        "type": "numericColumn",
        "valueFormatter": {"function": _SHOWN.format("fore_text")},
    },
    {
        "field": "efter",
        "headerName": "Efter",
        "width": 110,
        "type": "numericColumn",
        "valueFormatter": {"function": _SHOWN.format("efter_text")},
    },
    {
        "field": "skillnad",
        "headerName": "Skillnad",
        "width": 120,
        "type": "numericColumn",
        "valueFormatter": {"function": _SHOWN.format("skillnad_text")},
    },
    {"field": "varning", "headerName": "Varning", "flex": 4, "wrapText": True, "autoHeight": True},
]


def layout(**_query: str) -> html.Div:
    if not current_user().may(Role.ANALYTIKER):
        return access_denied(Role.ANALYTIKER, "importera värden")
    # Adding to the catalogue is the administratör's.
    may_add = current_user().may(Role.ADMINISTRATOR)
    limit = get_settings().max_upload_mb
    return html.Div(
        className="page importera",
        children=[
            html.H1("Importera värden"),
            html.P(
                "Lägg till exporter från Kolada, Vården i siffror, Socialstyrelsen, SCB/"
                "Folkhälsomyndigheten (PxWeb) eller kommunernas egna filer. Varje rad "
                "kontrolleras först; inget sparas förrän du har sett resultatet och bekräftat.",
                className="lead",
            ),
            html.Section(
                className="card-section",
                **{"aria-labelledby": Ids.TEMPLATE_HEADING},
                children=[
                    html.H2("Mall för egna filer", id=Ids.TEMPLATE_HEADING),
                    html.P(
                        "En rad per indikator, område, period och kön. Mallen har svenska "
                        "rubriker och en exempelrad. Personuppgifter får aldrig ingå."
                    ),
                    html.Ul(
                        className="button-links",
                        children=[
                            html.Li(html.A("Ladda ner mallen (Excel)", href="/mall.xlsx")),
                            html.Li(html.A("Ladda ner mallen (CSV)", href="/mall.csv")),
                        ],
                    ),
                ],
            ),
            html.Section(
                className="card-section",
                **{"aria-labelledby": Ids.FILES_HEADING},
                children=[
                    html.H2("1. Välj filer", id=Ids.FILES_HEADING),
                    html.Div(
                        **{"data-file-label": "Välj filer att importera"},
                        children=dcc.Upload(
                            id=Ids.UPLOAD,
                            multiple=True,
                            max_size=limit * 1024 * 1024,
                            className="dropzone",
                            children=html.Div(
                                [
                                    html.Span("Dra och släpp filer här, eller "),
                                    html.Button(
                                        "välj filer",
                                        type="button",
                                        className="btn-link",
                                        id=Ids.CHOOSE,
                                    ),
                                    html.Span(
                                        f" (CSV, Excel .xlsx eller JSON, högst {limit} MB per fil)",
                                        className="muted",
                                    ),
                                ]
                            ),
                        ),
                    ),
                    html.Div(
                        className="import-options",
                        children=[
                            html.Div(
                                [
                                    dbc.Label("Format", html_for=Ids.FORMAT),
                                    dbc.Select(
                                        id=Ids.FORMAT,
                                        value=AUTO,
                                        options=[
                                            {"label": "Identifiera automatiskt", "value": AUTO},
                                            *(
                                                {"label": label, "value": key}
                                                for key, label in FORMATS.items()
                                            ),
                                        ],
                                    ),
                                ]
                            ),
                            html.Div(
                                [
                                    dbc.Label(
                                        "Indikator (om filen inte anger den)",
                                        html_for=Ids.INDICATOR,
                                    ),
                                    dbc.Select(
                                        id=Ids.INDICATOR,
                                        value=AUTO,
                                        options=[
                                            {"label": "Anges i filen", "value": AUTO},
                                            *_indicator_options(),
                                        ],
                                    ),
                                ]
                            ),
                            dbc.Checkbox(
                                id=Ids.ADD_KOLADA,
                                value=False,
                                label=(
                                    "Lägg till indikatorer som finns i Kolada men inte i katalogen"
                                    if may_add
                                    else "Lägg till indikatorer från Kolada (kräver rollen "
                                    "administratör)"
                                ),
                                disabled=not may_add,
                            ),
                        ],
                    ),
                ],
            ),
            html.Section(
                className="card-section",
                **{"aria-labelledby": Ids.REVIEW_HEADING},
                children=[
                    html.H2("2. Granska och bekräfta", id=Ids.REVIEW_HEADING),
                    dcc.Store(id=Ids.TOKEN),
                    dcc.Loading(
                        type="circle",
                        overlay_style={"visibility": "visible", "opacity": 0.5},
                        children=html.Div(
                            id=Ids.PREVIEW,
                            role="status",
                            children=html.P("Inga filer valda ännu.", className="muted"),
                        ),
                    ),
                    dcc.Store(id=Ids.CONFIRMATION),
                    html.Div(
                        id=Ids.CHANGES_PART,
                        className="changes",
                        style={"display": "none"},
                        children=[
                            html.H3("Värden som ändras", id=Ids.CHANGES_HEADING),
                            html.P(
                                "Varje ändrat värde, före → efter, och nya värden som ser "
                                "orimliga ut. Klicka på en rubrik för att sortera.",
                                className="muted",
                            ),
                            dag.AgGrid(
                                id=Ids.CHANGES,
                                columnDefs=CHANGE_COLUMNS,
                                rowData=[],
                                defaultColDef={
                                    "sortable": True,
                                    "filter": True,
                                    "resizable": True,
                                },
                                dashGridOptions={
                                    "domLayout": "autoHeight",
                                    "pagination": True,
                                    "paginationPageSize": 20,
                                    "paginationPageSizeSelector": False,
                                    "localeText": CHANGES_TEXT,
                                    "ensureDomOrder": True,
                                    "tooltipShowDelay": 300,
                                },
                                className="ag-theme-alpine",
                            ),
                        ],
                    ),
                    html.Div(
                        id=Ids.CONFIRM_CHANGES_PART,
                        className="confirm-changes",
                        style={"display": "none"},
                        children=dbc.Checkbox(
                            id=Ids.CONFIRM_CHANGES,
                            value=False,
                            label="Jag har granskat ändringarna av publicerade värden och vill "
                            "spara dem.",
                        ),
                    ),
                    html.Div(
                        className="problems",
                        children=dag.AgGrid(
                            id=Ids.PROBLEMS,
                            columnDefs=PROBLEM_COLUMNS,
                            rowData=[],
                            defaultColDef={"sortable": True, "filter": True, "resizable": True},
                            dashGridOptions={
                                "domLayout": "autoHeight",
                                "pagination": True,
                                "paginationPageSize": 20,
                                "paginationPageSizeSelector": False,
                                "localeText": GRID_TEXT,
                                "ensureDomOrder": True,
                            },
                            className="ag-theme-alpine",
                            style={"display": "none"},
                        ),
                    ),
                    html.Button(
                        "Spara i databasen",
                        id=Ids.CONFIRM,
                        type="button",
                        className="btn-primary",
                        disabled=True,
                    ),
                    dcc.Loading(
                        type="circle",
                        children=html.Div(id=Ids.OUTCOME, role="status", **{"aria-live": "polite"}),
                    ),
                ],
            ),
        ],
    )


def _indicator_options() -> list[dict[str, str]]:
    seen: dict[str, str] = {}
    for strategy in catalogue_tree(context.store()):
        for area in strategy.matomraden:
            for ind in area.indicators:
                seen.setdefault(ind.id, f"{ind.id} – {ind.short_title}")
    return [{"label": label, "value": key} for key, label in sorted(seen.items())]


def decode_uploads(
    contents: list[str], names: list[str], max_bytes: int
) -> tuple[list[UploadedFile], list[Problem]]:
    """dcc.Upload hands over data URLs; the size is judged from the base64 length before
    anything is decoded, so an oversized file costs no memory."""
    files, problems = [], []
    for content, name in zip(contents, names, strict=True):
        _, _, payload = content.partition(",")
        approx = len(payload) * 3 // 4
        if approx > max_bytes:
            problems.append(
                Problem(
                    file=name,
                    message=(
                        f"Filen är {approx / 1_048_576:.1f} MB, större än gränsen "
                        f"{max_bytes // 1_048_576} MB. Dela upp den eller be en administratör."
                    ).replace(".", ",", 1),
                )
            )
            continue
        try:
            files.append(UploadedFile(name=name, content=base64.b64decode(payload, validate=True)))
        except (binascii.Error, ValueError):
            problems.append(
                Problem(file=name, message="Filen kunde inte tas emot (trasig överföring).")
            )
    return files, problems


@callback(
    Output(Ids.PREVIEW, "children"),
    Output(Ids.PROBLEMS, "rowData"),
    Output(Ids.PROBLEMS, "style"),
    Output(Ids.CONFIRM, "disabled"),
    Output(Ids.TOKEN, "data"),
    Output(Ids.OUTCOME, "children", allow_duplicate=True),
    Output(Ids.CHANGES, "rowData"),
    Output(Ids.CHANGES_PART, "style"),
    Output(Ids.CONFIRMATION, "data"),
    Output(Ids.CONFIRM_CHANGES, "value"),
    Output(Ids.CONFIRM_CHANGES_PART, "style"),
    Input(Ids.UPLOAD, "contents"),
    Input(Ids.FORMAT, "value"),
    Input(Ids.INDICATOR, "value"),
    Input(Ids.ADD_KOLADA, "value"),
    State(Ids.UPLOAD, "filename"),
    State(Ids.TOKEN, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def on_files(
    contents: list[str] | None,
    fmt: str,
    indicator: str,
    add_kolada: bool,
    names: list[str] | None,
    old_token: str | None,
) -> tuple:
    if not contents or not names:
        raise dash.exceptions.PreventUpdate
    owner = current_user().username
    if old_token:
        _discard(old_token, owner)
    files, refused = decode_uploads(contents, names, get_settings().max_upload_mb * 1_048_576)
    result = (
        preview(context.store(), files, **_options(fmt, indicator, add_kolada)) if files else None
    )
    problems = refused + (result.problems if result else [])
    can_save = result is not None and result.ok and not refused
    # Only what may be saved is kept on the server, and only for this account; a refused
    # upload (a personal identity number, say) is never written to disk at all.
    token = staging.stage(files, owner=owner, store=context.store()) if can_save else None
    # Errors first, then by file and row, as the analyst will fix them.
    problems.sort(key=lambda p: (p.severity is not Severity.ERROR, p.file, p.row or 0))
    rows = [_problem_row(p) for p in problems]
    style = {"display": "block"} if rows else {"display": "none"}
    changes = [_change_row(f.name, c) for f in (result.files if result else []) for c in f.changes]
    # The digest of the changes to published values: what a tick in the box confirms.
    confirmation = result.confirmation if result is not None and can_save else None
    return (
        _summary(result, refused, can_save),
        rows,
        style,
        not can_save or confirmation is not None,
        token,
        None,
        changes,
        _shown(bool(changes)),
        confirmation,
        False,
        _shown(confirmation is not None),
    )


def _shown(visible: bool) -> dict[str, str]:
    return {"display": "block"} if visible else {"display": "none"}


@callback(
    Output(Ids.CONFIRM, "disabled", allow_duplicate=True),
    Input(Ids.CONFIRM_CHANGES, "value"),
    State(Ids.TOKEN, "data"),
    State(Ids.CONFIRMATION, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def on_confirm_changes(ticked: bool | None, token: str | None, confirmation: str | None) -> bool:
    """The save button works once changes to published values are confirmed (the save checks
    the confirmation again: this only spares the analyst a refusal)."""
    return not token or (confirmation is not None and not ticked)


@callback(
    Output(Ids.OUTCOME, "children"),
    Output(Ids.PREVIEW, "children", allow_duplicate=True),
    Output(Ids.CONFIRM, "disabled", allow_duplicate=True),
    Output(Ids.TOKEN, "data", allow_duplicate=True),
    Input(Ids.CONFIRM, "n_clicks"),
    State(Ids.TOKEN, "data"),
    State(Ids.FORMAT, "value"),
    State(Ids.INDICATOR, "value"),
    State(Ids.ADD_KOLADA, "value"),
    State(Ids.CONFIRM_CHANGES, "value"),
    State(Ids.CONFIRMATION, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def on_confirm(
    _clicks: int | None,
    token: str | None,
    fmt: str,
    indicator: str,
    add_kolada: bool,
    ticked: bool | None = None,
    confirmation: str | None = None,
) -> tuple:
    if not token:
        raise dash.exceptions.PreventUpdate
    user = current_user()
    try:
        files = staging.load(token, owner=user.username, store=context.store())
    except staging.NotYours as error:
        # Someone else's preview: refused, and left for its owner to confirm.
        return html.P(str(error), className="error"), dash.no_update, True, None
    except staging.StagingError as error:
        return html.P(str(error), className="error"), dash.no_update, True, None
    # Only a ticked box confirms, and only the changes the preview showed: save() compares the
    # digest with the changes it finds under the write lock and refuses anything else.
    confirmed = confirmation if ticked is True and isinstance(confirmation, str) else None
    result = save(
        context.store(),
        files,
        user=user.name,
        confirmed=confirmed,
        **_options(fmt, indicator, add_kolada),
    )
    unconfirmed = [f for f in result.files if f.unconfirmed]
    if unconfirmed and all(f.unconfirmed or not f.errors for f in result.files):
        # Nothing was saved and the preview stays staged: tick the box and save again.
        return (
            html.P(
                "Inget sparades: ändringarna av publicerade värden måste bekräftas först. "
                "Granska listan och kryssa i rutan.",
                className="error",
            ),
            dash.no_update,
            True,
            dash.no_update,
        )
    _discard(token, user.username)
    if result.status is FileStatus.UNCHANGED:
        return (
            html.P(
                "Inget nytt att spara: alla värden finns redan med samma värden. Ingen import "
                "lades till i historiken.",
                className="success",
            ),
            _summary(result, [], can_save=False, saved=True),
            True,
            None,
        )
    if result.status is not FileStatus.SAVED:
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        return (
            html.Div(
                [
                    html.P(
                        "Inget sparades: filerna eller lagret har ändrats sedan granskningen. "
                        "Ladda upp filerna igen.",
                        className="error",
                    ),
                    html.Ul([html.Li(f"{p.file}: {p.message}") for p in errors[:20]]),
                ]
            ),
            _summary(result, [], can_save=False),
            True,
            None,
        )
    saved = [f for f in result.files if f.batch_id is not None]
    return (
        html.Div(
            [
                html.P(
                    f"Sparat: {sum(f.new for f in saved)} nya och {sum(f.changed for f in saved)} "
                    f"ändrade värden i {len(saved)} fil(er).",
                    className="success",
                ),
                dcc.Link("Se importhistoriken (där en import kan ångras)", href="/importhistorik"),
            ]
        ),
        _summary(result, [], can_save=False, saved=True),
        True,
        None,
    )


def _options(fmt: str, indicator: str, add_kolada: bool) -> dict:
    if add_kolada:
        require_role(Role.ADMINISTRATOR)
    return {
        "format": None if fmt == AUTO else fmt,
        "indicator_id": None if indicator == AUTO else indicator,
        "add_kolada_indicators": bool(add_kolada),
    }


def _discard(token: str, owner: str) -> None:
    # Another account's token (sent back by hand) is left alone: it is theirs to discard.
    with contextlib.suppress(staging.StagingError):
        staging.discard(token, owner=owner, store=context.store())


def _change_row(file: str, c: ValueChange) -> dict:
    difference = c.difference
    return {
        "bekrafta": "Ja" if c.needs_confirmation else "",
        "fil": file,
        "rad": c.row,
        "indikator": c.indicator_id,
        "titel": c.indicator_title,
        "omrade": c.area_name,
        "period": c.period,
        "kon": c.gender_label,
        "fore": c.old_value,
        "fore_text": c.old_text,
        "efter": c.new_value,
        "efter_text": c.new_text,
        "skillnad": difference,
        "skillnad_text": "" if difference is None else _signed(difference),
        "varning": " ".join(c.warnings),
    }


def _signed(difference: float) -> str:
    text = format_number(difference, _decimals(difference))
    return text if difference <= 0 else f"+{text}"


def _decimals(value: float) -> int:
    for decimals in range(5):
        if abs(value - round(value, decimals)) < 1e-9:
            return decimals
    return 4


def _problem_row(p: Problem) -> dict:
    return {
        "allvar": "Fel" if p.severity is Severity.ERROR else "Varning",
        "fil": p.file,
        "blad": p.sheet or "",
        "rad": p.row,
        "kolumn": p.column or "",
        "varde": p.value or "",
        "problem": p.message,
    }


def _summary(
    result: ImportResult | None, refused: list[Problem], can_save: bool, saved: bool = False
) -> html.Div:
    rows = []
    for f in result.files if result else []:
        rows.append(
            html.Tr(
                [
                    html.Th(f.name, scope="row"),
                    html.Td(f.format_label or "Okänt format"),
                    *(
                        html.Td(format_number(n, 0), className="num")
                        for n in (f.rows_read, f.new, f.changed, f.unchanged, f.rejected)
                    ),
                ]
            )
        )
    for p in refused:
        rows.append(html.Tr([html.Th(p.file, scope="row"), html.Td("Ej mottagen", colSpan=6)]))
    errors = sum(1 for p in (result.problems if result else []) if p.severity is Severity.ERROR)
    errors += len(refused)
    warnings = sum(1 for p in (result.problems if result else []) if p.severity is Severity.WARNING)
    verdict = (
        html.P("Inget nytt att spara; ingen import lades till.", className="success")
        if result is not None and result.status is FileStatus.UNCHANGED
        else html.P("Filerna är sparade.", className="success")
        if saved
        else html.P(
            f"Allt kan sparas. {warnings} varning(ar) att läsa nedan."
            if warnings
            else "Allt kan sparas.",
            className="success",
        )
        if can_save
        else html.P(
            f"Filerna kan inte sparas: {errors} fel måste rättas i filen först "
            f"({warnings} varning(ar)). Inget har sparats.",
            className="error",
        )
    )
    return html.Div(
        [
            verdict,
            html.Table(
                className="data-table import-summary",
                children=[
                    html.Caption("Resultat av kontrollen per fil"),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(h, scope="col")
                                for h in (
                                    "Fil",
                                    "Format",
                                    "Rader",
                                    "Nya",
                                    "Ändrade",
                                    "Oförändrade",
                                    "Avvisade",
                                )
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
            ),
        ]
    )
