"""Targets (målvärden, indicators/reads/targets.py) as the follow-up pages use them: the target that
applies to each area and indicator in a given year, and the direction-aware distance to it."""

from collections.abc import Sequence

from indicators.reads.models import TargetInfo
from indicators.reads.targets import applicable_target, targets_by_indicator
from indicators.store.store import Store
from indicators.vocabulary.domain import Direction


def goals_for_areas(
    store: Store, indicator_ids: Sequence[str], area_codes: Sequence[str], years: dict[str, int]
) -> dict[str, dict[str, TargetInfo]]:
    """area → indicator → the target its value in `years[indicator]` is measured against (the
    area's own before the county's, the first one still ahead)."""
    targets = targets_by_indicator(store, list(indicator_ids))
    out: dict[str, dict[str, TargetInfo]] = {a: {} for a in area_codes}
    for ind, found in targets.items():
        if ind not in years:
            continue
        for area in area_codes:
            target = applicable_target(found, area, years[ind])
            if target is not None:
                out[area][ind] = target
    return out


def goal_distance(
    value: float | None, target: TargetInfo | None, direction: Direction
) -> float | None:
    """How far the value is from the target in the indicator's unit, positive when it is at or
    beyond it in the good direction. None without a value, a target or a direction."""
    if value is None or target is None or direction is Direction.NEITHER:
        return None
    diff = value - target.value
    return diff if direction is Direction.HIGHER_BETTER else -diff
