"""Checks on the raw bytes of an upload, before any parser touches them.

Everything here is cheap and reads at most the zip central directory: the size limit, that the
bytes match the extension, macro-enabled and old binary Excel files, decompression bombs. A file
holding a Swedish personal identity number is refused whole; that rule, and which text could
start a spreadsheet formula, live in indicators.vocabulary.text_safety."""

import io
import zipfile

from indicators.imports.records import Problem, Severity, UploadedFile
from indicators.vocabulary.formatting import format_number

# The shared text rules, re-exported for the import's callers.
from indicators.vocabulary.text_safety import (
    contains_personal_number,
    find_personal_number,
    fold_for_scan,
    is_formula_like,
    mask_personal_numbers,
    neutralise_formula,
    personal_number_line,
)

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
