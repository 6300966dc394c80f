"""Strategi 1–4: the strategy's aim, koppling till målbild and utvecklingsområden, then per
mätområde each indicator's county trend, its spread across the 13 kommuner and its status against
target. The strategy is the path (/strategi/2), so every view is a link and back/forward work."""

import dash
import pandas as pd
from dash import MATCH, Input, Output, callback, clientside_callback, dcc, html

from dashboard import context
from dashboard.components import lean
from dashboard.components.figures.base import STILL_GRAPH_CONFIG
from dashboard.components.figures.spread import spread_strip
from dashboard.components.interactive.downloads import (
    download_bar,
    download_source,
    source_payload,
)
from dashboard.components.plain_summary import plain_summary
from dashboard.components.source_note import source_note, source_note_text
from dashboard.components.sparkline import sparkline
from dashboard.components.summary_card import summary_cards
from dashboard.components.tables import opened_first_time
from dashboard.ids import Moteslage as MeetingIds
from dashboard.ids import Strategi as Ids
from indicators.reads.cache import cached_query
from indicators.reads.followup.plain_words import strategy_summary
from indicators.reads.followup.strategy import strategy_cards, strategy_view
from indicators.reads.models import (
    AreaValue,
    IndicatorBlock,
    MatomradeView,
    Spread,
    StrategyView,
    SummaryCard,
    TargetStatus,
    TargetView,
)
from indicators.reads.queries import Store
from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES, ValueKind
from indicators.vocabulary.formatting import format_value

# The indicator blocks, two dozen elements each, are made lean (dashboard.components.lean).
H = lean.html

dash.register_page(
    __name__,
    path="/strategi",
    path_template="/strategi/<nummer>",
    name="Strategier",
    title=lambda nummer=None: (
        (f"Strategi {nummer}" if nummer else "Strategier") + " – Tillsammans 2021–2030"
    ),
    description="En strategi: mätområden, länets utveckling, kommunernas spridning och mål.",
    order=10,
    nav=True,
)


def _strategy_links(current: int | None, strategies: list[tuple[int, str]]) -> html.Nav:
    return html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        f"Strategi {n}",
                        href=f"/strategi/{n}",
                        title=title,
                        **({"aria-current": "page"} if n == current else {}),
                    )
                )
                for n, title in strategies
            ]
        ),
        className="toc filter strategy-switch",
        **{"aria-label": "Välj strategi"},
    )


def layout(nummer: str | None = None, **_query: str) -> html.Div:
    store = context.store()
    if nummer is None:
        return _index(strategy_cards(store))
    if not nummer.isdigit():
        return _not_found(nummer)
    return _strategy_page(store, int(nummer))


def _not_found(nummer: str) -> html.Div:
    return html.Div(
        className="page",
        children=[
            html.H1("Strategin finns inte"),
            html.P(f"Det finns ingen strategi med nummer {nummer!r}."),
            dcc.Link("Till strategierna", href="/strategi"),
        ],
    )


# The same for every reader until the data changes: its dozens of figures are built once per
# data version, not once per visit.
@cached_query(maxsize=16)
def _strategy_page(store: Store, number: int) -> html.Div:
    view = strategy_view(store, number)
    if view is None:
        return _not_found(str(number))
    return html.Div(
        className="page strategi",
        **{"data-strategy": str(view.number)},
        children=[
            dcc.Location(id=Ids.URL, refresh=False),
            _strategy_links(view.number, list(view.strategies)),
            html.H1(
                [html.Span(f"Strategi {view.number}", className="strategy-number"), view.title]
            ),
            html.P(id=Ids.PRINT_META, className="print-meta"),
            html.P(view.aim, className="aim lead"),
            html.Div(
                className="malbild",
                children=[
                    html.Span("Koppling till målbild:", className="label"),
                    html.Ul([html.Li(k) for k in view.koppling_till_malbild], className="chips"),
                ],
            ),
            html.Details(
                [
                    html.Summary("Exempel på utvecklingsområden"),
                    html.Ul([html.Li(u) for u in view.utvecklingsomraden]),
                ],
                className="utveckling",
                open=True,
            )
            if view.utvecklingsomraden
            else None,
            html.P(f"Följs upp av: {view.followed_up_by}", className="muted")
            if view.followed_up_by
            else None,
            _method(),
            _plain_summary(store, view.number),
            html.Div(
                className="page-actions",
                children=[
                    html.Button(
                        "Skriv ut (A4)", id=Ids.PRINT, type="button", className="btn-small"
                    ),
                    download_bar(
                        f"strategi-{view.number}",
                        png_graph_id=None,
                        filename=f"strategi-{view.number}",
                        source=source_payload("strategi", number=view.number),
                        label=f"Ladda ner värdena för strategi {view.number}",
                    ),
                ],
            ),
            html.Nav(
                html.Ul([html.Li(html.A(ma.title, href=f"#{ma.id}")) for ma in view.matomraden]),
                className="toc matomrade-toc",
                **{"aria-label": "Mätområden på sidan"},
            ),
            *[_matomrade(view.number, ma) for ma in view.matomraden],
        ],
    )


def _plain_summary(store: Store, number: int) -> html.Section | None:
    """The same words as the meeting's summary slide, to read before the meeting."""
    summary = strategy_summary(store, number)
    return plain_summary(summary, MeetingIds.STRATEGY_SUMMARY) if summary else None


def _index(cards: tuple[SummaryCard, ...]) -> html.Div:
    return html.Div(
        className="page strategier",
        children=[
            html.H1("Strategier"),
            html.P(
                "Välj en strategi för att se dess mätområden: länets utveckling, spridningen "
                "mellan de 13 kommunerna och läget mot målen.",
                className="lead",
            ),
            summary_cards(cards, {c.key: f"/strategi/{c.key}" for c in cards}),
        ],
    )


def _method() -> html.Details:
    return html.Details(
        [
            html.Summary("Så läser du sidan"),
            html.Ul(
                [
                    html.Li(
                        "Länet: Region Jönköpings läns värde det senaste året med uppgifter, "
                        "och utvecklingen från basåret."
                    ),
                    html.Li(
                        "Spridning: varje punkt är en kommun det senaste året. Den lägsta och "
                        "högsta är namngivna, romben är länet. Spridningen visar var kommunerna "
                        "står i förhållande till varandra – som sammanhang, inte som omdöme."
                    ),
                    html.Li(
                        "Värden som bygger på färre än fem personer visas som sekretess, aldrig "
                        "som noll, och räknas inte in i lägsta, median eller högsta."
                    ),
                    html.Li(
                        "Mål: läget mot målvärdet anges i ord och symbol: ✓ uppnått, ≈ nära, "
                        "✗ ej uppnått."
                    ),
                    html.Li(
                        "Kodade indikatorer (till exempel Breddinfört/Test/Nej) visas som antal "
                        "kommuner per svar, aldrig som medelvärden."
                    ),
                ]
            ),
        ],
        className="method",
    )


def _matomrade(number: int, ma: MatomradeView) -> html.Section:
    return html.Section(
        id=ma.id,
        className="matomrade strategy-matomrade",
        **{"aria-labelledby": f"{ma.id}-rubrik", "data-matomrade": ma.id},
        children=[
            html.H2(["Mätområde: ", ma.title], id=f"{ma.id}-rubrik"),
            html.P(["Strategigrupper: ", ", ".join(ma.strategigrupper)], className="muted")
            if ma.strategigrupper
            else None,
            *[_indicator_block(number, ma.id, b) for b in ma.indicators],
            html.P("Mätområdet har inga indikatorer ännu.", className="muted")
            if not ma.indicators
            else None,
        ],
    )


def _value(v: float | None, b: IndicatorBlock) -> str:
    return format_value(v, b.indicator.decimals, b.indicator.unit)


def _indicator_block(number: int, matomrade_id: str, b: IndicatorBlock) -> lean.Element:
    ind = b.indicator
    heading_id = f"{matomrade_id}-{ind.id}"
    return H.Article(
        className="indicator-block",
        **{"data-indicator": ind.id, "aria-labelledby": heading_id},
        children=[
            H.H3(
                lean.link(ind.short_title, href=f"/indikator/{ind.id}", className="ind-link"),
                id=heading_id,
            ),
            H.P(
                " · ".join([ind.id, ind.unit, ind.direction.label, *ind.strategigrupper]),
                className="ind-meta",
            ),
            H.Div(
                className="indicator-body",
                children=[
                    H.Div(
                        className="indicator-county",
                        children=[
                            _county(b),
                            _trend(b),
                            _target(b.target, b),
                        ],
                    ),
                    H.Div(
                        className="indicator-spread",
                        children=_spread_part(b, f"{number}:{matomrade_id}:{ind.id}"),
                    ),
                ],
            ),
            source_note(b.provenance),
        ],
    )


def _county(b: IndicatorBlock) -> lean.Element:
    if b.indicator.value_kind is ValueKind.CODED:
        return H.Div(
            className="county-value",
            children=[
                H.Span("Länet", className="label"),
                H.Span("redovisas per kommun", className="value status"),
            ],
        )
    county = b.county
    if b.latest_period is None or county is None:
        text, css = "Inga värden", "value status"
    elif county.value is None:
        text, css = county.status.gap_label, "value status"
    else:
        text, css = _value(county.value, b), "value"
    return H.Div(
        className="county-value",
        children=[
            H.Span("Länet" + (f" {b.latest_period}" if b.latest_period else ""), className="label"),
            H.Span(text, className=css),
        ],
    )


def _trend(b: IndicatorBlock) -> lean.Element | None:
    known = [(p, v) for p, v in b.trend if v is not None]
    if not known:
        return None
    alt = (
        f"Länet {b.trend[0][0]}–{b.trend[-1][0]}: {_value(known[0][1], b)} år {known[0][0]} "
        f"till {_value(known[-1][1], b)} år {known[-1][0]}"
    )
    return H.Div(
        className="trend",
        children=[
            sparkline([v for _, v in b.trend], alt),
            H.Span(f"{b.trend[0][0]}–{b.trend[-1][0]}", className="period"),
        ],
    )


def _target(t: TargetView | None, b: IndicatorBlock) -> lean.Element | None:
    if t is None:
        return None
    if t.target is None:
        return H.Div(
            className="target-status no-target",
            children=[H.Span(TargetStatus.NO_TARGET.label, className="status-word")],
        )
    ind = b.indicator
    goal = t.target.label(ind.decimals, ind.unit)
    kommuner = [
        f"{n} {'kommun' if n == 1 else 'kommuner'} {status.value}"
        for status, n in t.kommuner
        if status in (TargetStatus.ACHIEVED, TargetStatus.NEAR, TargetStatus.NOT_ACHIEVED)
    ]
    return H.Div(
        className=f"target-status {t.status.name.lower()}",
        children=[
            H.Span(goal, className="goal"),
            H.Span(
                ["Länet: ", H.Span(t.status.label, className="status-word")],
                className="county-status",
            ),
            H.Span(", ".join(kommuner), className="period") if kommuner else None,
        ],
    )


def _spread_part(b: IndicatorBlock, key: str) -> list:
    if b.spread is None:
        if b.latest_period is None:
            return [H.P("Inga värden är inlästa för indikatorn.", className="muted")]
        return [H.P("Redovisas för länet och riket, inte per kommun.", className="muted")]
    if b.indicator.value_kind is ValueKind.CODED:
        return [_coded(b.spread, b)]
    s = b.spread
    if not s.reported:
        return [H.P(f"Inga kommunvärden att visa för {s.period}.", className="muted")]
    target = b.target.target.value if b.target and b.target.target else None
    return [
        _spread_summary(s, b),
        dcc.Graph(
            figure=spread_strip(
                s, b.indicator, source_note_text(b.provenance), county=b.county, target=target
            ),
            config=STILL_GRAPH_CONFIG,
            className="spread-figure",
            style={"height": "230px"},
            responsive=True,
        ),
        # The table is fetched when the reader opens it (a click, or Enter on the summary):
        # a strategy's two dozen tables would otherwise travel, closed, with every visit.
        html.Details(
            [
                html.Summary("Tabell: värden per kommun", id={"type": Ids.TABLE_OPEN, "key": key}),
                html.Div(
                    html.P("Tabellen hämtas …", className="muted"),
                    id={"type": Ids.TABLE, "key": key},
                    **{"aria-live": "polite"},
                ),
            ],
            className="table-alternative",
        ),
    ]


@callback(
    Output({"type": Ids.TABLE, "key": MATCH}, "children"),
    Input({"type": Ids.TABLE_OPEN, "key": MATCH}, "n_clicks"),
    prevent_initial_call=True,
)
def fill_table(clicks: int | None) -> object:
    """The table alternative of one indicator block, the first time it is opened."""
    number, _, rest = opened_first_time(clicks).partition(":")
    matomrade_id, _, indicator_id = rest.partition(":")
    view = strategy_view(context.store(), int(number)) if number.isdigit() else None
    block = next(
        (
            b
            for ma in (view.matomraden if view else [])
            if ma.id == matomrade_id
            for b in ma.indicators
            if b.indicator.id == indicator_id
        ),
        None,
    )
    if block is None or block.spread is None:
        raise dash.exceptions.PreventUpdate
    return _kommun_table(block.spread, block)


def _spread_summary(s: Spread, b: IndicatorBlock) -> lean.Element:
    parts = [
        H.Span(
            ["Lägst: ", H.Strong(_value(s.minimum, b)), f" ({', '.join(s.lowest)})"],
            className="spread-min",
        ),
        H.Span(["Median: ", H.Strong(_value(s.median, b))], className="spread-median"),
        H.Span(
            ["Högst: ", H.Strong(_value(s.maximum, b)), f" ({', '.join(s.highest)})"],
            className="spread-max",
        ),
    ]
    note = f"{s.period}, {s.reported} av {len(COUNTY_KOMMUN_CODES)} kommuner redovisade"
    if s.suppressed:
        note += f"; sekretess: {', '.join(s.suppressed)}"
    if s.missing:
        note += f"; saknas: {', '.join(s.missing)}"
    return H.P(
        [*_joined(parts, " · "), H.Span(note, className="period")],
        className="spread-summary",
    )


def _joined(items: list, sep: str) -> list:
    out: list = []
    for n, item in enumerate(items):
        if n:
            out.append(sep)
        out.append(item)
    return out


def _area_text(k: AreaValue, b: IndicatorBlock) -> str:
    if k.value is None:
        return k.status.gap_label
    return _value(k.value, b)


def _kommun_table(s: Spread, b: IndicatorBlock) -> html.Table:
    """The strip's table alternative. The area is on its row; the value column is aligned by
    the table's class, so a cell carries its text and, for a gap or the county, one class."""
    rows = [
        html.Tr(
            [
                html.Th(k.name, scope="row"),
                html.Td(_area_text(k, b))
                if k.value is not None
                else html.Td(_area_text(k, b), className="status"),
            ],
            **{"data-area": k.code},
        )
        for k in s.kommuner
    ]
    if b.county is not None:
        rows.append(
            html.Tr(
                [
                    html.Th(b.county.name, scope="row"),
                    html.Td(_area_text(b.county, b), className="county"),
                ],
                **{"data-area": b.county.code},
            )
        )
    return html.Table(
        [
            html.Caption(f"{b.indicator.short_title}, {s.period}"),
            html.Thead(html.Tr([html.Th("Område", scope="col"), html.Th("Värde", scope="col")])),
            html.Tbody(rows),
        ],
        className="data-table kommun-values",
    )


def _coded(s: Spread, b: IndicatorBlock) -> lean.Element:
    shown = {name for c in s.code_counts for name in c.kommuner}
    other = [k for k in s.kommuner if k.name not in shown]
    return H.Div(
        className="coded-spread",
        children=[
            H.P(f"Kommunernas svar {s.period}", className="label"),
            H.Ul(
                [
                    H.Li(
                        [
                            H.Strong(f"{c.label}: {c.count} av {len(COUNTY_KOMMUN_CODES)}"),
                            H.Span(f" – {', '.join(c.kommuner)}" if c.kommuner else ""),
                        ],
                        **{"data-code": str(c.code)},
                    )
                    for c in s.code_counts
                ]
                + (
                    [
                        H.Li(
                            [
                                H.Strong(f"Utan svar: {len(other)}"),
                                H.Span(
                                    " – "
                                    + ", ".join(
                                        f"{k.name} ({k.status.label or 'saknas'})" for k in other
                                    )
                                ),
                            ]
                        )
                    ]
                    if other
                    else []
                ),
                className="code-counts",
            ),
        ],
    )


@download_source("strategi")
def download_frame(number: int) -> pd.DataFrame | None:
    """The page's numbers, built when someone clicks "Ladda ner" rather than carried by it."""
    view = strategy_view(context.store(), int(number))
    return None if view is None else _download_frame(view)


def _download_frame(view: StrategyView) -> pd.DataFrame:
    """The page's numbers as shown: one row per area and indicator in the latest period."""
    rows = []
    for ma in view.matomraden:
        for b in ma.indicators:
            areas = ([b.county] if b.county else []) + list(b.spread.kommuner if b.spread else [])
            codes = dict(b.codes)
            for a in areas:
                value = a.value
                rows.append(
                    {
                        "Mätområde": ma.title,
                        "Indikator": b.indicator.id,
                        "Indikatornamn": b.indicator.short_title,
                        "Område": a.code,
                        "Områdesnamn": a.name,
                        "Period": b.latest_period,
                        "Värde": value,
                        "Svar": codes.get(int(value), "") if codes and value is not None else "",
                        "Enhet": b.indicator.unit,
                        "Status": "" if value is not None else a.status.gap_label,
                        "Mål": b.target.target.value if b.target and b.target.target else None,
                        "Läget mot mål (länet)": b.target.status.label if b.target else "",
                        "Källa": source_note_text(b.provenance),
                    }
                )
    return pd.DataFrame(rows)


clientside_callback(
    """
    function(n) {
        if (n) { window.print(); }
        return window.dash_clientside.no_update;
    }
    """,
    Output(Ids.PRINT, "className"),
    Input(Ids.PRINT, "n_clicks"),
    prevent_initial_call=True,
)

# The printed report names where it came from and when; only the browser knows its own address,
# so the browser writes it: once under the heading, and into the @page footer of every sheet
# (CSS margin boxes take only fixed strings, hence a generated style element).
clientside_callback(
    """
    function(href) {
        var d = new Date();
        var pad = function(x) { return (x < 10 ? '0' : '') + x; };
        var day = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
        var text = 'Utskriven ' + day + ' från ' + href;
        var style = document.getElementById('utskrift-sidfot');
        if (!style) {
            style = document.createElement('style');
            style.id = 'utskrift-sidfot';
            document.head.appendChild(style);
        }
        style.textContent = '@page { @bottom-left { content: ' + JSON.stringify(text) +
            '; font-size: 8pt; } @bottom-right { content: "Sida " counter(page) " av " ' +
            'counter(pages); font-size: 8pt; } }';
        return text;
    }
    """,
    Output(Ids.PRINT_META, "children"),
    Input(Ids.URL, "href"),
)
