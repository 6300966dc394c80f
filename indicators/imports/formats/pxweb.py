"""PxWeb JSON-stat 2.0 (SCB, Folkhälsomyndighetens Folkhälsodata): a cube of values, row-major
over `id` (the last dimension varies fastest). The row number in problems is the value's position
in `value` (1-based)."""

import itertools
import math
from dataclasses import dataclass
from typing import Any

from indicators.imports.formats.common import (
    CHOOSE_INDICATOR,
    Collector,
    Content,
    Context,
    Reading,
    fold,
    text,
)
from indicators.imports.records import ParsedFile, UploadedFile
from indicators.imports.values import missing_marker
from indicators.vocabulary.domain import Gender, ObservationStatus

KEY = "pxweb"
LABEL = "PxWeb JSON-stat2 (SCB, Folkhälsomyndigheten)"

_GEO = {"region", "område", "omrade", "kommun", "lan", "län"}
_TIME = {"tid", "år", "ar", "period"}
_GENDER = {"kon", "kön"}
_CONTENTS = {"contentscode", "tabellinnehåll", "mått"}
_GENDER_CODES = {"1": Gender.MEN, "2": Gender.WOMEN, "1+2": Gender.TOTAL, "3": Gender.TOTAL}


@dataclass(frozen=True)
class _Dimension:
    id: str
    codes: list[str]  # in cube order
    labels: dict[str, str]


def sniff(file: UploadedFile, content: Content) -> float:
    data = content.json
    if not isinstance(data, dict):
        return 0.0
    if data.get("class") == "dataset" and {"id", "size", "dimension", "value"} <= set(data):
        return 1.0
    return 0.0


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    data = content.json
    dimensions = _dimensions(out, data)
    if dimensions is None:
        return out.result()
    roles = data.get("role") if isinstance(data.get("role"), dict) else {}
    geo = _pick(dimensions, _GEO, roles.get("geo"))
    time = _pick(dimensions, _TIME, roles.get("time"))
    sex = _pick(dimensions, _GENDER, None)
    contents = _pick(dimensions, _CONTENTS, roles.get("metric"))
    if geo is None:
        out.error("Kuben saknar en regiondimension (t.ex. Region).")
    if time is None:
        out.error("Kuben saknar en tidsdimension (t.ex. Tid).")
    used = {d for d in (geo, time, sex, contents) if d is not None}
    for d in dimensions:
        if d.id not in used and len(d.codes) > 1:
            out.error(
                f"Dimensionen {d.id} har flera värden ({', '.join(d.codes[:6])}). Gör ett "
                "uttag med ett värde i den, så att varje indikator, område, period och kön har "
                "ett värde.",
                column=d.id,
            )
    if geo is None or time is None or out.has_errors:
        return out.result()
    out.columns = {"area_code": geo, "period": time}
    if sex:
        out.columns["gender"] = sex
    if contents:
        out.columns["indicator_id"] = contents
    by_id = {d.id: d for d in dimensions}
    indicators = _indicators(out, data, by_id.get(contents) if contents else None)
    areas = {c: _area(out, c, geo) for c in by_id[geo].codes}
    periods = {c: out.period(c, column=time) for c in by_id[time].codes}
    genders = {c: _gender(out, c, by_id[sex]) for c in by_id[sex].codes} if sex else {}
    total = math.prod(len(d.codes) for d in dimensions)
    values = _values(data.get("value"), total)
    statuses = _values(data.get("status"), total)
    for position, combination in enumerate(itertools.product(*(d.codes for d in dimensions))):
        out.rows_read += 1
        cell = dict(zip((d.id for d in dimensions), combination, strict=True))
        indicator = indicators.get(cell[contents]) if contents else indicators.get("")
        area = areas[cell[geo]]
        period = periods[cell[time]]
        gender = genders[cell[sex]] if sex else Gender.TOTAL
        reading = _reading(out, values.get(position), statuses.get(position), position + 1)
        if indicator is None or area is None or period is None or gender is None or reading is None:
            continue
        out.add(
            indicator_id=indicator,
            area_code=area,
            period=period,
            gender=gender,
            reading=reading,
            sheet=None,
            row=position + 1,
            value_column=cell[contents] if contents else "value",
        )
    return out.result()


def _dimensions(out: Collector, data: dict[str, Any]) -> list[_Dimension] | None:
    ids, sizes, dims = data.get("id"), data.get("size"), data.get("dimension")
    if not (isinstance(ids, list) and isinstance(sizes, list) and isinstance(dims, dict)):
        out.error("JSON-stat-filen saknar id, size eller dimension.")
        return None
    if len(ids) != len(sizes):
        out.error("JSON-stat-filen har olika antal id och size.")
        return None
    result = []
    for dim_id, size in zip(ids, sizes, strict=True):
        category = (dims.get(dim_id) or {}).get("category") or {}
        index = category.get("index")
        if isinstance(index, dict):
            codes = [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
        elif isinstance(index, list):
            codes = list(index)
        else:
            codes = list((category.get("label") or {}).keys())
        if len(codes) != size:
            out.error(
                f"Dimensionen {dim_id} har {len(codes)} kategorier men size anger {size}.",
                column=dim_id,
            )
            return None
        labels = {str(k): str(v) for k, v in (category.get("label") or {}).items()}
        result.append(_Dimension(str(dim_id), [str(c) for c in codes], labels))
    total = math.prod(sizes)
    values = data.get("value")
    if isinstance(values, list) and len(values) != total:
        out.error(f"Kuben ska ha {total} värden men har {len(values)}.")
        return None
    return result


def _pick(dimensions: list[_Dimension], names: set[str], role: Any) -> str | None:
    if isinstance(role, list) and role:
        return str(role[0])
    return next((d.id for d in dimensions if fold(d.id) in names), None)


def _values(raw: Any, total: int) -> dict[int, Any]:
    """JSON-stat allows a dense list, a sparse {"position": value} object, or (for status) one
    string for every value."""
    if isinstance(raw, list):
        return dict(enumerate(raw))
    if isinstance(raw, dict):
        return {int(k): v for k, v in raw.items() if str(k).isdigit()}
    if isinstance(raw, str):
        return dict.fromkeys(range(total), raw)
    return {}


def _area(out: Collector, code: str, column: str) -> str | None:
    # SCB writes län as two digits ("06") and Riket as "00"; the store uses four.
    four = code.zfill(4) if len(code) == 2 and code.isdigit() else code
    return out.area(four, column=column)


def _gender(out: Collector, code: str, dimension: _Dimension) -> Gender | None:
    if code in _GENDER_CODES:
        return _GENDER_CODES[code]
    return out.gender(dimension.labels.get(code, code), column=dimension.id)


def _reading(out: Collector, value: Any, status: Any, row: int) -> Reading | None:
    marker = missing_marker(text(status)) if status not in (None, "") else None
    if value is None:
        if marker is not None:
            return Reading(ObservationStatus(marker[0]), math.nan, marker[1])
        reason = f"saknas: status {text(status)}" if status else "saknas: inget värde i kuben"
        return Reading(ObservationStatus.MISSING, math.nan, reason)
    return out.reading(value, row=row, column="value")


def _indicators(
    out: Collector, data: dict[str, Any], contents: _Dimension | None
) -> dict[str, str | None]:
    """Map each ContentsCode to a catalogue id: the override, a catalogue entry with that code
    as source_id, or one whose title equals the content's or the dataset's label."""
    codes = contents.codes if contents else [""]
    if out.ctx.indicator_id:
        if len(codes) > 1:
            out.error(
                f"Kuben har {len(codes)} tabellinnehåll ({', '.join(codes[:6])}); en vald "
                "indikator kan bara gälla ett. Gör ett uttag per tabellinnehåll.",
                column=contents.id if contents else None,
            )
            return {}
        return {codes[0]: out.ctx.indicator_id}
    catalogue = out.ctx.catalogue
    dataset_label = fold(data.get("label"))
    result: dict[str, str | None] = {}
    for code in codes:
        label = fold(contents.labels.get(code, "")) if contents else ""
        match = None
        if catalogue is not None:
            match = next(
                (
                    i.id
                    for i in catalogue.indicators
                    if (code and i.source_id == code)
                    or fold(i.title) in {label, dataset_label} - {""}
                ),
                None,
            )
        if match is None:
            out.error(
                CHOOSE_INDICATOR, column=contents.id if contents else None, value=code or None
            )
        result[code] = match
    return result
