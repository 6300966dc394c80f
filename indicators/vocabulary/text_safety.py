"""Text rules every layer shares: what counts as a Swedish personal identity number (the
import refuses a file holding one and never echoes it; every import message masks it), and which
text a spreadsheet program could take for a formula (the import warns of it; every CSV and Excel
file the product writes neutralises it)."""

import re
import unicodedata
from datetime import date

# --- Personal identity numbers -------------------------------------------------------------

# A standalone token: no letter or digit glued to it, and not the integer or fractional part
# of a decimal number ("12,1912121212" / "1912121212.5"), nor a percentage. Years joined by
# separators ("2019;2020;2021") never give the six contiguous digits the pattern needs. Between
# date and serial number: nothing, a dash, a plus, a dot or a space (spaces allowed around the
# mark) — matched on text folded by `fold_for_scan`, where every dash is "-" and every space
# " ". A tab or line break never joins the parts: they separate cells.
_PERSONAL_NUMBER = re.compile(
    r"(?<![\w])(?<!\d[.,])"
    r"(?P<century>19|20)?(?P<yymmdd>\d{6})(?: ?[-+.] ?| )?(?P<last>\d{4})"
    r"(?![\w])(?![.,]\d)(?!\s?%)"
)
# What every match of _PERSONAL_NUMBER contains, without its look-arounds: a text without it
# holds no personal number. It is searched about twice as fast (a pattern that begins with a
# digit lets the regex engine skip every other character in C), and most texts never match it.
_CANDIDATE = re.compile(r"\d{6}(?: ?[-+.] ?| )?\d{4}")
# Every dash and minus NFKC leaves as it is (en and em dash, the hyphen the non-breaking
# hyphen becomes, figure dash, minus sign, small and full-width hyphen-minus).
_DASHES = re.compile("[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")


def fold_for_scan(text: str) -> str:
    """`text` as the personal-number rules read it: NFKC (full-width digits become 0–9, the
    many spaces U+0020) and every dash "-". Line breaks and tabs stay where they were, so a
    line counted in the folded text is the same line in the original."""
    if text.isascii():
        return text
    return _DASHES.sub("-", unicodedata.normalize("NFKC", text))


def contains_personal_number(text: str) -> bool:
    """True when `text` holds a Swedish personnummer or samordningsnummer as a standalone token.

    Accepted shapes: YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN, with
    any dash, a dot or a space instead of "-", and in any digits NFKC makes 0–9 (full-width).
    The date must exist (a samordningsnummer adds 60 to the day) and the last digit must
    satisfy the Luhn check over the ten digits YYMMDDNNN. Digits glued to other digits,
    letters, decimal marks or a percent sign are not tokens, so values such as 2023, 12345,6,
    kommun codes or years joined by separators never match."""
    return find_personal_number(text) is not None


def personal_number_spans(text: str) -> list[tuple[int, int]]:
    """Where in `fold_for_scan(text)` personal identity numbers stand, as (start, end)."""
    folded = fold_for_scan(text)
    return [m.span() for m in _PERSONAL_NUMBER.finditer(folded) if _is_valid_personal_number(m)]


def mask_personal_numbers(text: str, mask: str) -> str:
    """`text` with every personal identity number replaced by `mask` (then folded as
    fold_for_scan, since the positions are the folded text's); unchanged when there is none."""
    spans = personal_number_spans(text)
    if not spans:
        return text
    folded = fold_for_scan(text)
    for start, end in reversed(spans):
        folded = folded[:start] + mask + folded[end:]
    return folded


def find_personal_number(text: str) -> int | None:
    """The offset of the first personal identity number in `fold_for_scan(text)` (see
    contains_personal_number), or None. Line breaks are where they are in `text`, so
    `personal_number_line` names the line of a hit in a long text."""
    folded = fold_for_scan(text)
    if _CANDIDATE.search(folded) is None:
        return None
    for match in _PERSONAL_NUMBER.finditer(folded):
        if _is_valid_personal_number(match):
            return match.start()
    return None


def personal_number_line(text: str) -> int | None:
    """The 0-based line of `text` where the first personal identity number stands, or None."""
    folded = fold_for_scan(text)
    if _CANDIDATE.search(folded) is None:
        return None
    for match in _PERSONAL_NUMBER.finditer(folded):
        if _is_valid_personal_number(match):
            return folded.count("\n", 0, match.start())
    return None


def _is_valid_personal_number(match: re.Match[str]) -> bool:
    yymmdd, last, century = match["yymmdd"], match["last"], match["century"]
    if not _luhn_ok(yymmdd + last):
        return False
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if dd > 60:  # samordningsnummer
        dd -= 60
    years = [int(century) * 100 + yy] if century else [1900 + yy, 2000 + yy]
    for year in years:
        try:
            born = date(year, mm, dd)
        except ValueError:
            continue
        if born <= date.today():
            return True
    return False


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


# --- Spreadsheet formulas ---------------------------------------------------------------------

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could take `text` for a formula or command: it starts
    with = + - @ tab or CR and is not simply a number ("-5", "−5,2", "+3" are numbers).

    Import policy: such text in a text cell (e.g. `=HYPERLINK("http://…")` as a name) is a
    WARNING; the value is kept only in neutralised form (see neutralise_formula), never as-is.
    A lone "-" or "+" (Kolada's bortfall marker) is not formula-like."""
    if not text or not text.startswith(FORMULA_TRIGGERS):
        return False
    return text not in ("-", "+") and not _is_plain_number(text)


def neutralise_formula(text: str) -> str:
    """`text` made safe for a CSV or Excel cell the product writes: formula-like text gets a
    leading apostrophe, which spreadsheet programs show as text and never evaluate.

    Rule: only text for which is_formula_like is true changes. A plain number written as text
    ("-5", "−5,2", "+3", "-1 234,5") is left alone, because writers should write numbers as
    numbers and prefixing them would turn "-5" into text in Excel. Idempotent."""
    return f"'{text}" if is_formula_like(text) else text


# Signed decimal with optional grouping spaces, decimal mark and exponent: "-5", "+3", "-1 234,5".
_PLAIN_NUMBER = re.compile(r"[-+]\d[\d \u00a0\u202f]*(?:[.,]\d+)?(?:[eE][-+]?\d+)?\s?%?")


def _is_plain_number(text: str) -> bool:
    return _PLAIN_NUMBER.fullmatch(text) is not None
