"""Analyser on the Indikator page: the written analyses for the chosen period, the form that
adds one, and the callback that saves or removes an analysis."""

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, html

from dashboard import context
from dashboard.auth import current_user, requires
from dashboard.components.interactive.edit_forms import form_errors, form_field, require_click
from dashboard.components.interactive.target_form import may_edit
from dashboard.ids import Indikator as Ids
from indicators.reads.analyses import analyses_for
from indicators.vocabulary.domain import Role
from indicators.vocabulary.formatting import format_date
from indicators.writes.analyses import AnalysisError, add_analysis, delete_analysis


def analyses_section(area_options: list[dict]) -> html.Section:
    """The list (filled by the page's period callback) and the form below it."""
    return html.Section(
        className="analyses",
        **{"aria-labelledby": Ids.ANALYSES_HEADING},
        children=[
            html.H2("Analyser", id=Ids.ANALYSES_HEADING),
            html.Div(id=Ids.ANALYSES),
            analysis_form(area_options) if may_edit() else None,
        ],
    )


def analysis_form(area_options: list[dict]) -> html.Details:
    return html.Details(
        className="edit-form",
        children=[
            html.Summary("Skriv en analys för vald period"),
            form_field(
                "Analys (högst 2 000 tecken)",
                dbc.Textarea(id=Ids.ANALYSIS_TEXT, rows=4, maxLength=2000),
                Ids.ANALYSIS_TEXT,
            ),
            form_field(
                "Analysen gäller",
                dbc.Select(id=Ids.ANALYSIS_AREA, options=area_options, value=""),
                Ids.ANALYSIS_AREA,
            ),
            html.Button("Spara analys", id=Ids.ANALYSIS_SAVE, type="button", className="btn-save"),
            html.Div(id=Ids.ANALYSIS_MESSAGE, role="status", className="form-message"),
        ],
    )


def analysis_list(indicator_id: str, period: str | None) -> list:
    if period is None:
        return [
            html.P("Inga värden, och därför inga analyser, för indikatorn ännu.", className="muted")
        ]
    found = analyses_for(context.store(), indicator_id, period=period)
    if not found:
        return [html.P(f"Ingen analys är skriven för {period}.", className="muted")]
    editable = may_edit()
    return [
        html.Article(
            className="analysis",
            children=[
                html.H3(f"{a.period} – {a.area_name}"),
                # plain text, shown as text: React escapes it, and line breaks are kept by CSS
                html.P(a.text, className="analysis-text"),
                html.P(
                    f"{a.written_by} · {format_date(a.written_at)}", className="muted analysis-meta"
                ),
                None
                if not editable
                else html.Button(
                    [
                        "Ta bort analysen",
                        html.Span(f" för {a.area_name} {a.period}", className="visually-hidden"),
                    ],
                    id={"type": Ids.ANALYSIS_DELETE, "index": a.id},
                    type="button",
                    className="btn-small",
                ),
            ],
        )
        for a in found
    ]


@callback(
    Output(Ids.ANALYSIS_MESSAGE, "children"),
    Output(Ids.ANALYSIS_REVISION, "data"),
    Output(Ids.ANALYSIS_TEXT, "value"),
    Input(Ids.ANALYSIS_SAVE, "n_clicks"),
    Input({"type": Ids.ANALYSIS_DELETE, "index": ALL}, "n_clicks"),
    State(Ids.ANALYSIS_TEXT, "value"),
    State(Ids.ANALYSIS_AREA, "value"),
    State(Ids.PERIOD, "value"),
    State(Ids.INDICATOR, "data"),
    State(Ids.ANALYSIS_REVISION, "data"),
    prevent_initial_call=True,
)
@requires(Role.ANALYTIKER)
def edit_analyses(
    _save: int | None,
    _deletes: list[int | None],
    text: str | None,
    area: str | None,
    period: str | None,
    indicator_id: str,
    revision: int,
) -> tuple:
    """Save or remove an analysis for the chosen period; a new revision redraws the list."""
    require_click()
    trigger = ctx.triggered_id
    store = context.store()
    if isinstance(trigger, dict):
        delete_analysis(store, int(trigger["index"]), actor=current_user().name)
        return html.P("Analysen togs bort."), (revision or 0) + 1, dash.no_update
    try:
        saved = add_analysis(
            store, indicator_id, period or "", text or "", current_user().name, area or None
        )
    except AnalysisError as error:
        return form_errors(error.messages), dash.no_update, dash.no_update
    return (
        html.P(f"Analysen för {saved.area_name} {saved.period} är sparad."),
        (revision or 0) + 1,
        "",
    )
