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
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_cell(sheet, v) for v in row])
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
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise_formula(str(value))


def _shown(value: Any) -> str:
    """About what Excel shows for `value`: only used to size columns."""
    if _is_missing(value):
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        return _number_text(float(value))
    return max(str(value).splitlines() or [""], key=len)


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Cell | bool | int | float | date | None:
    """What to append for one value: plain Python values for numbers and dates (openpyxl
    types them itself), a string-typed cell for all text."""
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return None if math.isinf(number) else number
    if isinstance(value, pd.Timestamp | datetime):
        moment = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        # Excel has no time zones; keep the wall-clock time.
        return moment.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return _text_cell(sheet, str(value))


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
