"""Kommun: one page per kommun and one for the region. Every indicator against the area's own
baseline, with the county and Riket beside it; the place among the 13 is context, not a verdict.
The area is in the path (/kommun/0680), so a link opens the same view. Below, a kommun's place
among its similar kommuner across Sweden (Kolada's groups), one indicator at a time, the choice
in the query string (?liknande=U23401)."""

from urllib.parse import parse_qs, urlencode

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import context
from dashboard.components import lean
from dashboard.components.change_words import change_cell, change_text
from dashboard.components.interactive.downloads import (
    download_bar,
    download_source,
    source_payload,
)
from dashboard.components.plain_summary import plain_summary
from dashboard.components.similar_section import (
    similar_content,
    similar_controls,
    similar_section,
)
from dashboard.components.sparkline import sparkline
from dashboard.components.tables import scroll_region
from dashboard.ids import Kommun as Ids
from dashboard.ids import Moteslage as MeetingIds
from indicators.reads.cache import cached_query
from indicators.reads.followup.kommun import RANK_NOTE, followup_areas, kommun_view
from indicators.reads.followup.plain_words import kommun_summary
from indicators.reads.models import KommunIndicator, KommunMatomrade, KommunView
from indicators.reads.queries import Store, indicator_detail
from indicators.reads.similar import default_similar_indicator, similar_choices, similar_view
from indicators.vocabulary.domain import COUNTY_CODE, ValueKind
from indicators.vocabulary.formatting import format_value
from indicators.vocabulary.trends import rule_text

dash.register_page(
    __name__,
    path="/kommun",
    path_template="/kommun/<kod>",
    name="Kommuner",
    title=lambda kod=None: f"Kommun {kod or ''} – Tillsammans 2021–2030",
    description="Varje kommun och regionen mot sitt eget basår, med länet och riket bredvid.",
    order=30,
    nav=True,
)


def layout(kod: str | None = None, liknande: str | None = None, **_query: str) -> html.Div:
    store = context.store()
    code = kod or COUNTY_CODE
    page = _kommun_page(store, code)
    view = kommun_view(store, code)
    if view is None or view.is_region:
        return page
    options = _similar_options(view)
    return html.Div(
        [
            page,
            dcc.Location(id=Ids.URL, refresh=False),
            dcc.Store(id=Ids.AREA, data=view.area_code),
            similar_section(
                Ids.SIMILAR_HEADING,
                similar_controls(
                    Ids.SIMILAR_INDICATOR,
                    "Indikator",
                    options,
                    default_similar_indicator(view, liknande),
                ),
                Ids.SIMILAR_TEXT,
                Ids.SIMILAR_GRAPH,
                Ids.SIMILAR_TABLE,
                hidden=not options,
            ),
        ]
    )


def _similar_options(view: KommunView) -> list[dict]:
    return [{"label": i.short_title, "value": i.id} for i in similar_choices(view)]


@callback(
    Output(Ids.SIMILAR_INDICATOR, "value"),
    Output(Ids.SIMILAR_TEXT, "children"),
    Output(Ids.SIMILAR_GRAPH, "figure"),
    Output(Ids.SIMILAR_TABLE, "children"),
    Output(Ids.URL, "search"),
    Input(Ids.SIMILAR_INDICATOR, "value"),
    Input(Ids.URL, "search"),
    State(Ids.AREA, "data"),
)
def update_similar(indicator_id: str | None, search: str | None, area_code: str) -> tuple:
    """The kommun among its similar kommuner for the chosen indicator; the choice lives in the
    URL (?liknande=U23401), which a link, back and forward set."""
    store = context.store()
    trigger = ctx.triggered_id
    if trigger == Ids.URL or trigger is None:
        query = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
        view = kommun_view(store, area_code)
        if view is None:
            raise dash.exceptions.PreventUpdate
        indicator_id = default_similar_indicator(view, query.get("liknande", indicator_id))
    if not indicator_id:
        raise dash.exceptions.PreventUpdate
    similar = similar_view(store, indicator_id, area_code)
    detail = indicator_detail(store, indicator_id)
    if similar is None or detail is None:
        raise dash.exceptions.PreventUpdate
    text, figure, table = similar_content(similar, detail)
    url = (
        dash.no_update
        if trigger in (Ids.URL, None)
        else f"?{urlencode({'liknande': indicator_id})}"
    )
    return indicator_id, text, figure, table, url


# The same for every reader until the data changes: built once per area and data version.
@cached_query(maxsize=32)
def _kommun_page(store: Store, code: str) -> html.Div:
    view = kommun_view(store, code)
    areas = followup_areas(store)
    if view is None:
        return html.Div(
            className="page kommun wide",
            children=[
                html.H1("Kommunen finns inte"),
                html.P(
                    f"{code!r} är inte en av länets 13 kommuner eller regionen. Välj ett område:"
                ),
                _area_nav(areas, None),
            ],
        )
    return html.Div(
        className="page kommun wide",
        children=[
            html.H1(view.area_name, id=Ids.HEADING),
            _area_nav(areas, view.area_code),
            _summary(view),
            _plain_summary(store, view.area_code),
            html.Div(
                download_bar(
                    "kommun",
                    png_graph_id=None,
                    filename=f"kommun-{view.area_code}",
                    source=source_payload("kommun", code=view.area_code),
                ),
                className="page-actions",
            ),
            *[
                html.Section(
                    className="strategy",
                    **{"aria-labelledby": f"kommun-strategi-{st.number}"},
                    children=[
                        html.H2(
                            [
                                html.Span(f"Strategi {st.number}", className="strategy-number"),
                                st.title,
                            ],
                            id=f"kommun-strategi-{st.number}",
                        ),
                        *[_matomrade(view, ma) for ma in st.matomraden if ma.rows],
                    ],
                )
                for st in view.strategies
                if any(ma.rows for ma in st.matomraden)
            ],
        ],
    )


def _plain_summary(store: Store, code: str) -> html.Section | None:
    """The same words as the meeting's summary slide, to read before the meeting."""
    summary = kommun_summary(store, code)
    return plain_summary(summary, MeetingIds.KOMMUN_SUMMARY) if summary else None


def _area_nav(areas: list[tuple[str, str]], current: str | None) -> html.Nav:
    return html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        name,
                        href=f"/kommun/{code}",
                        **({"aria-current": "page"} if code == current else {}),
                    )
                )
                for code, name in areas
            ]
        ),
        className="toc filter area-switch",
        **{"aria-label": "Välj kommun eller regionen"},
    )


def _summary(view: KommunView) -> html.Section:
    return html.Section(
        className="kommun-summary",
        **{"aria-label": "Sammanfattning"},
        children=[
            html.P(
                [
                    html.Strong(view.summary_text, id=Ids.SUMMARY),
                ],
                className="lead",
            ),
            html.P(
                rule_text(view.baseline_year) + " Samma regel gäller på alla sidor.",
                className="muted method-note",
            ),
            html.P(RANK_NOTE, className="muted rank-note") if not view.is_region else None,
        ],
    )


def _matomrade(view: KommunView, ma: KommunMatomrade) -> html.Div:
    head = ["Indikator", "Senaste", f"Basår ({view.baseline_year})", "Förändring", "Utveckling"]
    head += ["Riket"] if view.is_region else ["Länet", "Riket"]
    head += ["Mål"]
    numeric = {"Senaste", f"Basår ({view.baseline_year})", "Länet", "Riket", "Bland de 13"}
    if not view.is_region:
        head += ["Bland de 13"]
    return html.Div(
        className="matomrade",
        **{"data-matomrade": ma.id},
        children=[
            html.H3(["Mätområde: ", ma.title]),
            scroll_region(
                html.Table(
                    className="data-table kommun-table",
                    children=[
                        html.Caption(f"{view.area_name}: {ma.title}", className="visually-hidden"),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col", className="num")
                                    if h in numeric
                                    else html.Th(h, scope="col")
                                    for h in head
                                ]
                            )
                        ),
                        html.Tbody([_row(view, r) for r in ma.rows]),
                    ],
                ),
                label=f"Tabell: {ma.title}",
            ),
        ],
    )


def _row(view: KommunView, r: KommunIndicator) -> lean.Element:
    # Some sixty rows of a dozen elements each: made as lean elements (dashboard.components.lean).
    ind = r.indicator
    coded = ind.value_kind is ValueKind.CODED
    baseline = r.baseline_text
    if r.baseline_period and r.baseline_shifted:
        baseline = f"{r.baseline_text} ({r.baseline_period}, basåret saknas)"
    cells = [
        lean.html.Th(
            [
                lean.link(ind.short_title, f"/indikator/{ind.id}", className="ind-link"),
                lean.html.Span(" · ".join([ind.unit, ind.direction.label]), className="ind-meta"),
            ],
            scope="row",
        ),
        # The value is the cell's own text (bold by the column's class), the period below it.
        lean.html.Td(
            [r.latest_text, lean.html.Span(r.latest_period or "", className="period")],
            className="latest",
        ),
        lean.html.Td(baseline, className="baseline"),
        change_cell(
            r.change,
            *([lean.html.Span(r.category_change, className="period")] if coded else []),
            class_name="change",
        ),
        lean.html.Td(_development(view, r), className="development"),
    ]
    if not view.is_region:
        cells.append(lean.html.Td(r.county_text, className="county"))
    cells.append(lean.html.Td(r.nation_text, className="nation"))
    cells.append(lean.html.Td(r.target_text, className="target"))
    if not view.is_region:
        cells.append(lean.html.Td(lean.html.Small(r.rank_text), className="rank"))
    return lean.html.Tr(cells, **{"data-indicator": ind.id, "data-change": r.change.value})


def _development(view: KommunView, r: KommunIndicator) -> object:
    known = [(y, v) for y, v in r.development if v is not None]
    if len(known) < 2:
        return lean.html.Span("–", className="muted")
    ind = r.indicator
    alt = (
        f"{view.area_name} {known[0][0]}–{known[-1][0]}: "
        f"{format_value(known[0][1], ind.decimals, ind.unit)} till "
        f"{format_value(known[-1][1], ind.decimals, ind.unit)}"
    )
    return sparkline([v for _, v in r.development], alt, r.change, tooltip=False)


@download_source("kommun")
def download_frame(code: str) -> pd.DataFrame | None:
    """The page's table as numbers, built when someone clicks "Ladda ner"."""
    view = kommun_view(context.store(), str(code))
    return None if view is None else _frame(view)


def _frame(view: KommunView) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Område": view.area_name,
                "Områdeskod": view.area_code,
                "Indikator": r.indicator.id,
                "Indikatornamn": r.indicator.short_title,
                "Enhet": r.indicator.unit,
                "Senaste period": r.latest_period or "",
                "Senaste värde": r.latest.value if r.latest else None,
                "Visas som": r.latest_text,
                "Basår": r.baseline_period or "",
                "Basvärde": r.baseline_text,
                "Förändring": change_text(r.change),
                "Länet": r.county_text,
                "Riket": r.nation_text,
                "Mål": r.target_text,
                "Bland de 13": r.rank_text,
            }
            for r in view.rows()
        ]
    )
