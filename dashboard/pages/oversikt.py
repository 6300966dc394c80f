"""Översikt: the four strategies, their mätområden and headline indicators at a glance."""

import dash
import pandas as pd
from dash import html

from dashboard import context
from dashboard.components import lean
from dashboard.components.change_words import CHANGE_SYMBOL
from dashboard.components.interactive.downloads import (
    download_bar,
    download_source,
    source_payload,
)
from dashboard.components.sparkline import sparkline
from indicators.reads.models import Headline, MatomradeOverview, StrategyOverview
from indicators.reads.queries import overview
from indicators.settings import get_settings
from indicators.vocabulary.domain import (
    COUNTY_KOMMUN_CODES,
    MISSING_WORD,
    AreaLevel,
    Direction,
    ValueKind,
)
from indicators.vocabulary.formatting import format_value
from indicators.vocabulary.trends import Change, rule_text

# The headline rows are made lean (dashboard.components.lean): some six hundred elements.
H = lean.html

CHANGE_PHRASES = {
    Change.IMPROVED: "förbättrades",
    Change.UNCHANGED: "oförändrade",
    Change.WORSENED: "försämrades",
    Change.CHANGED: "förändrades",
}

dash.register_page(
    __name__,
    path="/",
    name="Översikt",
    title="Översikt – Tillsammans 2021–2030",
    description="De fyra strategierna med mätområden och rubrikindikatorer.",
    order=0,
    nav=True,
)


def layout(**_query: str) -> html.Div:
    strategies = overview(context.store())
    baseline = get_settings().baseline_year
    return html.Div(
        className="page oversikt",
        children=[
            html.H1("Översikt"),
            html.P(
                "Länets gemensamma strategi följs upp genom fyra strategier och deras "
                "mätområden. För varje rubrikindikator visas länets senaste värde, utvecklingen "
                "de senaste fem åren och hur många av de 13 kommunerna som förbättrats sedan "
                "basåret – jämfört med sin egen nivå, inte med varandra.",
                className="lead",
            ),
            html.Details(
                [
                    html.Summary("Så läser du tabellerna"),
                    html.Ul(
                        [
                            html.Li(
                                "Länet, senaste: Region Jönköpings läns värde för det senaste "
                                "året med uppgifter."
                            ),
                            html.Li(
                                "Trend, 5 år: länets värden de fem senaste åren; ett saknat år "
                                "bryter linjen. Den svarta punkten är det senaste värdet."
                            ),
                            html.Li(
                                f"Kommunerna sedan basåret: {rule_text(baseline)} "
                                "Samma regel gäller på alla sidor."
                            ),
                            html.Li(
                                "Kodade indikatorer (till exempel Breddinfört/Test/Nej) visas "
                                "som antal kommuner per svar, aldrig som medelvärden."
                            ),
                        ]
                    ),
                ],
                className="method",
            ),
            html.Nav(
                html.Ul(
                    [
                        html.Li(html.A(f"Strategi {s.number}", href=f"#strategi-{s.number}"))
                        for s in strategies
                    ]
                ),
                className="toc",
                **{"aria-label": "Strategier på sidan"},
            ),
            download_bar(
                "oversikt",
                png_graph_id=None,
                filename="oversikt-rubrikindikatorer",
                source=source_payload("oversikt"),
                label="Ladda ner rubrikindikatorerna",
            ),
            *[_strategy_section(s) for s in strategies],
        ],
    )


@download_source("oversikt")
def download_frame() -> pd.DataFrame:
    """The headline tables, built when someone clicks "Ladda ner" (not carried by the page)."""
    return _headline_frame(overview(context.store()))


def _headline_frame(strategies: list[StrategyOverview]) -> pd.DataFrame:
    """The headline tables as shown, one row per headline indicator, for the downloads."""
    rows = []
    for s in strategies:
        for ma in s.matomraden:
            for h in ma.headlines:
                ind = h.indicator
                coded = ind.value_kind is ValueKind.CODED
                status = h.county_status.label if h.county_status else None
                first, last = h.window or (None, None)
                rows.append(
                    {
                        "Strategi": s.number,
                        "Mätområde": ma.title,
                        "Id": ind.id,
                        "Indikator": ind.short_title,
                        "Enhet": ind.unit,
                        "Riktning": ind.direction.label,
                        "Period": h.latest_period,
                        "Länet, värde": None if coded else h.county_value,
                        "Länet, status": None if coded or h.county_value is not None else status,
                        "Jämförelse från": first,
                        "Jämförelse till": last,
                        **{
                            f"Kommuner {CHANGE_PHRASES[c]}": h.changes.get(c, 0)
                            for c in CHANGE_PHRASES
                        },
                    }
                )
    return pd.DataFrame(rows)


def _strategy_section(s: StrategyOverview) -> html.Section:
    return html.Section(
        id=f"strategi-{s.number}",
        className="strategy",
        **{"aria-labelledby": f"strategi-{s.number}-rubrik"},
        children=[
            html.H2(
                [html.Span(f"Strategi {s.number}", className="strategy-number"), s.title],
                id=f"strategi-{s.number}-rubrik",
            ),
            html.P(s.aim, className="aim"),
            html.Div(
                className="malbild",
                children=[
                    html.Span("Koppling till målbild:", className="label"),
                    html.Ul([html.Li(k) for k in s.koppling_till_malbild], className="chips"),
                ],
            ),
            html.P(f"Följs upp av: {s.followed_up_by}", className="muted")
            if s.followed_up_by
            else None,
            *[_matomrade(s.number, ma) for ma in s.matomraden],
        ],
    )


def _matomrade(strategy: int, ma: MatomradeOverview) -> html.Div:
    others = len(ma.indicators) - len(ma.headlines)
    return html.Div(
        className="matomrade",
        **{"data-matomrade": ma.id},
        children=[
            html.H3(["Mätområde: ", ma.title]),
            html.P(["Strategigrupper: ", ", ".join(ma.strategigrupper)], className="muted")
            if ma.strategigrupper
            else None,
            _headline_table(ma)
            if ma.headlines
            else html.P("Inga rubrikindikatorer är valda för mätområdet ännu.", className="muted"),
            html.P(
                [
                    f"Ytterligare {others} indikator{'er' if others != 1 else ''}: ",
                    *_join_links(
                        [
                            lean.link(i.short_title, f"/indikator/{i.id}")
                            for i in ma.indicators
                            if not i.headline
                        ]
                    ),
                ],
                className="more",
            )
            if others
            else None,
        ],
    )


def _join_links(links: list) -> list:
    joined: list = []
    for n, link in enumerate(links):
        if n:
            joined.append(", ")
        joined.append(link)
    return joined


def _headline_table(ma: MatomradeOverview) -> html.Table:
    return html.Table(
        className="headline-table",
        children=[
            html.Caption(f"Rubrikindikatorer för {ma.title}", className="visually-hidden"),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Indikator", scope="col"),
                        html.Th("Länet, senaste", scope="col", className="num"),
                        html.Th("Trend, 5 år", scope="col"),
                        html.Th("Kommunerna sedan basåret", scope="col"),
                    ]
                )
            ),
            html.Tbody([_headline_row(h) for h in ma.headlines]),
        ],
    )


def _headline_row(h: Headline) -> lean.Element:
    ind = h.indicator
    return H.Tr(
        **{"data-indicator": ind.id},
        children=[
            H.Th(
                scope="row",
                children=[
                    lean.link(ind.short_title, f"/indikator/{ind.id}", className="ind-link"),
                    H.Span(
                        " · ".join([ind.unit, ind.direction.label, *ind.strategigrupper]),
                        className="ind-meta",
                    ),
                ],
            ),
            H.Td(_county_cell(h), className="num county-value"),
            H.Td(_trend_cell(h)),
            H.Td(_kommun_cell(h), className="kommun-change"),
        ],
    )


def _county_cell(h: Headline) -> list:
    ind = h.indicator
    if ind.value_kind is ValueKind.CODED:
        if not h.code_counts:
            return ["–"]
        top_label, top_count = h.code_counts[0]
        return [
            H.Span(f"{top_count} av {len(COUNTY_KOMMUN_CODES)}", className="value"),
            H.Span(f"{top_label.lower()} {h.latest_period}", className="period"),
        ]
    if h.latest_period is None:
        return [H.Span("Inga värden", className="value status")]
    if h.county_value is None:
        reason = h.county_status.gap_label if h.county_status else MISSING_WORD
        return [H.Span(reason, className="value status")]
    return [
        H.Span(format_value(h.county_value, ind.decimals, ind.unit), className="value"),
        H.Span(h.latest_period, className="period"),
    ]


def _trend_cell(h: Headline) -> object:
    ind = h.indicator
    if ind.value_kind is ValueKind.CODED or not h.trend:
        return H.Span("–", className="muted")
    values = [v for _, v in h.trend]
    known = [(p, v) for p, v in h.trend if v is not None]
    alt = (
        f"Länet {known[0][0]}–{known[-1][0]}: "
        f"{format_value(known[0][1], ind.decimals, ind.unit)} till "
        f"{format_value(known[-1][1], ind.decimals, ind.unit)}"
    )
    return sparkline(values, alt)


def _kommun_cell(h: Headline) -> list:
    if h.indicator.area_level is AreaLevel.REGION:
        return [H.Span("Redovisas inte per kommun", className="muted")]
    if h.window is None:
        return [H.Span("Inga värden inlästa", className="muted")]
    if not h.comparable_kommuner:
        return [H.Span("Inga jämförbara kommunvärden", className="muted")]
    first, last = h.window
    shown = (
        [Change.CHANGED, Change.UNCHANGED]
        if h.indicator.direction is Direction.NEITHER
        else [Change.IMPROVED, Change.UNCHANGED, Change.WORSENED]
    )
    items = [
        H.Li(
            [
                H.Span(CHANGE_SYMBOL[c], className="sym", **{"aria-hidden": "true"}),
                f" {h.changes[c]} {CHANGE_PHRASES[c]}",
            ],
            className=c.value,
        )
        for c in shown
    ]
    missing = len(COUNTY_KOMMUN_CODES) - h.comparable_kommuner
    note = f"{first}–{last}" + (f", {missing} utan jämförbara värden" if missing else "")
    return [H.Ul(items, className="change-list"), H.Span(note, className="period")]
