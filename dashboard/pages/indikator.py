"""Indikator: one page per indicator — definition, source and unit, then the time series for the
county, Riket and the kommuner the reader picks. The selection lives in the URL."""

from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import context
from dashboard.components.figures import coded_grid, no_data_figure, time_series
from dashboard.components.tables import series_table
from dashboard.ids import Indikator as Ids
from indicators.domain import (
    COUNTY_CODE,
    NATION_CODE,
    AreaKind,
    AreaLevel,
    Gender,
    ObservationStatus,
    ValueKind,
)
from indicators.queries import IndicatorDetail, county_areas, indicator_detail, indicator_series

dash.register_page(
    __name__,
    path_template="/indikator/<indicator_id>",
    name="Indikator",
    title=lambda indicator_id=None: f"Indikator {indicator_id or ''} – Tillsammans 2021–2030",
    description="En indikator: definition, källa och tidsserie per kommun.",
    nav=False,
)

GENDER_LABELS = {Gender.TOTAL: "Totalt", Gender.WOMEN: "Kvinnor", Gender.MEN: "Män"}
GRAPH_CONFIG = {
    "displaylogo": False,
    "locale": "sv",
    # Plotly's share and Chart Studio buttons would send the data to plotly.com.
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "plotlyServerURL": "",
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def _kommuner() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in county_areas(context.store()) if a.kind is AreaKind.KOMMUN]


def parse_kommuner(raw: str | None, known: list[str]) -> list[str]:
    """`?kommuner=0680,0604`; no parameter means all 13, `ingen` means none."""
    if raw is None:
        return list(known)
    wanted = {c.strip() for c in raw.split(",")}
    return [c for c in known if c in wanted]


def layout(
    indicator_id: str | None = None,
    kommuner: str | None = None,
    kon: str | None = None,
    **_other: str,
) -> html.Div:
    detail = indicator_detail(context.store(), indicator_id) if indicator_id else None
    if detail is None:
        return html.Div(
            className="page",
            children=[
                html.H1("Indikatorn finns inte"),
                html.P(f"Ingen indikator med id {indicator_id!r} finns i katalogen."),
                dcc.Link("Till alla indikatorer", href="/indikatorer"),
            ],
        )
    options = _kommuner()
    selected = parse_kommuner(kommuner, [c for c, _ in options])
    gender = _gender(kon, detail.by_gender)
    regional_only = detail.summary.area_level is AreaLevel.REGION
    return html.Div(
        className="page indikator",
        children=[
            dcc.Location(id=Ids.URL, refresh=False),
            dcc.Store(id=Ids.INDICATOR, data=detail.summary.id),
            html.P(dcc.Link("← Översikt", href="/"), className="breadcrumb"),
            html.H1(detail.summary.title, className="indicator-title"),
            _definition(detail),
            html.Section(
                className="controls",
                **{"aria-label": "Val för diagrammet"},
                children=[
                    html.Fieldset(
                        [
                            html.Legend("Kommuner i diagrammet"),
                            html.Div(
                                [
                                    html.Button(
                                        "Alla", id=Ids.ALLA, className="btn-small", type="button"
                                    ),
                                    html.Button(
                                        "Inga", id=Ids.INGA, className="btn-small", type="button"
                                    ),
                                ],
                                className="button-row",
                            ),
                            dbc.Checklist(
                                id=Ids.KOMMUNER,
                                options=[{"label": name, "value": code} for code, name in options],
                                value=selected,
                                inline=True,
                                className="kommun-checklist",
                            ),
                        ],
                        hidden=regional_only,
                    ),
                    html.P(
                        "Indikatorn redovisas för regioner och riket, inte per kommun.",
                        className="muted",
                    )
                    if regional_only
                    else None,
                    html.Fieldset(
                        [
                            html.Legend("Kön"),
                            dbc.RadioItems(
                                id=Ids.GENDER,
                                name="kon",
                                options=[
                                    {"label": GENDER_LABELS[g], "value": g.value} for g in Gender
                                ],
                                value=gender,
                                inline=True,
                            ),
                        ],
                        hidden=not detail.by_gender,
                    ),
                ],
            ),
            html.Section(
                className="chart",
                **{"aria-label": "Diagram"},
                children=dcc.Graph(
                    id=Ids.GRAPH,
                    config=GRAPH_CONFIG,
                    className="figure",
                    style={"height": "560px"},
                ),
            ),
            html.Section(
                className="table-section",
                **{"aria-label": "Tabell"},
                children=[
                    html.H2("Tabell", id="tabell-rubrik"),
                    # Focusable so keyboard users can scroll a wide table sideways.
                    html.Div(
                        id=Ids.TABLE,
                        className="table-scroll",
                        tabIndex="0",
                        role="region",
                        **{"aria-labelledby": "tabell-rubrik"},
                    ),
                ],
            ),
        ],
    )


def _definition(d: IndicatorDetail) -> html.Section:
    s = d.summary
    rows: list[tuple[str, object]] = [
        ("Definition", d.description),
        ("Enhet", s.unit),
        ("Typ av värde", s.value_kind.label),
        ("Riktning", s.direction.label),
    ]
    if d.numerator:
        rows.append(("Täljare", d.numerator))
    if d.denominator:
        rows.append(("Nämnare", d.denominator))
    if d.codes:
        rows.append(("Svarsalternativ", ", ".join(f"{label} = {code}" for code, label in d.codes)))
    rows += [
        ("Källa", f"{s.source} ({d.source_id})" if d.source_id else s.source),
        (
            "Redovisas för",
            {
                "kommun": "kommuner, län och riket",
                "region": "regioner och riket",
                "all": "kommuner, regioner och riket",
            }[s.area_level.value],
        ),
        ("Könsuppdelad", "Ja" if d.by_gender else "Nej"),
        ("Mätområden", "; ".join(f"Strategi {n}: {title}" for n, _, title in d.placements)),
    ]
    if s.strategigrupper:
        rows.append(("Strategigrupper", ", ".join(s.strategigrupper)))
    rows.append(("Senast uppdaterad", _updated(d)))
    return html.Section(
        className="definition",
        **{"aria-label": "Om indikatorn"},
        children=html.Dl([item for k, v in rows for item in (html.Dt(k), html.Dd(v))]),
    )


def _updated(d: IndicatorDetail) -> str:
    if d.last_updated is None:
        return "Inga värden inlästa ännu"
    sources = ", ".join(d.batches)
    return f"{d.last_updated:%Y-%m-%d} ({sources})"


@callback(
    Output(Ids.KOMMUNER, "value"),
    Output(Ids.GENDER, "value"),
    Output(Ids.GRAPH, "figure"),
    Output(Ids.TABLE, "children"),
    Output(Ids.URL, "search"),
    Input(Ids.KOMMUNER, "value"),
    Input(Ids.GENDER, "value"),
    Input(Ids.ALLA, "n_clicks"),
    Input(Ids.INGA, "n_clicks"),
    Input(Ids.URL, "search"),
    State(Ids.INDICATOR, "data"),
    State(Ids.KOMMUNER, "options"),
)
def update_view(
    kommuner: list[str] | None,
    gender: str,
    _all: int | None,
    _none: int | None,
    search: str | None,
    indicator_id: str,
    options: list[dict],
) -> tuple:
    """One callback owns the selection in both directions: a control writes the URL, and the
    URL (back, forward) sets the controls, so the view always matches the address."""
    store = context.store()
    detail = indicator_detail(store, indicator_id)
    if detail is None:
        raise dash.exceptions.PreventUpdate
    order = [o["value"] for o in options]
    trigger = ctx.triggered_id
    if trigger == Ids.URL:
        query = _parse_search(search)
        chosen = parse_kommuner(query.get("kommuner"), order)
        gender = _gender(query.get("kon"), detail.by_gender)
    elif trigger == Ids.ALLA:
        chosen = list(order)
    elif trigger == Ids.INGA:
        chosen = []
    else:
        chosen = [c for c in order if c in set(kommuner or [])]
    figure, table = _view(detail, chosen, Gender(gender))
    new_search = _search(chosen, order, gender, detail.by_gender)
    url = dash.no_update if trigger == Ids.URL else new_search
    return chosen, gender, figure, table, url


def _parse_search(search: str | None) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}


def _gender(raw: str | None, by_gender: bool) -> str:
    return raw if by_gender and raw in {g.value for g in Gender} else Gender.TOTAL.value


def _view(detail: IndicatorDetail, chosen: list[str], gender: Gender) -> tuple:
    s = detail.summary
    frame = indicator_series(context.store(), s.id, [NATION_CODE, COUNTY_CODE, *chosen], gender)
    if not (frame["status"] == ObservationStatus.OK).any():
        message = "Inga värden är inlästa för indikatorn och de valda områdena."
        return no_data_figure(s, message), html.P(message, className="muted")
    note = _source_note(detail)
    codes = dict(detail.codes)
    if s.value_kind is ValueKind.CODED:
        figure = coded_grid(frame, s, codes, note)
    else:
        figure = time_series(frame, s, note)
    caption = f"{s.short_title} ({s.unit}), {GENDER_LABELS[gender].lower()}"
    table = series_table(
        frame, caption=caption, decimals=s.decimals, codes=codes or None, table_id=Ids.DATA_TABLE
    )
    return figure, table


def _search(chosen: list[str], order: list[str], gender: str, by_gender: bool) -> str:
    params: dict[str, str] = {}
    if chosen != order:
        params["kommuner"] = ",".join(chosen) if chosen else "ingen"
    if by_gender and gender != Gender.TOTAL:
        params["kon"] = gender
    return f"?{urlencode(params, safe=',')}" if params else ""


def _source_note(d: IndicatorDetail) -> str:
    source = f"Källa: {d.summary.source}" + (f" ({d.source_id})" if d.source_id else "")
    updated = f" · Uppdaterad {d.last_updated:%Y-%m-%d}" if d.last_updated else ""
    demo = " · Exempeldata" if d.has_demo_data else ""
    return source + updated + demo
