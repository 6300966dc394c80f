"""Kolada API v3 JSON: `/data` and `/oudata` responses, one page per file.

`{"count": n, "values": [{"kpi", "municipality" | "ou", "period", "values": [{"gender", "count",
"status", "value"}]}], "next_url": ...}`. A row is an entry of the outer `values`; the row number
in problems is its position there (1-based)."""

import math
from typing import Any

from indicators.imports.formats.common import (
    MAX_REASON_CHARS,
    Collector,
    Content,
    Context,
    Reading,
    _gender,
    _period,
    _short,
    shown,
    text,
)
from indicators.imports.records import ParsedFile, UploadedFile
from indicators.imports.values import ValueProblem
from indicators.vocabulary.domain import KOLADA_MARKERS, Gender, ObservationStatus

KEY = "kolada-json"
LABEL = "Kolada (API v3, JSON)"

# Kolada's own status words and markers when `value` is null; the empty status means "no value".
_STATUSES = {
    "": (ObservationStatus.MISSING, "saknas: inget värde i Kolada"),
    **KOLADA_MARKERS,
    "bortfall": (ObservationStatus.MISSING, "Bortfall"),
    "ej tillämplig": (ObservationStatus.NOT_APPLICABLE, "Ej tillämplig"),
    "ej tillämpligt": (ObservationStatus.NOT_APPLICABLE, "Ej tillämpligt"),
    "sekretess": (ObservationStatus.SUPPRESSED, "Sekretess"),
    "sekretessmarkerad": (ObservationStatus.SUPPRESSED, "Sekretessmarkerad"),
}


def _entries(content: Content) -> list[Any] | None:
    data = content.json
    values = data.get("values") if isinstance(data, dict) else None
    return values if isinstance(values, list) else None


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
    entries = _entries(content)
    if entries is None:
        out.error(
            "Filen är inget svar från Koladas API: listan 'values' med värden saknas. "
            "Kontrollera att rätt fil och rätt format är valda."
        )
        return out.result()
    if not entries:
        out.warning("Filen innehåller inga värden (tom sida från Kolada).")
    deleted = 0
    fast = _FastEntries(out)
    for number, entry in enumerate(entries, start=1):
        out.rows_read += 1
        if not isinstance(entry, dict):
            out.count_values()
            out.error("Posten är inte ett JSON-objekt.", row=number, value=str(entry))
            continue
        items = entry.get("values")
        out.count_values(len(items) if isinstance(items, list) and items else 1)
        if entry.get("isdeleted"):
            deleted += 1
            continue
        if not fast.entry(entry, number):
            _entry(out, entry, number)
    if deleted:
        out.warning(
            f"{deleted} poster är markerade som borttagna i Kolada (isdeleted) och läses inte in."
        )
    result = out.result()
    result.declared_empty = not entries and {"count", "next_url"} <= set(content.json)
    return result


_OK = ObservationStatus.OK.value


class _FastEntries:
    """The usual entry (a kommun code, a period, genders with a number or null) read with
    distinct municipalities, periods and genders resolved once each, silently. An entry
    where anything would give a problem is left to _entry, whose messages are the contract;
    entry() says whether it took the entry."""

    def __init__(self, out: Collector) -> None:
        self.out = out
        self.areas: dict[str, Any] = {}
        self.periods: dict[tuple[type, object], Any] = {}
        self.genders: dict[str, Any] = {}

    def entry(self, entry: dict[str, Any], row: int) -> bool:
        kpi = entry.get("kpi")
        municipality = entry.get("municipality")
        period = entry.get("period")
        values = entry.get("values")
        if not (
            type(kpi) is str
            and type(municipality) is str
            and (type(period) is int or type(period) is str)
            and type(values) is list
        ):
            return False
        kpi = kpi.strip()
        area = self._area(municipality)
        when = self._period(period)
        if not kpi or area is None or when is None:
            return False
        records = []
        for item in values:
            if type(item) is not dict:
                return False
            gender = self._gender(item.get("gender"))
            value = item.get("value")
            if gender is None:
                return False
            if value is None:
                reading = _reading(self.out, item, row)  # never a problem for null
                if reading is None:
                    return False
                records.append((gender, math.nan, reading.status.value, reading.reason))
            elif (type(value) is float and not math.isnan(value)) or type(value) is int:
                records.append((gender, float(value), _OK, ""))
            else:
                return False
        # What Collector.add would store, appended column by column.
        data = self.out.data
        period_type, period_start = when[0].value, when[1]
        for gender, number, status, reason in records:
            data["indicator_id"].append(kpi)
            data["area_code"].append(area)
            data["period_type"].append(period_type)
            data["period_start"].append(period_start)
            data["gender"].append(gender.value)
            data["value"].append(number)
            data["numerator"].append(math.nan)
            data["denominator"].append(math.nan)
            data["status"].append(status)
            data["status_reason"].append(_short(reason, MAX_REASON_CHARS))
            data["sheet"].append(None)
            data["row"].append(row)
            data["value_column"].append("value")
        return True

    def _area(self, municipality: str) -> Any:
        if municipality not in self.areas:
            try:
                self.areas[municipality] = self.out.ctx.areas.resolve(text(municipality))
            except ValueProblem:
                self.areas[municipality] = None
        return self.areas[municipality]

    def _period(self, period: int | str) -> Any:
        key = (type(period), period)
        if key not in self.periods:
            try:
                self.periods[key] = _period(text(period))
            except ValueProblem:
                self.periods[key] = None
        return self.periods[key]

    def _gender(self, gender: object) -> Any:
        if type(gender) is not str:
            return None
        if gender not in self.genders:
            raw = text(gender)
            try:
                self.genders[gender] = _gender(raw) if raw else Gender.TOTAL
            except ValueProblem:
                self.genders[gender] = None
        return self.genders[gender]


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
        if not kpi or area is None or period is None or gender is None or reading is None:
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
