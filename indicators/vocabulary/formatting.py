"""Swedish number formatting: decimal comma, (non-breaking) space between thousands, a real
minus sign, and rounding half away from zero as in Kolada and Excel."""

import math
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

NBSP = "\u00a0"
MINUS = "\u2212"


def round_half_up(value: float, decimals: int) -> float:
    """Round as readers do (2,25 → 2,3), from the shortest decimal form of the float, so a
    value written as 2.675 rounds to 2.68 although its binary form lies just below."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


def format_number(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    rounded = round_half_up(float(value), decimals)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return f"{MINUS}{text}" if rounded < 0 else text


def format_value(value: float | None, decimals: int, unit: str) -> str:
    """A value with its unit as a reader expects it: '45,2 %', '12 dagar'."""
    number = format_number(value, decimals)
    if not number:
        return ""
    if unit in ("%", "procent"):
        return f"{number}{NBSP}%"
    if not unit or unit.startswith("index"):
        return number
    return f"{number}{NBSP}{unit}"


SWEDISH_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


# Every moment the product shows or writes is in Swedish time, summer time included; the store
# keeps UTC. These functions are the only place that converts.
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def swedish_time(moment: datetime) -> datetime:
    """The moment in Europe/Stockholm; a naive datetime is UTC (SQLite hands them back so)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(STOCKHOLM)


_CODED_SCALE = re.compile(r"\s*\((?=[^()]*=)[^()]*\)\s*$")


def title_without_scale(title: str) -> str:
    """A title without a trailing coded scale such as "(Breddinfört=2, testverksamhet=1,
    Nej=0)": headings name the measure; the scale is said under them (`scale_note`)."""
    return _CODED_SCALE.sub("", title).strip()


def scale_note(unit: str, codes: Sequence[tuple[int, str]] = ()) -> str:
    """What a value means, said once under the heading: the answers of a coded indicator, or
    the unit (an index says its range)."""
    if codes:
        answers = ", ".join(f"{label} ({code})" for code, label in sorted(codes, reverse=True))
        return f"Svar: {answers}. Svaren räknas, de medelvärdesbildas aldrig."
    return f"Enhet: {unit}" if unit else ""


def count_phrase(n: int, one: str, many: str) -> str:
    """'1 rörelse', '3 rörelser': the number with the noun in the right number."""
    return f"{format_number(n, 0)} {one if n == 1 else many}"


def format_date(value: date | datetime | None) -> str:
    """'27 november 2026', as Swedish prose writes a date (a moment on its Swedish day); ''
    for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = swedish_time(value)
    return f"{value.day} {SWEDISH_MONTHS[value.month - 1]} {value.year}"


def format_moment(value: datetime | None) -> str:
    """'27 november 2026 11:02' in Swedish time, for pages and notes; '' for None."""
    if value is None:
        return ""
    local = swedish_time(value)
    return f"{format_date(local)} {local:%H:%M}"


def format_timestamp(value: datetime, *, seconds: bool = True) -> str:
    """'2026-11-27 11:02:03' in Swedish time, for tables and files: ISO order, sorts as text."""
    local = swedish_time(value)
    return f"{local:%Y-%m-%d %H:%M:%S}" if seconds else f"{local:%Y-%m-%d %H:%M}"
