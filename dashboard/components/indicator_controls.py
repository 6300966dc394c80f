"""The controls above the Indikator page's charts: which kommuner, which kön, which period.
Native inputs from dash-bootstrap-components, each group a fieldset with a legend."""

import dash_bootstrap_components as dbc
from dash import html

from dashboard.ids import Indikator as Ids
from indicators.vocabulary.domain import Gender


def selection_controls(
    kommuner: list[tuple[str, str]],
    selected: list[str],
    gender: str,
    by_gender: bool,
    periods: list[str],
    period: str | None,
    regional_only: bool,
) -> html.Section:
    """`kommuner` as (code, name) in the county's order; a group the indicator has no use for
    is hidden rather than left out, so the callbacks always find their inputs."""
    return html.Section(
        className="controls",
        **{"aria-label": "Val för diagrammen"},
        children=[
            html.Fieldset(
                [
                    html.Legend("Kommuner i diagrammet"),
                    html.Div(
                        [
                            html.Button("Alla", id=Ids.ALLA, className="btn-small", type="button"),
                            html.Button("Inga", id=Ids.INGA, className="btn-small", type="button"),
                        ],
                        className="button-row",
                    ),
                    dbc.Checklist(
                        id=Ids.KOMMUNER,
                        options=[{"label": name, "value": code} for code, name in kommuner],
                        value=selected,
                        inline=True,
                        className="kommun-checklist",
                    ),
                ],
                hidden=regional_only,
            ),
            html.P(
                "Indikatorn redovisas för regioner och riket, inte per kommun.",
                className="muted",
            )
            if regional_only
            else None,
            html.Fieldset(
                [
                    html.Legend("Kön"),
                    dbc.RadioItems(
                        id=Ids.GENDER,
                        name="kon",
                        options=[{"label": g.label, "value": g.value} for g in Gender],
                        value=gender,
                        inline=True,
                    ),
                ],
                hidden=not by_gender,
            ),
            html.Fieldset(
                [
                    html.Legend("Period"),
                    html.Label("Jämför kommunerna år", htmlFor=Ids.PERIOD, className="field-label"),
                    dbc.Select(
                        id=Ids.PERIOD,
                        options=[{"label": p, "value": p} for p in reversed(periods)],
                        value=period,
                        className="period-select",
                    ),
                ],
                hidden=not periods,
            ),
        ],
    )
