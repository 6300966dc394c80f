"""Sedan förra mötet: given the date of the last meeting, what was imported since and which
indicators moved beyond their uncertainty in which kommuner. The date lives in the URL
(?datum=2026-10-01); one callback owns date ↔ URL, as on the Indikator page."""

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, ctx, dcc, html

from dashboard import context
from dashboard.components import lean
from dashboard.components.change_words import change_cell, change_text
from dashboard.components.delivery import late_list
from dashboard.components.interactive.downloads import (
    download_bar,
    download_data_id,
    download_source,
    source_payload,
)
from dashboard.components.tables import scroll_region
from dashboard.ids import Sedan as Ids
from indicators.reads.completeness import late_deliveries
from indicators.reads.followup.since import since_meeting
from indicators.reads.models import LateDelivery, Movement, SinceMeeting
from indicators.vocabulary.deadlines import swedish_today
from indicators.vocabulary.formatting import (
    count_phrase,
    format_date,
    format_moment,
    format_number,
)
from indicators.vocabulary.trends import Certainty

# The tables' rows are made lean (dashboard.components.lean): over a thousand elements.
H = lean.html

dash.register_page(
    __name__,
    path="/sedan-forra-motet",
    name="Sedan förra mötet",
    title="Sedan förra mötet – Tillsammans 2021–2030",
    description="Vad som lästs in sedan ett datum och vilka indikatorer som rört sig.",
    order=60,
    nav=True,
)

DEFAULT_DAYS = 30


def default_date() -> date:
    return date.today() - timedelta(days=DEFAULT_DAYS)


def parse_date(raw: str | None) -> date:
    """A date from the URL or the input; anything unreadable means the default."""
    try:
        return date.fromisoformat(raw) if raw else default_date()
    except ValueError:
        return default_date()


def layout(datum: str | None = None, **_query: str) -> html.Div:
    chosen = parse_date(datum)
    return html.Div(
        className="page sedan",
        children=[
            dcc.Location(id=Ids.URL, refresh=False),
            html.H1("Sedan förra mötet"),
            html.P(
                "Ange datumet för förra mötet. Sidan visar vilka filer som lästs in sedan dess "
                "och i vilka kommuner en indikator rört sig mer än osäkerheten: senaste "
                "perioden jämförs med perioden före.",
                className="lead",
            ),
            html.Section(
                className="controls since-controls",
                **{"aria-label": "Val av datum"},
                children=html.Div(
                    [
                        html.Label("Förra mötet", htmlFor=Ids.DATE),
                        dbc.Input(
                            id=Ids.DATE,
                            type="date",
                            value=chosen.isoformat(),
                            debounce=True,
                            name="datum",
                        ),
                    ],
                    className="control",
                ),
            ),
            html.Div(
                download_bar("sedan", png_graph_id=None, filename="sedan-forra-motet"),
                className="page-actions",
            ),
            html.Div(id=Ids.CONTENT, **{"aria-live": "polite"}),
        ],
    )


@callback(
    Output(Ids.DATE, "value"),
    Output(Ids.CONTENT, "children"),
    Output(download_data_id("sedan"), "data"),
    Output(Ids.URL, "search"),
    Input(Ids.DATE, "value"),
    Input(Ids.URL, "search"),
)
def update_view(value: str | None, search: str | None) -> tuple:
    """The input writes the URL; the URL (a link, back, forward) sets the input."""
    if ctx.triggered_id in (Ids.URL, None):
        query = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
        chosen = parse_date(query.get("datum"))
    else:
        chosen = parse_date(value)
    result = since_meeting(context.store(), chosen)
    late = late_deliveries(context.store(), swedish_today())
    new_search = f"?{urlencode({'datum': chosen.isoformat()})}"
    url = dash.no_update if ctx.triggered_id in (Ids.URL, None) else new_search
    # The file is built when someone clicks: the page carries the date.
    day = chosen.isoformat()
    payload = source_payload("sedan", filename=f"sedan-{day}", day=day)
    return chosen.isoformat(), _content(result, late), payload, url


@download_source("sedan")
def download_frame(day: str) -> pd.DataFrame:
    """What moved since the day (an ISO date from the page), as on the page."""
    return _frame(since_meeting(context.store(), date.fromisoformat(day)))


def _content(r: SinceMeeting, late: tuple[LateDelivery, ...] = ()) -> list:
    return [
        html.Section(
            className="since-imports",
            **{"aria-labelledby": Ids.IMPORTS_HEADING},
            children=[
                html.H2(f"Inläst sedan {format_date(r.since)}", id=Ids.IMPORTS_HEADING),
                *_imports(r),
            ],
        ),
        html.Section(
            className="since-late",
            **{"aria-labelledby": Ids.LATE_HEADING},
            children=[
                html.H2("Försenad inrapportering", id=Ids.LATE_HEADING),
                html.P(
                    [
                        "Mått som kommunerna eller regionen lämnar in själva, för den senaste "
                        "perioden vars sista inlämningsdag har passerat. Hela bilden finns på "
                        "sidan ",
                        dcc.Link("Inrapportering", href="/inrapportering"),
                        ".",
                    ],
                    className="muted",
                ),
                late_list(late, list_id=Ids.LATE),
            ],
        ),
        html.Section(
            className="since-moved",
            **{"aria-labelledby": Ids.MOVEMENTS_HEADING},
            children=[
                html.H2("Indikatorer som rört sig", id=Ids.MOVEMENTS_HEADING),
                *_moved(r),
            ],
        ),
    ]


def _imports(r: SinceMeeting) -> list:
    out: list = []
    if not r.batches:
        last = (
            f" Senaste inläsningen var {_day(r.last_batch.imported_at)} "
            f"({r.last_batch.source_name})."
            if r.last_batch
            else " Inga värden är inlästa ännu."
        )
        out.append(
            html.P(
                f"Inget har lästs in sedan {format_date(r.since)}.{last}",
                id=Ids.NO_IMPORTS,
            )
        )
    if r.only_demo or (not r.batches and r.last_batch and r.last_batch.is_demo):
        out.append(
            html.P(
                "Lagret innehåller bara Exempeldata: genererade värden, inte verkliga "
                "resultat. Det finns därför ingen riktig importhistorik att visa, och "
                "rörelserna nedan är påhittade. Läs in riktiga filer under Importera.",
                className="honest-note",
                id=Ids.ONLY_DEMO,
            )
        )
    if r.undone:
        out.append(
            html.P(
                f"{r.undone} inläsning{'ar' if r.undone != 1 else ''} sedan dess har ångrats "
                "och räknas inte.",
                className="muted",
            )
        )
    if r.batches:
        out.append(
            scroll_region(
                html.Table(
                    [
                        html.Caption("Inlästa filer, senaste först"),
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col", className=c)
                                    for h, c in [
                                        ("Fil", ""),
                                        ("Format", ""),
                                        ("Inläst av", ""),
                                        ("När", ""),
                                        ("Nya", "num"),
                                        ("Ändrade", "num"),
                                        ("Oförändrade", "num"),
                                        ("Avvisade", "num"),
                                    ]
                                ]
                            )
                        ),
                        html.Tbody(
                            [
                                H.Tr(
                                    [
                                        H.Th(
                                            [
                                                b.source_name,
                                                H.Span(" Exempeldata", className="ind-meta")
                                                if b.is_demo
                                                else None,
                                            ],
                                            scope="row",
                                        ),
                                        H.Td(b.format_label),
                                        H.Td(b.imported_by),
                                        H.Td(_when(b.imported_at)),
                                        H.Td(_count(b.rows_new), className="num"),
                                        H.Td(_count(b.rows_changed), className="num"),
                                        H.Td(_count(b.rows_unchanged), className="num"),
                                        H.Td(_count(b.rows_rejected), className="num"),
                                    ],
                                    **{"data-batch": str(b.id)},
                                )
                                for b in r.batches
                            ]
                        ),
                    ],
                    className="data-table since-batches",
                    id=Ids.IMPORT_TABLE,
                ),
                label="Inlästa filer",
            )
        )
    return out


def _count(n: int) -> str:
    return format_number(n, 0)


def _moved(r: SinceMeeting) -> list:
    if not r.batches:
        return [
            html.P("Inga nya eller ändrade värden, så inget kan ha rört sig.", className="muted")
        ]
    areas = r.by_area()
    intro = html.P(
        f"{count_phrase(len(r.movements), 'rörelse', 'rörelser')} i "
        f"{count_phrase(len(areas), 'område', 'områden')}, bland "
        f"{count_phrase(r.examined, 'serie', 'serier')} med nya eller ändrade värden. "
        "Med täljare och nämnare räknas en rörelse när 95 %-"
        "Wilsonintervallen för de två perioderna inte överlappar; utan dem listas en "
        "förändring som syns med visad noggrannhet och märks ”osäkerhet okänd”.",
        className="muted",
        id=Ids.COUNT,
    )
    if not areas:
        return [intro]
    return [
        intro,
        *[
            html.Section(
                className="since-area",
                **{"data-area": code, "aria-labelledby": f"sedan-omrade-{code}"},
                children=[
                    html.H3(name, id=f"sedan-omrade-{code}"),
                    scroll_region(_movement_table(name, moves), label=f"Rörelser i {name}"),
                ],
            )
            for code, name, moves in areas
        ],
    ]


def _movement_table(name: str, moves: list[Movement]) -> html.Table:
    return html.Table(
        [
            html.Caption(f"Indikatorer som rört sig i {name}", className="visually-hidden"),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Indikator", scope="col"),
                        html.Th("Perioden före", scope="col", className="num"),
                        html.Th("Senaste", scope="col", className="num"),
                        html.Th("Förändring", scope="col"),
                        html.Th("Osäkerhet", scope="col"),
                    ]
                )
            ),
            html.Tbody([_movement_row(mv) for mv in moves]),
        ],
        className="data-table since-movements",
    )


def _movement_row(mv: Movement) -> lean.Element:
    ind = mv.indicator
    return H.Tr(
        [
            H.Th(
                lean.link(ind.short_title, f"/indikator/{ind.id}"),
                scope="row",
            ),
            H.Td(
                [mv.previous_text, H.Span(f" {mv.previous_period}", className="period")],
                className="num previous",
            ),
            H.Td(
                [mv.latest_text, H.Span(f" {mv.latest_period}", className="period")],
                className="num latest",
            ),
            change_cell(mv.change),
            H.Td(_certainty(mv), className="certainty"),
        ],
        **{"data-indicator": ind.id, "data-certainty": mv.certainty.value},
    )


def _certainty(mv: Movement) -> str:
    if mv.certainty is Certainty.WILSON and mv.previous_interval and mv.latest_interval:
        d = mv.indicator.decimals
        before = "–".join(format_number(v, d) for v in mv.previous_interval)
        after = "–".join(format_number(v, d) for v in mv.latest_interval)
        return f"utanför osäkerheten (95 %: {before} mot {after})"
    return mv.certainty.label


def _frame(r: SinceMeeting) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Område": mv.area_name,
                "Områdeskod": mv.area_code,
                "Indikator": mv.indicator.id,
                "Indikatornamn": mv.indicator.short_title,
                "Perioden före": mv.previous_period,
                "Värde före": mv.previous_value,
                "Senaste period": mv.latest_period,
                "Senaste värde": mv.latest_value,
                "Förändring": change_text(mv.change),
                "Osäkerhet": _certainty(mv),
            }
            for mv in r.movements
        ],
        columns=[
            "Område",
            "Områdeskod",
            "Indikator",
            "Indikatornamn",
            "Perioden före",
            "Värde före",
            "Senaste period",
            "Senaste värde",
            "Förändring",
            "Osäkerhet",
        ],
    )


def _day(moment: datetime) -> str:
    return format_date(moment)  # format_date puts a moment on its Swedish day


def _when(moment: datetime) -> str:
    """The moment in Swedish time (the store keeps UTC): '2 april 2026 09:30'."""
    return format_moment(moment)
