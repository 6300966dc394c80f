"""The table alternative to the ranking chart: the kommuner in one period with their
uncertainty intervals and, when targets are set, where each stands against its target."""

import pandas as pd
from dash import html

from dashboard.components.target_progress import period_year
from dashboard.ids import Indikator as Ids
from indicators.reads.models import IndicatorDetail, Ranking, TargetInfo
from indicators.reads.ranking import gap_text
from indicators.reads.targets import applicable_target, target_status
from indicators.vocabulary.domain import MISSING_WORD
from indicators.vocabulary.formatting import format_value


def ranking_table(ranking: Ranking, detail: IndicatorDetail, targets: list[TargetInfo]) -> list:
    s = detail.summary
    year = period_year(ranking.period) or 0
    with_targets = bool(targets)

    def fmt(v: float | None) -> str:
        return format_value(v, s.decimals, "")

    head = ["Kommun", f"Värde ({s.unit})"]
    if ranking.has_intervals:
        head.append("95 % osäkerhetsintervall")
    if with_targets:
        head.append("Mot målvärdet")
    rows = []
    for code, name, value, low, high in ranking.bars.itertuples(index=False):
        cells = [html.Th(name, scope="row"), html.Td(fmt(value), className="num value")]
        if ranking.has_intervals:
            cells.append(
                html.Td(f"{fmt(low)}–{fmt(high)}" if pd.notna(low) else "", className="num")
            )
        if with_targets:
            target = applicable_target(targets, code, year)
            status = target_status(value, target.value if target else None, s.direction, s.decimals)
            cells.append(html.Td(status.label, className="goal-status"))
        rows.append(html.Tr(cells, **{"data-area": code}))
    for code, name, label in ranking.gaps:
        cells = [html.Th(name, scope="row"), html.Td(label, className="num value status")]
        cells += [html.Td("")] * (len(head) - 2)
        rows.append(html.Tr(cells, **{"data-area": code}))
    for name, value in (
        (ranking.county_name, ranking.county),
        (ranking.nation_name, ranking.nation),
    ):
        if name:
            cells = [
                html.Th(name, scope="row"),
                html.Td(fmt(value) or MISSING_WORD, className="num"),
            ]
            cells += [html.Td("")] * (len(head) - 2)
            rows.append(html.Tr(cells, className="reference"))
    children: list = [
        html.Table(
            [
                html.Caption(f"{s.short_title}, kommunerna {ranking.period}"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
            className="data-table ranking-table",
            id=f"{Ids.RANKING_TABLE}-data",
        ),
        html.P(ranking.note, className="muted note"),
    ]
    if ranking.gaps:
        children.append(html.P(gap_text(ranking), className="muted note"))
    return children
