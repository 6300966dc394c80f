"""Kolada's values as a long table: one row per nyckeltal, kommun (or unit), year and gender, as
the API's values are saved to CSV or Excel by its clients (rKolada's `get_values()`, the
kolada Python packages) and kept by analysts:

    gender,count,status,value,kpi,year,municipality_id,municipality,municipality_type
    T,1,,253.891158,N03702,2012,0319,Älvkarleby,K

Columns are found by name in any order; `period` may stand for `year`, `ou_id` for
`municipality_id` (units keep Kolada's own id), and a name column alone (`municipality`) is
resolved like any area name. Decimal point or comma; an empty value is read with its status
as the JSON API's null is."""

import math
from typing import Any

from indicators.imports.formats.common import (
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
from indicators.imports.formats.kolada_json import _STATUSES
from indicators.imports.reading import Sheet
from indicators.imports.records import ParsedFile, UploadedFile
from indicators.vocabulary.domain import ObservationStatus

KEY = "kolada-csv"
LABEL = "Kolada-värden i långt format (kpi, municipality_id, year, gender, value)"

_KPI = ("kpi", "kpi_id")
_AREA_ID = ("municipality_id", "municipality_code", "ou_id")
_AREA_NAME = ("municipality", "municipality_title", "ou")
_PERIOD = ("year", "period")
_GENDER = ("gender",)
_VALUE = ("value",)
_STATUS = ("status",)


def _first(columns: dict[str, int], names: tuple[str, ...]) -> tuple[str, int] | None:
    return next(((n, columns[n]) for n in names if n in columns), None)


def _is_header(cells: list[str]) -> bool:
    present = set(cells)
    return (
        any(n in present for n in _KPI)
        and any(n in present for n in _PERIOD)
        and any(n in present for n in _VALUE)
        and any(n in present for n in (*_AREA_ID, *_AREA_NAME))
    )


def sniff(file: UploadedFile, content: Content) -> float:
    found = any(find_header(s, _is_header, limit=5) is not None for s in content.sheets)
    return 1.0 if found else 0.0


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    read_any = False
    for sheet in content.sheets:
        header = find_header(sheet, _is_header, limit=5)
        if header is None:
            continue
        read_any = True
        _sheet(out, sheet, header)
    if not read_any:
        out.error(
            "Ingen rubrikrad med kolumnerna kpi, municipality_id (eller municipality), year och "
            "value hittades bland filens första rader."
        )
    return out.result()


def _sheet(out: Collector, sheet: Sheet, header: int) -> None:
    columns = header_columns(out, sheet, header)
    if columns is None:
        return
    kpi = _first(columns, _KPI)
    area = _first(columns, _AREA_ID) or _first(columns, _AREA_NAME)
    period = _first(columns, _PERIOD)
    value = _first(columns, _VALUE)
    gender = _first(columns, _GENDER)
    status = _first(columns, _STATUS)
    assert kpi and area and period and value  # the header was found by these names

    def label(position: int) -> str:
        return text(sheet.rows[header][position])

    out.columns = {
        "indicator_id": label(kpi[1]),
        "area_code": label(area[1]),
        "period": label(period[1]),
    }
    if gender:
        out.columns["gender"] = label(gender[1])
    value_label = label(value[1])
    unit = area[0].startswith("ou")
    rows = [i for i in range(header + 1, len(sheet.rows)) if not is_blank_row(sheet.rows[i])]
    refuse_mixed_decimal_marks(out, sheet, rows, value[1], value_label)
    for index in rows:
        out.rows_read += 1
        row = sheet.row_number(index)

        def where(position: int, row: int = row) -> dict[str, Any]:
            return {"sheet": sheet.name, "row": row, "column": label(position)}

        indicator = out.identifier(cell(sheet, index, kpi[1]), **where(kpi[1]))
        if not indicator:
            out.error("Raden saknar nyckeltal (kpi).", **where(kpi[1]))
        area_cell = cell(sheet, index, area[1])
        code: str | None
        if unit:
            # Units below kommun level keep Kolada's own id; validation judges them.
            code = out.identifier(area_cell, **where(area[1])) or None
            if code is None:
                out.error("Raden saknar enhet.", **where(area[1]))
        else:
            code = out.area(area_cell, **where(area[1]))
        when = out.period(cell(sheet, index, period[1]), **where(period[1]))
        sex = out.gender(
            cell(sheet, index, gender[1]) if gender else "", **where((gender or value)[1])
        )
        reading = _reading(
            out,
            cell(sheet, index, value[1]),
            text(cell(sheet, index, status[1])) if status else "",
            where(value[1]),
        )
        if not indicator or code is None or when is None or sex is None or reading is None:
            continue
        out.add(
            indicator_id=indicator,
            area_code=code,
            period=when,
            gender=sex,
            reading=reading,
            sheet=sheet.name,
            row=row,
            value_column=value_label,
        )


def _reading(out: Collector, value: Any, status: str, where: dict[str, Any]) -> Reading | None:
    """A number as written; an empty value means what Kolada's status says (empty status: no
    value in Kolada), as the JSON API's null does."""
    if text(value) == "":
        known = _STATUSES.get(fold(status))
        if known is None:
            return Reading(ObservationStatus.MISSING, math.nan, f"saknas: Kolada-status {status}")
        return Reading(known[0], math.nan, known[1])
    return out.reading(value, **where)
