"""Mötesläge without views: the composer. A meeting starts from a preset (a strategy, a
strategigrupp, a kommun, or what moved since the last meeting), views can be added one at a time,
moved up and down and removed. Every choice is a plain link or a GET form, so the composer needs
no callback, works with the keyboard alone, and its address (`urval`) is itself shareable."""

from datetime import date, timedelta

from dash import dcc, html

from dashboard import context
from dashboard.ids import Moteslage as Ids
from dashboard.pages._moteslage_address import (
    AUTO_RANGE,
    GROUP_PREFIX,
    KOMMUN_PREFIX,
    PATH,
    STRATEGY_PREFIX,
    composer_href,
    deck_href,
    moved,
    parse_views,
    pdf_href,
)
from indicators.reads.followup.kommun import followup_areas
from indicators.reads.followup.since import since_meeting
from indicators.reads.models import StrategyOverview
from indicators.reads.queries import catalogue_tree, strategigrupper

SINCE_DAYS = 30


def view_labels(tree: list[StrategyOverview]) -> dict[str, str]:
    """What each view is called in the composer's list."""
    store = context.store()
    labels: dict[str, str] = {}
    for st in tree:
        labels[f"{STRATEGY_PREFIX}{st.number}"] = (
            f"Strategi {st.number}: {st.title} – sammanfattning och rubrikindikatorer"
        )
        for ma in st.matomraden:
            for ind in ma.indicators:
                labels.setdefault(ind.id, f"{ind.short_title} ({ind.id})")
    for gid, name in strategigrupper(store):
        labels[f"{GROUP_PREFIX}{gid}"] = f"Strategigrupp {name} – sammanfattning och områden"
    for code, name in followup_areas(store):
        labels[f"{KOMMUN_PREFIX}{code}"] = f"{name} – sammanfattning och alla indikatorer"
    return labels


def strategy_preset(st: StrategyOverview) -> list[str]:
    heads = [i.id for ma in st.matomraden for i in ma.indicators if i.headline]
    return [f"{STRATEGY_PREFIX}{st.number}", *dict.fromkeys(heads)]


def since_preset(since: date, tree: list[StrategyOverview]) -> list[str]:
    """The indicators that moved beyond their uncertainty since the date, in catalogue order."""
    moved_ids = {mv.indicator.id for mv in since_meeting(context.store(), since).movements}
    ordered = [i.id for st in tree for ma in st.matomraden for i in ma.indicators]
    return [i for i in dict.fromkeys(ordered) if i in moved_ids]


def _date(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return date.today() - timedelta(days=SINCE_DAYS)


def composer(chosen: list[str], auto: int | None, query: dict[str, str]) -> html.Div:
    tree = catalogue_tree(context.store())
    labels = view_labels(tree)
    note = None
    if query.get("forval"):
        chosen = parse_views(query["forval"])
    if query.get("sedan"):
        since = _date(query["sedan"])
        chosen = since_preset(since, tree)
        note = (
            f"{len(chosen)} indikatorer har rört sig mer än osäkerheten sedan {since.isoformat()}."
            if chosen
            else f"Inga indikatorer har rört sig mer än osäkerheten sedan {since.isoformat()}."
        )
    added = query.get("lagg-till")
    if added in labels and added not in chosen:
        chosen = [*chosen, added]
    chosen = [v for v in dict.fromkeys(chosen) if v in labels]
    return html.Div(
        className="page moteslage-composer",
        children=[
            html.H1("Mötesläge"),
            html.P(
                "Välj vad som ska visas på den gemensamma skärmen. Varje vy blir en eller flera "
                "bilder i stor text utan meny. Börja från en mall, lägg till och ordna vyerna, "
                "och starta. Länken går att spara och skicka till mötet.",
                className="lead",
            ),
            _presets(tree, labels),
            html.P(note, className="moteslage-note", role="status") if note else None,
            _chosen(chosen, labels, auto),
            _add(chosen, labels, auto),
            _start(chosen, auto),
            html.Ul(
                [
                    html.Li("→, Page Down eller mellanslag: nästa bild"),
                    html.Li("←, Page Up: föregående bild; Home och End: första och sista"),
                    html.Li("F: helskärm · P: pausa automatisk visning · Esc: avsluta"),
                ],
                className="moteslage-keys",
            ),
        ],
    )


def _presets(tree: list[StrategyOverview], labels: dict[str, str]) -> html.Section:
    store = context.store()
    return html.Section(
        className="moteslage-presets",
        **{"aria-labelledby": Ids.PRESETS},
        children=[
            html.H2("Börja från en mall", id=Ids.PRESETS),
            html.Div(
                className="preset-groups",
                children=[
                    html.Div(
                        [
                            html.H3("En strategi"),
                            html.Ul(
                                [
                                    html.Li(
                                        dcc.Link(
                                            f"Strategi {st.number}: {st.title}",
                                            href=composer_href(strategy_preset(st)),
                                        )
                                    )
                                    for st in tree
                                ]
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            html.H3("En strategigrupp"),
                            html.Ul(
                                [
                                    html.Li(
                                        dcc.Link(name, href=composer_href([f"{GROUP_PREFIX}{gid}"]))
                                    )
                                    for gid, name in strategigrupper(store)
                                ]
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            html.H3("En kommun"),
                            html.Form(
                                method="get",
                                action=PATH,
                                className="preset-form",
                                children=[
                                    html.Label("Kommun eller regionen", htmlFor=Ids.KOMMUN),
                                    html.Select(
                                        id=Ids.KOMMUN,
                                        name="forval",
                                        children=[
                                            html.Option(name, value=f"{KOMMUN_PREFIX}{code}")
                                            for code, name in followup_areas(store)
                                        ],
                                    ),
                                    html.Button("Välj kommunen", type="submit"),
                                ],
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            html.H3("Sedan förra mötet"),
                            html.Form(
                                method="get",
                                action=PATH,
                                className="preset-form",
                                children=[
                                    html.Label("Förra mötets datum", htmlFor=Ids.SINCE),
                                    dcc.Input(
                                        id=Ids.SINCE,
                                        name="sedan",
                                        type="date",
                                        value=(
                                            date.today() - timedelta(days=SINCE_DAYS)
                                        ).isoformat(),
                                    ),
                                    html.Button("Välj det som rört sig", type="submit"),
                                ],
                            ),
                        ]
                    ),
                ],
            ),
        ],
    )


def _chosen(chosen: list[str], labels: dict[str, str], auto: int | None) -> html.Section:
    def move(index: int, offset: int, text: str, what: str) -> html.A | html.Span:
        target = index + offset
        place = f"{what}-{index}"
        if not 0 <= target < len(chosen):
            return html.Span(text, className="move-btn disabled", **{"aria-hidden": "true"})
        # A plain link: the page is drawn anew, and moteslage.js puts the focus back on the
        # same button of the moved view (data-fokus), so a keyboard user can go on moving it.
        return html.A(
            text,
            href=composer_href(moved(chosen, index, offset), auto),
            className="move-btn",
            title=f"{what}: {labels[chosen[index]]}",
            **{
                "aria-label": f"{what}: {labels[chosen[index]]}",
                "data-plats": place,
                "data-fokus": f"{what}-{target}",
            },
        )

    items = [
        html.Li(
            className="chosen-view",
            **{"data-vy": view},
            children=[
                html.Span(labels[view], className="chosen-label"),
                html.Span(
                    className="chosen-actions",
                    children=[
                        move(n, -1, "↑ Upp", "Flytta upp"),
                        move(n, 1, "↓ Ned", "Flytta ned"),
                        html.A(
                            "Ta bort",
                            href=composer_href([v for v in chosen if v != view], auto),
                            className="move-btn",
                            **{"aria-label": f"Ta bort: {labels[view]}"},
                        ),
                    ],
                ),
            ],
        )
        for n, view in enumerate(chosen)
    ]
    return html.Section(
        className="moteslage-chosen",
        **{"aria-labelledby": Ids.CHOSEN},
        children=[
            html.H2(f"Mötets vyer i visningsordning ({len(chosen)})", id=Ids.CHOSEN),
            html.Ol(items, className="chosen-list")
            if items
            else html.P(
                "Inga vyer valda ännu. Välj en mall eller lägg till en vy.", id=Ids.SUMMARY
            ),
        ],
    )


def _add(chosen: list[str], labels: dict[str, str], auto: int | None) -> html.Form:
    return html.Form(
        method="get",
        action=PATH,
        className="moteslage-add",
        children=[
            dcc.Input(type="hidden", name="urval", value=",".join(chosen)),
            dcc.Input(type="hidden", name="auto", value=str(auto or "")),
            html.Label("Lägg till en vy", htmlFor=Ids.CHOICE),
            html.Select(
                id=Ids.CHOICE,
                name="lagg-till",
                children=[
                    html.Option(label, value=view)
                    for view, label in labels.items()
                    if view not in chosen
                ],
            ),
            html.Button("Lägg till", type="submit"),
        ],
    )


def _start(chosen: list[str], auto: int | None) -> html.Form:
    """A GET form to the deck itself: the pace typed here goes into the deck's address."""
    return html.Form(
        method="get",
        action=PATH,
        className="moteslage-start",
        children=[
            dcc.Input(type="hidden", name="vyer", value=",".join(chosen)),
            html.Label("Byt bild automatiskt var (sekunder, tomt = aldrig)", htmlFor=Ids.AUTO),
            dcc.Input(
                id=Ids.AUTO,
                name="auto",
                type="number",
                min=AUTO_RANGE[0],
                max=AUTO_RANGE[1],
                step=1,
                value=auto,
                className="auto-input",
            ),
            html.Button(
                "Starta mötesläget",
                id=Ids.START,
                type="submit",
                className="start-link",
                disabled=not chosen,
            ),
            html.A("Hela mötet som PDF", href=pdf_href(chosen), className="pdf-link")
            if chosen
            else None,
            html.P(
                ["Mötets adress: ", html.Code(deck_href(chosen))],
                className="muted deck-address",
            )
            if chosen
            else None,
        ],
    )
