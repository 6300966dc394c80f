"""Socialstyrelsen's statistikdatabas API (JSON): rows `{regionId, alderId, konId, mattId, ar,
varde}`, at the top level or under "data"; `varde` is text with a decimal comma and region an
integer (0 Riket, 6 Jönköpings län, 680 Jönköping). The row number is the row's position."""

from typing import Any

from indicators.imports.formats.common import (
    CHOOSE_INDICATOR,
    Collector,
    Content,
    Context,
    fold,
    text,
)
from indicators.imports.records import ParsedFile, UploadedFile
from indicators.imports.values import decimal_mark_conflict
from indicators.vocabulary.domain import Gender

KEY = "socialstyrelsen"
LABEL = "Socialstyrelsens statistikdatabas (API, JSON)"

_REQUIRED = {"regionId", "konId", "ar", "varde"}
_KNOWN = _REQUIRED | {"alderId", "mattId"}
_GENDERS = {"1": Gender.MEN, "2": Gender.WOMEN, "3": Gender.TOTAL}


def _rows(content: Content) -> list[Any] | None:
    data = content.json
    if isinstance(data, dict):
        data = data.get("data")
    return data if isinstance(data, list) else None


def sniff(file: UploadedFile, content: Content) -> float:
    rows = _rows(content)
    if not rows:
        return 0.0
    sample = [r for r in rows[:20] if isinstance(r, dict)]
    if sample and all(set(r) >= _REQUIRED for r in sample):
        return 1.0
    return 0.0


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    out.columns = {"area_code": "regionId", "period": "ar", "gender": "konId"}
    rows = [r for r in _rows(content) or []]
    if not rows:
        out.error("Filen innehåller inga rader.")
        return out.result()
    dicts = [r for r in rows if isinstance(r, dict)]
    _refuse_mixed_dimensions(out, dicts)
    indicator = _indicator(out, content.json, dicts)
    marks = decimal_mark_conflict(
        [(n, r.get("varde")) for n, r in enumerate(rows, start=1) if isinstance(r, dict)], "varde"
    )
    if marks:
        out.error(marks, column="varde")
    for number, row in enumerate(rows, start=1):
        out.rows_read += 1
        if not isinstance(row, dict):
            out.error("Raden är inte ett JSON-objekt.", row=number, value=str(row))
            continue
        missing = sorted(_REQUIRED - set(row))
        if missing:
            out.error(f"Raden saknar fälten {', '.join(missing)}.", row=number)
            continue
        area = _area(out, row["regionId"], number)
        period = out.period(row["ar"], row=number, column="ar")
        gender = _GENDERS.get(text(row["konId"]))
        if gender is None:
            out.error(
                "Okänt kön (konId ska vara 1 män, 2 kvinnor eller 3 totalt).",
                row=number,
                column="konId",
                value=row["konId"],
            )
        reading = out.reading(row["varde"], row=number, column="varde")
        if indicator is None or area is None or period is None or gender is None or reading is None:
            continue
        out.add(
            indicator_id=indicator,
            area_code=area,
            period=period,
            gender=gender,
            reading=reading,
            sheet=None,
            row=number,
            value_column="varde",
        )
    return out.result()


def _area(out: Collector, region_id: Any, row: int) -> str | None:
    raw = text(region_id)
    if not raw.isdigit():
        out.error("regionId ska vara ett heltal.", row=row, column="regionId", value=region_id)
        return None
    # The API gives integers: 0 Riket, 6 the county, 680 a kommun; SCB codes are four digits.
    return out.area(raw, integer_ids=True, row=row, column="regionId")


def _refuse_mixed_dimensions(out: Collector, rows: list[dict[str, Any]]) -> None:
    """Age groups, measures or diagnoses that vary within one file would give several values
    for one key; the analyst should export one of each."""
    keys = sorted({k for r in rows for k in r if k not in _REQUIRED})
    for key in keys:
        values = {text(r.get(key)) for r in rows}
        if len(values) > 1:
            shown_values = ", ".join(sorted(values)[:6])
            out.error(
                f"Filen blandar flera värden för {key} ({shown_values}). Gör ett uttag per "
                f"{key} så att varje indikator, område, år och kön har ett värde.",
                column=key,
            )


def _indicator(out: Collector, data: Any, rows: list[dict[str, Any]]) -> str | None:
    if out.ctx.indicator_id:
        return out.ctx.indicator_id
    # A catalogue entry from Socialstyrelsen whose source_id names the measure (mattId), or
    # whose title the response's metadata carries.
    measures = {text(r.get("mattId")) for r in rows if "mattId" in r}
    titles = set()
    if isinstance(data, dict):
        for key in ("titel", "title", "matt", "namn"):
            if isinstance(data.get(key), str):
                titles.add(fold(data[key]))
    catalogue = out.ctx.catalogue
    if catalogue is not None:
        matches = [
            i.id
            for i in catalogue.indicators
            if "socialstyrelsen" in i.source.casefold()
            and ((i.source_id and i.source_id in measures) or fold(i.title) in titles)
        ]
        if len(matches) == 1:
            return matches[0]
    out.error(CHOOSE_INDICATOR)
    return None
