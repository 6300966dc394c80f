"""The plain-Swedish summary of a strategy or kommun (indicators/reads/followup/plain_words.py)
as a section of a page: the same words as on the meeting's summary slides, so they can be read
before the meeting."""

from dash import html

from indicators.reads.models import PlainSummary


def plain_summary(summary: PlainSummary, section_id: str) -> html.Section:
    heading_id = f"{section_id}-rubrik"
    return html.Section(
        id=section_id,
        className="plain-summary",
        **{"aria-labelledby": heading_id},
        children=[
            html.H2("Sammanfattning i klartext", id=heading_id),
            html.P(summary.lead, className="summary-lead"),
            *[
                html.Section(
                    className=f"summary-point summary-{point.key}",
                    children=[
                        html.H3(point.heading),
                        html.Ul([html.Li(item) for item in point.items])
                        if point.items
                        else html.P("Inga.", className="muted"),
                    ],
                )
                for point in summary.points
            ],
            html.P(
                "Texten skrivs av fasta regler från siffrorna, samma som i mötesläget: "
                "förbättrats och försämrats enligt sidornas jämförelse med basåret, långt från "
                "målet när värdet inte är inom 5 % av målvärdet.",
                className="muted summary-method",
            ),
        ],
    )
