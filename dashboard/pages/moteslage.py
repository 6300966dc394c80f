"""Mötesläge: ReKo's shared screen. A chosen list of views is shown one slide at a time, full
screen, in large type, without the navigation chrome.

The address holds everything, so a link opens the same meeting at the same slide:
`/moteslage?vyer=U21401,N20891,strategi-2&steg=3&auto=30`
- `vyer`: comma-separated views in showing order; an indicator id (one slide with its chart) or
  `strategi-N` (a summary of strategy N's headline indicators).
- `steg`: the slide shown, 1 to the number of views (default 1).
- `auto`: seconds between automatic steps (5–3600; leave out for none). It can always be paused.
Without `vyer` the page is a composer that builds such a link (`urval` pre-selects views).

Each slide is rendered here from the address; the keys (→/PageDown/Space, ←/PageUp, Home/End, F
for full screen, P to pause, Esc to leave) live in assets/moteslage.js, which changes `steg` the
way dcc.Link does, so Dash's router renders the next slide and back/forward step through them.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import context
from dashboard.components.figures import coded_grid, no_data_figure, time_series
from dashboard.components.figures.base import STILL_GRAPH_CONFIG
from dashboard.components.source_note import source_note, source_note_text
from dashboard.components.tables import series_table
from dashboard.ids import Moteslage as Ids
from indicators.analyses import analyses_for
from indicators.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaLevel,
    Direction,
    ObservationStatus,
    PeriodType,
    ValueKind,
)
from indicators.followup.baseline import cells_by_area, development, latest_year
from indicators.formatting import MINUS, format_date, format_number, format_value
from indicators.queries import (
    catalogue_tree,
    data_freshness,
    indicator_detail,
    indicator_series,
    overview,
)
from indicators.reads.models import (
    Development,
    Headline,
    IndicatorDetail,
    Provenance,
    StrategyOverview,
)
from indicators.settings import get_settings
from indicators.trends import Change

dash.register_page(
    __name__,
    path="/moteslage",
    name="Mötesläge",
    title="Mötesläge – Tillsammans 2021–2030",
    description="Visa valda indikatorer och strategier en i taget på en gemensam skärm.",
    order=70,
    nav=True,
)

PATH = "/moteslage"
STRATEGY_PREFIX = "strategi-"
AUTO_RANGE = (5, 3600)
CHANGE_SYMBOLS = {
    Change.IMPROVED: "▲",
    Change.UNCHANGED: "●",
    Change.WORSENED: "▼",
    Change.CHANGED: "◆",
    Change.NOT_COMPARABLE: "",
}


# --- the address -------------------------------------------------------------------------------


def _text(raw: str | list[str] | None) -> str:
    """Dash hands a repeated query parameter over as a list; the last one counts."""
    if isinstance(raw, list):
        return ",".join(raw)
    return raw or ""


def parse_views(raw: str | list[str] | None) -> list[str]:
    """`vyer=U21401,strategi-2` → ["U21401", "strategi-2"]; blanks dropped, order kept."""
    return [v.strip() for v in _text(raw).split(",") if v.strip()]


def parse_step(raw: str | list[str] | None, count: int) -> int:
    try:
        step = int(_text(raw).split(",")[-1])
    except ValueError:
        step = 1
    return min(max(step, 1), max(count, 1))


def parse_auto(raw: str | list[str] | None) -> int | None:
    try:
        seconds = int(_text(raw).split(",")[-1])
    except ValueError:
        return None
    low, high = AUTO_RANGE
    return min(max(seconds, low), high) if seconds > 0 else None


def deck_href(views: list[str], step: int = 1, auto: int | None = None) -> str:
    params: dict[str, str | int] = {"vyer": ",".join(views), "steg": step}
    if auto:
        params["auto"] = auto
    return f"{PATH}?{urlencode(params, safe=',')}"


# --- the page ----------------------------------------------------------------------------------


def layout(
    vyer: str | list[str] | None = None,
    steg: str | list[str] | None = None,
    auto: str | list[str] | None = None,
    urval: str | list[str] | None = None,
    **_other: str,
) -> html.Div:
    views = parse_views(vyer)
    if not views:
        return composer(parse_views(urval), parse_auto(auto))
    step = parse_step(steg, len(views))
    return deck(views, step, parse_auto(auto))


def deck(views: list[str], step: int, auto: int | None) -> html.Div:
    view = views[step - 1]
    slide = _slide(view)
    count = len(views)
    return html.Div(
        id=Ids.DECK,
        className="moteslage-deck",
        **{
            "data-steg": str(step),
            "data-antal": str(count),
            "data-auto": str(auto or ""),
            "data-vy": view,
            "data-rubrik": slide.title,
        },
        children=[
            html.Div(
                className="slide",
                role="group",
                **{"aria-roledescription": "bild", "aria-label": f"Bild {step} av {count}"},
                children=slide.children,
            ),
            _controls(views, step, auto),
        ],
    )


def _controls(views: list[str], step: int, auto: int | None) -> html.Nav:
    count = len(views)

    def link(text: str, target: int, label: str) -> dcc.Link | html.Span:
        if target == step or not 1 <= target <= count:
            return html.Span(text, className="deck-btn disabled", title=label)
        return dcc.Link(
            text, href=deck_href(views, target, auto), className="deck-btn", title=label
        )

    return html.Nav(
        className="deck-controls",
        **{"aria-label": "Styr mötesläget"},
        children=[
            link("← Föregående", step - 1, "Föregående bild (←)"),
            html.Span(f"{step} / {count}", className="deck-position"),
            link("Nästa →", step + 1, "Nästa bild (→)"),
            html.Button(
                "Pausa",
                type="button",
                className="deck-btn deck-pause",
                title=f"Byter bild var {auto}:e sekund. P pausar och fortsätter.",
                **{"data-action": "paus", "aria-pressed": "false"},
            )
            if auto
            else None,
            html.Button(
                "Helskärm",
                type="button",
                className="deck-btn",
                title="F växlar helskärm",
                **{"data-action": "helskarm"},
            ),
            html.A(
                "Avsluta",
                href="/",
                className="deck-btn deck-exit",
                title="Esc lämnar mötesläget",
                **{"data-action": "avsluta"},
            ),
            html.Span(
                "Piltangenter byter bild · F helskärm · P paus · Esc avslutar",
                className="deck-help",
            ),
        ],
    )


# --- slides ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slide:
    title: str
    children: list


def _slide(view: str) -> Slide:
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


def county_development(detail: IndicatorDetail, frame: pd.DataFrame) -> Development | None:
    """The county's latest year against its own baseline year, on the (suppressed) values."""
    if detail.period_type is not PeriodType.YEAR or frame.empty:
        return None
    yearly = frame.assign(year=[d.year for d in frame["period_start"]])
    cells = cells_by_area(yearly)
    latest = latest_year(cells, [COUNTY_CODE])
    return development(
        cells.get(COUNTY_CODE, {}), latest, get_settings().baseline_year, detail.summary
    )


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
    dev = county_development(d, frame)
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
    values = [int(v) for v in kommuner[kommuner["period_start"] == latest]["value"]]
    return latest.year, [(label, values.count(code)) for code, label in sorted(codes.items())[::-1]]


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
        else latest.status.label or "saknas"
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


# --- the composer ------------------------------------------------------------------------------


def composer(preselected: list[str], auto: int | None) -> html.Div:
    tree = catalogue_tree(context.store())
    seen: set[str] = set()
    groups = []
    for st in tree:
        options = [
            {"label": f"Sammanfattning av strategi {st.number}", "value": f"strategi-{st.number}"}
        ]
        for ma in st.matomraden:
            for ind in ma.indicators:
                if ind.id in seen:
                    continue
                seen.add(ind.id)
                options.append({"label": f"{ind.short_title} ({ind.id})", "value": ind.id})
        groups.append((st, options))
    chosen = set(preselected)
    return html.Div(
        className="page moteslage-composer",
        children=[
            html.H1("Mötesläge"),
            html.P(
                "Välj vad som ska visas på den gemensamma skärmen. Varje vy blir en bild i stor "
                "text utan meny: diagrammet, länets värde och förändring sedan basåret, analysen "
                "om det finns en, och källan. Länken går att spara och skicka till mötet.",
                className="lead",
            ),
            html.Ul(
                [
                    html.Li("→, Page Down eller mellanslag: nästa bild"),
                    html.Li("←, Page Up: föregående bild; Home och End: första och sista"),
                    html.Li("F: helskärm · P: pausa automatisk visning · Esc: avsluta"),
                ],
                className="moteslage-keys",
            ),
            html.Div(
                className="moteslage-choices",
                children=[
                    html.Fieldset(
                        [
                            html.Legend(f"Strategi {st.number}: {st.title}"),
                            dbc.Checklist(
                                id={"type": Ids.CHOICE, "strategy": st.number},
                                options=options,
                                value=[o["value"] for o in options if o["value"] in chosen],
                                className="moteslage-checklist",
                            ),
                        ]
                    )
                    for st, options in groups
                ],
            ),
            html.Div(
                className="moteslage-start",
                children=[
                    html.Label(
                        "Byt bild automatiskt var (sekunder, tomt = aldrig)", htmlFor=Ids.AUTO
                    ),
                    dcc.Input(
                        id=Ids.AUTO,
                        type="number",
                        min=AUTO_RANGE[0],
                        max=AUTO_RANGE[1],
                        step=1,
                        value=auto,
                        className="auto-input",
                    ),
                    html.P(id=Ids.SUMMARY, role="status", className="muted"),
                    dcc.Link("Starta mötesläget", id=Ids.START, href=PATH, className="start-link"),
                ],
            ),
        ],
    )


@callback(
    Output(Ids.START, "href"),
    Output(Ids.START, "className"),
    Output(Ids.SUMMARY, "children"),
    Input({"type": Ids.CHOICE, "strategy": dash.ALL}, "value"),
    Input(Ids.AUTO, "value"),
    State({"type": Ids.CHOICE, "strategy": dash.ALL}, "options"),
)
def compose(
    values: list[list[str] | None], auto: float | None, options: list[list[dict]]
) -> tuple[str, str, str]:
    # Slides follow the catalogue, not the order the boxes were ticked in.
    views = [
        o["value"]
        for group, opts in zip(values, options, strict=True)
        for o in opts
        if o["value"] in set(group or [])
    ]
    if not views:
        return PATH, "start-link disabled", "Inga vyer valda ännu."
    seconds = parse_auto(str(int(auto))) if auto else None
    pace = f", ny bild var {seconds}:e sekund" if seconds else ""
    noun = "vy" if len(views) == 1 else "vyer"
    return deck_href(views, 1, seconds), "start-link", f"{len(views)} {noun} valda{pace}."
