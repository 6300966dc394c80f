"""Mötesläge's slides, one per view, rendered on the server from the address: an indicator
(its chart in large type, the county's value and change since the baseline year, the analysis
if one is written, the source) or a strategy (its headline indicators in a table)."""

from dataclasses import dataclass

import pandas as pd
from dash import dcc, html

from dashboard import context
from dashboard.components.figures import coded_grid, no_data_figure, time_series
from dashboard.components.figures.base import STILL_GRAPH_CONFIG
from dashboard.components.source_note import source_note, source_note_text
from dashboard.components.tables import series_table
from dashboard.ids import Moteslage as Ids
from dashboard.pages._moteslage_address import PATH, STRATEGY_PREFIX
from indicators.reads.analyses import analyses_for
from indicators.reads.followup.baseline import development_table
from indicators.reads.models import (
    Development,
    Headline,
    IndicatorDetail,
    Provenance,
    StrategyOverview,
    tally_codes,
)
from indicators.reads.queries import data_freshness, indicator_detail, indicator_series, overview
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
from indicators.vocabulary.formatting import MINUS, format_date, format_number, format_value
from indicators.vocabulary.trends import Change

CHANGE_SYMBOLS = {
    Change.IMPROVED: "▲",
    Change.UNCHANGED: "●",
    Change.WORSENED: "▼",
    Change.CHANGED: "◆",
    Change.NOT_COMPARABLE: "",
}


@dataclass(frozen=True)
class Slide:
    title: str
    children: list


def slide_for(view: str) -> Slide:
    if view.startswith(STRATEGY_PREFIX):
        number = view.removeprefix(STRATEGY_PREFIX)
        strategy = next((s for s in overview(context.store()) if str(s.number) == number), None)
        if strategy is not None:
            return _strategy_slide(strategy)
    else:
        detail = indicator_detail(context.store(), view)
        if detail is not None:
            return _indicator_slide(detail)
    title = "Vyn finns inte"
    return Slide(
        title,
        [
            html.H1(title),
            html.P(
                f"Ingen indikator eller strategi har id {view!r}. Välj vyer på nytt i mötesläget.",
                className="slide-lead",
            ),
            dcc.Link("Välj vyer", href=PATH, className="slide-link"),
        ],
    )


def county_development(detail: IndicatorDetail) -> Development | None:
    """The county's latest year against its own baseline year: the one judgement every page
    reads (indicators.reads.followup.baseline.development_table)."""
    if detail.period_type is not PeriodType.YEAR:
        return None
    table = development_table(context.store(), get_settings().baseline_year)
    return table.development(detail.summary.id, COUNTY_CODE)


def _indicator_slide(d: IndicatorDetail) -> Slide:
    s = d.summary
    store = context.store()
    regional = s.area_level is AreaLevel.REGION
    areas = [NATION_CODE, COUNTY_CODE] + ([] if regional else list(COUNTY_KOMMUN_CODES))
    # Small numbers are already suppressed by the query.
    frame = indicator_series(store, s.id, areas)
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
        figure = time_series(totals, s, source, style=SCREEN_STYLE)
    dev = county_development(d)
    placement = "; ".join(f"Strategi {n}: {title}" for n, _, title in d.placements)
    return Slide(
        s.short_title,
        [
            html.P(placement, className="slide-kicker"),
            html.H1(s.title, className="slide-title"),
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
                                # Inline, since a responsive graph sets its own height otherwise.
                                style={"height": "58vh", "minHeight": "360px"},
                            ),
                            html.Details(
                                [
                                    html.Summary("Visa som tabell"),
                                    html.Div(
                                        series_table(
                                            frame,
                                            caption=f"{s.short_title} ({s.unit})",
                                            decimals=s.decimals,
                                            codes=codes or None,
                                            table_id=Ids.TABLE,
                                        ),
                                        className="table-scroll",
                                    ),
                                ],
                                className="slide-table",
                            )
                            if has_values
                            else None,
                        ],
                    ),
                    html.Div(
                        className="slide-side",
                        children=[
                            _coded_headline(frame, codes)
                            if s.value_kind is ValueKind.CODED
                            and s.area_level is not AreaLevel.REGION
                            else _headline(d, dev, codes),
                            _analysis(d, dev),
                        ],
                    ),
                ],
            ),
            source_note(d.provenance, class_name="slide-source"),
        ],
    )


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
        html.P(
            [html.Span(f"Länet {latest.year}", className="slide-label")],
        ),
        html.P(shown, className="slide-county-value", **{"data-year": str(latest.year)}),
    ]
    base = dev.baseline
    if base is not None and base.value is not None and latest.value is not None and not coded:
        delta = latest.value - base.value
        unit = "procentenheter" if s.unit in ("%", "procent") else s.unit
        sign = "+" if delta > 0 else MINUS if delta < 0 else "±"
        amount = format_number(abs(delta), s.decimals)
        symbol = CHANGE_SYMBOLS[dev.change]
        words = (
            dev.change.label
            if s.direction is not Direction.NEITHER or dev.change is Change.UNCHANGED
            else "förändrats"
        )
        parts.append(
            html.P(
                [
                    html.Span(symbol + " ", **{"aria-hidden": "true"}) if symbol else None,
                    f"{sign}{amount} {unit}".strip(),
                    f" sedan {base.year} ({format_value(base.value, s.decimals, s.unit)}): ",
                    html.Strong(words),
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


def _analysis(d: IndicatorDetail, dev: Development | None) -> html.Section | None:
    """The analyst's words on the county for the period on the slide, if any were written."""
    if dev is None or dev.latest is None:
        return None
    found = [
        a
        for a in analyses_for(context.store(), d.summary.id, period=str(dev.latest.year))
        if a.area_code is None
    ]
    if not found:
        return None
    analysis = found[0]
    return html.Section(
        className="slide-analysis",
        **{"aria-label": f"Analys {analysis.period}"},
        children=[
            html.H2(f"Analys {analysis.period}"),
            # Plain text, never markup: an analysis is shown exactly as written.
            html.P(analysis.text, className="analysis-text"),
            html.P(
                f"{analysis.written_by} · {format_date(analysis.written_at)}",
                className="slide-note",
            ),
        ],
    )


# The same figures, with type that reads across a meeting room; merged into the layout before
# the figure is made (an update_layout afterwards costs as much as building the chart).
SCREEN_STYLE = {
    "font": {"size": 22},
    "title": {"font": {"size": 28}, "subtitle": {"font": {"size": 20, "color": "#333"}}},
    "legend": {"font": {"size": 18}},
    "hoverlabel": {"font": {"size": 20}},
    "autosize": True,
    "height": None,  # the slide sizes the chart
}


def _strategy_slide(st: StrategyOverview) -> Slide:
    status = data_freshness(context.store())
    rows = [(ma.title, h) for ma in st.matomraden for h in ma.headlines]
    sources = tuple(sorted({h.indicator.source for _, h in rows}))
    provenance = Provenance(sources, status.last_import, status.has_demo_data)
    return Slide(
        f"Strategi {st.number}: {st.title}",
        [
            html.P(f"Strategi {st.number}", className="slide-kicker"),
            html.H1(st.title, className="slide-title"),
            html.P(st.aim, className="slide-lead"),
            html.Table(
                className="slide-summary",
                children=[
                    html.Caption(f"Rubrikindikatorer för strategi {st.number}"),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Indikator", scope="col"),
                                html.Th("Länet, senaste", scope="col", className="num"),
                                html.Th("Kommunerna, 5 år", scope="col"),
                            ]
                        )
                    ),
                    html.Tbody([_summary_row(ma, h) for ma, h in rows]),
                ],
            )
            if rows
            else html.P("Strategin har inga rubrikindikatorer ännu.", className="slide-lead"),
            source_note(provenance, class_name="slide-source"),
        ],
    )


def _summary_row(matomrade: str, h: Headline) -> html.Tr:
    ind = h.indicator
    if ind.value_kind is ValueKind.CODED:
        county = (
            f"{h.code_counts[0][1]} av {len(COUNTY_KOMMUN_CODES)} {h.code_counts[0][0].lower()}"
            if h.code_counts
            else "–"
        )
    elif h.county_value is not None:
        county = format_value(h.county_value, ind.decimals, ind.unit)
    else:
        county = (h.county_status.label if h.county_status else "") or "Inga värden"
    if ind.area_level is AreaLevel.REGION or h.window is None or not h.comparable_kommuner:
        kommuner = "–"
    elif ind.direction is Direction.NEITHER:
        kommuner = (
            f"{h.changes[Change.CHANGED]} förändrades, {h.changes[Change.UNCHANGED]} oförändrade"
        )
    else:
        kommuner = (
            f"▲ {h.changes[Change.IMPROVED]} förbättrades · "
            f"● {h.changes[Change.UNCHANGED]} oförändrade · "
            f"▼ {h.changes[Change.WORSENED]} försämrades"
        )
    return html.Tr(
        **{"data-indicator": ind.id},
        children=[
            html.Th(
                [ind.short_title, html.Span(f" {matomrade}", className="slide-note")],
                scope="row",
            ),
            html.Td(
                [county, html.Span(f" {h.latest_period}", className="slide-note")]
                if h.latest_period
                else county,
                className="num",
            ),
            html.Td(kommuner),
        ],
    )
