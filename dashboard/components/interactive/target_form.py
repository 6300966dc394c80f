"""Målvärden on the Indikator page: the list of targets set for the indicator, the form that
sets one, and the callback that saves or removes a target."""

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, html

from dashboard import context
from dashboard.auth import current_user, requires
from dashboard.components.interactive.edit_forms import form_errors, form_field, require_click
from dashboard.ids import Indikator as Ids
from indicators.reads.models import IndicatorDetail, TargetInfo
from indicators.reads.queries import indicator_detail
from indicators.vocabulary.domain import Role
from indicators.vocabulary.formatting import format_date, format_value
from indicators.writes.targets import TargetError, delete_target, set_target

DEFAULT_TARGET_YEAR = 2030  # the strategy's horizon


def may_edit() -> bool:
    """Targets and analyses are the analytiker's; a läsare sees them without the forms."""
    return current_user().may(Role.ANALYTIKER)


def targets_section(detail: IndicatorDetail, area_options: list[dict]) -> html.Section:
    """The list (filled by the page's period callback) and the form below it."""
    return html.Section(
        className="targets",
        **{"aria-labelledby": Ids.TARGETS_HEADING},
        children=[
            html.H2("Målvärden", id=Ids.TARGETS_HEADING),
            html.Div(id=Ids.TARGET_LIST),
            target_form(detail, area_options) if may_edit() else None,
        ],
    )


def target_form(detail: IndicatorDetail, area_options: list[dict]) -> html.Details:
    s = detail.summary
    if detail.codes:
        hint = "Ange koden: " + ", ".join(f"{c} = {label}" for c, label in detail.codes) + "."
    else:
        hint = f"I indikatorns enhet ({s.unit}), med decimalkomma."
    return html.Details(
        className="edit-form",
        children=[
            html.Summary("Sätt ett målvärde"),
            html.Div(
                className="form-grid",
                children=[
                    form_field(
                        "Målvärde",
                        dbc.Input(
                            id=Ids.TARGET_VALUE,
                            type="text",
                            inputMode="decimal",
                            autoComplete="off",
                        ),
                        Ids.TARGET_VALUE,
                        hint,
                    ),
                    form_field(
                        "År",
                        dbc.Input(
                            id=Ids.TARGET_YEAR,
                            type="number",
                            value=DEFAULT_TARGET_YEAR,
                            min=2000,
                            max=2050,
                            step=1,
                        ),
                        Ids.TARGET_YEAR,
                    ),
                    form_field(
                        "Målet gäller",
                        dbc.Select(id=Ids.TARGET_AREA, options=area_options, value=""),
                        Ids.TARGET_AREA,
                    ),
                    form_field(
                        "Kommentar",
                        dbc.Input(id=Ids.TARGET_NOTE, type="text", maxLength=500),
                        Ids.TARGET_NOTE,
                    ),
                ],
            ),
            html.Button("Spara målvärde", id=Ids.TARGET_SAVE, type="button", className="btn-save"),
            html.Div(id=Ids.TARGET_MESSAGE, role="status", className="form-message"),
        ],
    )


def target_list(targets: list[TargetInfo], decimals: int, unit: str) -> object:
    if not targets:
        return html.P("Inga målvärden är satta.", className="muted")
    editable = may_edit()
    rows = [
        html.Tr(
            [
                html.Th(t.area_name, scope="row"),
                html.Td(str(t.year)),
                html.Td(format_value(t.value, decimals, unit), className="num"),
                html.Td(t.note),
                html.Td(f"{t.set_by}, {format_date(t.set_at)}" if t.set_at else t.set_by),
                html.Td(
                    None
                    if not editable
                    else html.Button(
                        [
                            "Ta bort",
                            html.Span(
                                f" målvärdet för {t.area_name} {t.year}",
                                className="visually-hidden",
                            ),
                        ],
                        id={"type": Ids.TARGET_DELETE, "index": f"{t.area_code or ''}|{t.year}"},
                        type="button",
                        className="btn-small",
                    )
                ),
            ],
            **{"data-area": t.area_code or "", "data-year": str(t.year)},
        )
        for t in targets
    ]
    return html.Table(
        [
            html.Caption("Satta målvärden"),
            html.Thead(
                html.Tr(
                    [
                        html.Th(h, scope="col")
                        for h in ("Gäller", "År", "Målvärde", "Kommentar", "Satt av", "Åtgärd")
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="data-table target-table",
    )


@callback(
    Output(Ids.TARGET_MESSAGE, "children"),
    Output(Ids.TARGET_REVISION, "data"),
    Output(Ids.TARGET_VALUE, "value"),
    Input(Ids.TARGET_SAVE, "n_clicks"),
    Input({"type": Ids.TARGET_DELETE, "index": ALL}, "n_clicks"),
    State(Ids.TARGET_VALUE, "value"),
    State(Ids.TARGET_YEAR, "value"),
    State(Ids.TARGET_AREA, "value"),
    State(Ids.TARGET_NOTE, "value"),
    State(Ids.INDICATOR, "data"),
    State(Ids.TARGET_REVISION, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def edit_targets(
    _save: int | None,
    _deletes: list[int | None],
    value: str | None,
    year: int | str | None,
    area: str | None,
    note: str | None,
    indicator_id: str,
    revision: int,
) -> tuple:
    """Save or remove a target; the store validates and answers in Swedish. A new revision
    makes the page redraw what depends on targets."""
    require_click()
    trigger = ctx.triggered_id
    store = context.store()
    if isinstance(trigger, dict):
        area_code, raw_year = str(trigger["index"]).split("|")
        delete_target(
            store, indicator_id, area_code or None, int(raw_year), actor=current_user().name
        )
        return html.P("Målvärdet togs bort."), (revision or 0) + 1, dash.no_update
    try:
        saved = set_target(
            store,
            indicator_id,
            area or None,
            "" if year is None else year,
            value or "",
            note or "",
            current_user().name,
        )
    except TargetError as error:
        return form_errors(error.messages), dash.no_update, dash.no_update
    detail = indicator_detail(store, indicator_id)
    shown = saved.label(detail.summary.decimals, detail.summary.unit) if detail else saved.value
    return html.P(f"Sparat: {shown} för {saved.area_name}."), (revision or 0) + 1, ""
