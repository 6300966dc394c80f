"""Periods: a type and a start date, shown in one canonical form."""

from datetime import date

from indicators.domain import PeriodType


def period_label(period_type: PeriodType, start: date) -> str:
    match period_type:
        case PeriodType.YEAR:
            return f"{start.year}"
        case PeriodType.HALF_YEAR:
            return f"{start.year}H{1 if start.month <= 6 else 2}"
        case PeriodType.QUARTER:
            return f"{start.year}Q{(start.month - 1) // 3 + 1}"
        case PeriodType.MONTH:
            return f"{start.year}M{start.month:02d}"
    raise ValueError(f"okänd periodtyp: {period_type}")
