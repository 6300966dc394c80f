"""Kolada API v3 JSON: `/data` and `/oudata` responses, one page per file.

`{"count": n, "values": [{"kpi", "municipality" | "ou", "period", "values": [{"gender", "count",
"status", "value"}]}], "next_url": ...}`. A row is an entry of the outer `values`; the row number
in problems is its position there (1-based)."""

import math
from typing import Any

from indicators.domain import ObservationStatus
from indicators.imports.formats.common import Collector, Content, Context, Reading, shown
from indicators.imports.records import ParsedFile, UploadedFile

KEY = "kolada-json"
LABEL = "Kolada (API v3, JSON)"

# Kolada's own status words when `value` is null; the empty status means "no value".
_STATUSES = {
    "": (ObservationStatus.MISSING, "saknas: inget värde i Kolada"),
    "-": (ObservationStatus.MISSING, "-: bortfall"),
    "bortfall": (ObservationStatus.MISSING, "Bortfall"),
    ".": (ObservationStatus.NOT_APPLICABLE, ".: ej tillämpligt"),
    "ej tillämplig": (ObservationStatus.NOT_APPLICABLE, "Ej tillämplig"),
    "ej tillämpligt": (ObservationStatus.NOT_APPLICABLE, "Ej tillämpligt"),
    "..": (ObservationStatus.SUPPRESSED, "..: sekretess"),
    "sekretess": (ObservationStatus.SUPPRESSED, "Sekretess"),
    "sekretessmarkerad": (ObservationStatus.SUPPRESSED, "Sekretessmarkerad"),
}


def _entries(content: Content) -> list[Any] | None:
    data = content.json
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        return data["values"]
    return None


def sniff(file: UploadedFile, content: Content) -> float:
    entries = _entries(content)
    if entries is None:
        return 0.0
    sample = [e for e in entries[:20] if isinstance(e, dict)]
    if sample and all(
        "kpi" in e and "period" in e and ("municipality" in e or "ou" in e) for e in sample
    ):
        return 1.0
    if not entries and {"count", "next_url"} <= set(content.json):
        return 0.9  # an empty last page of a Kolada query
    return 0.0


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    out.columns = {
        "indicator_id": "kpi",
        "area_code": "municipality/ou",
        "period": "period",
        "gender": "gender",
    }
    entries = _entries(content) or []
    if not entries:
        out.warning("Filen innehåller inga värden (tom sida från Kolada).")
    deleted = 0
    for number, entry in enumerate(entries, start=1):
        out.rows_read += 1
        if not isinstance(entry, dict):
            out.error("Posten är inte ett JSON-objekt.", row=number, value=str(entry))
            continue
        if entry.get("isdeleted"):
            deleted += 1
            continue
        _entry(out, entry, number)
    if deleted:
        out.warning(
            f"{deleted} poster är markerade som borttagna i Kolada (isdeleted) och läses inte in."
        )
    return out.result()


def _entry(out: Collector, entry: dict[str, Any], row: int) -> None:
    kpi = str(entry.get("kpi") or "").strip()
    if not kpi:
        out.error("Posten saknar nyckeltal (kpi).", row=row, column="kpi")
    if "ou" in entry and "municipality" not in entry:
        # Units below kommun level are kept under Kolada's own id; validation judges them.
        area = str(entry.get("ou") or "").strip() or None
        if area is None:
            out.error("Posten saknar enhet (ou).", row=row, column="ou")
    else:
        area = out.area(entry.get("municipality"), row=row, column="municipality")
    period = out.period(entry.get("period"), row=row, column="period")
    values = entry.get("values")
    if not isinstance(values, list):
        out.error("Posten saknar värden (values).", row=row, column="values")
        return
    for item in values:
        if not isinstance(item, dict):
            out.error("Värdet är inte ett JSON-objekt.", row=row, column="values", value=str(item))
            continue
        gender = out.gender(item.get("gender"), row=row, column="gender")
        reading = _reading(out, item, row)
        if not kpi or None in (area, period, gender, reading):
            continue
        out.add(
            indicator_id=kpi,
            area_code=area,
            period=period,
            gender=gender,
            reading=reading,
            sheet=None,
            row=row,
            value_column="value",
        )


def _reading(out: Collector, item: dict[str, Any], row: int) -> Reading | None:
    value = item.get("value")
    status = str(item.get("status") or "").strip()
    if value is None:
        known = _STATUSES.get(status.casefold())
        if known is None:
            return Reading(ObservationStatus.MISSING, math.nan, f"saknas: Kolada-status {status}")
        return Reading(known[0], math.nan, known[1])
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        out.error("Värdet är inte ett tal.", row=row, column="value", value=shown(str(value)))
        return None
    return out.reading(value, row=row, column="value")
