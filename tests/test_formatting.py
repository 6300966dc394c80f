"""Swedish number formatting."""

import pytest

from indicators.vocabulary.formatting import format_number, format_value


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (45.25, 1, "45,3"),  # half away from zero, as Kolada and Excel; not banker's rounding
        (45.24, 1, "45,2"),
        (2.675, 2, "2,68"),  # binary 2.67499…, but written and read as 2.675
        (-2.5, 0, "\u22123"),
        (1234567.0, 0, "1\u00a0234\u00a0567"),
        (0.4567, 2, "0,46"),
        (-3.5, 1, "\u22123,5"),
        (-0.01, 1, "0,0"),
        (None, 1, ""),
        (float("nan"), 1, ""),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_value_with_units():
    assert format_value(45.2, 1, "%") == "45,2\u00a0%"
    assert format_value(61.0, 0, "dagar") == "61\u00a0dagar"
    assert format_value(0.52, 2, "index (0–1)") == "0,52"
    assert format_value(None, 1, "%") == ""
