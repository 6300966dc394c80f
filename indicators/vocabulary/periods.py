"""Periods: a type and a start date, shown in one canonical form."""

import re
from collections.abc import Iterable
from datetime import date, timedelta

from indicators.vocabulary.domain import MAX_POOLED_YEARS, PeriodType

# Between the years of a pooled period: an en dash, as Swedish writes a span ("2021–2024").
# parse_period also reads a hyphen, as the sources write it ("2021-2024").
SPAN_DASH = "\u2013"


def period_label(period_type: PeriodType, start: date) -> str:
    years = period_type.pooled_years
    if years is not None:
        return f"{start.year}{SPAN_DASH}{start.year + years - 1}"
    match period_type:
        case PeriodType.YEAR:
            return f"{start.year}"
        case PeriodType.HALF_YEAR:
            return f"{start.year}H{1 if start.month <= 6 else 2}"
        case PeriodType.TERTIAL:
            return f"{start.year}T{(start.month - 1) // 4 + 1}"
        case PeriodType.QUARTER:
            return f"{start.year}Q{(start.month - 1) // 3 + 1}"
        case PeriodType.MONTH:
            return f"{start.year}M{start.month:02d}"
    raise ValueError(f"okänd periodtyp: {period_type}")


_PERIOD = re.compile(r"^(\d{4})(?:([HTQM])(\d{1,2}))?$")
_SPAN = re.compile(r"^(\d{4})\s*[-\u2013]\s*(\d{4})$")


def period_order(period_type: PeriodType, start: date) -> tuple[date, int]:
    """Where a period sorts among the others: by its start, except that pooled years sort just
    after their last year ("2021–2024" after 2024), since that is when they are known and what
    they are compared with."""
    years = period_type.pooled_years
    if years is not None:
        return date(start.year + years - 1, 1, 1), years
    return start, 0


def sorted_labels(labels: Iterable[str]) -> list[str]:
    """Canonical period labels in period_order ("2023", "2024", "2021–2024"); a label that is
    not one keeps its place after them, in text order."""

    def key(label: str) -> tuple[int, date, int, str]:
        parsed = parse_period(label)
        if parsed is None:
            return 1, date.min, 0, label
        return (0, *period_order(*parsed), label)

    return sorted(labels, key=key)


def period_last_year(label: str) -> int | None:
    """The calendar year a period ends in (2024 for "2021–2024" and for "2024Q3"); None for a
    label that is not a period."""
    parsed = parse_period(label)
    return period_end(*parsed).year if parsed is not None else None


def period_end(period_type: PeriodType, start: date) -> date:
    """The period's last day."""
    years = period_type.pooled_years
    if years is not None:
        return date(start.year + years - 1, 12, 31)
    months = {
        PeriodType.YEAR: 12,
        PeriodType.HALF_YEAR: 6,
        PeriodType.TERTIAL: 4,
        PeriodType.QUARTER: 3,
        PeriodType.MONTH: 1,
    }.get(period_type)
    if months is None:
        raise ValueError(f"okänd periodtyp: {period_type}")
    following = start.month - 1 + months
    return date(start.year + following // 12, following % 12 + 1, 1) - timedelta(days=1)


def parse_period(label: str) -> tuple[PeriodType, date] | None:
    """A canonical label (period_label) back to (type, start); None if it is not one."""
    span = _SPAN.match(label.strip())
    if span:
        first, last = int(span[1]), int(span[2])
        if 2 <= last - first + 1 <= MAX_POOLED_YEARS:
            return PeriodType.pooled(last - first + 1), date(first, 1, 1)
        return None
    match = _PERIOD.match(label.strip().upper())
    if not match:
        return None
    year, kind, number = int(match[1]), match[2], int(match[3] or 0)
    if kind is None:
        return PeriodType.YEAR, date(year, 1, 1)
    if kind == "H" and number in (1, 2):
        return PeriodType.HALF_YEAR, date(year, 1 + 6 * (number - 1), 1)
    if kind == "T" and 1 <= number <= 3:
        return PeriodType.TERTIAL, date(year, 1 + 4 * (number - 1), 1)
    if kind == "Q" and 1 <= number <= 4:
        return PeriodType.QUARTER, date(year, 1 + 3 * (number - 1), 1)
    if kind == "M" and 1 <= number <= 12:
        return PeriodType.MONTH, date(year, number, 1)
    return None
