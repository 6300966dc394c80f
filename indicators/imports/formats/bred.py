"""The kommuner's own wide spreadsheets: kommun (code or name) per row, periods as columns
(2019, 2020, 2021H1 …), one indicator per sheet — named by the sheet, by a title cell above the
table, or per row in an `Indikator` column — and an optional `Kön` column."""

import re

from indicators.imports.formats.common import (
    CHOOSE_INDICATOR,
    Collector,
    Content,
    Context,
    fold,
    text,
)
from indicators.imports.formats.wide import (
    KOLADA_ID,
    Layout,
    find_layout,
    parse_wide_sheet,
    title_cells,
)
from indicators.imports.reading import Sheet
from indicators.imports.records import ParsedFile, UploadedFile

KEY = "bred"
LABEL = "Kommunernas egna kalkylblad (en kolumn per period)"

_LABELLED = re.compile(r"^(?:indikator|nyckeltal|kpi)\s*(?:-?id)?\s*[:=]\s*(\S+)", re.IGNORECASE)


def sniff(file: UploadedFile, content: Content) -> float:
    return 0.7 if any(find_layout(s) is not None for s in content.sheets) else 0.0


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
            parse_wide_sheet(
                out, sheet, layout, None, lambda v, where: out.identifier(v, **where) or None
            )
            continue
        parse_wide_sheet(out, sheet, layout, _sheet_indicator(out, sheet, layout), None)
    if not read_any:
        out.error(
            "Ingen tabell med en kolumn för kommun (kod eller namn) och en kolumn per period "
            "hittades."
        )
    return out.result()


def _sheet_indicator(out: Collector, sheet: Sheet, layout: Layout) -> str | None:
    catalogue_ids = (
        {i.id for i in out.ctx.catalogue.indicators} if out.ctx.catalogue is not None else set()
    )

    def known(candidate: str) -> bool:
        return candidate in catalogue_ids or bool(KOLADA_ID.fullmatch(candidate))

    titles = [text(c) for c in title_cells(sheet, layout)]
    for position, title in enumerate(titles):
        labelled = _LABELLED.match(title)
        if labelled:
            return labelled.group(1)
        if fold(title) in ("indikator", "indikator:", "nyckeltal", "kpi") and position + 1 < len(
            titles
        ):
            return titles[position + 1]
    for title in titles:
        first_word = title.split()[0] if title.split() else ""
        if known(title):
            return title
        if known(first_word):
            return first_word
    if sheet.name and known(sheet.name.strip()):
        return sheet.name.strip()
    if out.ctx.indicator_id:
        return out.ctx.indicator_id
    out.error(
        CHOOSE_INDICATOR + " Skriv indikatorns id som bladets namn, i en cell ovanför tabellen "
        "(t.ex. 'Indikator: RJL-SIP-DELAKTIGHET') eller i en kolumn Indikator.",
        sheet=sheet.name,
    )
    return None
