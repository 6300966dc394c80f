"""The product's own long template: one row per indicator, area, period and gender.

The export (indicators/imports/export.py) writes exactly this layout, so an export read back
changes nothing. The header is the first non-empty row of a sheet; in an xlsx every sheet with
this header is read (the template's "Instruktioner" sheet is not)."""

import math
import re

from indicators.domain import Gender, ObservationStatus
from indicators.imports.formats.common import (
    MAX_REASON_CHARS,
    Collector,
    Content,
    Context,
    Reading,
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
from indicators.imports.safety import is_formula_like
from indicators.imports.values import missing_marker

KEY = "mall"
LABEL = "Mallen för långt format (Indikator, Område, Period, Kön, Värde …)"

TEMPLATE_COLUMNS = ["Indikator", "Område", "Period", "Kön", "Värde", "Täljare", "Nämnare", "Status"]
REQUIRED_COLUMNS = ["Indikator", "Område", "Period", "Värde"]
# Written by the export for readers in Excel; read past on import.
INFORMATIVE_COLUMNS = ["Indikatornamn", "Områdesnamn"]
EXAMPLE_ROW: dict[str, str] = {
    "Indikator": "N21497",
    "Område": "0680",
    "Period": "2023",
    "Kön": "T",
    "Värde": "87,5",
    "Täljare": "35",
    "Nämnare": "40",
    "Status": "",
}

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
    for name in columns:
        if name not in known:
            label = text(sheet.rows[header][columns[name]])
            out.warning(
                f"Kolumnen '{label}' hör inte till mallen och läses inte in.",
                sheet=sheet.name,
                row=sheet.row_number(header),
                column=label,
            )
    data = [i for i in range(header + 1, len(sheet.rows)) if not is_blank_row(sheet.rows[i])]
    if not data:
        out.error("Filen har rubriker men inga rader.", sheet=sheet.name)
        return
    at = {c: columns.get(fold(c)) for c in TEMPLATE_COLUMNS}
    for name in ("Värde", "Täljare", "Nämnare"):
        if at[name] is not None:
            refuse_mixed_decimal_marks(out, sheet, data, at[name], name)
    for index in data:
        out.rows_read += 1
        _row(out, sheet, index, at)


def _row(out: Collector, sheet: Sheet, index: int, at: dict[str, int | None]) -> None:
    row = sheet.row_number(index)

    def where(column: str) -> dict[str, object]:
        return {"sheet": sheet.name, "row": row, "column": column}

    def get(column: str) -> Cell:
        return _unquoted(cell(sheet, index, at[column]))

    indicator = out.identifier(get("Indikator"), **where("Indikator"))
    if not indicator:
        out.error("Indikator saknas.", **where("Indikator"))
    area = out.area(get("Område"), **where("Område"))
    period = out.period(get("Period"), **where("Period"))
    gender = out.gender(get("Kön"), **where("Kön")) if at["Kön"] is not None else Gender.TOTAL
    reading = _reading(out, get("Värde"), get("Status"), row, sheet.name)
    numerator = out.optional_number(get("Täljare"), **where("Täljare"))
    denominator = out.optional_number(get("Nämnare"), **where("Nämnare"))
    if None in (area, period, gender, reading, numerator, denominator) or not indicator:
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
            "Okänd status; använd ok, saknas, sekretess eller ej tillämpligt, eller källans "
            "markering (-, ., .., UNK, MSK, INV).",
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
