"""Handlingsplanens aktiviteter as tables: the whole plan on the Strategigrupp page, and on the
Indikator page the activities that aim at that indicator, each with how the county has moved
on it since the activity started (symbol and word, never colour alone)."""

from dash import dcc, html

from dashboard.components.change_words import change_badge
from dashboard.ids import Handlingsplan as Ids
from indicators.reads.models import ActivityAim, ActivityInfo
from indicators.vocabulary.domain import ActivityStatus
from indicators.vocabulary.formatting import format_date, format_value

STATUS_SYMBOL = {
    ActivityStatus.PLANERAD: "○",
    ActivityStatus.PAGAR: "◐",
    ActivityStatus.KLAR: "●",
    ActivityStatus.PAUSAD: "‖",
}


def status_badge(status: ActivityStatus) -> html.Span:
    return html.Span(
        [html.Span(STATUS_SYMBOL[status], className="sym", **{"aria-hidden": "true"}), " ", status],
        className=f"status-badge status-{_css(status)}",
    )


def time_span(activity: ActivityInfo) -> str:
    end = format_date(activity.end_date) if activity.end_date else "tills vidare"
    return f"{format_date(activity.start_date)} – {end}"


def aim_since_start(aim: ActivityAim) -> list:
    """ "▲ förbättrats: 2021 45 % → 2025 52 %", or why there is nothing to judge yet."""
    if aim.start_period is None:
        return [html.Span("inget värde före start", className="muted")]
    start = f"{aim.start_period}: {format_value(aim.start_value, aim.decimals, aim.unit)}"
    if aim.latest_period is None:
        return [html.Span(f"{start} – inga nya värden sedan start", className="muted")]
    latest = f"{aim.latest_period}: {format_value(aim.latest_value, aim.decimals, aim.unit)}"
    return [change_badge(aim.change), html.Span(f" {start} → {latest}", className="values")]


def plan_table(activities: list[ActivityInfo], *, editable: bool) -> html.Table:
    """The whole plan. With `editable`, each row has Ändra and Ta bort buttons."""
    return html.Table(
        [
            html.Caption("Aktiviteter i handlingsplanen och länets utveckling sedan start"),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Aktivitet", scope="col"),
                        html.Th("Ansvarig", scope="col"),
                        html.Th("Tid", scope="col"),
                        html.Th("Status", scope="col"),
                        html.Th("Indikatorer och utveckling sedan start", scope="col"),
                    ]
                )
            ),
            html.Tbody([_plan_row(a, editable) for a in activities]),
        ],
        className="data-table plan-table",
        id=Ids.TABLE,
    )


def _plan_row(activity: ActivityInfo, editable: bool) -> html.Tr:
    return html.Tr(
        [
            html.Th(
                [
                    html.Span(activity.title, className="activity-title"),
                    html.Span(activity.description, className="activity-description")
                    if activity.description
                    else None,
                    _row_actions(activity) if editable else None,
                ],
                scope="row",
            ),
            html.Td(activity.owner),
            html.Td(time_span(activity), className="time"),
            html.Td(status_badge(activity.status)),
            html.Td(_aims(activity)),
        ],
        **{"data-activity": str(activity.id)},
    )


def _row_actions(activity: ActivityInfo) -> html.Div:
    return html.Div(
        [
            html.Button(
                ["Ändra", html.Span(f" {activity.title}", className="visually-hidden")],
                id={"type": Ids.EDIT, "index": activity.id},
                type="button",
                className="btn-small",
            ),
            html.Button(
                ["Ta bort", html.Span(f" {activity.title}", className="visually-hidden")],
                id={"type": Ids.DELETE, "index": activity.id},
                type="button",
                className="btn-small",
            ),
        ],
        className="row-actions",
    )


def _aims(activity: ActivityInfo) -> html.Ul | html.Span:
    if not activity.aims:
        return html.Span("ingen indikator kopplad", className="muted")
    return html.Ul(
        [
            html.Li(
                [
                    dcc.Link(aim.short_title or aim.title, href=f"/indikator/{aim.indicator_id}"),
                    html.Br(),
                    *aim_since_start(aim),
                ],
                **{"data-indicator": aim.indicator_id, "data-change": aim.change.value},
            )
            for aim in activity.aims
        ],
        className="aims",
    )


def activities_for_indicator_section(
    indicator_id: str, activities: list[ActivityInfo]
) -> html.Section:
    """On the Indikator page: which activities aim to move this indicator."""
    rows = []
    for activity in activities:
        aim = next(a for a in activity.aims if a.indicator_id == indicator_id)
        rows.append(
            html.Tr(
                [
                    html.Th(
                        [
                            html.Span(activity.title, className="activity-title"),
                            html.Span(activity.owner, className="activity-description"),
                        ],
                        scope="row",
                    ),
                    html.Td(
                        dcc.Link(
                            activity.strategigrupp_name,
                            href=f"/strategigrupp/{activity.strategigrupp_id}",
                        )
                    ),
                    html.Td(time_span(activity), className="time"),
                    html.Td(status_badge(activity.status)),
                    html.Td(aim_since_start(aim)),
                ],
                **{"data-activity": str(activity.id)},
            )
        )
    body = (
        html.Table(
            [
                html.Caption("Aktiviteter som syftar till att påverka indikatorn"),
                html.Thead(
                    html.Tr(
                        [
                            html.Th("Aktivitet och ansvarig", scope="col"),
                            html.Th("Strategigrupp", scope="col"),
                            html.Th("Tid", scope="col"),
                            html.Th("Status", scope="col"),
                            html.Th("Länet sedan start", scope="col"),
                        ]
                    )
                ),
                html.Tbody(rows),
            ],
            className="data-table plan-table",
            id=Ids.INDICATOR_ACTIVITIES,
        )
        if rows
        else html.P(
            "Ingen strategigrupp har ännu en aktivitet i sin handlingsplan som syftar till att "
            "påverka indikatorn.",
            className="muted",
        )
    )
    return html.Section(
        className="plan-activities",
        **{"aria-labelledby": Ids.INDICATOR_HEADING},
        children=[html.H2("Handlingsplanernas aktiviteter", id=Ids.INDICATOR_HEADING), body],
    )


def _css(status: ActivityStatus) -> str:
    return {"pågår": "pagar"}.get(status.value, status.value)
