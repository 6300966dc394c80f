"""Swedish number formatting: decimal comma, (non-breaking) space between thousands."""

import math

NBSP = "\u00a0"
MINUS = "\u2212"


def format_number(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{abs(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (
        f"{MINUS}{text}" if value < 0 and float(text.replace(NBSP, "").replace(",", ".")) else text
    )


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
