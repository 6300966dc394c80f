"""The "Bland liknande kommuner" section that the Kommun and Indikator pages share: a sentence,
the figure (the group's quartile band and median, the kommun's own line, the members in the
chosen period) and the table of the group's values, or, when the group's values are not in
the store, a message naming the command that fetches them."""

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.figures.base import GRAPH_CONFIG
from dashboard.components.figures.similar import similar_figure
from dashboard.components.source_note import source_note_text
from indicators.reads.models import IndicatorDetail, SimilarView
from indicators.reads.similar import describe

INTRO = (
    "Kolada (RKA) anger för varje kommun de sju kommuner i landet som liknar den mest inom ett "
    "verksamhetsområde – äldreomsorg, individ- och familjeomsorg, socioekonomi med flera. "
    "Katalogen anger vilken grupp varje indikator jämförs med. Medianen och kvartilerna räknas "
    "på de liknande kommunernas visade värden; dolda värden räknas inte. Placeringen är "
    "sammanhang, inte ett betyg."
)
EMPTY_FIGURE = {"data": [], "layout": {"height": 10}}


def similar_controls(
    select_id: str, label: str, options: list[dict], value: str | None
) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=select_id),
            dbc.Select(id=select_id, options=options, value=value),
        ],
        className="control",
    )


def similar_section(
    heading_id: str, select: html.Div, text_id: str, graph_id: str, table_id: str, hidden: bool
) -> html.Section:
    return html.Section(
        className="chart similar-section",
        hidden=hidden,
        **{"aria-labelledby": heading_id},
        children=[
            html.H2("Bland liknande kommuner i landet", id=heading_id),
            html.P(INTRO, className="muted"),
            html.Div(select, className="controls"),
            html.Div(id=text_id, className="similar-text", **{"aria-live": "polite"}),
            dcc.Graph(id=graph_id, config=GRAPH_CONFIG, className="figure"),
            html.Div(id=table_id),
        ],
    )


def similar_content(view: SimilarView, detail: IndicatorDetail) -> tuple[object, object, object]:
    """(text, figure, table) for the section's three outputs."""
    sentence = html.P(describe(view, with_command=False), className="lead similar-sentence")
    command = (
        html.P(
            ["Hämta dem från Kolada med: ", html.Code(view.fetch_command)],
            className="similar-fetch",
        )
        if view.fetch_command
        else None
    )
    group = (
        html.P(
            f"Gruppen: {view.group.title} (Kolada {view.group.id}).",
            className="muted similar-group",
        )
        if view.group is not None
        else None
    )
    text = html.Div(
        [sentence, command, group],
        className="similar-missing" if not view.has_values else "",
    )
    if not view.has_values:
        return text, EMPTY_FIGURE, None
    drawable = any(p.median is not None for p in view.periods)
    figure = similar_figure(view, source_note_text(detail.provenance)) if drawable else EMPTY_FIGURE
    return text, figure, _table(view)


def _table(view: SimilarView) -> html.Table:
    ind = view.indicator
    return html.Table(
        className="data-table similar-table",
        children=[
            html.Caption(
                f"{ind.short_title} ({ind.unit}) {view.period}: {view.area_name} och "
                f"de liknande kommunerna ({view.kind.kolada_word})"
            ),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Kommun", scope="col"),
                        html.Th(f"Värde {view.period}", scope="col", className="num"),
                    ]
                )
            ),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Th(html.Strong(m.name) if m.is_own else m.name, scope="row"),
                            html.Td(m.text, className="num"),
                        ],
                        className="own" if m.is_own else "",
                        **{"data-area": m.code},
                    )
                    for m in view.members
                ]
            ),
        ],
    )
