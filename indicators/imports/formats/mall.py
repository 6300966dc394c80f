"""The product's own long template: one row per indicator, area, period and gender.

The export (indicators/imports/export.py) writes exactly this layout, so an export read back
changes nothing. The header is the first non-empty row of a sheet; in an xlsx every sheet with
this header is read (the template's "Instruktioner" sheet is not)."""

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from indicators.imports.formats.common import (
    MAX_REASON_CHARS,
    Collector,
    Content,
    Context,
    Reading,
    _gender,
    _period,
    _short,
    cell,
    find_header,
    fold,
    header_columns,
    is_blank_row,
    refuse_mixed_decimal_marks,
    text,
)
from indicators.imports.reading import Cell, Sheet
from indicators.imports.records import ParsedFile, UploadedFile
from indicators.imports.values import ValueProblem, missing_marker, parse_number
from indicators.vocabulary.domain import Gender, ObservationStatus
from indicators.vocabulary.text_safety import is_formula_like

KEY = "mall"
LABEL = "Mallen för långt format (Indikator, Område, Period, Kön, Värde …)"

TEMPLATE_COLUMNS = ["Indikator", "Område", "Period", "Kön", "Värde", "Täljare", "Nämnare", "Status"]
REQUIRED_COLUMNS = ["Indikator", "Område", "Period", "Värde"]
# Written by the export for readers in Excel; read past on import.
INFORMATIVE_COLUMNS = ["Indikatornamn", "Områdesnamn"]
# The template's example row shows the form with real-looking values, so it is marked in its
# Status column and never read: an analyst who types their rows below it and forgets to delete
# it must not overwrite Jönköping's published 2023 value.
EXAMPLE_STATUS = "exempel"
EXAMPLE_ROW: dict[str, str] = {
    "Indikator": "N21497",
    "Område": "0680",
    "Period": "2023",
    "Kön": "T",
    "Värde": "87,5",
    "Täljare": "35",
    "Nämnare": "40",
    "Status": EXAMPLE_STATUS,
}
EXAMPLE_NOTE = (
    "Exempelrad (Status 'exempel'): läses aldrig in. Skriv era egna rader utan den markeringen."
)

# The Status column's words; the cell text itself is kept as the reason, so a reason the
# export wrote ("..: sekretess", "Bortfall") comes back unchanged.
_STATUS_WORDS = {
    "ok": ObservationStatus.OK,
    "saknas": ObservationStatus.MISSING,
    "saknat": ObservationStatus.MISSING,
    "bortfall": ObservationStatus.MISSING,
    "tom cell": ObservationStatus.MISSING,
    "sekretess": ObservationStatus.SUPPRESSED,
    "sekretessmarkerad": ObservationStatus.SUPPRESSED,
    "maskerat": ObservationStatus.SUPPRESSED,
    "ej tillämplig": ObservationStatus.NOT_APPLICABLE,
    "ej tillämpligt": ObservationStatus.NOT_APPLICABLE,
    "för osäkert": ObservationStatus.UNCERTAIN,
    "för osäker": ObservationStatus.UNCERTAIN,
    "osäkert": ObservationStatus.UNCERTAIN,
}
_FOLDED = {fold(c): c for c in TEMPLATE_COLUMNS}


def _is_header(cells: list[str]) -> bool:
    return sum(fold(c) in cells for c in REQUIRED_COLUMNS) >= 3


def sniff(file: UploadedFile, content: Content) -> float:
    best = 0.0
    for sheet in content.sheets:
        for row in sheet.rows[:5]:
            cells = [fold(c) for c in row]
            found = sum(fold(c) in cells for c in REQUIRED_COLUMNS)
            if found == len(REQUIRED_COLUMNS):
                best = max(best, 1.0)
            elif found >= 2:
                best = max(best, 0.5)
    return best


_LISTED_COLUMNS = 10


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    out.columns = {
        "indicator_id": "Indikator",
        "area_code": "Område",
        "period": "Period",
        "gender": "Kön",
    }
    sheets = [s for s in content.sheets if find_header(s, _is_header, limit=5) is not None]
    if not sheets:
        # No sheet looks like the template: name what the first one lacks.
        sheets = content.sheets[:1]
    for sheet in sheets:
        _sheet(out, sheet)
    return out.result()


def _sheet(out: Collector, sheet: Sheet) -> None:
    # The template's header is its first row; a heading an analyst typed above it is passed.
    header = find_header(sheet, _is_header, limit=5)
    if header is None:
        header = find_header(sheet, lambda cells: True, limit=5)
    if header is None:
        out.error("Filen är tom.", sheet=sheet.name)
        return
    columns = header_columns(out, sheet, header)
    if columns is None:
        return
    missing = [c for c in REQUIRED_COLUMNS if fold(c) not in columns]
    for name in missing:
        out.error(
            f"Kolumnen '{name}' saknas i rubrikraden (obligatoriska kolumner: "
            f"{', '.join(REQUIRED_COLUMNS)}).",
            sheet=sheet.name,
            row=sheet.row_number(header),
            column=name,
        )
    if missing:
        return
    known = set(_FOLDED) | {fold(c) for c in INFORMATIVE_COLUMNS}
    extra = [text(sheet.rows[header][columns[name]]) for name in columns if name not in known]
    if extra:
        # One note for all of them: a wide sheet read as the template has hundreds.
        listed = ", ".join(f"'{label}'" for label in extra[:_LISTED_COLUMNS])
        more = len(extra) - _LISTED_COLUMNS
        tail = f" och {more} till" if more > 0 else ""
        out.warning(
            f"Kolumnen {listed} hör inte till mallen och läses inte in."
            if len(extra) == 1
            else f"Kolumnerna {listed}{tail} hör inte till mallen och läses inte in.",
            sheet=sheet.name,
            row=sheet.row_number(header),
            column=extra[0] if len(extra) == 1 else None,
        )
    data = [i for i in range(header + 1, len(sheet.rows)) if not is_blank_row(sheet.rows[i])]
    if not data:
        out.error("Filen har rubriker men inga rader.", sheet=sheet.name)
        return
    at = {c: columns.get(fold(c)) for c in TEMPLATE_COLUMNS}
    # Reading the clean rows reports nothing, so the column-level problems still come first.
    fast = _clean_rows(out, sheet, data, at)
    for name in ("Värde", "Täljare", "Nämnare"):
        texts = fast.texts.get(name, [])
        # Only a column with both marks somewhere can conflict (its distinct texts tell).
        position = at[name]
        if position is not None and any("," in t for t in texts) and any("." in t for t in texts):
            refuse_mixed_decimal_marks(out, sheet, data, position, name)
    out.rows_read += len(data)
    # Rows whose every cell reads without a problem come in bulk; any other row goes through
    # _row, one at a time and in file order, so its problems are exactly the per-row ones.
    start = 0
    for position in fast.slow:
        out.add_many({name: column[start:position] for name, column in fast.columns.items()})
        _row(out, sheet, data[position], at)
        start = position + 1
    out.add_many({name: column[start:] for name, column in fast.columns.items()})


@dataclass
class _FastRows:
    """The clean rows' records, one array per record column with a placeholder at every
    position in `slow` (the rows _row reads instead), so slicing between them keeps order."""

    columns: dict[str, np.ndarray]
    slow: list[int]
    texts: dict[str, list[str]]  # per template column, its distinct text cells as read


# The shape nearly every number in a large file has: read_number gives exactly float() of it
# with the comma as a point. Anything else goes through read_number itself.
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_UNCLEAN: Any = object()
# Kinds of a Status cell (_clean_status) and of a Värde cell (_clean_value).
_READ_VALUE, _STATUS_ONLY, _BAD_STATUS = 0, 1, 2
_EMPTY, _MARKER, _NUMBER, _BAD_VALUE = 0, 1, 2, 3


def _clean_rows(
    out: Collector, sheet: Sheet, data: list[int], at: dict[str, int | None]
) -> _FastRows:
    """Each distinct text of a column read once, silently, with the parsers _row uses, and
    spread back to the rows with numpy; a row is clean when none of its cells would give an
    error or a warning. Each per-distinct list below ends with the entry for code -1 (a cell
    that is not text, left to _row)."""
    n = len(data)
    table = _table(sheet, data)
    unclean = np.zeros(n, dtype=bool)

    texts: dict[str, list[str]] = {}

    def distinct(name: str, read: Any) -> tuple[np.ndarray, list[Any]]:
        codes, cells = _codes(sheet, data, table, at[name])
        texts[name] = cells
        readings = [read(_unquoted(c)) for c in cells]
        bad = np.array([r is _UNCLEAN for r in readings] + [True])
        unclean[bad[codes]] = True
        return codes, readings

    def spread(codes: np.ndarray, values: list[Any], dtype: Any = object) -> np.ndarray:
        """values[code] per row; the entry for code -1 is a placeholder (the row is slow)."""
        array = np.empty(len(values) + 1, dtype=dtype)
        for index, value in enumerate(values):
            array[index] = value
        array[-1] = {object: None, float: math.nan, int: -1}[dtype]
        per_row: np.ndarray = array[codes]
        return per_row

    codes, indicators = distinct("Indikator", _clean_identifier)
    indicator = spread(codes, indicators)
    codes, areas = distinct("Område", lambda raw: _silent(out.ctx.areas.resolve, text(raw)))
    area = spread(codes, areas)
    codes, periods = distinct("Period", lambda raw: _silent(_period, text(raw)))
    period_type = spread(codes, [None if p is _UNCLEAN else p[0].value for p in periods])
    period_start = spread(codes, [None if p is _UNCLEAN else p[1] for p in periods])
    if at["Kön"] is None:
        gender = np.full(n, Gender.TOTAL.value, dtype=object)
    else:
        codes, genders = distinct("Kön", _clean_gender)
        gender = spread(codes, [None if g is _UNCLEAN else g.value for g in genders])

    status_codes, statuses = distinct("Status", _clean_status)
    statuses = [(_BAD_STATUS, None, None) if s is _UNCLEAN else s for s in statuses]
    value_codes, values = distinct("Värde", _clean_value)
    values = [(_BAD_VALUE, math.nan, None, None) if v is _UNCLEAN else v for v in values]
    status_kind = spread(status_codes, [s[0] for s in statuses], int)
    status_kind[status_codes == -1] = _BAD_STATUS
    value_kind = spread(value_codes, [v[0] for v in values], int)
    value_kind[value_codes == -1] = _BAD_VALUE
    unclean |= (
        (status_kind == _BAD_STATUS)
        | (value_kind == _BAD_VALUE)
        # Värde empty with no status (a warning), or a number beside a status other than ok.
        | ((status_kind == _READ_VALUE) & (value_kind == _EMPTY))
        | ((status_kind == _STATUS_ONLY) & (value_kind == _NUMBER))
    )
    from_value = status_kind == _READ_VALUE
    value = np.where(from_value, spread(value_codes, [v[1] for v in values], float), math.nan)
    status = np.where(
        from_value,
        spread(value_codes, [v[2] for v in values]),
        spread(status_codes, [s[1] for s in statuses]),
    )
    reason = np.where(
        from_value,
        spread(value_codes, [v[3] for v in values]),
        spread(status_codes, [s[2] for s in statuses]),
    )
    numbers = {}
    for name in ("Täljare", "Nämnare"):
        codes, found = distinct(name, _clean_optional_number)
        numbers[name] = spread(codes, [math.nan if f is _UNCLEAN else f for f in found], float)
    columns: dict[str, np.ndarray] = {
        "indicator_id": indicator,
        "area_code": area,
        "period_type": period_type,
        "period_start": period_start,
        "gender": gender,
        "value": value,
        "numerator": numbers["Täljare"],
        "denominator": numbers["Nämnare"],
        "status": status,
        "status_reason": reason,
        "sheet": np.full(n, sheet.name, dtype=object),
        "row": np.fromiter((sheet.row_number(i) for i in data), dtype=np.int64, count=n),
        "value_column": np.full(n, "Värde", dtype=object),
    }
    # Placeholders at slow positions are skipped by the caller's slicing: each slice ends
    # before a slow position and the next starts after it.
    return _FastRows(columns, np.flatnonzero(unclean).tolist(), texts)


def _table(sheet: Sheet, data: list[int]) -> np.ndarray | None:
    """The data rows as one 2-D array of cells, when they are all of one width."""
    rows = [sheet.rows[i] for i in data]
    if len({len(r) for r in rows}) != 1:
        return None
    table = np.empty((len(rows), len(rows[0])), dtype=object)
    table[:] = rows
    return table


def _codes(
    sheet: Sheet, data: list[int], table: np.ndarray | None, column: int | None
) -> tuple[np.ndarray, list[str]]:
    """Per row, the index of its cell among the column's distinct text cells; -1 for a cell
    that is not text (1, 1.0 and True are equal as keys but are not the same cell)."""
    if column is None:
        return np.zeros(len(data), dtype=np.intp), [""]
    if table is not None and column < table.shape[1]:
        cells = table[:, column]
    else:
        cells = np.empty(len(data), dtype=object)
        cells[:] = [cell(sheet, i, column) for i in data]
    codes, uniques = pd.factorize(cells)
    if all(type(u) is str for u in uniques) and not (codes == -1).any():
        return codes, list(uniques)
    memo: dict[str, int] = {}
    texts: list[str] = []
    codes = np.full(len(cells), -1, dtype=np.intp)
    for position, value in enumerate(cells):
        if type(value) is str:
            code = memo.get(value)
            if code is None:
                code = memo[value] = len(texts)
                texts.append(value)
            codes[position] = code
    return codes, texts


def _silent(parse: Any, raw: str) -> Any:
    try:
        return parse(raw)
    except ValueProblem:
        return _UNCLEAN


def _clean_identifier(value: Cell) -> Any:
    raw = text(value)
    return raw if raw and not is_formula_like(raw) else _UNCLEAN


def _clean_gender(value: Cell) -> Any:
    raw = text(value)
    return _silent(_gender, raw) if raw else Gender.TOTAL


def _clean_status(value: Cell) -> Any:
    """(kind, status, reason): _READ_VALUE when Värde is to be read as a number,
    _STATUS_ONLY for a status without a value, or _UNCLEAN."""
    status_text = text(value)
    if not status_text or fold(status_text) == "ok":
        return (_READ_VALUE, None, None)
    if len(status_text) > MAX_REASON_CHARS:
        return _UNCLEAN
    status = _status(status_text)
    if status is None:
        return _UNCLEAN
    if status is ObservationStatus.OK:
        return (_READ_VALUE, None, None)
    return (_STATUS_ONLY, status.value, _short(status_text, MAX_REASON_CHARS))


def _clean_value(value: Cell) -> Any:
    """(kind, value, status, reason) of a Värde cell read without a status, or _UNCLEAN."""
    raw = text(value)
    if _PLAIN_NUMBER.fullmatch(raw):  # neither empty nor a marker: the common case first
        number = _number(raw)
        if number is not _UNCLEAN:
            return (_NUMBER, number, ObservationStatus.OK.value, "")
    if not raw:
        return (_EMPTY, math.nan, None, None)  # a warning without a status, fine beside one
    marker = missing_marker(raw)
    if marker is not None:
        return (_MARKER, math.nan, marker[0].value, _short(marker[1], MAX_REASON_CHARS))
    number = _number(raw)
    if number is _UNCLEAN:
        return _UNCLEAN
    return (_NUMBER, number, ObservationStatus.OK.value, "")


def _clean_optional_number(value: Cell) -> Any:
    raw = text(value)
    if _PLAIN_NUMBER.fullmatch(raw):  # neither empty nor a marker
        return _number(raw)
    if not raw or missing_marker(raw) is not None:
        return math.nan
    return _number(raw)


def _number(raw: str) -> Any:
    if _PLAIN_NUMBER.fullmatch(raw):
        number = float(raw.replace(",", "."))
        if math.isfinite(number):
            return number
    return _silent(parse_number, raw)


def _row(out: Collector, sheet: Sheet, index: int, at: dict[str, int | None]) -> None:
    row = sheet.row_number(index)

    def where(column: str) -> dict[str, Any]:
        return {"sheet": sheet.name, "row": row, "column": column}

    def get(column: str) -> Cell:
        return _unquoted(cell(sheet, index, at[column]))

    if at["Status"] is not None and fold(text(get("Status"))) == EXAMPLE_STATUS:
        # The example row is the template's form, no value: not counted as read, so the
        # counts (read = new + changed + unchanged + rejected) still add up.
        out.rows_read -= 1
        out.warning(EXAMPLE_NOTE, **where("Status"), value=text(get("Status")))
        return
    indicator = out.identifier(get("Indikator"), **where("Indikator"))
    if not indicator:
        out.error("Indikator saknas.", **where("Indikator"))
    area = out.area(get("Område"), **where("Område"))
    period = out.period(get("Period"), **where("Period"))
    gender = out.gender(get("Kön"), **where("Kön")) if at["Kön"] is not None else Gender.TOTAL
    reading = _reading(out, get("Värde"), get("Status"), row, sheet.name)
    numerator = out.optional_number(get("Täljare"), **where("Täljare"))
    denominator = out.optional_number(get("Nämnare"), **where("Nämnare"))
    if (
        area is None
        or period is None
        or gender is None
        or reading is None
        or numerator is None
        or denominator is None
        or not indicator
    ):
        return
    out.add(
        indicator_id=indicator,
        area_code=area,
        period=period,
        gender=gender,
        reading=reading,
        numerator=numerator,
        denominator=denominator,
        sheet=sheet.name,
        row=row,
        value_column="Värde",
    )


def _reading(
    out: Collector, value: Cell, status_cell: Cell, row: int, sheet: str | None
) -> Reading | None:
    status_text = text(status_cell)
    if not status_text or fold(status_text) == "ok":
        return out.reading(value, sheet=sheet, row=row, column="Värde")
    if len(status_text) > MAX_REASON_CHARS:
        out.error(
            f"Status får vara högst {MAX_REASON_CHARS} tecken.",
            sheet=sheet,
            row=row,
            column="Status",
            value=status_text,
        )
        return None
    status = _status(status_text)
    if status is None:
        out.error(
            "Okänd status; använd ok, saknas, sekretess, ej tillämpligt eller för osäkert, eller "
            "källans markering (-, ., .., UNK, MSK, INV).",
            sheet=sheet,
            row=row,
            column="Status",
            value=status_text,
        )
        return None
    if status is ObservationStatus.OK:
        return out.reading(value, sheet=sheet, row=row, column="Värde")
    if text(value) and missing_marker(text(value)) is None:
        out.error(
            f"Värde är ifyllt men Status säger '{status_text}'. Lämna Värde tomt när värdet "
            "saknas, eller töm Status.",
            sheet=sheet,
            row=row,
            column="Värde",
            value=value,
        )
        return None
    return Reading(status, math.nan, status_text)


def _status(status_text: str) -> ObservationStatus | None:
    word = fold(status_text)
    if word in _STATUS_WORDS:
        return _STATUS_WORDS[word]
    marker = missing_marker(status_text)
    if marker is not None and text(status_text):
        return ObservationStatus(marker[0])
    # A reason as the export writes it: "<marker or word>: <explanation>" or
    # "<word> (<explanation>)".
    head = re.split(r"[:(]", status_text, maxsplit=1)[0].strip()
    if head != status_text.strip():
        return _status(head)
    return None


def _unquoted(value: Cell) -> Cell:
    """Undo the export's formula neutralisation: "'-: bortfall" was written for "-: bortfall"."""
    if type(value) is str and value[:1] == "'" and is_formula_like(value[1:]):
        return value[1:]
    return value
