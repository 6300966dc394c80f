"""Tables written for people to open in Excel: CSV the Swedish way and xlsx.

Both writers neutralise every text cell that a spreadsheet program could take for a formula
(indicators.vocabulary.text_safety.neutralise_formula), so a name such as `=HYPERLINK(...)`
that came in through an import can never run when an analyst opens the file.
Numbers stay numbers."""

import csv
import io
import math
import numbers
import re
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from indicators.vocabulary.formatting import format_timestamp, swedish_time
from indicators.vocabulary.text_safety import neutralise_formula

MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 8
WIDTH_SAMPLE_ROWS = 1000
SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def to_csv_bytes(frame: pd.DataFrame, *, swedish: bool = True) -> bytes:
    """`frame` as CSV. Swedish: `;` separator and decimal comma in UTF-8 with a BOM, so Swedish
    Excel opens å/ä/ö and numbers correctly on a double click. International: `,` and `.` in
    plain UTF-8. Empty for NaN/None; floats in their shortest exact form, never an exponent,
    so a file read back gives the very same numbers."""
    decimal = "," if swedish else "."
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if swedish else ",", lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(c)) for c in frame.columns])
    columns = [_csv_column(frame.iloc[:, i], decimal) for i in range(frame.shape[1])]
    writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue().encode("utf-8-sig" if swedish else "utf-8")


def to_xlsx_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per entry, in order. Numbers as numeric cells, text as string cells (never a
    formula), bold and frozen header row, columns wide enough for their content.

    Written in openpyxl's streaming mode: a whole store's export (hundreds of thousands of
    rows) would otherwise hold every cell object in memory at once."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for name, frame in frames.items():
        sheet = workbook.create_sheet(_sheet_name(name, used))
        for col, width in enumerate(_widths(frame), start=1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        sheet.freeze_panes = "A2"
        header = [_text_cell(sheet, str(c)) for c in frame.columns]
        for cell in header:
            cell.font = bold
        sheet.append(header)
        formats = [_column_format(frame.iloc[:, i]) for i in range(frame.shape[1])]
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_cell(sheet, v, f) for v, f in zip(row, formats, strict=True)])
    if not frames:
        workbook.create_sheet("Blad1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _widths(frame: pd.DataFrame) -> list[float]:
    # The header and the first rows are enough to size a column; scanning a whole store's
    # export for the one longest cell is not worth the time.
    head = frame.head(WIDTH_SAMPLE_ROWS)
    widths: list[float] = []
    for position, column in enumerate(frame.columns):
        longest = max(
            [len(str(column)), *(len(_shown(v)) for v in head.iloc[:, position])], default=0
        )
        widths.append(min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, longest + 2)))
    return widths


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _number_text(value: float) -> str:
    # Shortest text that reads back as the same double, without exponent notation, which
    # Swedish Excel and our own importer would both misread.
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return np.format_float_positional(value, trim="-")


def _csv_column(series: pd.Series, decimal: str) -> list[str]:
    values = series.tolist()
    if pd.api.types.is_float_dtype(series.dtype):
        # The common case, a whole column of floats, without the per-cell type checks.
        return [
            "" if v != v or math.isinf(v) else _number_text(v).replace(".", decimal) for v in values
        ]
    return [_csv_cell(v, decimal) for v in values]


def _csv_cell(value: Any, decimal: str) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nej"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isinf(number):
            return ""
        return _number_text(number).replace(".", decimal)
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_formula(str(value))


def _shown(value: Any) -> str:
    """About what Excel shows for `value`: only used to size columns."""
    if _is_missing(value):
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        return _number_text(float(value))
    return max(str(value).splitlines() or [""], key=len)


# A number written as Swedish text, as a page shows it: "68,5 %", "1 234 dagar", "−2,0".
_SHOWN_NUMBER = re.compile(
    r"^(?P<sign>[-\u2212])?(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(?P<frac>\d+))?"
    r"(?:[ \u00a0\u202f]?(?P<unit>%|[a-zåäö][a-zåäö /.]{0,30}))?$"
)
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


def _decimals(number: float) -> int:
    text = _number_text(number)
    return len(text.split(".", 1)[1]) if "." in text else 0


def _number_format(decimals: int, unit: str = "", thousands: bool = True) -> str:
    body = ("#,##0" if thousands else "0") + ("." + "0" * decimals if decimals else "")
    if not unit:
        return body
    return f'{body}" {unit}"' if unit != "%" else f'{body}" %"'


def _column_format(series: pd.Series) -> str:
    """One number format for a column's numbers: as many decimals as its values need (at most
    four), whole numbers without a thousands space so years and codes read as written."""
    numbers_only = [
        float(v)
        for v in series.head(WIDTH_SAMPLE_ROWS).tolist()
        if isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) and not _is_missing(v)
    ]
    places = min(4, max((_decimals(v) for v in numbers_only if math.isfinite(v)), default=0))
    return _number_format(places, thousands=places > 0)


def _cell(sheet: WriteOnlyWorksheet, value: Any, number_format: str = "General") -> Any:
    """What to append for one value: numbers as numeric cells with a number format, dates as
    dates in Swedish time, a string-typed cell for all other text. Text that is a number as a
    page shows it ("68,5 %") becomes that number with a format that shows it the same way."""
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isinf(number):
            return None
        return _numeric_cell(
            sheet, int(value) if isinstance(value, numbers.Integral) else number, number_format
        )
    if isinstance(value, pd.Timestamp | datetime):
        moment = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        # Excel has no time zones: the wall-clock time in Sweden, as every page shows it.
        return _numeric_cell(sheet, swedish_time(moment).replace(tzinfo=None), DATETIME_FORMAT)
    if isinstance(value, date):
        return _numeric_cell(sheet, value, DATE_FORMAT)
    text = str(value)
    shown = _SHOWN_NUMBER.match(text.strip())
    if shown and (shown["frac"] is not None or shown["unit"] or " " in shown["int"]):
        digits = re.sub(r"\D", "", shown["int"]) + "." + (shown["frac"] or "0")
        number = float(digits) * (-1 if shown["sign"] else 1)
        places = len(shown["frac"] or "")
        return _numeric_cell(sheet, number, _number_format(places, shown["unit"] or ""))
    return _text_cell(sheet, text)


def _numeric_cell(sheet: WriteOnlyWorksheet, value: Any, number_format: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> Cell:
    cell = WriteOnlyCell(sheet)
    # Control characters other than tab and newlines are not allowed in xlsx XML at all.
    cell.value = neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", text))
    # Assigning a str starting with "=" makes openpyxl write a formula; forcing the type to
    # string afterwards makes it a plain string cell whatever the text is.
    cell.data_type = "s"
    return cell


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub("_", name).strip("'") or "Blad"
    base = base[:SHEET_NAME_LIMIT]
    candidate, n = base, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate
