"""Indikator: one page per indicator — definition, source and unit; the time series for the
county, Riket and the kommuner the reader picks, with the target line; the kommuner side by side
for one period (bars with uncertainty, a map, kvinnor and män); the table; analyses and targets.
Every selection (kommuner, kön, period) lives in the URL."""

from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard import context
from dashboard.components.figures import coded_grid, no_data_figure, time_series
from dashboard.components.figures.base import GRAPH_CONFIG, kommun_colour
from dashboard.components.figures.gender_split import gender_split
from dashboard.components.figures.kommun_map import TOPOJSON_ASSET_FOLDER, kommun_map
from dashboard.components.figures.ranking import Ranking, gap_text, ranking_bars, ranking_data
from dashboard.components.figures.targetline import TargetLine, add_target_lines
from dashboard.components.tables import series_table
from dashboard.ids import Indikator as Ids
from indicators.analyses import AnalysisError, add_analysis, analyses_for, delete_analysis
from indicators.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaKind,
    AreaLevel,
    Gender,
    ObservationStatus,
    ValueKind,
)
from indicators.formatting import format_date, format_value
from indicators.geography import kommun_geojson
from indicators.queries import (
    IndicatorDetail,
    IndicatorSummary,
    county_areas,
    indicator_detail,
    indicator_series,
)
from indicators.settings import get_settings
from indicators.targets import (
    TargetError,
    TargetInfo,
    applicable_target,
    delete_target,
    set_target,
    target_status,
    targets_for,
)

dash.register_page(
    __name__,
    path_template="/indikator/<indicator_id>",
    name="Indikator",
    title=lambda indicator_id=None: f"Indikator {indicator_id or ''} – Tillsammans 2021–2030",
    description="En indikator: definition, källa och tidsserie per kommun.",
    nav=False,
)

GENDER_LABELS = {Gender.TOTAL: "Totalt", Gender.WOMEN: "Kvinnor", Gender.MEN: "Män"}
DEFAULT_TARGET_YEAR = 2030  # the strategy's horizon
MAX_OWN_TARGET_LINES = 3  # more kommun-specific target lines than this would bury the series


def _warm_up() -> None:
    """Build each kind of trace once when the app starts: plotly loads its validators lazily and
    the map outlines are read from disk on first use, which would otherwise cost the first
    reader about a second."""
    kommun_geojson()
    fig = go.Figure([go.Scatter(), go.Bar(), go.Choropleth(), go.Scattergeo(), go.Heatmap()])
    fig.update_layout(title={"text": "", "subtitle": {"text": ""}}, geo={"visible": False})
    fig.add_shape(type="line", x0=0, x1=1, y0=0, y1=1)
    fig.add_annotation(text="")
    fig.to_plotly_json()


_warm_up()


def _kommuner() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in county_areas(context.store()) if a.kind is AreaKind.KOMMUN]


def parse_kommuner(raw: str | None, known: list[str]) -> list[str]:
    """`?kommuner=0680,0604`; no parameter means all 13, `ingen` means none."""
    if raw is None:
        return list(known)
    wanted = {c.strip() for c in raw.split(",")}
    return [c for c in known if c in wanted]


def parse_period(raw: str | None, periods: list[str]) -> str | None:
    """`?period=2023`; no parameter (or one without data) means the latest period."""
    if raw in periods:
        return raw
    return periods[-1] if periods else None


def _periods(detail: IndicatorDetail) -> list[str]:
    """Periods in which the county, Riket or any kommun has a value, oldest first."""
    frame = indicator_series(
        context.store(), detail.summary.id, [NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES]
    )
    ok = frame[frame["status"] == ObservationStatus.OK]
    return sorted(set(ok["period"]))


def _has_kommun_view(detail: IndicatorDetail) -> bool:
    return detail.summary.area_level is not AreaLevel.REGION


def layout(
    indicator_id: str | None = None,
    kommuner: str | None = None,
    kon: str | None = None,
    period: str | None = None,
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
    s = detail.summary
    options = _kommuner()
    selected = parse_kommuner(kommuner, [c for c, _ in options])
    gender = _gender(kon, detail.by_gender)
    periods = _periods(detail)
    chosen_period = parse_period(period, periods)
    regional_only = not _has_kommun_view(detail)
    coded = s.value_kind is ValueKind.CODED
    area_options = [{"label": "Hela länet", "value": ""}] + [
        {"label": name, "value": code} for code, name in options
    ]
    map_config = {**GRAPH_CONFIG, "topojsonURL": dash.get_asset_url(TOPOJSON_ASSET_FOLDER)}
    return html.Div(
        className="page indikator",
        children=[
            dcc.Location(id=Ids.URL, refresh=False),
            dcc.Store(id=Ids.INDICATOR, data=s.id),
            dcc.Store(id=Ids.TARGET_REVISION, data=0),
            dcc.Store(id=Ids.ANALYSIS_REVISION, data=0),
            html.P(dcc.Link("← Översikt", href="/"), className="breadcrumb"),
            html.H1(s.title, className="indicator-title"),
            _definition(detail),
            html.Section(
                className="controls",
                **{"aria-label": "Val för diagrammen"},
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
                    html.Fieldset(
                        [
                            html.Legend("Period"),
                            html.Label(
                                "Jämför kommunerna år", htmlFor=Ids.PERIOD, className="field-label"
                            ),
                            dbc.Select(
                                id=Ids.PERIOD,
                                options=[{"label": p, "value": p} for p in reversed(periods)],
                                value=chosen_period,
                                className="period-select",
                            ),
                        ],
                        hidden=not periods,
                    ),
                ],
            ),
            html.P(id=Ids.TARGET_SUMMARY, className="target-summary", **{"aria-live": "polite"}),
            html.Section(
                className="chart",
                **{"aria-label": "Diagram över tid"},
                children=dcc.Graph(
                    id=Ids.GRAPH,
                    config=GRAPH_CONFIG,
                    className="figure",
                    style={"height": "560px"},
                ),
            ),
            html.Section(
                className="analyses",
                **{"aria-labelledby": "analyser-rubrik"},
                children=[
                    html.H2("Analyser", id="analyser-rubrik"),
                    html.Div(id=Ids.ANALYSES),
                    _analysis_form(area_options),
                ],
            ),
            html.Section(
                className="chart ranking-section",
                hidden=regional_only or coded,
                **{"aria-labelledby": "rangordning-rubrik"},
                children=[
                    html.H2("Kommunerna jämförda", id="rangordning-rubrik"),
                    html.P(
                        "Jämförelsen är ett sammanhang, inte ett betyg: små kommuner har breda "
                        "osäkerhetsintervall, och skillnader inom intervallen kan vara slump.",
                        className="muted",
                    ),
                    dcc.Graph(id=Ids.RANKING, config=GRAPH_CONFIG, className="figure"),
                    html.Div(
                        id=Ids.RANKING_TABLE,
                        className="table-scroll",
                        tabIndex="0",
                        role="region",
                        **{"aria-label": "Kommunerna jämförda, tabell"},
                    ),
                ],
            ),
            html.Section(
                className="chart map-section",
                hidden=regional_only,
                **{"aria-labelledby": "karta-rubrik"},
                children=[
                    html.H2("Karta", id="karta-rubrik"),
                    dcc.Graph(id=Ids.MAP, config=map_config, className="figure"),
                ],
            ),
            html.Section(
                className="chart gender-section",
                hidden=not detail.by_gender,
                **{"aria-labelledby": "kon-rubrik"},
                children=[
                    html.H2("Uppdelat på kön", id="kon-rubrik"),
                    dcc.Graph(id=Ids.GENDER_SPLIT, config=GRAPH_CONFIG, className="figure"),
                ],
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
            html.Section(
                className="targets",
                **{"aria-labelledby": "mal-rubrik"},
                children=[
                    html.H2("Målvärden", id="mal-rubrik"),
                    html.Div(id=Ids.TARGET_LIST),
                    _target_form(detail, area_options),
                ],
            ),
        ],
    )


def _field(label: str, control: object, field_id: str, hint: str = "") -> html.Div:
    # dbc inputs take no aria-describedby, so the hint is part of the label and is read with it
    return html.Div(
        [
            html.Label(
                [label, html.Span(hint, className="field-hint") if hint else None],
                htmlFor=field_id,
                className="field-label",
            ),
            control,
        ],
        className="form-field",
    )


def _target_form(detail: IndicatorDetail, area_options: list[dict]) -> html.Details:
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
                    _field(
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
                    _field(
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
                    _field(
                        "Målet gäller",
                        dbc.Select(id=Ids.TARGET_AREA, options=area_options, value=""),
                        Ids.TARGET_AREA,
                    ),
                    _field(
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


def _analysis_form(area_options: list[dict]) -> html.Details:
    return html.Details(
        className="edit-form",
        children=[
            html.Summary("Skriv en analys för vald period"),
            _field(
                "Analys (högst 2 000 tecken)",
                dbc.Textarea(id=Ids.ANALYSIS_TEXT, rows=4, maxLength=2000),
                Ids.ANALYSIS_TEXT,
            ),
            _field(
                "Analysen gäller",
                dbc.Select(id=Ids.ANALYSIS_AREA, options=area_options, value=""),
                Ids.ANALYSIS_AREA,
            ),
            html.Button("Spara analys", id=Ids.ANALYSIS_SAVE, type="button", className="btn-save"),
            html.Div(id=Ids.ANALYSIS_MESSAGE, role="status", className="form-message"),
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
    return f"{format_date(d.last_updated)} ({sources})"


@callback(
    Output(Ids.KOMMUNER, "value"),
    Output(Ids.GENDER, "value"),
    Output(Ids.PERIOD, "value"),
    Output(Ids.GRAPH, "figure"),
    Output(Ids.TABLE, "children"),
    Output(Ids.URL, "search"),
    Input(Ids.KOMMUNER, "value"),
    Input(Ids.GENDER, "value"),
    Input(Ids.PERIOD, "value"),
    Input(Ids.ALLA, "n_clicks"),
    Input(Ids.INGA, "n_clicks"),
    Input(Ids.URL, "search"),
    Input(Ids.TARGET_REVISION, "data"),
    State(Ids.INDICATOR, "data"),
    State(Ids.KOMMUNER, "options"),
    State(Ids.PERIOD, "options"),
)
def update_view(
    kommuner: list[str] | None,
    gender: str,
    period: str | None,
    _all: int | None,
    _none: int | None,
    search: str | None,
    _targets_changed: int,
    indicator_id: str,
    options: list[dict],
    period_options: list[dict] | None,
) -> tuple:
    """One callback owns the selection in both directions: a control writes the URL, and the
    URL (back, forward) sets the controls, so the view always matches the address. It draws
    what depends on the chosen kommuner; update_period_view draws what depends on the period."""
    store = context.store()
    detail = indicator_detail(store, indicator_id)
    if detail is None:
        raise dash.exceptions.PreventUpdate
    order = [o["value"] for o in options]
    periods = sorted(o["value"] for o in period_options or [])
    trigger = ctx.triggered_id
    current = (list(kommuner or []), gender, period)
    if trigger == Ids.URL:
        query = _parse_search(search)
        chosen = parse_kommuner(query.get("kommuner"), order)
        gender = _gender(query.get("kon"), detail.by_gender)
        period = parse_period(query.get("period"), periods)
    elif trigger == Ids.ALLA:
        chosen = list(order)
    elif trigger == Ids.INGA:
        chosen = []
    else:
        chosen = [c for c in order if c in set(kommuner or [])]
    period = parse_period(period, periods)
    if trigger == Ids.PERIOD:
        # the period changes only the views below, which update_period_view draws
        figure, table = dash.no_update, dash.no_update
    else:
        figure, table = _series_view(detail, chosen, Gender(gender))
    new_search = _search(chosen, order, gender, detail.by_gender, period, periods)
    # Only a change of selection makes a new history entry; the URL itself, or a saved target,
    # leaves the address as it is.
    url = new_search if trigger in _SELECTION_INPUTS else dash.no_update
    # Controls are written back only when they differ, so that the period views are not
    # redrawn for a change of kommuner.
    wanted = (chosen, gender, period)
    outputs = [v if v != c else dash.no_update for v, c in zip(wanted, current, strict=True)]
    if trigger == Ids.ALLA or trigger == Ids.INGA:
        outputs[0] = chosen
    return (*outputs, figure, table, url)


_SELECTION_INPUTS = {Ids.KOMMUNER, Ids.GENDER, Ids.PERIOD, Ids.ALLA, Ids.INGA}


@callback(
    Output(Ids.RANKING, "figure"),
    Output(Ids.RANKING_TABLE, "children"),
    Output(Ids.MAP, "figure"),
    Output(Ids.GENDER_SPLIT, "figure"),
    Output(Ids.TARGET_SUMMARY, "children"),
    Output(Ids.ANALYSES, "children"),
    Output(Ids.TARGET_LIST, "children"),
    Input(Ids.PERIOD, "value"),
    Input(Ids.GENDER, "value"),
    Input(Ids.TARGET_REVISION, "data"),
    Input(Ids.ANALYSIS_REVISION, "data"),
    State(Ids.INDICATOR, "data"),
)
def update_period_view(
    period: str | None,
    gender: str,
    _targets_changed: int,
    _analyses_changed: int,
    indicator_id: str,
) -> tuple:
    """The 13 kommuner in one period: ranking, map, kvinnor och män; target status, analyses
    and the list of targets."""
    detail = indicator_detail(context.store(), indicator_id)
    if detail is None:
        raise dash.exceptions.PreventUpdate
    return _period_view(detail, Gender(gender or Gender.TOTAL), period)


def _parse_search(search: str | None) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}


def _gender(raw: str | None, by_gender: bool) -> str:
    return raw if by_gender and raw in {g.value for g in Gender} else Gender.TOTAL.value


def _year(period: str | None) -> int | None:
    return int(period[:4]) if period else None


NO_VALUES = "Inga värden är inlästa för indikatorn och de valda områdena."


def _series_view(detail: IndicatorDetail, chosen: list[str], gender: Gender) -> tuple:
    """The time series (with target lines) and the table of the chosen areas."""
    s = detail.summary
    store = context.store()
    frame = indicator_series(store, s.id, [NATION_CODE, COUNTY_CODE, *chosen], gender)
    if not (frame["status"] == ObservationStatus.OK).any():
        return no_data_figure(s, NO_VALUES), html.P(NO_VALUES, className="muted")
    note = _source_note(detail)
    codes = dict(detail.codes)
    if s.value_kind is ValueKind.CODED:
        figure = coded_grid(frame, s, codes, note)
    else:
        figure = time_series(frame, s, note)
        latest = sorted(frame.loc[frame["status"] == ObservationStatus.OK, "period"])[-1]
        lines = _series_targets(targets_for(store, s.id), chosen, _year(latest), s)
        add_target_lines(figure, lines, axis="y")
    caption = f"{s.short_title} ({s.unit}), {GENDER_LABELS[gender].lower()}"
    table = series_table(
        frame, caption=caption, decimals=s.decimals, codes=codes or None, table_id=Ids.DATA_TABLE
    )
    return figure, table


def _period_view(detail: IndicatorDetail, gender: Gender, period: str | None) -> tuple:
    s = detail.summary
    store = context.store()
    targets = targets_for(store, s.id)
    target_list = _target_list(targets, s.decimals, s.unit)
    analyses = _analyses(s.id, period)
    every = indicator_series(
        store, s.id, [NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES], gender=None
    )
    frame = every[every["gender"] == gender]
    summary = _summary_text(detail, frame, period, targets)
    empty = _empty_figure()
    if period is None or not (frame["status"] == ObservationStatus.OK).any():
        return empty, None, empty, empty, summary, analyses, target_list
    note = _source_note(detail)
    codes = dict(detail.codes)
    ranking_fig, ranking_table, map_fig, gender_fig = empty, None, empty, empty
    if _has_kommun_view(detail):
        if s.value_kind is not ValueKind.CODED:
            ranking = ranking_data(frame, s, period)
            county_target = applicable_target(targets, None, _year(period) or 0)
            lines = [_line(county_target, s)] if county_target else []
            ranking_fig = ranking_bars(ranking, s, note, lines)
            ranking_table = _ranking_table(ranking, detail, targets)
        map_fig = kommun_map(frame, s, period, kommun_geojson(), note, codes or None)
    if detail.by_gender:
        split = every[
            every["gender"].isin([Gender.WOMEN, Gender.MEN])
            & (every["area_code"] != NATION_CODE)
            & (every["period"] == period)
        ]
        if not split.empty:
            gender_fig = gender_split(split, s, period, note)
    return ranking_fig, ranking_table, map_fig, gender_fig, summary, analyses, target_list


def _empty_figure() -> dict:
    """A figure for a hidden section: nothing to draw, nothing to fetch."""
    return {"data": [], "layout": {"height": 10}}


def _line(
    target: TargetInfo, s: IndicatorSummary, prefix: str = "", colour: str | None = None
) -> TargetLine:
    label = f"{prefix}{target.label(s.decimals, s.unit)}"
    return TargetLine(target.value, label, colour) if colour else TargetLine(target.value, label)


def _series_targets(
    targets: list[TargetInfo], chosen: list[str], year: int | None, s: IndicatorSummary
) -> list[TargetLine]:
    """The county's target ahead of the latest period, and the own targets of up to three
    chosen kommuner (more would bury the lines they belong to)."""
    if year is None:
        return []
    lines = []
    county = applicable_target(targets, None, year)
    if county is not None:
        lines.append(_line(county, s))
    own = [c for c in chosen if any(t.area_code == c for t in targets)]
    if len(own) <= MAX_OWN_TARGET_LINES:
        for code in own:
            target = applicable_target(targets, code, year)
            if target is not None:
                lines.append(_line(target, s, f"{target.area_name}: ", kommun_colour(code)))
    return lines


def _summary_text(
    detail: IndicatorDetail, frame: pd.DataFrame, period: str | None, targets: list[TargetInfo]
) -> list:
    """'Region Jönköpings län 2024: 67,4 % · Mål 2030: 90,0 % · ✗ ej uppnått' — words and a
    symbol, never colour alone."""
    s = detail.summary
    if period is None:
        return []
    target = applicable_target(targets, None, _year(period) or 0)
    if target is None:
        return [
            "Inget målvärde är satt för länet. Analytiker kan sätta ett under ",
            html.A("Målvärden", href="#mal-rubrik"),
            ".",
        ]
    county = frame[(frame["area_code"] == COUNTY_CODE) & (frame["period"] == period)]
    value = None
    if not county.empty and county.iloc[0]["status"] == ObservationStatus.OK:
        value = float(county.iloc[0]["value"])
    status = target_status(value, target.value, s.direction, s.decimals)
    shown = format_value(value, s.decimals, s.unit) if value is not None else "inget värde"
    name = county.iloc[0]["area_name"] if not county.empty else "Länet"
    return [
        f"{name} {period}: {shown} · {target.label(s.decimals, s.unit)} · ",
        html.Strong(status.label, className=f"goal-status goal-{status.name.lower()}"),
    ]


def _ranking_table(ranking: Ranking, detail: IndicatorDetail, targets: list[TargetInfo]) -> list:
    s = detail.summary
    year = _year(ranking.period) or 0
    with_targets = bool(targets)

    def fmt(v: float | None) -> str:
        return format_value(v, s.decimals, "")

    head = ["Kommun", f"Värde ({s.unit})"]
    if ranking.has_intervals:
        head.append("95 % osäkerhetsintervall")
    if with_targets:
        head.append("Mot målvärdet")
    rows = []
    for code, name, value, low, high in ranking.bars.itertuples(index=False):
        cells = [html.Th(name, scope="row"), html.Td(fmt(value), className="num value")]
        if ranking.has_intervals:
            cells.append(
                html.Td(f"{fmt(low)}–{fmt(high)}" if pd.notna(low) else "", className="num")
            )
        if with_targets:
            target = applicable_target(targets, code, year)
            status = target_status(value, target.value if target else None, s.direction, s.decimals)
            cells.append(html.Td(status.label, className="goal-status"))
        rows.append(html.Tr(cells, **{"data-area": code}))
    for code, name, label in ranking.gaps:
        cells = [html.Th(name, scope="row"), html.Td(label, className="num value status")]
        cells += [html.Td("")] * (len(head) - 2)
        rows.append(html.Tr(cells, **{"data-area": code}))
    for name, value in (
        (ranking.county_name, ranking.county),
        (ranking.nation_name, ranking.nation),
    ):
        if name:
            cells = [html.Th(name, scope="row"), html.Td(fmt(value) or "saknas", className="num")]
            cells += [html.Td("")] * (len(head) - 2)
            rows.append(html.Tr(cells, className="reference"))
    children: list = [
        html.Table(
            [
                html.Caption(f"{s.short_title}, kommunerna {ranking.period}"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
            className="data-table ranking-table",
            id=f"{Ids.RANKING_TABLE}-data",
        ),
        html.P(ranking.note, className="muted note"),
    ]
    if ranking.gaps:
        children.append(html.P(gap_text(ranking), className="muted note"))
    return children


def _analyses(indicator_id: str, period: str | None) -> list:
    if period is None:
        return [
            html.P("Inga värden, och därför inga analyser, för indikatorn ännu.", className="muted")
        ]
    found = analyses_for(context.store(), indicator_id, period=period)
    if not found:
        return [html.P(f"Ingen analys är skriven för {period}.", className="muted")]
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
                html.Button(
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


def _target_list(targets: list[TargetInfo], decimals: int, unit: str) -> object:
    if not targets:
        return html.P("Inga målvärden är satta.", className="muted")
    rows = [
        html.Tr(
            [
                html.Th(t.area_name, scope="row"),
                html.Td(str(t.year)),
                html.Td(format_value(t.value, decimals, unit), className="num"),
                html.Td(t.note),
                html.Td(f"{t.set_by}, {format_date(t.set_at)}" if t.set_at else t.set_by),
                html.Td(
                    html.Button(
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


def _errors(messages: list[str]) -> html.Div:
    return html.Div(
        [html.P("Kunde inte sparas:"), html.Ul([html.Li(m) for m in messages])],
        className="form-error",
        role="alert",
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
    """Save or remove a target; the store validates and answers in Swedish."""
    trigger = ctx.triggered_id
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        # delete buttons appearing in a redrawn list fire with n_clicks None
        raise dash.exceptions.PreventUpdate
    store = context.store()
    if isinstance(trigger, dict):
        area_code, raw_year = str(trigger["index"]).split("|")
        delete_target(store, indicator_id, area_code or None, int(raw_year))
        return html.P("Målvärdet togs bort."), (revision or 0) + 1, dash.no_update
    try:
        saved = set_target(
            store,
            indicator_id,
            area or None,
            "" if year is None else year,
            value or "",
            note or "",
            get_settings().user,
        )
    except TargetError as error:
        return _errors(error.messages), dash.no_update, dash.no_update
    detail = indicator_detail(store, indicator_id)
    shown = saved.label(detail.summary.decimals, detail.summary.unit) if detail else saved.value
    return html.P(f"Sparat: {shown} för {saved.area_name}."), (revision or 0) + 1, ""


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
def edit_analyses(
    _save: int | None,
    _deletes: list[int | None],
    text: str | None,
    area: str | None,
    period: str | None,
    indicator_id: str,
    revision: int,
) -> tuple:
    trigger = ctx.triggered_id
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        raise dash.exceptions.PreventUpdate
    store = context.store()
    if isinstance(trigger, dict):
        delete_analysis(store, int(trigger["index"]))
        return html.P("Analysen togs bort."), (revision or 0) + 1, dash.no_update
    try:
        saved = add_analysis(
            store, indicator_id, period or "", text or "", get_settings().user, area or None
        )
    except AnalysisError as error:
        return _errors(error.messages), dash.no_update, dash.no_update
    return (
        html.P(f"Analysen för {saved.area_name} {saved.period} är sparad."),
        (revision or 0) + 1,
        "",
    )


def _search(
    chosen: list[str],
    order: list[str],
    gender: str,
    by_gender: bool,
    period: str | None,
    periods: list[str],
) -> str:
    params: dict[str, str] = {}
    if chosen != order:
        params["kommuner"] = ",".join(chosen) if chosen else "ingen"
    if by_gender and gender != Gender.TOTAL:
        params["kon"] = gender
    if period is not None and periods and period != periods[-1]:
        params["period"] = period
    return f"?{urlencode(params, safe=',')}" if params else ""


def _source_note(d: IndicatorDetail) -> str:
    source = f"Källa: {d.summary.source}" + (f" ({d.source_id})" if d.source_id else "")
    updated = f" · Uppdaterad {format_date(d.last_updated)}" if d.last_updated else ""
    demo = " · Exempeldata" if d.has_demo_data else ""
    return source + updated + demo
