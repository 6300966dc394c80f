"""Indikator: one page per indicator — definition, source and unit; the time series for the
county, Riket and the kommuner the reader picks, with the target line; the kommuner side by side
for one period (bars with uncertainty, a map, kvinnor and män); one kommun among its similar
kommuner across Sweden; the table; analyses and targets. Every selection (kommuner, kön, period)
lives in the URL; the kommun of the similar-kommuner section is read from ?liknande=0604 but a
choice there is not written back, since update_view owns the address. The page holds the
layout and the callbacks that draw the charts; the parts live in dashboard/components/ and the
address in _indikator_selection.py."""

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import MissingCallbackContextException

from dashboard import context
from dashboard.components.activity_list import activities_for_indicator_section
from dashboard.components.figures import coded_grid, no_data_figure, time_series
from dashboard.components.figures.base import GRAPH_CONFIG
from dashboard.components.figures.gender_split import gender_split
from dashboard.components.figures.kommun_map import TOPOJSON_ASSET_FOLDER, kommun_map
from dashboard.components.figures.ranking import ranking_bars
from dashboard.components.indicator_controls import selection_controls
from dashboard.components.indicator_definition import definition_section
from dashboard.components.interactive.analyses_section import analyses_section, analysis_list
from dashboard.components.interactive.downloads import (
    download_bar,
    download_data_id,
    download_source,
    source_payload,
)
from dashboard.components.interactive.target_form import target_list, targets_section
from dashboard.components.ranking_table import ranking_table
from dashboard.components.selection import chosen_kommun, keep_carried
from dashboard.components.similar_section import (
    similar_content,
    similar_controls,
    similar_section,
)
from dashboard.components.source_note import source_note_text
from dashboard.components.tables import scroll_region, series_table, table_section
from dashboard.components.target_progress import (
    period_year,
    series_target_lines,
    target_line,
    target_summary,
)
from dashboard.ids import Indikator as Ids
from dashboard.pages._indikator_selection import (
    parse_gender,
    parse_kommuner,
    parse_period,
    parse_search,
    selection_search,
)
from indicators.catalogue.geography import kommun_geojson
from indicators.reads.followup.yearly_series import yearly_series
from indicators.reads.models import IndicatorDetail
from indicators.reads.plans import activities_for_indicator
from indicators.reads.queries import county_areas, indicator_detail, indicator_series
from indicators.reads.ranking import ranking_data
from indicators.reads.similar import similar_view
from indicators.reads.targets import applicable_target, targets_for
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaKind,
    AreaLevel,
    Gender,
    ObservationStatus,
    ValueKind,
)
from indicators.vocabulary.formatting import scale_note, title_without_scale
from indicators.vocabulary.periods import sorted_labels

dash.register_page(
    __name__,
    path_template="/indikator/<indicator_id>",
    name="Indikator",
    title=lambda indicator_id=None: f"Indikator {indicator_id or ''} – Tillsammans 2021–2030",
    description="En indikator: definition, källa och tidsserie per kommun.",
    nav=False,
)


def _kommuner() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in county_areas(context.store()) if a.kind is AreaKind.KOMMUN]


def _periods(detail: IndicatorDetail) -> list[str]:
    """Periods in which the county, Riket or any kommun has a value, oldest first."""
    frame = yearly_series(
        context.store(), detail.summary.id, (NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES)
    )
    ok = frame[frame["status"] == ObservationStatus.OK]
    return sorted_labels(set(ok["period"]))


def _address_search() -> dict[str, str]:
    """The address's query as the browser has it (the page router's input). The page's own
    dcc.Location starts equal to it, so it reports no change when it mounts: such a change
    would call update_view a second time as the page opens."""
    try:
        search = ctx.inputs.get("_pages_location.search")
    except MissingCallbackContextException:
        return {}
    return {"search": search} if isinstance(search, str) else {}


def _has_kommun_view(detail: IndicatorDetail) -> bool:
    return detail.summary.area_level is not AreaLevel.REGION


def layout(
    indicator_id: str | None = None,
    kommuner: str | None = None,
    kon: str | None = None,
    period: str | None = None,
    liknande: str | None = None,
    kommun: str | None = None,
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
    periods = _periods(detail)
    selected = parse_kommuner(kommuner, [c for c, _ in options])
    gender = parse_gender(kon, detail.by_gender)
    # The chart over time comes with the page, not from update_view as it opens: the period
    # views and the similar kommuner take update_view's outputs as inputs, so Dash held them
    # back until its answer had been drawn (a second and more of the page's load).
    figure, table, data = _series_outputs(detail, selected, gender, chosen_kommun(kommun))
    regional_only = not _has_kommun_view(detail)
    coded = s.value_kind is ValueKind.CODED
    area_options = [{"label": "Hela länet", "value": ""}] + [
        {"label": name, "value": code} for code, name in options
    ]
    map_config = {**GRAPH_CONFIG, "topojsonURL": dash.get_asset_url(TOPOJSON_ASSET_FOLDER)}
    return html.Div(
        className="page indikator",
        children=[
            dcc.Location(id=Ids.URL, refresh=False, **_address_search()),
            dcc.Store(id=Ids.INDICATOR, data=s.id),
            dcc.Store(id=Ids.TARGET_REVISION, data=0),
            dcc.Store(id=Ids.ANALYSIS_REVISION, data=0),
            html.P(dcc.Link("← Översikt", href="/"), className="breadcrumb"),
            html.H1(s.short_title, className="indicator-title"),
            html.P(title_without_scale(s.title), className="lead indicator-full-title")
            if title_without_scale(s.title) != s.short_title
            else None,
            html.P(scale_note(s.unit, detail.codes), className="scale-note"),
            definition_section(detail),
            selection_controls(
                options,
                selected=selected,
                gender=gender,
                by_gender=detail.by_gender,
                periods=periods,
                period=parse_period(period, periods),
                regional_only=regional_only,
            ),
            html.P(id=Ids.TARGET_SUMMARY, className="target-summary", **{"aria-live": "polite"}),
            download_bar(
                "indikator",
                png_graph_id=Ids.GRAPH.value,
                filename=f"indikator-{s.id}",
                source=data,
                label="Ladda ner indikatorns värden",
            ),
            html.Section(
                className="chart",
                **{"aria-label": "Diagram över tid"},
                children=dcc.Graph(
                    id=Ids.GRAPH,
                    figure=figure,
                    config=GRAPH_CONFIG,
                    className="figure",
                    style={"height": "560px"},
                ),
            ),
            analyses_section(area_options),
            activities_for_indicator_section(s.id, activities_for_indicator(context.store(), s.id)),
            html.Section(
                className="chart ranking-section",
                hidden=regional_only or coded,
                **{"aria-labelledby": Ids.RANKING_HEADING},
                children=[
                    html.H2("Kommunerna jämförda", id=Ids.RANKING_HEADING),
                    html.P(
                        "Jämförelsen är ett sammanhang, inte ett betyg: små kommuner har breda "
                        "osäkerhetsintervall, och skillnader inom intervallen kan vara slump.",
                        className="muted",
                    ),
                    dcc.Graph(id=Ids.RANKING, config=GRAPH_CONFIG, className="figure"),
                    scroll_region(region_id=Ids.RANKING_TABLE, label="Kommunerna jämförda, tabell"),
                ],
            ),
            html.Section(
                className="chart map-section",
                hidden=regional_only,
                **{"aria-labelledby": Ids.MAP_HEADING},
                children=[
                    html.H2("Karta", id=Ids.MAP_HEADING),
                    dcc.Graph(id=Ids.MAP, config=map_config, className="figure"),
                ],
            ),
            html.Section(
                className="chart gender-section",
                hidden=not detail.by_gender,
                **{"aria-labelledby": Ids.GENDER_HEADING},
                children=[
                    html.H2("Uppdelat på kön", id=Ids.GENDER_HEADING),
                    dcc.Graph(id=Ids.GENDER_SPLIT, config=GRAPH_CONFIG, className="figure"),
                ],
            ),
            similar_section(
                Ids.SIMILAR_HEADING,
                similar_controls(
                    Ids.SIMILAR_KOMMUN,
                    "Kommun",
                    [{"label": name, "value": code} for code, name in options],
                    # The kommun chosen across pages, unless the section names its own.
                    _similar_kommun(
                        liknande or chosen_kommun(kommun), kommuner, [c for c, _ in options]
                    ),
                ),
                Ids.SIMILAR_TEXT,
                Ids.SIMILAR_GRAPH,
                Ids.SIMILAR_TABLE,
                hidden=regional_only,
            ),
            table_section("Tabell", Ids.TABLE_HEADING, Ids.TABLE, table),
            targets_section(detail, area_options),
        ],
    )


# Alla and Inga set the checklist in the browser, at once; update_view then draws and writes the
# address as for any other change of the checklist.
dash.clientside_callback(
    """function(_all, _none, options) {
        const trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id;
        if (trigger === "ALLA.n_clicks") { return (options || []).map(o => o.value); }
        if (trigger === "INGA.n_clicks") { return []; }
        return window.dash_clientside.no_update;
    }""".replace("ALLA", Ids.ALLA).replace("INGA", Ids.INGA),
    Output(Ids.KOMMUNER, "value", allow_duplicate=True),
    Input(Ids.ALLA, "n_clicks"),
    Input(Ids.INGA, "n_clicks"),
    State(Ids.KOMMUNER, "options"),
    prevent_initial_call=True,
)


@callback(
    Output(Ids.GRAPH, "figure"),
    Output(Ids.TABLE, "children"),
    Output(download_data_id("indikator"), "data"),
    Output(Ids.URL, "search"),
    Output(Ids.KOMMUNER, "value"),
    Output(Ids.GENDER, "value"),
    Output(Ids.PERIOD, "value"),
    Input(Ids.KOMMUNER, "value"),
    Input(Ids.GENDER, "value"),
    Input(Ids.PERIOD, "value"),
    Input(Ids.TARGET_REVISION, "data"),
    Input(Ids.URL, "search"),
    State(Ids.INDICATOR, "data"),
    State(Ids.KOMMUNER, "options"),
    State(Ids.PERIOD, "options"),
    # The page comes with what it draws for the address it was opened at (layout).
    prevent_initial_call=True,
)
def update_view(
    kommuner: list[str] | None,
    gender: str,
    period: str | None,
    _targets_changed: int,
    search: str | None,
    indicator_id: str,
    options: list[dict],
    period_options: list[dict] | None,
) -> tuple:
    """One callback owns the selection in both directions: a control writes the address, and an
    address that comes back (back, forward) sets the controls. It draws what depends on the
    chosen kommuner; update_period_view draws what depends on the period.

    One callback, because a loop through two (controls → address → controls) made Dash hold a
    change the reader made while the call before it ran, waiting for that call's dropped
    answer: the click was lost."""
    store = context.store()
    detail = indicator_detail(store, indicator_id)
    if detail is None:
        raise dash.exceptions.PreventUpdate
    order = [o["value"] for o in options]
    periods = sorted_labels(o["value"] for o in period_options or [])
    trigger = ctx.triggered_id
    current = ([c for c in order if c in set(kommuner or [])], gender, period)
    if trigger == Ids.URL:
        query = parse_search(search)
        chosen = parse_kommuner(query.get("kommuner"), order)
        gender = parse_gender(query.get("kon"), detail.by_gender)
        period = parse_period(query.get("period"), periods)
    else:
        chosen = current[0]
    period = parse_period(period, periods)
    if trigger == Ids.PERIOD:
        # the period changes only the views below, which update_period_view draws
        figure, table, data = dash.no_update, dash.no_update, dash.no_update
    else:
        highlight = chosen_kommun(parse_search(search).get("kommun"))
        figure, table, data = _series_outputs(detail, chosen, gender, highlight)
    new_search = keep_carried(
        selection_search(chosen, order, gender, detail.by_gender, period, periods), search
    )
    # Only a change of selection makes a new history entry; a saved target or the address
    # itself leave the address as it is. The controls are written only when the address set
    # them to something else.
    changed = trigger in _SELECTION_INPUTS and new_search != (search or "")
    url = new_search if changed else dash.no_update
    controls = tuple(
        v if trigger == Ids.URL and v != c else dash.no_update
        for v, c in zip((chosen, gender, period), current, strict=True)
    )
    return (figure, table, data, url, *controls)


_SELECTION_INPUTS = {Ids.KOMMUNER, Ids.GENDER, Ids.PERIOD}


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


def _similar_kommun(wanted: str | None, kommuner: str | None, order: list[str]) -> str:
    """The kommun named by ?liknande=, else the first kommun of a chosen few, else Jönköping."""
    if wanted in order:
        return str(wanted)
    chosen = parse_kommuner(kommuner, order) if kommuner is not None else []
    return chosen[0] if chosen else "0680"


@callback(
    Output(Ids.SIMILAR_TEXT, "children"),
    Output(Ids.SIMILAR_GRAPH, "figure"),
    Output(Ids.SIMILAR_TABLE, "children"),
    Input(Ids.SIMILAR_KOMMUN, "value"),
    Input(Ids.GENDER, "value"),
    Input(Ids.PERIOD, "value"),
    State(Ids.INDICATOR, "data"),
)
def update_similar(
    kommun: str | None, gender: str | None, period: str | None, indicator_id: str
) -> tuple:
    """The chosen kommun among its similar kommuner across Sweden, for the page's gender and
    period (the latest with the group's values when the group has none in that period)."""
    store = context.store()
    detail = indicator_detail(store, indicator_id)
    if detail is None or not kommun or not _has_kommun_view(detail):
        raise dash.exceptions.PreventUpdate
    view = similar_view(store, indicator_id, kommun, gender or Gender.TOTAL, period)
    if view is None:
        raise dash.exceptions.PreventUpdate
    return similar_content(view, detail)


@download_source("indikator")
def download_frame(indicator: str, kommuner: list[str], gender: str) -> pd.DataFrame | None:
    """The values of the chosen areas as numbers (CSV and Excel), one row per area and period;
    the parameters come from the browser, so only known kommuner and genders count."""
    detail = indicator_detail(context.store(), str(indicator))
    if detail is None or not isinstance(kommuner, list):
        return None
    chosen = [c for c, _ in _kommuner() if c in {str(k) for k in kommuner}]
    return _download_table(detail, chosen, Gender(parse_gender(gender, detail.by_gender)))


def _download_table(detail: IndicatorDetail, chosen: list[str], gender: Gender) -> pd.DataFrame:
    s = detail.summary
    frame = indicator_series(context.store(), s.id, [NATION_CODE, COUNTY_CODE, *chosen], gender)
    codes = dict(detail.codes)
    shown = frame["status"] == ObservationStatus.OK
    table = pd.DataFrame(
        {
            "Indikator": s.id,
            "Indikatornamn": s.short_title,
            "Område": frame["area_name"],
            "Områdeskod": frame["area_code"],
            "Period": frame["period"],
            "Kön": Gender(gender).label,
            "Värde": frame["value"].where(shown),
            "Enhet": s.unit,
            "Svar": [
                codes.get(int(v), "") if ok and codes else ""
                for v, ok in zip(frame["value"], shown, strict=True)
            ],
            "Täljare": frame["numerator"].where(shown),
            "Nämnare": frame["denominator"].where(shown),
            "Status": [ObservationStatus(st).label for st in frame["status"]],
        }
    )
    if not codes:
        table = table.drop(columns=["Svar"])
    return table


NO_VALUES = "Inga värden är inlästa för indikatorn och de valda områdena."


def _series_outputs(
    detail: IndicatorDetail, chosen: list[str], gender: str, highlight: str | None
) -> tuple:
    """The chart over time, its table and the download's selection, for the page as it opens
    and for update_view."""
    figure, table = _series_view(detail, chosen, Gender(gender), highlight)
    # The file is built when someone clicks: the page carries only the selection.
    data = source_payload(
        "indikator",
        filename=f"indikator-{detail.summary.id}",
        indicator=detail.summary.id,
        kommuner=chosen,
        gender=str(gender),
    )
    return figure, table, data


def _series_view(
    detail: IndicatorDetail, chosen: list[str], gender: Gender, highlight: str | None = None
) -> tuple:
    """The time series (with target lines) and the table of the chosen areas; the chosen kommun
    (`highlight`) stands out against the others in grey."""
    s = detail.summary
    store = context.store()
    frame = yearly_series(store, s.id, (NATION_CODE, COUNTY_CODE, *chosen), gender)
    if not (frame["status"] == ObservationStatus.OK).any():
        return no_data_figure(s, NO_VALUES), html.P(NO_VALUES, className="muted")
    note = source_note_text(detail.provenance)
    codes = dict(detail.codes)
    if s.value_kind is ValueKind.CODED:
        figure = coded_grid(frame, s, codes, note)
    else:
        latest = sorted_labels(frame.loc[frame["status"] == ObservationStatus.OK, "period"])[-1]
        lines = series_target_lines(targets_for(store, s.id), chosen, period_year(latest), s)
        figure = time_series(frame, s, note, targets=lines, highlight=highlight)
    caption = f"{s.short_title}, {Gender(gender).label.lower()}"
    table = series_table(
        frame, caption=caption, decimals=s.decimals, codes=codes or None, table_id=Ids.DATA_TABLE
    )
    return figure, table


def _period_view(detail: IndicatorDetail, gender: Gender, period: str | None) -> tuple:
    s = detail.summary
    store = context.store()
    targets = targets_for(store, s.id)
    listed_targets = target_list(targets, s.decimals, s.unit)
    analyses = analysis_list(s.id, period)
    every = indicator_series(
        store, s.id, [NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES], gender=None
    )
    frame = every[every["gender"] == gender]
    summary = target_summary(detail, frame, period, targets)
    empty = _empty_figure()
    if period is None or not (frame["status"] == ObservationStatus.OK).any():
        return empty, None, empty, empty, summary, analyses, listed_targets
    note = source_note_text(detail.provenance)
    codes = dict(detail.codes)
    ranking_fig, ranking_rows, map_fig, gender_fig = empty, None, empty, empty
    if _has_kommun_view(detail):
        if s.value_kind is not ValueKind.CODED:
            ranking = ranking_data(frame, s, period)
            county_target = applicable_target(targets, None, period_year(period) or 0)
            lines = [target_line(county_target, s)] if county_target else []
            ranking_fig = ranking_bars(ranking, s, note, lines)
            ranking_rows = ranking_table(ranking, detail, targets)
        map_fig = kommun_map(frame, s, period, kommun_geojson(), note, codes or None)
    if detail.by_gender:
        split = every[
            every["gender"].isin([Gender.WOMEN, Gender.MEN])
            & (every["area_code"] != NATION_CODE)
            & (every["period"] == period)
        ]
        if not split.empty:
            gender_fig = gender_split(split, s, period, note)
    return ranking_fig, ranking_rows, map_fig, gender_fig, summary, analyses, listed_targets


def _empty_figure() -> dict:
    """A figure for a hidden section: nothing to draw, nothing to fetch."""
    return {"data": [], "layout": {"height": 10}}
