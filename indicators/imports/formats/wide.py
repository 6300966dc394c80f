"""Wide tables: one row per area, one column per period. Shared by the Kolada web export and the
kommuner's own spreadsheets, which differ only in where the indicator id is written."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from indicators.imports.formats.common import (
    Collector,
    cell,
    find_header,
    fold,
    header_columns,
    is_blank_row,
    refuse_mixed_decimal_marks,
    text,
)
from indicators.imports.reading import Cell, Sheet
from indicators.imports.values import ValueProblem, parse_period
from indicators.vocabulary.domain import Gender

AREA_HEADERS = (
    "kommun",
    "område",
    "omrade",
    "region",
    "kommun/region",
    "enhet",
    "namn",
    "län",
    "lan",
    # SCB's and Kolada's English exports.
    "county",
    "municipality",
)
CODE_HEADERS = ("kommunkod", "kod", "områdeskod", "kommun-id", "kommunid", "id", "regionkod")
GENDER_HEADERS = ("kön", "kon", "sex")
INDICATOR_HEADERS = ("indikator", "nyckeltal", "kpi", "indikator-id", "id-nummer")
# Kolada KPI ids: N (nyckeltal) or U (utvecklingsnyckeltal) and five digits; group ids (G…)
# that title rows may also name are not KPIs.
KOLADA_ID = re.compile(r"\b([NU]\d{5})\b")
# Rows below the table that explain it rather than hold data.
_FOOTER = re.compile(
    r"^(?:[*†]|(?:källa|kolada|uppdaterad|hämtad|anm|not|fotnot|förklaring|source|"
    r"footnote|note)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Layout:
    header: int  # row index of the header
    area: int  # column of the area (code preferred over name)
    periods: dict[int, str]  # column → header text of a period column
    gender: int | None
    indicator: int | None


# A footnote mark after a period header: SCB and Socialstyrelsen star preliminary or revised
# years ("2010*"); the mark belongs to a note below the table, not to the period.
_FOOTNOTE_MARK = re.compile(r"\s*[*†]+$")


def period_text(value: Cell) -> str:
    """A period header's text without its footnote mark."""
    return _FOOTNOTE_MARK.sub("", text(value))


def is_period_header(value: Cell) -> bool:
    try:
        parse_period(period_text(value))
    except ValueProblem:
        return False
    return True


def _accepts(cells: list[str]) -> bool:
    has_area = any(c in AREA_HEADERS or c in CODE_HEADERS for c in cells)
    return has_area and any(is_period_header(c) for c in cells)


def find_layout(sheet: Sheet) -> Layout | None:
    index = find_header(sheet, _accepts)
    if index is None:
        return None
    cells = [fold(c) for c in sheet.rows[index]]

    def first(names: tuple[str, ...]) -> int | None:
        return next((i for i, c in enumerate(cells) if c in names), None)

    code, name = first(CODE_HEADERS), first(AREA_HEADERS)
    area = code if code is not None else name
    if area is None:
        return None
    periods = {
        i: text(c) for i, c in enumerate(sheet.rows[index]) if i != area and is_period_header(c)
    }
    return Layout(index, area, periods, first(GENDER_HEADERS), first(INDICATOR_HEADERS))


def parse_wide_sheet(
    out: Collector,
    sheet: Sheet,
    layout: Layout,
    sheet_indicator: str | None,
    row_indicator: Callable[[Cell, dict[str, Any]], str | None] | None,
) -> None:
    """Every (row, period column) of the table. The indicator is `sheet_indicator` (None when
    its absence is already reported), or read by `row_indicator` from the layout's indicator
    column."""
    if header_columns(out, sheet, layout.header) is None:
        return
    data: list[int] = []
    ended = False  # a blank row after data: what follows without values are notes
    for index in range(layout.header + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        if is_blank_row(cells):
            ended = bool(data)
            continue
        first_text = text(cell(sheet, index, layout.area)) or text(cells[0])
        values = [cell(sheet, index, c) for c in layout.periods]
        if (ended or _FOOTER.match(first_text)) and all(text(v) == "" for v in values):
            continue
        data.append(index)
    if not data:
        out.error("Filen har rubriker men inga rader.", sheet=sheet.name)
        return
    if _refuse_mixed_dimensions(out, sheet, layout, data):
        # Every value is read and rejected with the one problem above, none saved.
        out.rows_read += len(data)
        out.count_values(len(data) * len(layout.periods))
        return
    _refuse_unreadable_period_headers(out, sheet, layout)
    for column, label in layout.periods.items():
        refuse_mixed_decimal_marks(out, sheet, data, column, label)
    area_label = text(sheet.rows[layout.header][layout.area])
    for index in data:
        out.rows_read += 1
        out.count_values(len(layout.periods))
        row = sheet.row_number(index)
        area_cell = cell(sheet, index, layout.area)
        if _NO_AREA.search(fold(area_cell)):
            out.warning(
                "Raden är inget område (uppgifter utan regional fördelning eller med okänt län) "
                "och läses inte in.",
                sheet=sheet.name,
                row=row,
                column=area_label,
                value=area_cell,
            )
            continue
        if "medel" in fold(area_cell) or "median" in fold(area_cell):
            out.warning(
                "Raden är ett gruppvärde (medel eller median), inte ett område, och läses inte in.",
                sheet=sheet.name,
                row=row,
                column=area_label,
                value=area_cell,
            )
            continue
        area = out.area(area_cell, sheet=sheet.name, row=row, column=area_label)
        gender: Gender | None = Gender.TOTAL
        if layout.gender is not None:
            gender_label = text(sheet.rows[layout.header][layout.gender])
            gender = out.gender(
                cell(sheet, index, layout.gender), sheet=sheet.name, row=row, column=gender_label
            )
        indicator = sheet_indicator
        if row_indicator is not None and layout.indicator is not None:
            indicator_cell = cell(sheet, index, layout.indicator)
            indicator_where: dict[str, Any] = {
                "sheet": sheet.name,
                "row": row,
                "column": text(sheet.rows[layout.header][layout.indicator]),
            }
            indicator = row_indicator(indicator_cell, indicator_where)
            if indicator is None:
                out.error("Indikatorns id kan inte läsas.", value=indicator_cell, **indicator_where)
        for column, label in layout.periods.items():
            where = {"sheet": sheet.name, "row": row, "column": label}
            period = out.period(period_text(label), **where)
            reading = out.reading(cell(sheet, index, column), **where)
            if (
                area is None
                or gender is None
                or indicator is None
                or period is None
                or reading is None
            ):
                continue
            out.add(
                indicator_id=indicator,
                area_code=area,
                period=period,
                gender=gender,
                reading=reading,
                sheet=sheet.name,
                row=row,
                value_column=label,
            )


def _refuse_mixed_dimensions(out: Collector, sheet: Sheet, layout: Layout, data: list[int]) -> bool:
    """A column beside the area (SCB's 'utbildningsnivå', 'ålder', 'occupation') whose values
    differ between rows of the same area and gender gives one area several values per period:
    the file holds more than one indicator. It is refused naming the column, instead of a
    conflict per cell."""
    used = {layout.area, layout.gender, layout.indicator, *layout.periods}
    keys = {(text(cell(sheet, i, layout.area)), text(cell(sheet, i, layout.gender))) for i in data}
    if len(keys) == len(data):
        return False
    refused = False
    for position, header in enumerate(sheet.rows[layout.header]):
        label = text(header)
        if position in used or not label:
            continue
        values = sorted({text(cell(sheet, i, position)) for i in data})
        if len(values) > 1:
            shown_values = "; ".join(f"'{v}'" for v in values[:3])
            more = f" och {len(values) - 3} till" if len(values) > 3 else ""
            out.error(
                f"Kolumnen '{label}' har flera värden ({shown_values}{more}) för samma område "
                "och kön, så filen har mer än ett värde per område och period. Gör ett uttag "
                f"med ett enda värde i '{label}' (eller en fil per värde) och läs in det.",
                sheet=sheet.name,
                row=sheet.row_number(layout.header),
                column=label,
            )
            refused = True
    return refused


# SCB's rows for what has no region: "50 no regional distribution", "99 County unknown",
# "Uppgift saknas", "okänt län".
_NO_AREA = re.compile(
    r"no regional distribution|utan regional fördelning|county unknown|okän[dt] (?:län|kommun)|"
    r"^(?:\d{2,4}\s+)?uppgift saknas$"
)
_YEARLIKE = re.compile(r"^(?:19|20)\d{2}")


def _refuse_unreadable_period_headers(out: Collector, sheet: Sheet, layout: Layout) -> None:
    """A header that starts like a period but is none ("2023Q5", "2023-13") would otherwise be
    passed over with all its values: name it instead."""
    used = {layout.area, layout.gender, layout.indicator, *layout.periods}
    for position, header in enumerate(sheet.rows[layout.header]):
        label = text(header)
        if position in used or not _YEARLIKE.match(label):
            continue
        try:
            parse_period(period_text(label))
        except ValueProblem as exc:
            out.error(
                f"Kolumnrubriken '{label}' kan inte läsas som period, så kolumnens värden kan "
                f"inte läsas in. {exc.message}",
                sheet=sheet.name,
                row=sheet.row_number(layout.header),
                column=label,
                value=label,
            )


def title_cells(sheet: Sheet, layout: Layout) -> list[Cell]:
    """The non-empty cells above the header, in reading order."""
    return [c for row in sheet.rows[: layout.header] for c in row if text(c)]


def kolada_ids(cells: list[Cell]) -> list[str]:
    found: list[str] = []
    for c in cells:
        for match in KOLADA_ID.findall(text(c)):
            if match not in found:
                found.append(match)
    return found
