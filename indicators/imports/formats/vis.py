"""Vården i siffror (SKR), CSV or Excel export: one row per measure, unit and period, columns
Titel (or Diagramrubrik), Register/källa, Enhetsnamn, Mätperiod, Värde, Måttenhet, Täljare,
Nämnare/antal fall; decimal comma; UNK, MSK and INV instead of a value.

The file names its measures by title only, so a title is matched to the catalogue: an
indicator from Vården i siffror whose source_id or title equals it, else any indicator with
exactly that title; failing both, the analyst chooses the indicator at upload."""

import re
from typing import Any

from indicators.imports.formats.common import (
    CHOOSE_INDICATOR,
    Collector,
    Content,
    Context,
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
from indicators.vocabulary.domain import OBSERVATION_NUMBERS

KEY = "vis"
LABEL = "Vården i siffror (CSV/Excel-export)"

_TITLE = ("titel", "diagramrubrik")
_UNIT = ("enhetsnamn",)
_PERIOD = ("mätperiod", "matperiod")
_VALUE = ("värde", "varde")
_NUMERATOR = ("täljare",)
_DENOMINATOR = ("nämnare/antal fall", "nämnare", "antal fall")
_GENDER = ("kön",)
_SIGNATURE = ("register/källa", "måttenhet", "enhetsnamn", "mätperiod")
# "2023-01-01 - 2023-12-31", "2023-01 – 2023-12": a whole calendar year.
_WHOLE_YEAR = re.compile(r"^(\d{4})-01(?:-01)?\s*[-–]\s*(\d{4})-12(?:-31)?$")


def _accepts(cells: list[str]) -> bool:
    return any(c in _TITLE for c in cells) and sum(c in _SIGNATURE for c in cells) >= 2


def sniff(file: UploadedFile, content: Content) -> float:
    return 1.0 if any(find_header(s, _accepts) is not None for s in content.sheets) else 0.0


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    headers = [(s, find_header(s, _accepts)) for s in content.sheets]
    sheets = [(s, h) for s, h in headers if h is not None]
    if not sheets:
        out.error(
            "Kolumnerna från Vården i siffror (Titel, Enhetsnamn, Mätperiod, Värde) hittades inte."
        )
    for sheet, header in sheets:
        _sheet(out, sheet, header)
    return out.result()


def _sheet(out: Collector, sheet: Sheet, header: int) -> None:
    columns = header_columns(out, sheet, header)
    if columns is None:
        return
    labels = {fold(c): text(c) for c in sheet.rows[header]}

    def find(names: tuple[str, ...]) -> int | None:
        return next((columns[n] for n in names if n in columns), None)

    def label(names: tuple[str, ...]) -> str:
        return next((labels[n] for n in names if n in columns), names[0].capitalize())

    at = {
        "title": find(_TITLE),
        "unit": find(_UNIT),
        "period": find(_PERIOD),
        "value": find(_VALUE),
        "numerator": find(_NUMERATOR),
        "denominator": find(_DENOMINATOR),
        "gender": find(_GENDER),
    }
    names = {
        "title": label(_TITLE),
        "unit": label(_UNIT),
        "period": label(_PERIOD),
        "value": label(_VALUE),
        "numerator": label(_NUMERATOR),
        "denominator": label(_DENOMINATOR),
        "gender": label(_GENDER),
    }
    missing = [names[k] for k in ("title", "unit", "period", "value") if at[k] is None]
    for name in missing:
        out.error(
            f"Kolumnen '{name}' saknas.",
            sheet=sheet.name,
            row=sheet.row_number(header),
            column=name,
        )
    if missing:
        return
    out.columns = {"indicator_id": names["title"], "area_code": names["unit"]}
    out.columns["period"] = names["period"]
    data = [i for i in range(header + 1, len(sheet.rows)) if not is_blank_row(sheet.rows[i])]
    if not data:
        out.error("Filen har rubriker men inga rader.", sheet=sheet.name)
        return
    for key in OBSERVATION_NUMBERS:
        if (position := at[key]) is not None:
            refuse_mixed_decimal_marks(out, sheet, data, position, names[key])
    indicators = _indicators(out, sheet, {text(cell(sheet, i, at["title"])) for i in data}, names)
    for index in data:
        out.rows_read += 1
        row = sheet.row_number(index)

        def where(key: str, row: int = row) -> dict[str, Any]:
            return {"sheet": sheet.name, "row": row, "column": names[key]}

        indicator = indicators.get(text(cell(sheet, index, at["title"])))
        area = out.area(cell(sheet, index, at["unit"]), **where("unit"))
        period = out.period(_period_text(cell(sheet, index, at["period"])), **where("period"))
        gender = out.gender(cell(sheet, index, at["gender"]), **where("gender"))
        reading = out.reading(cell(sheet, index, at["value"]), **where("value"))
        numerator = out.optional_number(cell(sheet, index, at["numerator"]), **where("numerator"))
        denominator = out.optional_number(
            cell(sheet, index, at["denominator"]), **where("denominator")
        )
        if (
            indicator is None
            or area is None
            or period is None
            or gender is None
            or reading is None
            or numerator is None
            or denominator is None
        ):
            continue
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
            value_column=names["value"],
        )


def _period_text(value: Cell) -> Cell:
    match = _WHOLE_YEAR.match(text(value))
    if match and match.group(1) == match.group(2):
        return match.group(1)
    return value


def _indicators(
    out: Collector, sheet: Sheet, titles: set[str], names: dict[str, str]
) -> dict[str, str | None]:
    catalogue = out.ctx.catalogue
    indicators = catalogue.indicators if catalogue is not None else []
    result: dict[str, str | None] = {}
    for title in sorted(titles):
        from_vis = [
            i.id
            for i in indicators
            if "vården i siffror" in fold(i.source)
            and (i.source_id == title or fold(i.title) == fold(title))
        ]
        same_title = [i.id for i in indicators if fold(i.title) == fold(title)]
        candidates: list[str | None] = [*from_vis, *same_title, None]
        match = candidates[0]
        if match is None and out.ctx.indicator_id and len(titles) == 1:
            match = out.ctx.indicator_id
        if match is None:
            hint = (
                " Filen har flera titlar; gör ett uttag per mått eller lägg till måtten i "
                "katalogen."
                if len(titles) > 1 and out.ctx.indicator_id
                else ""
            )
            out.error(
                f"Måttet '{title}' finns inte i katalogen. " + CHOOSE_INDICATOR + hint,
                sheet=sheet.name,
                column=names["title"],
                value=title,
            )
        result[title] = match
    return result
