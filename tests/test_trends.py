"""Direction-aware change at the precision an indicator is shown with."""

import pytest

from indicators.vocabulary.domain import Direction
from indicators.vocabulary.trends import Change, classify_change

H, L, N = Direction.HIGHER_BETTER, Direction.LOWER_BETTER, Direction.NEITHER


@pytest.mark.parametrize(
    ("base", "latest", "direction", "decimals", "expected"),
    [
        (50.0, 55.0, H, 1, Change.IMPROVED),
        (50.0, 45.0, H, 1, Change.WORSENED),
        (50.0, 45.0, L, 1, Change.IMPROVED),
        (50.0, 55.0, L, 1, Change.WORSENED),
        (50.0, 55.0, N, 1, Change.CHANGED),
        (50.0, 50.04, H, 1, Change.UNCHANGED),  # same at one decimal
        (50.0, 50.06, H, 1, Change.IMPROVED),  # 50,0 → 50,1
        (14.6, 15.4, L, 0, Change.UNCHANGED),  # both shown as 15
        (0.42, 0.45, H, 2, Change.IMPROVED),
        (None, 50.0, H, 1, Change.NOT_COMPARABLE),
        (50.0, None, H, 1, Change.NOT_COMPARABLE),
    ],
)
def test_classify_change(base, latest, direction, decimals, expected):
    assert classify_change(base, latest, direction, decimals) is expected


def test_labels_are_swedish():
    assert [c.label for c in (Change.IMPROVED, Change.UNCHANGED, Change.WORSENED)] == [
        "förbättrats",
        "oförändrat",
        "försämrats",
    ]
