"""Strategigrupp: the indicators a strategigrupp follows across all strategies, and per kommun
(and the county) whether each improved, stayed or got worse since the baseline year, in the
indicator's own direction. Group in the path, baseline year in the query:
/strategigrupp/aldre?basar=2021."""

from urllib.parse import urlencode

import dash
import pandas as pd
from dash import dcc, html

from dashboard import context
from dashboard.components import lean
from dashboard.components.change_words import CHANGE_SYMBOL
from dashboard.components.figures.base import GRAPH_CONFIG
from dashboard.components.figures.change import CHANGE_STYLE, change_counts
from dashboard.components.figures.coded import soft_break
from dashboard.components.interactive.downloads import (
    download_bar,
    download_source,
    source_payload,
)
from dashboard.components.interactive.plan_section import plan_section
from dashboard.components.source_note import source_note, source_note_text
from dashboard.components.summary_card import summary_cards
from dashboard.components.tables import scroll_region
from dashboard.ids import Strategigrupp as Ids
from indicators.reads.cache import cached_query
from indicators.reads.followup.strategy import strategigrupp_cards
from indicators.reads.followup.strategy import strategigrupp_view as group_view
from indicators.reads.models import ChangeCell, GroupIndicator, StrategigruppView, SummaryCard
from indicators.reads.queries import Store, strategigrupper
from indicators.settings import get_settings
from indicators.vocabulary.domain import COUNTY_CODE, AreaLevel, Direction
from indicators.vocabulary.formatting import format_number
from indicators.vocabulary.trends import Change, rule_text

dash.register_page(
    __name__,
    path="/strategigrupp",
    path_template="/strategigrupp/<grupp>",
    name="Strategigrupper",
    title=lambda grupp=None: "Strategigrupp – Tillsammans 2021–2030",
    description="Vad som förbättrats och försämrats sedan basåret, per kommun och strategigrupp.",
    order=20,
    nav=True,
)

BASELINE_CHOICES = range(2018, 2024)


def _href(group: str, baseline: int) -> str:
    query = {} if baseline == get_settings().baseline_year else {"basar": baseline}
    return f"/strategigrupp/{group}" + (f"?{urlencode(query)}" if query else "")


def _baseline(raw: str | None) -> int:
    default = get_settings().baseline_year
    if raw and raw.isdigit() and 2000 <= int(raw) <= 2030:
        return int(raw)
    return default


def layout(grupp: str | None = None, basar: str | None = None, **_query: str) -> html.Div:
    store = context.store()
    baseline = _baseline(basar)
    if grupp is None:
        return _index(strategigrupp_cards(store, baseline), baseline)
    page = _group_page(store, grupp, baseline)
    name = dict(strategigrupper(store)).get(grupp)
    if name is None:
        return page
    # The plan is drawn per reader (its forms follow the role), the rest once per data version.
    return html.Div([page, html.Div(plan_section(grupp, name), className="page")])


# The same for every reader until the data changes: built once per group, baseline year and
# data version.
@cached_query(maxsize=32)
def _group_page(store: Store, grupp: str, baseline: int) -> html.Div:
    view = group_view(store, grupp, baseline)
    if view is None:
        return html.Div(
            className="page",
            children=[
                html.H1("Strategigruppen finns inte"),
                html.P(f"Det finns ingen strategigrupp med id {grupp!r}."),
                dcc.Link("Till strategigrupperna", href="/strategigrupp"),
            ],
        )
    areas = [(a.code, a.name) for a in view.areas]
    baseline_note = f"basår {view.baseline_year}"
    return html.Div(
        className="page strategigrupp wide",
        **{"data-group": view.id, "data-baseline": str(view.baseline_year)},
        children=[
            _group_links(view.groups, view.id, baseline),
            html.H1(f"Strategigrupp {view.name}"),
            html.P(view.description, className="lead") if view.description else None,
            html.P(
                f"Gruppen följer {len(view.indicators)} indikatorer i strategierna. För varje "
                f"kommun och för länet jämförs det senaste året med basåret {view.baseline_year}, "
                "i indikatorns riktning och avrundat som värdet visas. Varje kommun jämförs med "
                "sig själv, inte med de andra.",
            ),
            _baseline_links(view.id, view.baseline_year),
            _method(view.baseline_year),
            download_bar(
                f"strategigrupp-{view.id}",
                png_graph_id=Ids.GRAPH,
                filename=f"strategigrupp-{view.id}-basar-{view.baseline_year}",
                source=source_payload("strategigrupp", grupp=view.id, baseline=view.baseline_year),
                label="Ladda ner det som visas",
            ),
            html.Section(
                className="summary",
                **{"aria-labelledby": Ids.SUMMARY_HEADING},
                children=[
                    html.H2("Sammanfattning per kommun", id=Ids.SUMMARY_HEADING),
                    html.Div(
                        className="chart",
                        children=dcc.Graph(
                            id=Ids.GRAPH,
                            figure=change_counts(
                                areas,
                                view.counts,
                                f"Utveckling sedan {view.baseline_year}: {view.name}",
                                source_note_text(view.provenance, baseline_note),
                            ),
                            config=GRAPH_CONFIG,
                            className="figure",
                        ),
                    ),
                    scroll_region(_summary_table(view), label="Sammanfattning per kommun, tabell"),
                ],
            ),
            html.Section(
                className="matrix",
                **{"aria-labelledby": Ids.MATRIX_HEADING},
                children=[
                    html.H2("Indikator för indikator", id=Ids.MATRIX_HEADING),
                    scroll_region(_matrix(view), labelledby=Ids.MATRIX_HEADING),
                    source_note(view.provenance, baseline_note),
                ],
            ),
        ],
    )


def _index(cards: tuple[SummaryCard, ...], baseline: int) -> html.Div:
    return html.Div(
        className="page strategigrupper",
        children=[
            html.H1("Strategigrupper"),
            html.P(
                "ReKo:s tre strategigrupper följer var sin handlingsplan. Välj en grupp för att "
                "se vad som förbättrats och försämrats sedan basåret i varje kommun.",
                className="lead",
            ),
            summary_cards(cards, {c.key: _href(c.key, baseline) for c in cards}),
        ],
    )


def _group_links(groups: tuple[tuple[str, str], ...], current: str, baseline: int) -> html.Nav:
    return html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        name,
                        href=_href(gid, baseline),
                        **({"aria-current": "page"} if gid == current else {}),
                    )
                )
                for gid, name in groups
            ]
        ),
        className="toc filter",
        **{"aria-label": "Välj strategigrupp"},
    )


def _baseline_links(group: str, current: int) -> html.Nav:
    return html.Nav(
        [
            html.Span("Basår: ", className="label"),
            html.Ul(
                [
                    html.Li(
                        html.A(
                            str(year),
                            href=_href(group, year),
                            **({"aria-current": "page"} if year == current else {}),
                        )
                    )
                    for year in BASELINE_CHOICES
                ]
            ),
        ],
        className="toc filter baseline-switch",
        **{"aria-label": "Välj basår"},
    )


def _method(baseline: int) -> html.Details:
    return html.Details(
        [
            html.Summary("Så läser du tabellerna"),
            html.Ul(
                [
                    html.Li("▲ förbättrats, ● oförändrat, ▼ försämrats. " + rule_text(baseline)),
                    html.Li(
                        f"{CHANGE_SYMBOL[Change.CHANGED]} förändrats: indikatorn har ingen "
                        "bättre riktning; värdet har ändrats."
                    ),
                    html.Li(
                        f"Saknar en kommun värde {baseline} används första året därefter med "
                        "värde; det anges med »från år« i cellen."
                    ),
                    html.Li(
                        "– kan inte jämföras: värde saknas eller är sekretessbelagt (färre än "
                        "fem personer) något av åren. Indikatorer som bara redovisas för länet "
                        "visas inte per kommun."
                    ),
                ]
            ),
        ],
        className="method",
    )


def _summary_table(view: StrategigruppView) -> html.Table:
    shown = [c for c in CHANGE_STYLE if any(view.counts[a.code][c] for a in view.areas)]
    return html.Table(
        [
            html.Caption(f"Antal indikatorer per utveckling sedan {view.baseline_year}"),
            html.Thead(
                html.Tr(
                    [html.Th("Område", scope="col")]
                    + [html.Th(CHANGE_STYLE[c][0], scope="col", className="num") for c in shown]
                )
            ),
            html.Tbody(
                [
                    html.Tr(
                        [html.Th(a.name, scope="row")]
                        + [
                            html.Td(
                                str(view.counts[a.code][c]),
                                className="num",
                                **{"data-area": a.code, "data-change": c.value},
                            )
                            for c in shown
                        ],
                        **{"data-area": a.code},
                    )
                    for a in view.areas
                ]
            ),
        ],
        className="data-table change-summary",
        id=Ids.SUMMARY_TABLE,
    )


def _values_text(cell: ChangeCell, gi: GroupIndicator) -> str:
    decimals = gi.indicator.decimals
    codes = dict(gi.codes)

    def shown(v: float | None) -> str:
        if v is None:
            return "–"
        return soft_break(codes.get(int(v), str(int(v)))) if codes else format_number(v, decimals)

    latest = (
        shown(cell.latest_value) if cell.latest_value is not None else cell.latest_status.gap_label
    )
    prefix = f"från {cell.base_period}: " if cell.baseline_moved else ""
    return f"{prefix}{shown(cell.base_value)} → {latest}"


def _cell(cell: ChangeCell | None, gi: GroupIndicator, area_code: str) -> lean.Element:
    # Some five hundred cells on the heaviest group, so each is one element: the word on the
    # first line (styled by ::first-line in followup.css), the values on the second, the symbol
    # drawn by the stylesheet (change_words.css_variables; not read aloud, the word says it),
    # the indicator named once on the row. The page stays under 150 KB (issue 16).
    if cell is None:
        return lean.html.Td("redovisas ej", className="change na muted", **{"data-area": area_code})
    return lean.html.Td(
        f"{cell.change.label}\n{_values_text(cell, gi)}",
        className=f"change change-mark {cell.change.value}",
        **{"data-area": area_code},
    )


def _matrix(view: StrategigruppView) -> html.Table:
    return html.Table(
        [
            html.Caption(
                f"Utveckling per indikator och område, basår {view.baseline_year} till senaste år"
            ),
            html.Thead(
                html.Tr(
                    [html.Th("Indikator", scope="col")]
                    + [
                        html.Th(
                            "Länet" if a.code == COUNTY_CODE else a.name,
                            scope="col",
                            **{"data-area": a.code},
                        )
                        for a in view.areas
                    ]
                )
            ),
            html.Tbody(
                [
                    lean.html.Tr(
                        [_indicator_header(gi)]
                        + [
                            _cell(view.cell(gi.indicator.id, a.code), gi, a.code)
                            for a in view.areas
                        ],
                        **{"data-indicator": gi.indicator.id},
                    )
                    for gi in view.indicators
                ]
            ),
        ],
        className="data-table change-matrix",
        id=Ids.MATRIX,
    )


def _indicator_header(gi: GroupIndicator) -> lean.Element:
    ind = gi.indicator
    where = "; ".join(f"Strategi {n}: {title}" for n, title in gi.placements)
    meta = [ind.unit, ind.direction.label]
    if ind.area_level is AreaLevel.REGION:
        meta.append("endast länet")
    if ind.direction is Direction.NEITHER:
        meta.append("beskrivande")
    return lean.html.Th(
        [
            lean.link(ind.short_title, f"/indikator/{ind.id}", className="ind-link"),
            lean.html.Span(" · ".join(meta), className="ind-meta"),
            lean.html.Span(
                f"{where} · senast {gi.latest_period or '–'}", className="ind-meta placement"
            ),
        ],
        scope="row",
    )


@download_source("strategigrupp")
def download_frame(grupp: str, baseline: int) -> pd.DataFrame | None:
    """The group's numbers for the baseline year, built when someone clicks "Ladda ner"."""
    view = group_view(context.store(), str(grupp), _baseline(str(baseline)))
    return None if view is None else _download_frame(view)


def _download_frame(view: StrategigruppView) -> pd.DataFrame:
    rows = []
    for gi in view.indicators:
        for a in view.areas:
            cell = view.cell(gi.indicator.id, a.code)
            if cell is None:
                continue
            rows.append(
                {
                    "Indikator": gi.indicator.id,
                    "Indikatornamn": gi.indicator.short_title,
                    "Område": a.code,
                    "Områdesnamn": a.name,
                    "Basperiod": cell.base_period,
                    "Basvärde": cell.base_value,
                    "Senaste period": cell.latest_period,
                    "Senaste värde": cell.latest_value,
                    "Status senaste": ""
                    if cell.latest_value is not None
                    else cell.latest_status.gap_label,
                    "Utveckling": cell.change.label,
                    "Enhet": gi.indicator.unit,
                    "Riktning": gi.indicator.direction.label,
                }
            )
    return pd.DataFrame(rows)
