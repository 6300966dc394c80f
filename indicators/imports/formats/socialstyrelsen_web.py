"""Socialstyrelsen's statistikdatabas, exported from the web table (Excel or CSV) rather than
taken from its API: a title row, two header rows — the measure above, the years below, beside
the row labels Region, Kön (and Ålder) — one row per region and gender, and notes below.

    Statistikdatabas för läkemedel
    ;;;Antal patienter;Antal patienter
    Region;Kön;Ålder;2022;2023
    Jönköpings län;Män;Totalt;1,417;1,502
    Källa: Socialstyrelsen

The web table writes thousands with a comma ("1,417") and decimals with a point; a file whose
numbers carry a decimal comma instead is read that way, and a number that could be either is
refused. One measure and one age group per file: a file with several is refused, naming the
export to make instead."""

import re
from dataclasses import dataclass
from typing import Any

from indicators.imports.formats.common import (
    CHOOSE_INDICATOR,
    Collector,
    Content,
    Context,
    Reading,
    cell,
    fold,
    is_blank_row,
    text,
)
from indicators.imports.formats.wide import (
    AREA_HEADERS,
    is_period_header,
    kolada_ids,
    period_text,
)
from indicators.imports.reading import Cell, Sheet
from indicators.imports.records import ParsedFile, UploadedFile
from indicators.imports.values import ValueProblem, parse_number
from indicators.vocabulary.domain import ObservationStatus

KEY = "socialstyrelsen-web"
LABEL = "Socialstyrelsens statistikdatabas (webbexport, Excel/CSV)"

_AREA = (*AREA_HEADERS, "regioner", "kommuner")
_GENDER = ("kön", "kon", "sex")
_AGE = ("ålder", "alder", "åldersgrupp", "age")
_MARKS = ("socialstyrelsen", "statistikdatabas")
# "1,417" or "12,345,678" with an optional decimal point: the web table's thousands.
_THOUSANDS = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# A comma followed by anything but groups of three digits is a decimal comma.
_DECIMAL_COMMA = re.compile(r"^[-−]?\d+,(?:\d{1,2}|\d{4,})$")
_LABELLED = re.compile(r"^(?:indikator|nyckeltal|kpi)\s*(?:-?id)?\s*[:=]", re.IGNORECASE)
CHOOSE_EXPORT = (
    "Gör om uttaget i Socialstyrelsens statistikdatabas med ett mått och en åldersgrupp, År som "
    "kolumner och Region (och Kön) som rader, och exportera till Excel eller CSV — eller hämta "
    "samma urval från statistikdatabasens API (JSON), som också läses in."
)


@dataclass(frozen=True)
class _Layout:
    header: int  # the row with Region, Kön … and the years
    area: int
    gender: int | None
    age: int | None
    periods: dict[int, str]  # column → period header
    measures: dict[int, str]  # column → the measure written above it (carried right)


def _marked(sheet: Sheet) -> bool:
    """Socialstyrelsen named in a cell above or below the table (title or source note)."""
    rows = sheet.rows[:8] + sheet.rows[-8:]
    return any(any(m in fold(c) for m in _MARKS) for row in rows for c in row if c != "")


def _layout(sheet: Sheet) -> _Layout | None:
    for index, row in enumerate(sheet.rows[:30]):
        cells = [fold(c) for c in row]
        area = next((i for i, c in enumerate(cells) if c in _AREA), None)
        if area is None:
            continue
        periods = {i: text(c) for i, c in enumerate(row) if i != area and is_period_header(c)}
        above = sheet.rows[index - 1] if index > 0 else []
        if not periods and above:
            # Years in the upper header row, the row labels in the lower one.
            periods = {i: text(c) for i, c in enumerate(above) if is_period_header(c)}
        if not periods:
            continue
        measures: dict[int, str] = {}
        carried = ""
        for position, c in enumerate(above):
            label = text(c)
            if label and not is_period_header(c):
                carried = label
            if position in periods and carried:
                measures[position] = carried
        return _Layout(
            header=index,
            area=area,
            gender=next((i for i, c in enumerate(cells) if c in _GENDER), None),
            age=next((i for i, c in enumerate(cells) if c in _AGE), None),
            periods=periods,
            measures=measures,
        )
    return None


def sniff(file: UploadedFile, content: Content) -> float:
    for sheet in content.sheets:
        layout = _layout(sheet)
        if layout is None or not _marked(sheet):
            continue
        titles = [c for row in sheet.rows[: layout.header] for c in row if c != ""]
        # A Kolada export or a kommun's own sheet may cite Socialstyrelsen as its source; a
        # KPI id or an "Indikator: …" line above the table decides for them.
        if kolada_ids(titles) or any(_LABELLED.match(text(c)) for c in titles):
            continue
        # The web table always has Kön or Ålder beside Region, or the measure above the years.
        if layout.gender is None and layout.age is None and not layout.measures:
            continue
        return 0.95
    return 0.0


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    read_any = False
    for sheet in content.sheets:
        layout = _layout(sheet)
        if layout is None:
            continue
        read_any = True
        _sheet(out, sheet, layout)
    if not read_any:
        out.error(
            "Filen liknar inte en tabell från Socialstyrelsens statistikdatabas: ingen rubrikrad "
            "med Region och år hittades. " + CHOOSE_EXPORT
        )
    return out.result()


def _sheet(out: Collector, sheet: Sheet, layout: _Layout) -> None:
    header = sheet.rows[layout.header]
    area_label = text(header[layout.area])
    out.columns = {"area_code": area_label}
    if layout.gender is not None:
        out.columns["gender"] = text(header[layout.gender])
    rows = _data_rows(sheet, layout)
    if not rows:
        out.error("Tabellen har rubriker men inga rader.", sheet=sheet.name)
        return
    measures = sorted(set(layout.measures.values()))
    if len(measures) > 1:
        out.error(
            f"Filen har flera mått ({', '.join(measures[:4])}), men en indikator har ett. "
            + CHOOSE_EXPORT,
            sheet=sheet.name,
            row=sheet.row_number(layout.header - 1),
        )
    if layout.age is not None:
        ages = sorted({text(cell(sheet, i, layout.age)) for i in rows} - {""})
        if len(ages) > 1:
            out.error(
                f"Filen blandar flera åldersgrupper ({', '.join(ages[:4])}). " + CHOOSE_EXPORT,
                sheet=sheet.name,
                column=text(header[layout.age]),
            )
    indicator = _indicator(out, measures, sheet)
    decimal_comma = _decimal_comma(sheet, rows, layout)
    for index in rows:
        out.rows_read += 1
        out.count_values(len(layout.periods))
        row = sheet.row_number(index)
        area_cell = cell(sheet, index, layout.area)
        area = out.area(area_cell, sheet=sheet.name, row=row, column=area_label)
        gender = out.gender(
            cell(sheet, index, layout.gender) if layout.gender is not None else "",
            sheet=sheet.name,
            row=row,
            column=out.columns.get("gender", area_label),
        )
        for column, label in layout.periods.items():
            where: dict[str, Any] = {"sheet": sheet.name, "row": row, "column": label}
            period = out.period(period_text(label), **where)
            reading = _reading(out, cell(sheet, index, column), decimal_comma, where)
            if indicator is None or area is None or gender is None or period is None:
                continue
            if reading is None:
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


def _data_rows(sheet: Sheet, layout: _Layout) -> list[int]:
    """Rows below the header up to the notes: the table ends at its first blank row, or at a
    row with text but no values (a source note)."""
    rows: list[int] = []
    for index in range(layout.header + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        if is_blank_row(cells):
            if rows:
                break
            continue
        if all(text(cell(sheet, index, c)) == "" for c in layout.periods):
            if rows:
                break
            continue
        rows.append(index)
    return rows


def _indicator(out: Collector, measures: list[str], sheet: Sheet) -> str | None:
    if out.ctx.indicator_id:
        return out.ctx.indicator_id
    catalogue = out.ctx.catalogue
    if catalogue is not None and len(measures) == 1:
        wanted = fold(measures[0])
        matches = [
            i.id
            for i in catalogue.indicators
            if "socialstyrelsen" in i.source.casefold() and fold(i.title) == wanted
        ]
        if len(matches) == 1:
            return matches[0]
    out.error(CHOOSE_INDICATOR, sheet=sheet.name)
    return None


def _decimal_comma(sheet: Sheet, rows: list[int], layout: _Layout) -> bool:
    """True when the file's numbers carry a decimal comma ("12,5") rather than the web
    table's thousands comma ("1,417")."""
    for index in rows:
        for column in layout.periods:
            value = cell(sheet, index, column)
            if isinstance(value, str) and _DECIMAL_COMMA.match(value.strip()):
                return True
    return False


def _reading(
    out: Collector, value: Cell, decimal_comma: bool, where: dict[str, Any]
) -> Reading | None:
    if not isinstance(value, str) or "," not in value:
        return out.reading(value, **where)
    raw = value.strip()
    if decimal_comma:
        if _THOUSANDS.match(raw) and "." not in raw:
            out.error(
                f"'{raw}' kan vara både tusental och decimaler: filen skriver decimaler med komma "
                "på andra rader. Exportera tabellen på nytt utan tusentalsavgränsare.",
                value=value,
                **where,
            )
            return None
        return out.reading(value, **where)
    if _THOUSANDS.match(raw):
        try:
            return Reading(ObservationStatus.OK, parse_number(raw.replace(",", "")))
        except ValueProblem as exc:
            out.error(exc.message, value=value, **where)
            return None
    return out.reading(value, **where)
