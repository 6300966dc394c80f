"""Kolada's web export (Jämföraren → Excel or CSV): title rows naming the nyckeltal, then a
header `Kommun | 2019 | 2020 | …` and one row per kommun."""

from typing import Any

from indicators.imports.formats.common import (
    CHOOSE_INDICATOR,
    Collector,
    Content,
    Context,
    cell,
    fold,
    text,
)
from indicators.imports.formats.wide import (
    find_layout,
    kolada_ids,
    parse_wide_sheet,
    title_cells,
)
from indicators.imports.reading import Cell
from indicators.imports.records import ParsedFile, UploadedFile

KEY = "kolada-web"
LABEL = "Kolada webbexport (Excel/CSV från Jämföraren)"


def sniff(file: UploadedFile, content: Content) -> float:
    best = 0.0
    for sheet in content.sheets:
        layout = find_layout(sheet)
        if layout is None:
            continue
        titles = title_cells(sheet, layout)
        if kolada_ids(titles) or any("kolada" in fold(c) for c in titles):
            best = max(best, 0.9)
        elif layout.indicator is not None and kolada_ids(
            [cell(sheet, i, layout.indicator) for i in range(layout.header + 1, len(sheet.rows))]
        ):
            best = max(best, 0.8)
    return best


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    read_any = False
    for sheet in content.sheets:
        layout = find_layout(sheet)
        if layout is None:
            continue
        read_any = True
        out.columns = {"area_code": text(sheet.rows[layout.header][layout.area])}
        if layout.indicator is not None:
            out.columns["indicator_id"] = text(sheet.rows[layout.header][layout.indicator])
            parse_wide_sheet(out, sheet, layout, None, _row_indicator)
            continue
        ids = kolada_ids(title_cells(sheet, layout))
        parse_wide_sheet(out, sheet, layout, _sheet_indicator(out, sheet.name, ids), None)
    if not read_any:
        out.error("Ingen tabell med en kolumn Kommun (eller Område) och en kolumn per år hittades.")
    return out.result()


def _row_indicator(value: Cell, where: dict[str, Any]) -> str | None:
    ids = kolada_ids([value])
    return ids[0] if len(ids) == 1 else None


def _sheet_indicator(out: Collector, sheet: str | None, ids: list[str]) -> str | None:
    if len(ids) == 1:
        return ids[0]
    if out.ctx.indicator_id:
        return out.ctx.indicator_id
    if len(ids) > 1:
        out.error(
            f"Rubrikraderna nämner flera nyckeltal ({', '.join(ids[:6])}); välj vilket filen "
            "avser vid uppladdningen.",
            sheet=sheet,
        )
    else:
        out.error(CHOOSE_INDICATOR, sheet=sheet)
    return None
