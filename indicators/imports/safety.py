"""Checks on the raw bytes of an upload, before any parser touches them.

Everything here is cheap and reads at most the zip central directory: the size limit, that the
bytes match the extension, macro-enabled and old binary Excel files, decompression bombs. It also
holds the two text rules the whole import shares: what counts as a Swedish personal identity
number (the file is then refused whole, and the number is never echoed), and which text could
start a spreadsheet formula."""

import io
import re
import unicodedata
import zipfile
from datetime import date

from indicators.formatting import format_number
from indicators.imports.records import Problem, Severity, UploadedFile

# Decompression-bomb limits, checked from the zip central directory only. Real xlsx exports of
# a few thousand rows are a few MB uncompressed and compress about 5–20 times; a sheet full of
# empty styled cells can reach 100. These leave a wide margin for honest files.
MAX_XLSX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_XLSX_ENTRIES = 2_000
MAX_XLSX_ENTRY_RATIO = 200  # uncompressed / compressed, per entry
MAX_XLSX_TOTAL_RATIO = 100  # uncompressed / compressed, whole archive
# Below this size an entry's ratio says nothing (a 2 KB XML of repeated tags compresses 50x).
RATIO_MIN_ENTRY_BYTES = 1024 * 1024

TEXT_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
XLSX_EXTENSIONS = frozenset({".xlsx"})
JSON_EXTENSIONS = frozenset({".json"})
ACCEPTED_EXTENSIONS = TEXT_EXTENSIONS | XLSX_EXTENSIONS | JSON_EXTENSIONS

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls, .doc

PERSONAL_NUMBER_MESSAGE = (
    "Filen '{file}' innehåller något som ser ut som ett personnummer eller "
    "samordningsnummer{where}. Filen tas inte emot; ta bort personuppgifterna och försök igen."
)


def extension(name: str) -> str:
    """The lower-case extension of the analyst's file name, with its dot ('' if none).
    The name is only ever looked at, never used as a path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[1].lower() if "." in base else ""


def sniff(content: bytes) -> str:
    """What the first bytes say the file is: "zip", "ole" (old binary Office), "utf16",
    "json" (first non-blank character is { or [), "empty" or "text"."""
    if not content:
        return "empty"
    if content.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return "zip"
    if content.startswith(OLE_MAGIC):
        return "ole"
    if looks_like_utf16(content):
        return "utf16"
    head = content[:4096].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if head[:1] in (b"{", b"["):
        return "json"
    return "text"


def looks_like_utf16(content: bytes) -> bool:
    """A UTF-16 BOM, or the NUL bytes UTF-16 puts at every other position of Latin text: text
    saved as "Unicode" by Excel or Notepad. NULs scattered anywhere else mean a binary file."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = content[:1024]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    most = max(even, odd)
    return most >= max(2, len(sample) // 4) and min(even, odd) <= most // 10


def check_upload(file: UploadedFile, *, max_bytes: int) -> list[Problem]:
    """Everything that must hold before parsing: size, extension against content, no macros,
    no old .xls, JSON that looks like JSON, and no decompression bomb in an xlsx.
    An empty list means the bytes may be handed to reading; every problem is an ERROR.
    UTF-16 text is left to reading.decode_text, which refuses it with a hint."""
    name, size = file.name, len(file.content)
    if file.name_had_personal_number:
        return [
            _refuse(
                name,
                "Filnamnet innehåller något som ser ut som ett personnummer eller "
                "samordningsnummer. Filen tas inte emot; byt namn på filen och försök igen.",
            )
        ]
    if size > max_bytes:
        return [
            _refuse(
                name,
                f"Filen '{name}' är {_megabytes(size)} MB, vilket är mer än gränsen "
                f"{_megabytes(max_bytes)} MB. Dela upp filen i mindre delar och försök igen.",
            )
        ]
    if size == 0:
        return [_refuse(name, f"Filen '{name}' är tom.")]
    ext, kind = extension(name), sniff(file.content)
    if ext in MACRO_EXTENSIONS:
        return [_refuse(name, _MACRO_MESSAGE.format(name=name, ext=ext))]
    if ext in OLD_EXCEL_EXTENSIONS or kind == "ole":
        return [_refuse(name, _OLD_EXCEL_MESSAGE.format(name=name))]
    if ext not in ACCEPTED_EXTENSIONS:
        shown_ext = f"'{ext}'" if ext else "utan filändelse"
        return [
            _refuse(
                name,
                f"Filen '{name}' har filtypen {shown_ext}, som inte tas emot. "
                "Använd CSV (.csv), Excel-arbetsbok (.xlsx) eller JSON (.json).",
            )
        ]
    if ext in XLSX_EXTENSIONS:
        if kind != "zip":
            return [
                _refuse(
                    name,
                    f"Filen '{name}' heter {ext} men innehållet är ingen Excel-arbetsbok. "
                    "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx).",
                )
            ]
        return check_xlsx_archive(file)
    if kind == "zip":
        return [
            _refuse(
                name,
                f"Filen '{name}' heter {ext} men innehållet är en ZIP-fil (till exempel en "
                "Excel-arbetsbok med fel filändelse). Filen tas inte emot; spara den som CSV, "
                "eller ladda upp Excel-arbetsboken med filändelsen .xlsx.",
            )
        ]
    if ext in JSON_EXTENSIONS and kind not in ("json", "utf16"):
        return [
            _refuse(
                name,
                f"Filen '{name}' heter .json men ser inte ut som JSON (den börjar inte med "
                "{ eller [). Kontrollera att det är den fil som API:et lämnade.",
            )
        ]
    return []


def check_xlsx_archive(file: UploadedFile) -> list[Problem]:
    """Macro content and decompression-bomb limits, from the zip central directory only
    (nothing is decompressed). Part of check_upload; public for tests and the format layer.

    The sizes are those the directory declares; Python's zipfile stops reading an entry at its
    declared size, so a lying directory cannot make openpyxl inflate more than was checked."""
    name = file.name
    try:
        with zipfile.ZipFile(io.BytesIO(file.content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return [
            _refuse(
                name,
                f"Filen '{name}' är en skadad Excel-fil och kan inte läsas. "
                "Öppna den i Excel och spara den på nytt.",
            )
        ]
    problems: list[Problem] = []
    names = [e.filename.replace("\\", "/").lower() for e in entries]
    if any(n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
        problems.append(_refuse(name, _MACRO_MESSAGE.format(name=name, ext=extension(name))))
    if len(entries) > MAX_XLSX_ENTRIES:
        problems.append(
            _refuse(
                name,
                f"Filen '{name}' består av {len(entries)} delar, fler än gränsen "
                f"{MAX_XLSX_ENTRIES} för en Excel-arbetsbok. Filen tas inte emot.",
            )
        )
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        problems.append(
            _refuse(
                name,
                f"Filen '{name}' blir {_megabytes(total)} MB när den packas upp, mer än gränsen "
                f"{_megabytes(MAX_XLSX_UNCOMPRESSED_BYTES)} MB (skydd mot så kallade "
                "zip-bomber). Filen tas inte emot.",
            )
        )
    else:
        worst = max(
            (e for e in entries if e.file_size >= RATIO_MIN_ENTRY_BYTES),
            key=lambda e: e.file_size / max(e.compress_size, 1),
            default=None,
        )
        if worst is not None and worst.file_size / max(worst.compress_size, 1) > (
            MAX_XLSX_ENTRY_RATIO
        ):
            ratio = worst.file_size // max(worst.compress_size, 1)
            problems.append(_ratio_problem(name, ratio, f" i delen '{worst.filename[:80]}'"))
        elif total >= RATIO_MIN_ENTRY_BYTES and total / max(packed, 1) > MAX_XLSX_TOTAL_RATIO:
            problems.append(_ratio_problem(name, total // max(packed, 1), ""))
    if not any(n in ("xl/workbook.xml", "xl/workbook.bin") for n in names):
        problems.append(
            _refuse(
                name,
                f"Filen '{name}' är en ZIP-fil men ingen Excel-arbetsbok (xl/workbook.xml "
                "saknas). Spara den i Excel som Excel-arbetsbok (.xlsx).",
            )
        )
    elif "xl/workbook.bin" in names:
        problems.append(
            _refuse(
                name,
                f"Filen '{name}' är en binär Excel-arbetsbok (.xlsb), som inte tas emot. "
                "Spara den i Excel som Excel-arbetsbok (.xlsx).",
            )
        )
    return problems


MACRO_EXTENSIONS = frozenset({".xlsm", ".xltm", ".xlam", ".xla", ".xlsb"})
OLD_EXCEL_EXTENSIONS = frozenset({".xls", ".xlt"})
_MACRO_MESSAGE = (
    "Filen '{name}' är en makroaktiverad eller binär Excel-fil ({ext}) och tas inte emot. "
    "Spara den i Excel som vanlig Excel-arbetsbok (.xlsx) utan makron."
)
_OLD_EXCEL_MESSAGE = (
    "Filen '{name}' är i det gamla Excel-formatet (.xls), som inte tas emot. Öppna den i Excel "
    "och välj Spara som → Excel-arbetsbok (.xlsx), eller spara den som CSV."
)


def _ratio_problem(name: str, ratio: int, where: str) -> Problem:
    return _refuse(
        name,
        f"Filen '{name}' är ovanligt hårt packad ({ratio}:1{where}), vilket är typiskt för så "
        "kallade zip-bomber. Filen tas inte emot; spara om den i Excel eller som CSV.",
    )


def _refuse(name: str, message: str) -> Problem:
    return Problem(file=name, message=message, severity=Severity.ERROR)


def _megabytes(size: int) -> str:
    return format_number(size / (1024 * 1024), 1)


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
    for match in _PERSONAL_NUMBER.finditer(fold_for_scan(text)):
        if _is_valid_personal_number(match):
            return match.start()
    return None


def personal_number_line(text: str) -> int | None:
    """The 0-based line of `text` where the first personal identity number stands, or None."""
    folded = fold_for_scan(text)
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


def personal_number_problem(
    file: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    part: str | None = None,
) -> Problem:
    """The one refusal for a file with a personal identity number; `value` is left out on
    purpose so the number is never shown, logged or stored. `part` names where it stood when
    that is no cell ("i ett bladnamn", "i en formel"); sheet and column must not hold it."""
    where = [part] if part else []
    if sheet:
        where.append(f"blad '{sheet}'")
    if row is not None:
        where.append(f"rad {row}")
    if column:
        where.append(f"kolumn '{column}'")
    text = f" ({', '.join(where)})" if where else ""
    return Problem(
        file=file,
        message=PERSONAL_NUMBER_MESSAGE.format(file=file, where=text),
        severity=Severity.ERROR,
        sheet=sheet,
        row=row,
        column=column,
    )


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


__all__ = [
    "ACCEPTED_EXTENSIONS",
    "JSON_EXTENSIONS",
    "MAX_XLSX_ENTRIES",
    "MAX_XLSX_ENTRY_RATIO",
    "MAX_XLSX_TOTAL_RATIO",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "TEXT_EXTENSIONS",
    "XLSX_EXTENSIONS",
    "check_upload",
    "check_xlsx_archive",
    "contains_personal_number",
    "extension",
    "find_personal_number",
    "fold_for_scan",
    "is_formula_like",
    "looks_like_utf16",
    "mask_personal_numbers",
    "neutralise_formula",
    "personal_number_line",
    "personal_number_problem",
    "sniff",
]
