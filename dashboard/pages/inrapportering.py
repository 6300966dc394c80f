"""Inrapportering: who has delivered what. For one period, a matrix of the indicators × the 13
kommuner and the county, each cell inlämnad, sekretess, försenad, väntas, saknas or ej
förväntad, with a summary per kommun and per indicator, what is late, and the whole as Excel
for reminders. No value is shown: only whether it is there.

Every choice lives in the query string (?period=2025&strategi=2&matomrade=…&strategigrupp=…
&lamnas_av=kommunerna); one callback owns selection ↔ URL in both directions, as on Jämförelse."""

from datetime import date, datetime
from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, ctx, dcc, html

from dashboard import context
from dashboard.components import lean
from dashboard.components.delivery import STATE_CLASS, late_list, legend
from dashboard.components.interactive.downloads import (
    download_bar,
    download_data_id,
    download_source,
    source_payload,
)
from dashboard.components.source_note import source_note
from dashboard.components.tables import scroll_region
from dashboard.ids import Inrapportering as Ids
from indicators.reads.cache import cached_query
from indicators.reads.completeness import (
    completeness,
    completeness_frames,
    default_period,
    swedish_time,
)
from indicators.reads.models import Completeness, DeliveryCell, DeliveryState
from indicators.reads.queries import Store, catalogue_tree, strategigrupper
from indicators.settings import get_settings
from indicators.vocabulary.deadlines import STOCKHOLM, swedish_today
from indicators.vocabulary.domain import Deliverer
from indicators.vocabulary.formatting import format_date

H = lean.html

dash.register_page(
    __name__,
    path="/inrapportering",
    name="Inrapportering",
    title="Inrapportering – Tillsammans 2021–2030",
    description="Vem har lämnat in vad: inlämnat, saknas, sekretess eller inte förväntat.",
    order=55,
    nav=True,
)

ALL = "alla"


def period_choices() -> list[str]:
    """The years from the baseline year to this year, newest first."""
    this_year = swedish_today().year
    first = min(get_settings().baseline_year, this_year - 1)
    return [str(y) for y in range(this_year, first - 1, -1)]


def _options() -> dict[str, list[dict]]:
    store = context.store()
    tree = catalogue_tree(store)
    return {
        "period": [{"label": p, "value": p} for p in period_choices()],
        "strategi": [{"label": "Alla strategier", "value": ALL}]
        + [{"label": f"Strategi {s.number}: {s.title}", "value": str(s.number)} for s in tree],
        "matomrade": [{"label": "Alla mätområden", "value": ALL}]
        + [
            {"label": f"S{s.number}: {ma.title}", "value": ma.id}
            for s in tree
            for ma in s.matomraden
        ],
        "strategigrupp": [{"label": "Alla strategigrupper", "value": ALL}]
        + [{"label": name, "value": gid} for gid, name in strategigrupper(store)],
        "lamnas_av": [{"label": "Alla", "value": ALL}]
        + [{"label": d.label, "value": d.value} for d in Deliverer],
    }


PARAMS = ("period", "strategi", "matomrade", "strategigrupp", "lamnas_av")


def _selection(query: dict[str, str], options: dict[str, list[dict]]) -> tuple[str, ...]:
    """Unknown values in a hand-written link fall back to the default rather than failing."""

    def pick(name: str, fallback: str) -> str:
        raw = query.get(name)
        return raw if raw in {o["value"] for o in options[name]} else fallback

    return (pick("period", default_period(swedish_today())), *(pick(p, ALL) for p in PARAMS[1:]))


def _select(id_: str, label: str, options: list[dict], value: str, name: str) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=id_),
            dbc.Select(id=id_, options=options, value=value, name=name),
        ],
        className="control",
    )


def layout(**query: str) -> html.Div:
    options = _options()
    period, strategy, matomrade, group, deliverer = _selection(query, options)
    return html.Div(
        className="page inrapportering",
        children=[
            dcc.Location(id=Ids.URL, refresh=False),
            html.H1("Inrapportering"),
            html.P(
                "Vem har lämnat in vad: för varje kommun, länet och indikator om periodens "
                "värde finns, saknas, är dolt av sekretesskäl eller inte förväntas. Sidan "
                "visar inga värden, bara om de finns. Mått som kommunerna eller regionen "
                "lämnar in själva har en sista inlämningsdag; det som saknas efter den är "
                "försenat.",
                className="lead",
            ),
            html.Section(
                className="controls comparison-controls delivery-controls",
                **{"aria-label": "Val för inrapporteringen"},
                children=[
                    _select(Ids.PERIOD, "Period", options["period"], period, "period"),
                    _select(Ids.STRATEGY, "Strategi", options["strategi"], strategy, "strategi"),
                    _select(
                        Ids.MATOMRADE, "Mätområde", options["matomrade"], matomrade, "matomrade"
                    ),
                    _select(
                        Ids.GROUP,
                        "Strategigrupp",
                        options["strategigrupp"],
                        group,
                        "strategigrupp",
                    ),
                    _select(
                        Ids.DELIVERER, "Lämnas in av", options["lamnas_av"], deliverer, "lamnas_av"
                    ),
                ],
            ),
            html.P(id=Ids.STATUS, role="status", className="muted"),
            html.Div(
                download_bar(
                    "inrapportering",
                    png_graph_id=None,
                    filename="inrapportering",
                    label="Ladda ner inrapporteringen (påminnelser)",
                ),
                className="page-actions",
            ),
            html.Div(id=Ids.CONTENT),
        ],
    )


@callback(
    Output(Ids.PERIOD, "value"),
    Output(Ids.STRATEGY, "value"),
    Output(Ids.MATOMRADE, "value"),
    Output(Ids.GROUP, "value"),
    Output(Ids.DELIVERER, "value"),
    Output(Ids.CONTENT, "children"),
    Output(Ids.STATUS, "children"),
    Output(download_data_id("inrapportering"), "data"),
    Output(Ids.URL, "search"),
    Input(Ids.PERIOD, "value"),
    Input(Ids.STRATEGY, "value"),
    Input(Ids.MATOMRADE, "value"),
    Input(Ids.GROUP, "value"),
    Input(Ids.DELIVERER, "value"),
    Input(Ids.URL, "search"),
)
def update_view(
    period: str | None,
    strategy: str | None,
    matomrade: str | None,
    group: str | None,
    deliverer: str | None,
    search: str | None,
) -> tuple:
    """A control writes the URL; the URL (a link, back, forward) sets the controls."""
    options = _options()
    if ctx.triggered_id in (Ids.URL, None):
        query = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
    else:
        query = dict(zip(PARAMS, (period, strategy, matomrade, group, deliverer), strict=True))
        query = {k: v for k, v in query.items() if v is not None}
    chosen = _selection(query, options)
    period, strategy, matomrade, group, deliverer = chosen
    kept = {k: v for k, v in zip(PARAMS, chosen, strict=True) if v != ALL}
    new_search = f"?{urlencode(kept)}"
    url = dash.no_update if ctx.triggered_id in (Ids.URL, None) else new_search
    content, status, payload = _rendered(context.store(), chosen, swedish_today())
    return (*chosen, content, status, payload, url)


# The same for every reader until the data changes: the matrix and its status line are built
# once per selection, day and data version, not once per visit. The download is built when
# someone clicks (its sheets were half the cold callback): the page carries the selection.
@cached_query(maxsize=32)
def _rendered(store: Store, chosen: tuple[str, ...], today: date) -> tuple[list, str, dict]:
    matrix = _completeness(store, chosen, today)
    kept = {k: v for k, v in zip(PARAMS, chosen, strict=True) if v != ALL}
    payload = source_payload(
        "inrapportering",
        filename="-".join(["inrapportering", *(v for v in chosen if v != ALL)]),
        query=f"?{urlencode(kept)}",
    )
    return _content(matrix), _status(matrix), payload


def _completeness(store: Store, chosen: tuple[str, ...], today: date) -> Completeness:
    period, strategy, matomrade, group, deliverer = chosen
    return completeness(
        store,
        period,
        today=today,
        strategy=None if strategy == ALL else int(strategy),
        matomrade=None if matomrade == ALL else matomrade,
        strategigrupp=None if group == ALL else group,
        delivered_by=None if deliverer == ALL else Deliverer(deliverer),
    )


@download_source("inrapportering")
def download_frames(query: str) -> dict[str, pd.DataFrame]:
    """The reminder sheets of the selection in `query` (the page's own query string) as of
    today; unknown values fall back as in a hand-written link."""
    parsed = {k: v[-1] for k, v in parse_qs(query.lstrip("?")).items()}
    chosen = _selection(parsed, _options())
    return completeness_frames(_completeness(context.store(), chosen, swedish_today()))


def _status(c: Completeness) -> str:
    n = len(c.indicators)
    if not n:
        return f"Inga indikatorer för {c.period} med det valet ({c.selection})."
    return (
        f"{c.period}: {n} indikator{'er' if n != 1 else ''} ({c.selection}), "
        f"{c.total.sentence(c.period).lower()}; {c.total.late} försenade. "
        f"Försening bedöms på dagens datum, {format_date(c.today)}."
    )


def _content(c: Completeness) -> list:
    if not c.indicators:
        return [
            html.P(
                "Inga indikatorer matchar valet. Välj en annan strategi, ett annat mätområde, "
                "en annan strategigrupp eller alla som lämnar in.",
                className="muted",
            )
        ]
    return [
        html.Section(
            className="delivery-late",
            **{"aria-labelledby": Ids.LATE_HEADING},
            children=[
                html.H2(f"Försenat för {c.period}", id=Ids.LATE_HEADING),
                late_list(c.late, list_id=Ids.LATE, period=c.period),
            ],
        ),
        html.Section(
            className="delivery-legend-section",
            **{"aria-labelledby": Ids.LEGEND_HEADING},
            children=[
                html.H2("Teckenförklaring", id=Ids.LEGEND_HEADING),
                legend(Ids.LEGEND),
            ],
        ),
        html.Section(
            className="delivery-matrix-section",
            **{"aria-labelledby": Ids.MATRIX_HEADING},
            children=[
                html.H2(f"Inlämnat per indikator och område, {c.period}", id=Ids.MATRIX_HEADING),
                scroll_region(_matrix(c), labelledby=Ids.MATRIX_HEADING),
                source_note(c.provenance),
            ],
        ),
        html.Section(
            className="delivery-summary",
            **{"aria-labelledby": Ids.SUMMARY_HEADING},
            children=[
                html.H2("Per kommun och länet", id=Ids.SUMMARY_HEADING),
                html.Ul(
                    [
                        html.Li(
                            [
                                html.Strong(f"{a.name}: "),
                                _tally_words(c, a.code),
                            ],
                            **{"data-area": a.code},
                        )
                        for a in c.areas
                    ],
                    id=Ids.SUMMARY,
                    className="delivery-summary-list",
                ),
            ],
        ),
    ]


def _tally_words(c: Completeness, code: str) -> str:
    t = c.by_area[code]
    parts = [t.sentence(c.period)]
    if t.late:
        parts.append(f"{t.late} försenade")
    if t.suppressed:
        parts.append(f"{t.suppressed} med sekretess")
    return ", ".join(parts) + "."


def _matrix(c: Completeness) -> html.Table:
    head = html.Tr(
        [
            html.Th("Indikator", scope="col", className="indicator"),
            html.Th("Sista dag", scope="col"),
            *[
                html.Th(
                    html.Span("Länet" if a.code == c.areas[-1].code else a.name),
                    scope="col",
                    className="area",
                    title=a.name,
                )
                for a in c.areas
            ],
            html.Th("Inlämnade", scope="col", className="num"),
            html.Th("Senast inläst", scope="col"),
        ]
    )
    body = []
    for ind in c.indicators:
        tally = c.by_indicator[ind.id]
        due = c.cell(ind.id, c.areas[0].code).due
        body.append(
            H.Tr(
                [
                    H.Th(
                        [
                            lean.link(ind.short_title, f"/indikator/{ind.id}"),
                            H.Span(f" {ind.delivered_by.label}", className="ind-meta")
                            if ind.delivered_by is not Deliverer.SOURCE
                            else None,
                        ],
                        scope="row",
                        className="indicator",
                    ),
                    H.Td(due.isoformat() if due else "–", className="due"),
                    *[_cell(c.cell(ind.id, a.code), ind.short_title, a.name) for a in c.areas],
                    H.Td(f"{tally.delivered} av {tally.expected}", className="num"),
                    H.Td(_day(tally.last_import), className="imported"),
                ],
                **{"data-indicator": ind.id},
            )
        )
    foot = html.Tr(
        [
            html.Th("Inlämnade per område", scope="row", colSpan=2),
            *[
                html.Td(
                    html.Span(f"{c.by_area[a.code].delivered} av {c.by_area[a.code].expected}"),
                    className="num",
                    title=c.by_area[a.code].sentence(c.period),
                    **{"data-area": a.code},
                )
                for a in c.areas
            ],
            html.Td(f"{c.total.delivered} av {c.total.expected}", className="num"),
            html.Td(_day(c.total.last_import), className="imported"),
        ]
    )
    key = ", ".join(s.label for s in DeliveryState)
    return html.Table(
        [
            html.Caption(f"Inrapportering {c.period}, {c.selection}. {key}."),
            html.Thead(head),
            html.Tbody(body),
            html.Tfoot(foot),
        ],
        className="data-table delivery-matrix",
        id=Ids.MATRIX,
    )


def _cell(cell: DeliveryCell, indicator: str, area: str) -> lean.Element:
    # Up to a thousand cells of three elements each: made lean (dashboard.components.lean).
    details = [f"{area} – {indicator}: {cell.state.value}"]
    if cell.reason:
        details.append(cell.reason)
    if cell.imported_at is not None and cell.state.delivered:
        details.append(f"inläst {swedish_time(cell.imported_at)} (svensk tid)")
    if cell.due is not None and not cell.state.delivered and cell.state.expected:
        details.append(f"sista dag {format_date(cell.due)}")
    return lean.html.Td(
        [
            lean.html.Span(cell.state.symbol, **{"aria-hidden": "true"}),
            lean.html.Span(cell.state.value, className="visually-hidden"),
        ],
        className=f"delivery-cell {STATE_CLASS[cell.state]}",
        title=", ".join(details),
        **{"data-area": cell.area_code, "data-state": STATE_CLASS[cell.state]},
    )


def _day(moment: datetime | None) -> str:
    """The date in Swedish time, written as Swedish tables write dates: 2026-04-02."""
    return moment.astimezone(STOCKHOLM).date().isoformat() if moment is not None else "–"
