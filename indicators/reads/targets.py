"""Targets (målvärden): per indicator and year, for the whole county or one kommun.

A target with area_code None is the county's target and applies to every area that has none of
its own. Targets are yearly ("Mål 2030"): period_type year, period_start 1 January.

Status against a target (target_status) compares values as they are shown, rounded to the
indicator's decimals, so that "90,0 %" against a target of 90 % reads as reached:
- uppnått (✓): the value is at or beyond the target in the good direction (for direction
  "neither": equal to it);
- nära (≈): not reached, but within NEAR_SHARE (5 %) of the target's size, or one unit of the
  last shown decimal when the target is 0;
- ej uppnått (✗): further away;
- inget mål (–) / inget värde (–): nothing to compare.
"""

import math

from sqlalchemy import select

from indicators.reads.cache import cached_query
from indicators.reads.common import area_names
from indicators.reads.models import TargetInfo, TargetStatus
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, Direction
from indicators.vocabulary.formatting import round_half_up

NEAR_SHARE = 0.05
COUNTY_LABEL = "hela länet"


def target_info(t: m.Target, names: dict[str, str]) -> TargetInfo:
    return TargetInfo(
        id=t.id,
        indicator_id=t.indicator_id,
        area_code=t.area_code,
        area_name=COUNTY_LABEL if t.area_code is None else names.get(t.area_code, t.area_code),
        year=t.period_start.year,
        value=t.value,
        note=t.note,
        set_by=t.set_by,
        set_at=t.set_at,
    )


@cached_query()
def targets_for(store: Store, indicator_id: str) -> list[TargetInfo]:
    """Every target of one indicator: county-wide first, then by area code, then year."""
    return targets_by_indicator(store, [indicator_id]).get(indicator_id, [])


@cached_query()
def targets_by_indicator(store: Store, indicator_ids: list[str]) -> dict[str, list[TargetInfo]]:
    """Targets of many indicators at once (for overview pages), same order as targets_for."""
    with session_scope(store.url) as s:
        names = area_names(s)
        rows = s.scalars(select(m.Target).where(m.Target.indicator_id.in_(indicator_ids))).all()
        infos = [target_info(t, names) for t in rows]
    infos.sort(key=lambda t: (t.indicator_id, t.area_code is not None, t.area_code or "", t.year))
    out: dict[str, list[TargetInfo]] = {}
    for t in infos:
        out.setdefault(t.indicator_id, []).append(t)
    return out


def applicable_target(
    targets: list[TargetInfo], area_code: str | None, year: int
) -> TargetInfo | None:
    """The target a value of `area_code` in `year` is measured against: the area's own target
    before the county's, and of its targets the first in or after `year` (the goal still ahead),
    else the last one. The county itself (COUNTY_CODE) uses the county-wide target."""
    if area_code == COUNTY_CODE:
        area_code = None
    own = [t for t in targets if t.area_code == area_code and area_code is not None]
    pool = own or [t for t in targets if t.area_code is None]
    if not pool:
        return None
    ahead = sorted((t for t in pool if t.year >= year), key=lambda t: t.year)
    return ahead[0] if ahead else max(pool, key=lambda t: t.year)


def target_status(
    value: float | None, target: float | None, direction: Direction, decimals: int
) -> TargetStatus:
    """Where a value stands against its target, as it reads when both are shown rounded."""
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return TargetStatus.NO_TARGET
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return TargetStatus.NO_VALUE
    shown = round_half_up(float(value), decimals)
    goal = round_half_up(float(target), decimals)
    tolerance = abs(goal) * NEAR_SHARE if goal != 0 else 10.0**-decimals
    direction = Direction(direction)
    if direction is Direction.HIGHER_BETTER:
        reached, gap = shown >= goal, goal - shown
    elif direction is Direction.LOWER_BETTER:
        reached, gap = shown <= goal, shown - goal
    else:
        reached, gap = shown == goal, abs(shown - goal)
    if reached:
        return TargetStatus.ACHIEVED
    # a small epsilon so that exactly 5 % away counts as near despite binary fractions
    return TargetStatus.NEAR if gap <= tolerance + 1e-9 else TargetStatus.NOT_ACHIEVED
