"""Mötesläge without views: the composer, where the reader ticks the views of a meeting and
gets the link that starts it. Its callback keeps the link and the summary in step with the
choices."""

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import context
from dashboard.ids import Moteslage as Ids
from dashboard.pages._moteslage_address import AUTO_RANGE, PATH, deck_href, parse_auto
from indicators.reads.queries import catalogue_tree


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
