"""Mötesläge's indicator slides: the chart in large type; beside it the county's value and change
since the baseline year, the target in words and symbol, the county against Riket in words and
how the 13 kommuner spread (best, median, worst, named). An analysis written for the county's
latest period follows on a slide of its own, so a long text never pushes the chart off screen."""

import re
from functools import partial

import pandas as pd
from dash import MATCH, Input, Output, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import context
from dashboard.components.change_words import CHANGE_SYMBOL
from dashboard.components.figures import coded_grid, no_data_figure, time_series
from dashboard.components.figures.base import STILL_GRAPH_CONFIG
from dashboard.components.source_note import source_note_text
from dashboard.components.tables import opened_first_time, series_table
from dashboard.components.target_progress import target_line
from dashboard.ids import Moteslage as Ids
from dashboard.pages._moteslage_activities import activity_slides
from dashboard.pages._moteslage_frame import MakeSlide, Slide, page_kicker, ready
from indicators.reads.analyses import analyses_for
from indicators.reads.cache import cached_query
from indicators.reads.followup.baseline import development_table, indicator_development_table
from indicators.reads.followup.kommun import followup_areas
from indicators.reads.followup.plain_words import (
    signed_difference,
    spread_words,
    target_words,
    versus_nation_words,
)
from indicators.reads.followup.yearly_series import yearly_series
from indicators.reads.models import Development, IndicatorDetail, TargetInfo, tally_codes
from indicators.reads.queries import Store, indicator_detail
from indicators.reads.targets import applicable_target, targets_for
from indicators.settings import get_settings
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaLevel,
    Direction,
    ObservationStatus,
    PeriodType,
    ValueKind,
)
from indicators.vocabulary.formatting import format_date, format_value
from indicators.vocabulary.trends import Certainty, Change

# Why a visible change is called oförändrat, or that noise could not be judged (the one rule).
CERTAINTY_NOTE = {
    Certainty.WITHIN: " (inom osäkerheten)",
    Certainty.UNKNOWN: " (osäkerheten okänd)",
}
# About eight lines of analysis at the deck's type; a longer text continues on the next slide.
ANALYSIS_CHARS = 900

# The same figures, with type that reads across a meeting room; merged into the layout before
# the figure is made (an update_layout afterwards costs as much as building the chart).
SCREEN_STYLE = {
    "font": {"size": 22},
    "title": {"font": {"size": 28}, "subtitle": {"font": {"size": 20, "color": "#333"}}},
    "legend": {"font": {"size": 18}},
    "hoverlabel": {"font": {"size": 20}},
    # Every year a label would crowd a 1366 px screen; upright ones every few years read better.
    "xaxis": {"nticks": 6, "tickangle": 0},
    "autosize": True,
    "height": None,  # the slide sizes the chart
}


def county_development(detail: IndicatorDetail) -> Development | None:
    """The county's latest year against its own baseline year: the one judgement every page
    reads (indicators.reads.followup.baseline.development_table)."""
    if detail.period_type is not PeriodType.YEAR:
        return None
    store, baseline = context.store(), get_settings().baseline_year
    table = development_table(store, baseline)
    if detail.summary.id not in table.latest:  # not in the catalogue: judged alone, same rule
        table = indicator_development_table(store, detail.summary.id, baseline)
    return table.development(detail.summary.id, COUNTY_CODE)


def indicator_slides(d: IndicatorDetail) -> list[MakeSlide]:
    """The view's slides, each made when it is shown: the chart slide reads the indicator's
    series and draws its figure, so a deck makes it only on its own step (a deck of several
    indicators would otherwise read and draw them all for every step); the analysis and
    activity slides after it are made here, since their number depends on their text."""
    after = [*_analysis_slides(d, county_development(d)), *activity_slides(d)]
    return [partial(chart_slide, context.store(), d.summary.id), *(ready(a) for a in after)]


@cached_query(maxsize=32)
def chart_slide(store: Store, indicator_id: str) -> Slide:
    """The indicator's chart slide (the deck's step for it may be rendered again and again)."""
    d = indicator_detail(store, indicator_id)
    if d is None:
        raise LookupError(indicator_id)
    s = d.summary
    regional = s.area_level is AreaLevel.REGION
    areas = (NATION_CODE, COUNTY_CODE, *(() if regional else COUNTY_KOMMUN_CODES))
    # Small numbers are already suppressed by the query.
    frame = yearly_series(store, s.id, areas)
    dev = county_development(d)
    targets = targets_for(store, s.id)
    target = (
        applicable_target(targets, COUNTY_CODE, dev.latest.year)
        if dev is not None and dev.latest is not None
        else None
    )
    source = source_note_text(d.provenance)
    codes = dict(d.codes)
    has_values = bool((frame["status"] == ObservationStatus.OK).any())
    if not has_values:
        figure = no_data_figure(s, "Inga värden är inlästa för indikatorn.", style=SCREEN_STYLE)
    elif s.value_kind is ValueKind.CODED:
        figure = coded_grid(frame, s, codes, source, style=SCREEN_STYLE, cell_font_size=14)
    else:
        # Thirteen lines are unreadable on a shared screen: the slide draws the county against
        # Riket, and the kommuner stay in the table under it.
        # Counts are sums, and Riket's would flatten the county to a line at zero.
        drawn = [COUNTY_CODE] if s.value_kind is ValueKind.COUNT else [NATION_CODE, COUNTY_CODE]
        totals = frame[frame["area_code"].isin(drawn)]
        lines = [target_line(target, s)] if target is not None else None
        figure = time_series(totals, s, source, targets=lines, style=SCREEN_STYLE)
    kicker = "; ".join(f"Strategi {n}: {title}" for n, _, title in d.placements) or "Indikator"
    side = (
        _coded_headline(frame, codes)
        if s.value_kind is ValueKind.CODED and not regional
        else _headline(d, dev, codes)
    )
    slide = Slide(
        title=s.short_title,
        kicker=kicker,
        heading=s.title,
        kind="indicator",
        provenance=d.provenance,
        body=[
            html.Div(
                className="slide-body",
                children=[
                    html.Div(
                        className="slide-chart",
                        children=[
                            dcc.Graph(
                                id=Ids.GRAPH,
                                figure=figure,
                                config={**STILL_GRAPH_CONFIG, "responsive": True},
                                className="figure",
                                style={"height": "100%", "minHeight": "0"},
                            ),
                        ],
                    ),
                    html.Div(
                        className="slide-side",
                        children=[side, _facts(d, dev, target, frame)],
                    ),
                ],
            ),
            # The table is fetched when it is opened (a click, or Enter on the summary): a
            # deck's tables would otherwise be built and sent, closed, with every slide.
            html.Details(
                [
                    html.Summary("Visa som tabell", id={"type": Ids.TABLE_OPEN, "key": s.id}),
                    html.Div(
                        html.P("Tabellen hämtas …", className="muted"),
                        id={"type": Ids.TABLE, "key": s.id},
                        className="table-scroll",
                        tabIndex="0",
                        role="region",
                        **{"aria-label": f"Tabell: {s.short_title}"},
                    ),
                ],
                className="slide-table",
            )
            if has_values
            else None,
        ],
    )
    return slide


def _table(d: IndicatorDetail) -> html.Table:
    s = d.summary
    regional = s.area_level is AreaLevel.REGION
    areas = (NATION_CODE, COUNTY_CODE, *(() if regional else COUNTY_KOMMUN_CODES))
    return series_table(
        yearly_series(context.store(), s.id, areas),
        caption=f"{s.short_title} ({s.unit})",
        decimals=s.decimals,
        codes=dict(d.codes) or None,
        table_id=f"{Ids.TABLE}-{s.id}",
    )


@callback(
    Output({"type": Ids.TABLE, "key": MATCH}, "children"),
    Input({"type": Ids.TABLE_OPEN, "key": MATCH}, "n_clicks"),
    prevent_initial_call=True,
)
def fill_table(clicks: int | None) -> object:
    """A slide's table, the first time it is opened."""
    detail = indicator_detail(context.store(), opened_first_time(clicks))
    if detail is None:
        raise PreventUpdate
    return _table(detail)


def _facts(
    d: IndicatorDetail, dev: Development | None, target: TargetInfo | None, frame: pd.DataFrame
) -> html.Ul | None:
    """Target, Riket and the kommuner's spread in words, each a line of its own."""
    s = d.summary
    latest = dev.latest if dev is not None else None
    items: list = []
    if latest is not None and latest.value is not None:
        said = target_words(latest.value, target, s)
        if said is not None:
            status, words = said
            items.append(html.Li(words, className=f"slide-target target-{status.name.lower()}"))
        values = _values_in(frame, latest.year)
        nation = values.get(NATION_CODE)
        versus = versus_nation_words(latest.value, nation, s)
        if versus is not None:
            items.append(
                html.Li(f"Länet ligger {versus} ({latest.year}).", className="slide-versus")
            )
    if s.area_level is not AreaLevel.REGION and latest is not None:
        names = dict(followup_areas(context.store()))
        values = _values_in(frame, latest.year)
        spread = spread_words(((names.get(c, c), values.get(c)) for c in COUNTY_KOMMUN_CODES), s)
        if spread is not None:
            items.append(
                html.Li(
                    f"Kommunerna {latest.year}: {spread.text}.",
                    className="slide-spread",
                )
            )
    return html.Ul(items, className="slide-facts") if items else None


def _values_in(frame: pd.DataFrame, year: int) -> dict[str, float]:
    """area → shown value in `year` (the frame is already suppressed)."""
    shown = frame[frame["status"] == ObservationStatus.OK]
    return {
        str(area): float(value)
        for area, start, value in zip(
            shown["area_code"], shown["period_start"], shown["value"], strict=True
        )
        if start.year == year
    }


def code_counts(frame: pd.DataFrame, codes: dict[int, str]) -> tuple[int, list[tuple[str, int]]]:
    """The kommuners' answers in the latest year any kommun answered: (year, [(label, count)])
    from the highest code down. Categories are counted, never averaged."""
    kommuner = frame[
        frame["area_code"].isin(COUNTY_KOMMUN_CODES) & (frame["status"] == ObservationStatus.OK)
    ]
    if kommuner.empty:
        return 0, []
    latest = max(kommuner["period_start"])
    answers = kommuner.loc[kommuner["period_start"] == latest, ["area_code", "value"]]
    tally = tally_codes(answers.itertuples(index=False), codes.items())
    return latest.year, [(c.label, c.count) for c in tally]


def _coded_headline(frame: pd.DataFrame, codes: dict[int, str]) -> html.Div:
    year, counts = code_counts(frame, codes)
    if not counts:
        return html.Div(
            html.P("Kommunerna har inga svar att visa.", className="slide-lead"),
            className="slide-headline",
        )
    return html.Div(
        className="slide-headline",
        children=[
            html.P(html.Span(f"Kommunerna {year}", className="slide-label")),
            html.Ul(
                [
                    html.Li([html.Strong(str(n)), f" av {len(COUNTY_KOMMUN_CODES)}: {label}"])
                    for label, n in counts
                ],
                className="code-counts",
            ),
            html.P("Svaren räknas, de medelvärdesbildas aldrig.", className="slide-note"),
        ],
    )


def _headline(d: IndicatorDetail, dev: Development | None, codes: dict[int, str]) -> html.Div:
    s = d.summary
    coded = s.value_kind is ValueKind.CODED
    if dev is None or dev.latest is None:
        return html.Div(
            html.P("Länet har inget värde att visa.", className="slide-lead"),
            className="slide-headline",
        )
    latest = dev.latest
    shown = (
        codes.get(int(latest.value), str(int(latest.value)))
        if coded and latest.value is not None
        else format_value(latest.value, s.decimals, s.unit)
        if latest.value is not None
        else latest.status.gap_label
    )
    parts: list = [
        html.P([html.Span(f"Länet {latest.year}", className="slide-label")]),
        html.P(shown, className="slide-county-value", **{"data-year": str(latest.year)}),
    ]
    base = dev.baseline
    if base is not None and base.value is not None and latest.value is not None and not coded:
        symbol = CHANGE_SYMBOL[dev.change]
        words = (
            dev.change.label
            if s.direction is not Direction.NEITHER or dev.change is Change.UNCHANGED
            else "förändrats"
        )
        delta = signed_difference(latest.value - base.value, s.decimals, s.unit)
        parts.append(
            html.P(
                [
                    html.Span(symbol + " ", **{"aria-hidden": "true"}) if symbol else None,
                    delta,
                    f" sedan {base.year} ({format_value(base.value, s.decimals, s.unit)}): ",
                    html.Strong(words),
                    CERTAINTY_NOTE.get(dev.certainty, ""),
                ],
                className=f"slide-change {dev.change.value}",
            )
        )
        if dev.shifted:
            parts.append(
                html.P(
                    f"Inget värde för basåret {dev.baseline_year}; jämfört med {base.year}.",
                    className="slide-note",
                )
            )
    elif not coded:
        parts.append(
            html.P(
                f"Inget jämförbart värde från {dev.baseline_year} eller senare.",
                className="slide-note",
            )
        )
    parts.append(html.P(s.direction.label, className="slide-note"))
    return html.Div(parts, className="slide-headline")


def _analysis_slides(d: IndicatorDetail, dev: Development | None) -> list[Slide]:
    """The analyst's words on the county for the period on the slide, if any were written;
    plain text, never markup, cut between sentences into slides that fit."""
    if dev is None or dev.latest is None:
        return []
    found = [
        a
        for a in analyses_for(context.store(), d.summary.id, period=str(dev.latest.year))
        if a.area_code is None
    ]
    if not found:
        return []
    analysis = found[0]
    chunks = split_text(analysis.text, ANALYSIS_CHARS)
    kicker = f"{d.summary.short_title} · Analys {analysis.period}"
    return [
        Slide(
            title=f"Analys {analysis.period}: {d.summary.short_title}",
            kicker=page_kicker(kicker, n, len(chunks)),
            heading=d.summary.title,
            kind="analysis",
            provenance=d.provenance,
            body=[
                html.Section(
                    className="slide-analysis",
                    **{"aria-label": f"Analys {analysis.period}"},
                    children=[
                        html.H2(f"Analys {analysis.period}"),
                        html.P(chunk, className="analysis-text"),
                        html.P(
                            f"{analysis.written_by} · {format_date(analysis.written_at)}",
                            className="slide-note",
                        ),
                    ],
                )
            ],
        )
        for n, chunk in enumerate(chunks, start=1)
    ]


def split_text(text: str, limit: int) -> list[str]:
    """Whole sentences (or words, for one that is longer than `limit`) in chunks of `limit`."""
    if len(text) <= limit:
        return [text]
    pieces = [p for p in re.split(r"(?<=[.!?])\s+", text) if p]
    words: list[str] = []
    for piece in pieces:
        words.extend(piece.split(" ") if len(piece) > limit else [piece])
    chunks: list[str] = []
    current = ""
    for w in words:
        candidate = f"{current} {w}".strip()
        if current and len(candidate) > limit:
            chunks.append(current)
            current = w
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks
