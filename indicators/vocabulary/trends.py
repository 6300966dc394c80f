"""Direction-aware change between two values, at the precision the indicator is shown with."""

from enum import StrEnum

from indicators.vocabulary.domain import Direction
from indicators.vocabulary.formatting import round_half_up


class Change(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSENED = "worsened"
    CHANGED = "changed"  # moved, but the indicator has no better direction
    NOT_COMPARABLE = "not_comparable"

    @property
    def label(self) -> str:
        return {
            Change.IMPROVED: "förbättrats",
            Change.UNCHANGED: "oförändrat",
            Change.WORSENED: "försämrats",
            Change.CHANGED: "förändrats",
            Change.NOT_COMPARABLE: "kan inte jämföras",
        }[self]


def classify_change(
    base: float | None, latest: float | None, direction: Direction, decimals: int
) -> Change:
    """Values equal at the shown precision count as unchanged, so a change invisible in the
    table is never called an improvement."""
    if base is None or latest is None:
        return Change.NOT_COMPARABLE
    delta = round_half_up(latest, decimals) - round_half_up(base, decimals)
    if abs(delta) < 0.5 * 10**-decimals:
        return Change.UNCHANGED
    if direction is Direction.NEITHER:
        return Change.CHANGED
    better = delta > 0 if direction is Direction.HIGHER_BETTER else delta < 0
    return Change.IMPROVED if better else Change.WORSENED
