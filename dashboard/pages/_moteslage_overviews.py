"""Mötesläge's slides for a whole strategy, strategigrupp or kommun: first the plain-Swedish
summary (indicators/reads/followup/plain_words.py, the same text as on the Strategi and Kommun
pages), then a table, each cut into as many slides as it takes to fit the screen."""

from dash import html

from dashboard import context
from dashboard.components.change_words import change_badge
from dashboard.pages._moteslage_frame import (
    LINES_PER_SLIDE,
    ROWS_PER_SLIDE,
    Slide,
    lines,
    page_kicker,
    pages,
)
from indicators.reads.followup.kommun import county_view_of, kommun_view
from indicators.reads.followup.plain_words import (
    group_summary,
    kommun_summary,
    strategy_summary,
)
from indicators.reads.followup.strategy import strategigrupp_view
from indicators.reads.models import KommunIndicator, KommunView, PlainSummary, Provenance
from indicators.reads.queries import catalogue_tree, data_freshness
from indicators.vocabulary.trends import Change

GROUP_ROWS_PER_SLIDE = 7  # one line each


def _provenance(sources: set[str]) -> Provenance:
    status = data_freshness(context.store())
    return Provenance(tuple(sorted(sources)), status.last_import, status.has_demo_data)


def summary_slides(summary: PlainSummary, kicker: str, provenance: Provenance) -> list[Slide]:
    """The summary's lists packed into slides of LINES_PER_SLIDE; a list that goes on is
    headed '(forts.)' on the next slide."""
    budget = LINES_PER_SLIDE - lines(summary.lead)
    packed: list[list] = [[html.P(summary.lead, className="slide-lead summary-lead")]]
    for point in summary.points:
        items = list(point.items) or ["Inga."]
        heading = point.heading
        chunk: list[str] = []
        for item in items:
            cost = lines(item) + (1.5 if not chunk else 0)
            if budget - cost < 0 and (chunk or packed[-1]):
                if chunk:
                    packed[-1].append(_point(point.key, heading, chunk))
                    heading = f"{point.heading} (forts.)"
                packed.append([])
                budget = LINES_PER_SLIDE
                chunk = []
                cost = lines(item) + 1.5
            chunk.append(item)
            budget -= cost
        if chunk:
            packed[-1].append(_point(point.key, heading, chunk))
    packed = [p for p in packed if p]
    return [
        Slide(
            title=f"Sammanfattning: {summary.subject}",
            kicker=page_kicker(f"{kicker} · Sammanfattning i klartext", n, len(packed)),
            heading=summary.subject,
            kind="summary",
            provenance=provenance,
            body=body,
        )
        for n, body in enumerate(packed, start=1)
    ]


def _point(key: str, heading: str, items: list[str]) -> html.Section:
    return html.Section(
        className=f"summary-point summary-{key}",
        children=[html.H2(heading), html.Ul([html.Li(i) for i in items])],
    )


def _rows_table(
    caption: str,
    head: list[str],
    rows: list[html.Tr],
    kicker: str,
    heading: str,
    prov: Provenance,
    per_slide: int = ROWS_PER_SLIDE,
) -> list[Slide]:
    chunks = pages(rows, per_slide)
    return [
        Slide(
            title=f"{heading}: {caption}",
            kicker=page_kicker(kicker, n, len(chunks)),
            heading=heading,
            kind="table",
            provenance=prov,
            body=[
                html.Table(
                    className="slide-summary",
                    children=[
                        html.Caption(caption),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col", className="num" if i == 1 else None)
                                    for i, h in enumerate(head)
                                ]
                            )
                        ),
                        html.Tbody(chunk),
                    ],
                )
                if chunk
                else html.P("Inga indikatorer att visa.", className="slide-lead")
            ],
        )
        for n, chunk in enumerate(chunks, start=1)
    ]


def _indicator_row(row: KommunIndicator, note: str, with_county: bool) -> html.Tr:
    ind = row.indicator
    cells = [
        html.Th(
            [ind.short_title, html.Span(note, className="slide-note row-note", title=note)],
            scope="row",
        ),
        html.Td(
            [
                row.latest_text,
                html.Span(f" {row.latest_period}", className="slide-note")
                if row.latest_period
                else None,
            ],
            className="num",
        ),
        html.Td(change_badge(row.change)),
    ]
    if with_county:
        cells.append(html.Td(row.county_text or "–"))
    cells.append(html.Td(row.target_text if row.target else "inget mål"))
    return html.Tr(cells, **{"data-indicator": ind.id})


def strategy_slides(number: int) -> list[Slide]:
    store = context.store()
    strategy = next((s for s in catalogue_tree(store) if s.number == number), None)
    summary = strategy_summary(store, number)
    if strategy is None or summary is None:
        return []
    county = county_view_of(store, (i.id for ma in strategy.matomraden for i in ma.indicators))
    if county is None:
        return []
    rows = _by_id(county)
    headlines = [
        (ma.title, rows[i.id])
        for ma in strategy.matomraden
        for i in ma.indicators
        if i.headline and i.id in rows
    ]
    headlines = _once(headlines)
    kicker = f"Strategi {number}"
    prov = _provenance({r.indicator.source for _, r in headlines})
    return [
        *summary_slides(summary, kicker, prov),
        *_rows_table(
            f"Rubrikindikatorer för strategi {number}, länet",
            ["Indikator", "Länet", f"Sedan {county.baseline_year}", "Mål"],
            [_indicator_row(r, f" {ma}", with_county=False) for ma, r in headlines],
            kicker,
            strategy.title,
            prov,
        ),
    ]


def kommun_slides(code: str) -> list[Slide]:
    store = context.store()
    view = kommun_view(store, code)
    summary = kommun_summary(store, code)
    if view is None or summary is None:
        return []
    kicker = "Regionen" if view.is_region else "Kommun"
    rows = [
        (f" Strategi {st.number}", row)
        for st in view.strategies
        for ma in st.matomraden
        for row in ma.rows
    ]
    unique = _once(rows)
    prov = _provenance({r.indicator.source for _, r in unique})
    return [
        *summary_slides(summary, kicker, prov),
        *_rows_table(
            f"{view.area_name}: alla indikatorer med värden",
            [
                "Indikator",
                view.area_name,
                f"Sedan {view.baseline_year}",
                *(["Länet"] if not view.is_region else []),
                "Mål",
            ],
            [_indicator_row(r, n, with_county=not view.is_region) for n, r in unique],
            kicker,
            view.area_name,
            prov,
        ),
    ]


def group_slides(group_id: str) -> list[Slide]:
    store = context.store()
    group = strategigrupp_view(store, group_id)
    summary = group_summary(store, group_id)
    if group is None or summary is None:
        return []
    kicker = "Strategigrupp"
    prov = _provenance({g.indicator.source for g in group.indicators})
    rows = [
        html.Tr(
            [
                html.Th(area.name, scope="row"),
                *[
                    html.Td(str(group.counts[area.code][c]), className="num")
                    for c in (Change.IMPROVED, Change.UNCHANGED, Change.WORSENED)
                ],
                html.Td(
                    str(
                        group.counts[area.code][Change.CHANGED]
                        + group.counts[area.code][Change.NOT_COMPARABLE]
                    ),
                    className="num",
                ),
            ],
            **{"data-area": area.code},
        )
        for area in group.areas
    ]
    chunks = pages(rows, GROUP_ROWS_PER_SLIDE)
    head = ["Område", "▲ Förbättrats", "● Oförändrade", "▼ Försämrats", "Övriga"]
    tables = [
        Slide(
            title=f"Strategigrupp {group.name}: per område",
            kicker=page_kicker(f"{kicker} · per område", n, len(chunks)),
            heading=f"Strategigrupp {group.name}",
            kind="table",
            provenance=prov,
            body=[
                html.Table(
                    className="slide-summary slide-counts",
                    children=[
                        html.Caption(
                            f"Antal av gruppens {len(group.indicators)} indikatorer per område "
                            f"sedan {group.baseline_year}. Övriga: utan bättre riktning eller "
                            "inte jämförbara."
                        ),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col", className="num" if i else None)
                                    for i, h in enumerate(head)
                                ]
                            )
                        ),
                        html.Tbody(chunk),
                    ],
                )
            ],
        )
        for n, chunk in enumerate(chunks, start=1)
    ]
    return [*summary_slides(summary, kicker, prov), *tables]


def _by_id(view: KommunView) -> dict[str, KommunIndicator]:
    out: dict[str, KommunIndicator] = {}
    for st in view.strategies:
        for ma in st.matomraden:
            for row in ma.rows:
                out.setdefault(row.indicator.id, row)
    return out


def _once(pairs: list[tuple[str, KommunIndicator]]) -> list[tuple[str, KommunIndicator]]:
    """Each indicator once, where it first appears (some are listed under several mätområden)."""
    seen: set[str] = set()
    out = []
    for note, row in pairs:
        if row.indicator.id not in seen:
            seen.add(row.indicator.id)
            out.append((note, row))
    return out
