"""How an indicator stands against its målvärden: the target lines drawn into its charts and
the one-line summary for the county above them."""

import pandas as pd
from dash import html

from dashboard.components.figures.base import kommun_colour
from dashboard.components.figures.targetline import TargetLine
from dashboard.ids import Indikator as Ids
from indicators.reads.models import IndicatorDetail, IndicatorSummary, TargetInfo
from indicators.reads.targets import applicable_target, target_status
from indicators.vocabulary.domain import COUNTY_CODE, ObservationStatus
from indicators.vocabulary.formatting import format_value
from indicators.vocabulary.periods import period_last_year

MAX_OWN_TARGET_LINES = 3  # more kommun-specific target lines than this would bury the series


def period_year(period: str | None) -> int | None:
    """The year a period's targets are read for: its last year (2024 for pooled "2021–2024")."""
    if not period:
        return None
    return period_last_year(period) or int(period[:4])


def target_line(
    target: TargetInfo, s: IndicatorSummary, prefix: str = "", colour: str | None = None
) -> TargetLine:
    label = f"{prefix}{target.label(s.decimals, s.unit)}"
    return TargetLine(target.value, label, colour) if colour else TargetLine(target.value, label)


def series_target_lines(
    targets: list[TargetInfo], chosen: list[str], year: int | None, s: IndicatorSummary
) -> list[TargetLine]:
    """The county's target ahead of the latest period, and the own targets of up to three
    chosen kommuner (more would bury the lines they belong to)."""
    if year is None:
        return []
    lines = []
    county = applicable_target(targets, None, year)
    if county is not None:
        lines.append(target_line(county, s))
    own = [c for c in chosen if any(t.area_code == c for t in targets)]
    if len(own) <= MAX_OWN_TARGET_LINES:
        for code in own:
            target = applicable_target(targets, code, year)
            if target is not None:
                lines.append(target_line(target, s, f"{target.area_name}: ", kommun_colour(code)))
    return lines


def target_summary(
    detail: IndicatorDetail, frame: pd.DataFrame, period: str | None, targets: list[TargetInfo]
) -> list:
    """'Region Jönköpings län 2024: 67,4 % · Mål 2030: 90,0 % · ✗ ej uppnått' — words and a
    symbol, never colour alone."""
    s = detail.summary
    if period is None:
        return []
    target = applicable_target(targets, None, period_year(period) or 0)
    if target is None:
        return [
            "Inget målvärde är satt för länet. Analytiker kan sätta ett under ",
            html.A("Målvärden", href=f"#{Ids.TARGETS_HEADING}"),
            ".",
        ]
    county = frame[(frame["area_code"] == COUNTY_CODE) & (frame["period"] == period)]
    value = None
    if not county.empty and county.iloc[0]["status"] == ObservationStatus.OK:
        value = float(county.iloc[0]["value"])
    status = target_status(value, target.value, s.direction, s.decimals)
    shown = format_value(value, s.decimals, s.unit) if value is not None else "inget värde"
    name = county.iloc[0]["area_name"] if not county.empty else "Länet"
    return [
        f"{name} {period}: {shown} · {target.label(s.decimals, s.unit)} · ",
        html.Strong(status.label, className=f"goal-status goal-{status.name.lower()}"),
    ]
