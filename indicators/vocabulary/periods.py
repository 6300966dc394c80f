"""Periods: a type and a start date, shown in one canonical form."""

import re
from datetime import date

from indicators.vocabulary.domain import PeriodType


def period_label(period_type: PeriodType, start: date) -> str:
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


def parse_period(label: str) -> tuple[PeriodType, date] | None:
    """A canonical label (period_label) back to (type, start); None if it is not one."""
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
