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


def test_moments_are_shown_in_swedish_time_summer_and_winter():
    from datetime import UTC, datetime

    from indicators.vocabulary.formatting import format_date, format_moment, format_timestamp

    summer = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # already 2 July in Sweden
    winter = datetime(2026, 1, 15, 9, 5)  # naive: UTC, as SQLite hands it back
    assert format_moment(summer) == "2 juli 2026 00:30"
    assert format_date(summer) == "2 juli 2026"
    assert format_moment(winter) == "15 januari 2026 10:05"
    assert format_timestamp(winter) == "2026-01-15 10:05:00"


def test_one_function_formats_times():
    """No module outside vocabulary/formatting.py writes a clock time itself (an f-string or
    strftime with %H), so no page or file can fall back to UTC."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    clock = re.compile(r"%H")
    offenders = [
        str(path.relative_to(root))
        for folder in ("indicators", "dashboard")
        for path in (root / folder).rglob("*.py")
        if path.name != "formatting.py" and clock.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
