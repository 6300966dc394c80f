"""Handlingsplan on the Strategigrupp page: the plan beside the group's indicators, its Excel
and yearly Word downloads, and for analytiker the form that adds or changes an activity and
the upload that replaces the plan from Excel after a verdict on every row."""

import base64
import binascii
from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard import context
from dashboard.auth import current_user, requires
from dashboard.components.activity_list import plan_table
from dashboard.components.interactive.edit_forms import form_errors, form_field, require_click
from dashboard.components.interactive.target_form import may_edit
from dashboard.components.tables import scroll_region
from dashboard.ids import Handlingsplan as Ids
from indicators.imports.plans import MAX_PLAN_BYTES, import_plan, read_plan_file
from indicators.imports.records import UploadedFile
from indicators.reads.models import ActivityFields, ActivityInfo
from indicators.reads.plans import handlingsplan, known_indicator_ids, plan_indicator_choices
from indicators.vocabulary.domain import ActivityStatus, Role
from indicators.writes.plans import (
    PlanError,
    add_activity,
    delete_activity,
    update_activity,
)

NEW = 0  # the EDITING store's value while the form adds a new activity


def plan_section(group_id: str, group_name: str) -> html.Section:
    store = context.store()
    activities = handlingsplan(store, group_id)
    editable = may_edit()
    return html.Section(
        className="plan",
        **{"aria-labelledby": Ids.HEADING},
        children=[
            dcc.Store(id=Ids.GROUP, data=group_id),
            dcc.Store(id=Ids.REVISION, data=0),
            html.H2(f"Handlingsplan för {group_name}", id=Ids.HEADING),
            html.P(
                "Strategigruppens aktiviteter och de indikatorer varje aktivitet syftar till att "
                "påverka. För varje indikator jämförs länets senaste värde före aktivitetens "
                "start med det senaste värdet, i indikatorns riktning.",
            ),
            _downloads(group_id),
            html.Div(_plan_view(activities, editable), id=Ids.LIST, **{"aria-live": "polite"}),
            # Outside the form, which closes when an activity is saved.
            html.Div(id=Ids.MESSAGE, role="status", className="form-message") if editable else None,
            _activity_form(group_id) if editable else None,
            _upload_form() if editable else None,
        ],
    )


def _plan_view(activities: list[ActivityInfo], editable: bool) -> list:
    if not activities:
        return [
            html.P(
                "Handlingsplanen har inga aktiviteter ännu."
                + (" Lägg till en nedan eller ladda upp planen från Excel." if editable else ""),
                className="muted",
                id=Ids.SUMMARY,
            )
        ]
    counts = {s: sum(a.status is s for a in activities) for s in ActivityStatus}
    parts = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    demo = any(a.is_demo for a in activities)
    return [
        html.P(
            [
                f"{len(activities)} aktiviteter: {parts}.",
                html.Strong(" Exempeldata: påhittade aktiviteter.", className="demo-note")
                if demo
                else None,
            ],
            id=Ids.SUMMARY,
        ),
        scroll_region(
            plan_table(activities, editable=editable), label="Handlingsplanens aktiviteter, tabell"
        ),
    ]


def _downloads(group_id: str) -> html.Nav:
    this_year = date.today().year
    return html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        "Handlingsplanen som Excel",
                        href=f"/handlingsplan/{group_id}.xlsx",
                        download="",
                    )
                ),
                *[
                    html.Li(
                        html.A(
                            f"Årlig uppföljning {year} (Word)",
                            href=f"/handlingsplan/{group_id}/uppfoljning-{year}.docx",
                            download="",
                        )
                    )
                    for year in (this_year - 1, this_year)
                ],
            ]
        ),
        className="download-links",
        id=Ids.DOWNLOADS,
        **{"aria-label": "Ladda ner handlingsplanen"},
    )


def _activity_form(group_id: str) -> html.Details:
    choices = plan_indicator_choices(context.store(), group_id)
    return html.Details(
        id=Ids.FORM,
        className="edit-form",
        children=[
            html.Summary("Lägg till en aktivitet", id=Ids.FORM_SUMMARY),
            dcc.Store(id=Ids.EDITING, data=NEW),
            html.Div(
                className="form-grid",
                children=[
                    form_field("Aktivitet", dbc.Input(id=Ids.TITLE, maxLength=200), Ids.TITLE),
                    form_field(
                        "Ansvarig",
                        dbc.Input(id=Ids.OWNER, maxLength=200),
                        Ids.OWNER,
                        hint=" Organisation, och högst en kontaktpersons namn.",
                    ),
                    form_field("Start", dbc.Input(id=Ids.START, type="date"), Ids.START),
                    form_field(
                        "Slut", dbc.Input(id=Ids.END, type="date"), Ids.END, hint=" Frivilligt."
                    ),
                    form_field(
                        "Status",
                        dbc.Select(
                            id=Ids.STATUS,
                            options=[{"label": s.value, "value": s.value} for s in ActivityStatus],
                            value=ActivityStatus.PLANERAD.value,
                        ),
                        Ids.STATUS,
                    ),
                ],
            ),
            form_field(
                "Beskrivning (högst 2 000 tecken)",
                dbc.Textarea(id=Ids.DESCRIPTION, rows=3, maxLength=2000),
                Ids.DESCRIPTION,
            ),
            html.Fieldset(
                [
                    html.Legend("Indikatorer som aktiviteten syftar till att påverka"),
                    dbc.Checklist(
                        id=Ids.INDICATORS,
                        options=[{"label": title, "value": iid} for iid, title in choices],
                        value=[],
                        className="indicator-choices",
                    ),
                ],
                className="form-fieldset",
            ),
            html.Button("Spara aktiviteten", id=Ids.SAVE, type="button", className="btn-save"),
            html.Button("Avbryt", id=Ids.CANCEL, type="button", className="btn-small"),
        ],
    )


def _upload_form() -> html.Details:
    return html.Details(
        className="edit-form",
        children=[
            html.Summary("Ersätt planen från Excel"),
            html.P(
                "Ladda ner planen som Excel, ändra i bladet Handlingsplan och ladda upp filen "
                "här. Varje rad bedöms innan något sparas; planen ersätts först när du "
                "bekräftar."
            ),
            dcc.Upload(
                id=Ids.UPLOAD,
                max_size=MAX_PLAN_BYTES,
                className="dropzone",
                children=html.Div(["Dra och släpp planen här, eller ", html.U("välj fil")]),
            ),
            dcc.Store(id=Ids.UPLOAD_CONTENT),
            html.Div(id=Ids.VERDICT, role="status"),
            html.Button(
                "Ersätt planen",
                id=Ids.CONFIRM,
                type="button",
                className="btn-save",
                disabled=True,
            ),
        ],
    )


def _fields(
    title: str | None,
    owner: str | None,
    start: str | None,
    end: str | None,
    status: str | None,
    description: str | None,
    indicators: list[str] | None,
) -> tuple[ActivityFields, list[str]]:
    problems: list[str] = []

    def day(text: str | None, label: str) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            problems.append(f"{label}: '{text}' är inget datum (ÅÅÅÅ-MM-DD).")
            return None

    fields = ActivityFields(
        title=title or "",
        owner=owner or "",
        start_date=day(start, "Start"),
        end_date=day(end, "Slut"),
        status=next((s for s in ActivityStatus if s.value == status), None),
        description=description or "",
        indicator_ids=tuple(indicators or ()),
    )
    return fields, problems


@callback(
    Output(Ids.MESSAGE, "children"),
    Output(Ids.REVISION, "data"),
    Input(Ids.SAVE, "n_clicks"),
    Input({"type": Ids.DELETE, "index": ALL}, "n_clicks"),
    State(Ids.GROUP, "data"),
    State(Ids.EDITING, "data"),
    State(Ids.TITLE, "value"),
    State(Ids.OWNER, "value"),
    State(Ids.START, "value"),
    State(Ids.END, "value"),
    State(Ids.STATUS, "value"),
    State(Ids.DESCRIPTION, "value"),
    State(Ids.INDICATORS, "value"),
    State(Ids.REVISION, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def save_activity(
    _save: int | None,
    _deletes: list[int | None],
    group_id: str,
    editing: int | None,
    title: str | None,
    owner: str | None,
    start: str | None,
    end: str | None,
    status: str | None,
    description: str | None,
    indicators: list[str] | None,
    revision: int | None,
) -> tuple:
    """Add, change or remove an activity; a new revision redraws the plan and empties the
    form (fill_form)."""
    require_click()
    store = context.store()
    actor = current_user().name
    trigger = ctx.triggered_id
    next_revision = (revision or 0) + 1
    if isinstance(trigger, dict):
        removed = delete_activity(store, int(trigger["index"]), actor)
        text = "Aktiviteten togs bort." if removed else "Aktiviteten fanns inte längre."
        return html.P(text), next_revision
    fields, problems = _fields(title, owner, start, end, status, description, indicators)
    if problems:
        return form_errors(problems), dash.no_update
    try:
        if editing:
            update_activity(store, int(editing), fields, actor)
        else:
            add_activity(store, group_id, fields, actor)
    except PlanError as error:
        return form_errors(error.messages), dash.no_update
    verb = "ändrad" if editing else "sparad"
    return html.P(f"Aktiviteten »{fields.cleaned().title}« är {verb}."), next_revision


@callback(
    Output(Ids.EDITING, "data"),
    Output(Ids.TITLE, "value"),
    Output(Ids.OWNER, "value"),
    Output(Ids.START, "value"),
    Output(Ids.END, "value"),
    Output(Ids.STATUS, "value"),
    Output(Ids.DESCRIPTION, "value"),
    Output(Ids.INDICATORS, "value"),
    Output(Ids.FORM, "open"),
    Input({"type": Ids.EDIT, "index": ALL}, "n_clicks"),
    Input(Ids.CANCEL, "n_clicks"),
    Input(Ids.REVISION, "data"),
    State(Ids.GROUP, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def fill_form(
    _edits: list[int | None], _cancel: int | None, _revision: int, group_id: str
) -> tuple:
    """Ändra fills the form with the activity; Avbryt and a saved change empty it."""
    trigger = ctx.triggered_id
    if isinstance(trigger, dict):
        require_click()
        chosen = next(
            (a for a in handlingsplan(context.store(), group_id) if a.id == trigger["index"]),
            None,
        )
        if chosen is not None:
            return (
                chosen.id,
                chosen.title,
                chosen.owner,
                chosen.start_date.isoformat(),
                chosen.end_date.isoformat() if chosen.end_date else "",
                chosen.status.value,
                chosen.description,
                list(chosen.indicator_ids),
                True,
            )
    return NEW, "", "", "", "", ActivityStatus.PLANERAD.value, "", [], trigger != Ids.REVISION


@callback(
    Output(Ids.FORM_SUMMARY, "children"),
    Input(Ids.EDITING, "data"),
    prevent_initial_call=True,
)
def form_heading(editing: int | None) -> str:
    return "Ändra aktiviteten" if editing else "Lägg till en aktivitet"


@callback(
    Output(Ids.LIST, "children"),
    Input(Ids.REVISION, "data"),
    State(Ids.GROUP, "data"),
    prevent_initial_call=True,
)
def redraw_plan(_revision: int, group_id: str) -> list:
    return _plan_view(handlingsplan(context.store(), group_id), may_edit())


@callback(
    Output(Ids.VERDICT, "children"),
    Output(Ids.UPLOAD_CONTENT, "data"),
    Output(Ids.CONFIRM, "disabled"),
    Input(Ids.UPLOAD, "contents"),
    State(Ids.UPLOAD, "filename"),
    State(Ids.GROUP, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def judge_upload(contents: str | None, name: str | None, group_id: str) -> tuple:
    """The verdict on every row before anything is saved."""
    if not contents:
        raise dash.exceptions.PreventUpdate
    file = _uploaded(contents, name)
    if file is None:
        return form_errors([f"Filen '{name}' kunde inte tas emot."]), None, True
    store = context.store()
    verdict = read_plan_file(file, set(known_indicator_ids(store)))
    if not verdict.ok:
        return (
            html.Div(
                [
                    html.P(f"Filen '{file.name}' kan inte sparas. Inget har ändrats:"),
                    html.Ul([html.Li(p.message) for p in verdict.problems]),
                ],
                className="form-error",
                role="alert",
            ),
            None,
            True,
        )
    current = handlingsplan(store, group_id)
    rows = [
        html.Li(f"Rad {n}: {a.title} – {a.status.value if a.status else ''} – godkänd")
        for n, a in enumerate(verdict.activities, start=1)
    ]
    return (
        html.Div(
            [
                html.P(
                    f"Filen '{file.name}' har {len(verdict.activities)} aktiviteter, alla "
                    f"godkända. Planen har i dag {len(current)} aktiviteter; de ersätts när du "
                    "bekräftar."
                ),
                html.Ul(rows, className="verdict-rows"),
            ]
        ),
        {"name": file.name, "content": contents},
        False,
    )


@callback(
    # CONFIRM first: the first output names the callback for hand-made requests (tests).
    Output(Ids.CONFIRM, "disabled", allow_duplicate=True),
    Output(Ids.VERDICT, "children", allow_duplicate=True),
    Output(Ids.REVISION, "data", allow_duplicate=True),
    Input(Ids.CONFIRM, "n_clicks"),
    State(Ids.UPLOAD_CONTENT, "data"),
    State(Ids.GROUP, "data"),
    State(Ids.REVISION, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def replace_from_upload(
    _clicks: int | None, uploaded: dict | None, group_id: str, revision: int | None
) -> tuple:
    """Saved only now, after the file is judged once more on the server."""
    require_click()
    file = _uploaded(uploaded["content"], uploaded["name"]) if uploaded else None
    if file is None:
        raise dash.exceptions.PreventUpdate
    store = context.store()
    saved, problems = import_plan(
        store, group_id, file, set(known_indicator_ids(store)), current_user().name
    )
    if problems:
        return True, form_errors([p.message for p in problems]), dash.no_update
    return (
        True,
        html.P(f"Planen är ersatt: {saved} aktiviteter från '{file.name}'."),
        (revision or 0) + 1,
    )


def _uploaded(contents: str, name: str | None) -> UploadedFile | None:
    _, _, payload = contents.partition(",")
    if len(payload) * 3 // 4 > MAX_PLAN_BYTES:
        return None
    try:
        return UploadedFile(name or "handlingsplan.xlsx", base64.b64decode(payload, validate=True))
    except (binascii.Error, ValueError):
        return None
