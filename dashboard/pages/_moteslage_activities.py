"""Mötesläge's slide of the handlingsplaner behind an indicator: which activities aim to move
it, who owns them, where they stand, and how the county has moved since each started. Follows
the indicator's own slide; cut into pages that fit like every table slide."""

from dash import html

from dashboard import context
from dashboard.components.activity_list import aim_since_start, status_badge, time_span
from dashboard.pages._moteslage_frame import ROWS_PER_SLIDE, Slide, page_kicker, pages
from indicators.reads.models import IndicatorDetail
from indicators.reads.plans import activities_for_indicator


def activity_slides(d: IndicatorDetail) -> list[Slide]:
    s = d.summary
    found = activities_for_indicator(context.store(), s.id)
    if not found:
        return []
    chunks = pages(found, ROWS_PER_SLIDE)
    slides = []
    for number, chunk in enumerate(chunks, start=1):
        rows = []
        for activity in chunk:
            aim = next(a for a in activity.aims if a.indicator_id == s.id)
            rows.append(
                html.Tr(
                    [
                        html.Th(
                            [
                                activity.title,
                                html.Span(
                                    f"{activity.strategigrupp_name} · {activity.owner}",
                                    className="slide-note",
                                ),
                            ],
                            scope="row",
                        ),
                        html.Td(
                            [
                                status_badge(activity.status),
                                html.Span(time_span(activity), className="slide-note"),
                            ]
                        ),
                        html.Td(aim_since_start(aim)),
                    ],
                    **{"data-activity": str(activity.id)},
                )
            )
        slides.append(
            Slide(
                title=f"Handlingsplaner: {s.short_title}",
                kicker=page_kicker(
                    f"{s.short_title} · Handlingsplanernas aktiviteter", number, len(chunks)
                ),
                heading="Aktiviteter som syftar till att påverka indikatorn",
                kind="table",
                provenance=d.provenance,
                body=[
                    html.Table(
                        [
                            html.Thead(
                                html.Tr(
                                    [
                                        html.Th("Aktivitet", scope="col"),
                                        html.Th("Status", scope="col"),
                                        html.Th("Länet sedan start", scope="col"),
                                    ]
                                )
                            ),
                            html.Tbody(rows),
                        ],
                        className="slide-summary slide-activities",
                    )
                ],
            )
        )
    return slides
