"""PxWeb JSON-stat 2.0 (SCB, Folkhälsomyndighetens Folkhälsodata, and the other countries' PxWeb
sites): a cube of values, row-major over `id` (the last dimension varies fastest). The row number
in problems is the value's position in `value` (1-based). A JSON-stat 1.0 bundle
({"dataset": {...}}, as older PxWeb versions wrote) is read the same way.

What a cube means is decided by every dimension, not only region, time, sex and contents: a
dimension left with one value that is not its total (civilstånd "ogifta", ålder "0 år") narrows
what each value is about, so the file is refused unless the chosen indicator says so. The status
symbols (`..`, `.`, `-`, `×`) mean what the file's own notes say they mean."""

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from indicators.imports.formats.common import (
    CHOOSE_INDICATOR,
    Collector,
    Content,
    Context,
    Reading,
    fold,
    shown,
    text,
)
from indicators.imports.records import ParsedFile, UploadedFile
from indicators.imports.values import missing_marker
from indicators.vocabulary.domain import Gender, ObservationStatus

KEY = "pxweb"
LABEL = "PxWeb JSON-stat2 (SCB, Folkhälsomyndigheten)"

_GEO = {"region", "område", "omrade", "kommun", "lan", "län"}
_TIME = {"tid", "år", "ar", "period"}
_GENDER = {"kon", "kön", "sex", "kjonn", "kjønn"}
_CONTENTS = {"contentscode", "tabellinnehåll", "mått"}
# SCB writes "1+2" (API v1) or "TotSa" (API v2) for both sexes; Socialstyrelsen "3".
_GENDER_CODES = {
    "1": Gender.MEN,
    "2": Gender.WOMEN,
    "1+2": Gender.TOTAL,
    "3": Gender.TOTAL,
    "totsa": Gender.TOTAL,
    "tot": Gender.TOTAL,
}
_GENDER_LABELS = {
    "män": Gender.MEN,
    "men": Gender.MEN,
    "males": Gender.MEN,
    "kvinnor": Gender.WOMEN,
    "women": Gender.WOMEN,
    "females": Gender.WOMEN,
    "totalt": Gender.TOTAL,
    "total": Gender.TOTAL,
    "båda könen": Gender.TOTAL,
    "both sexes": Gender.TOTAL,
    "totalt, båda könen": Gender.TOTAL,
}
# The codes SCB (API v1 and v2), Folkhälsomyndigheten and the Nordic offices give the total of
# a dimension: TotSa (kön, API v2), TotSA/tot (ålder), SC (civilstånd, "samtliga civilstånd").
_TOTAL_CODES = {"tot", "totalt", "total", "totsa", "sc", "sa", "t", "1+2", "samtliga", "alla"}
# Labels that say "all of them" in Swedish, English, Norwegian/Danish and Finnish.
_TOTAL_LABEL = re.compile(
    r"^(totalt?|samtliga|alla|summa|båda könen|both sexes|all\b|i alt|alle\b|begge kjønn|"
    r"yhteensä|kaikki)",
    re.IGNORECASE,
)
# SCB's Swedish names of the län, by their two-digit code: the store names some regions
# differently ("Region Sörmland" for 04 Södermanlands län).
_SCB_COUNTIES = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}
# Statistics offices whose regions are not Swedish areas, as their JSON-stat names them in
# `source` (Statistics Norway writes "Statistisk sentralbyrå", SCB "Statistiska centralbyrån").
_FOREIGN_SOURCES = {
    "statistisk sentralbyrå": "Statistisk sentralbyrå (Norge)",
    "statistics norway": "Statistics Norway",
    "tilastokeskus": "Tilastokeskus (Finland)",
    "statistikcentralen": "Statistikcentralen (Finland)",
    "statistics finland": "Statistics Finland",
    "danmarks statistik": "Danmarks Statistik",
    "statistics denmark": "Statistics Denmark",
    "hagstofa íslands": "Hagstofa Íslands",
    "statistics iceland": "Statistics Iceland",
}
_NATION_LABELS = {"riket", "sverige", "sweden", "hela riket", "totalt riket", "riket totalt"}


@dataclass(frozen=True)
class _Dimension:
    id: str
    label: str
    codes: list[str]  # in cube order
    labels: dict[str, str]
    # PxWeb's own word on the dimension's total: it may be left out ("elimination") and then
    # stands for this value.
    total_code: str | None

    def label_of(self, code: str) -> str:
        return self.labels.get(code, code)

    def is_total(self, code: str) -> bool:
        if self.total_code is not None and code == self.total_code:
            return True
        return code.casefold() in _TOTAL_CODES or bool(_TOTAL_LABEL.match(self.label_of(code)))


def sniff(file: UploadedFile, content: Content) -> float:
    data = _dataset(content.json)
    if data is None:
        return 0.0
    return 1.0


def _dataset(document: Any) -> dict[str, Any] | None:
    """The dataset of a JSON-stat 2.0 document, or of a JSON-stat 1.0 bundle turned into 2.0
    form (1.0 keeps id, size and role inside `dimension`)."""
    if not isinstance(document, dict):
        return None
    if document.get("class") == "dataset" and {"id", "size", "dimension", "value"} <= set(document):
        return document
    if len(document) == 1:
        inner = next(iter(document.values()))
        if isinstance(inner, dict) and {"dimension", "value"} <= set(inner):
            dims = inner["dimension"]
            if isinstance(dims, dict) and {"id", "size"} <= set(dims):
                body = {k: v for k, v in dims.items() if k not in ("id", "size", "role")}
                return {
                    **inner,
                    "class": "dataset",
                    "id": dims["id"],
                    "size": dims["size"],
                    "role": dims.get("role"),
                    "dimension": body,
                }
    return None


def parse(file: UploadedFile, content: Content, ctx: Context) -> ParsedFile:
    out = Collector(file, KEY, ctx)
    data = _dataset(content.json)
    if data is None:
        out.error("Filen är inte en JSON-stat-kub (class, id, size, dimension och value).")
        return out.result()
    dimensions = _dimensions(out, data)
    if dimensions is None:
        return out.result()
    role = data.get("role")
    roles: dict[str, Any] = role if isinstance(role, dict) else {}
    geo = _pick(dimensions, _GEO, roles.get("geo"))
    time = _pick(dimensions, _TIME, roles.get("time"))
    sex = _pick(dimensions, _GENDER, None)
    contents = _pick(dimensions, _CONTENTS, roles.get("metric"))
    by_id = {d.id: d for d in dimensions}
    # Every problem of every dimension is collected before the file is given up: the analyst
    # fixes the extraction once, not once per problem.
    if geo is None:
        out.error("Kuben saknar en regiondimension (t.ex. Region).")
    if time is None:
        out.error("Kuben saknar en tidsdimension (t.ex. Tid).")
    foreign = _FOREIGN_SOURCES.get(fold(data.get("source")))
    if foreign is not None:
        out.error(
            f"Filen kommer från {foreign}, inte från en svensk källa: dess regionkoder är inte "
            "svenska län och kommuner, så inga värden sparas.",
            column=geo,
            value=text(data.get("source")),
        )
    elif geo is not None:
        _check_country(out, by_id[geo])
    indicators = _indicators(out, data, by_id.get(contents) if contents else None)
    used = {d for d in (geo, time, sex, contents) if d is not None}
    for d in dimensions:
        if d.id in used:
            continue
        if len(d.codes) > 1:
            out.error(
                f"Dimensionen {d.id} har flera värden ({', '.join(d.codes[:6])}). Gör ett "
                "uttag med ett värde i den, så att varje indikator, område, period och kön har "
                "ett värde.",
                column=d.id,
            )
        elif not d.is_total(d.codes[0]):
            _restriction(out, d, [i for i in indicators.values() if i is not None])
    # A foreign file's codes are not looked up: each would only repeat its refusal.
    areas = {c: _area(out, c, by_id[geo]) for c in by_id[geo].codes} if geo and not foreign else {}
    periods = {c: out.period(c, column=time) for c in by_id[time].codes} if time else {}
    genders = {c: _gender(out, c, by_id[sex]) for c in by_id[sex].codes} if sex else {}
    if geo is None or time is None or out.has_errors:
        return out.result()
    out.columns = {"area_code": geo, "period": time}
    if sex:
        out.columns["gender"] = sex
    if contents:
        out.columns["indicator_id"] = contents
    legend = _legend(data)
    total = math.prod(len(d.codes) for d in dimensions)
    values = _values(data.get("value"), total)
    statuses = _values(data.get("status"), total)
    unexplained: set[str] = set()
    for position, combination in enumerate(itertools.product(*(d.codes for d in dimensions))):
        out.rows_read += 1
        cell = dict(zip((d.id for d in dimensions), combination, strict=True))
        indicator = indicators.get(cell[contents]) if contents else indicators.get("")
        area = areas[cell[geo]]
        period = periods[cell[time]]
        gender = genders[cell[sex]] if sex else Gender.TOTAL
        reading = _reading(
            out, values.get(position), statuses.get(position), position + 1, legend, unexplained
        )
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
    for symbol in sorted(unexplained):
        meaning = missing_marker(symbol)
        assumed = f"läses som {meaning[0].label}" if meaning else "läses som saknat värde"
        out.warning(
            f"Filen förklarar inte statustecknet '{symbol}' i någon fotnot; det {assumed}. "
            "Kontrollera källans teckenförklaring.",
            column="status",
            value=symbol,
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
    broken = False
    for dim_id, size in zip(ids, sizes, strict=True):
        dim = dims.get(dim_id) or {}
        category = dim.get("category") or {}
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
                column=str(dim_id),
            )
            broken = True
            continue
        labels = {str(k): str(v) for k, v in (category.get("label") or {}).items()}
        found = dim.get("extension")
        extension: dict[str, Any] = found if isinstance(found, dict) else {}
        total_code = extension.get("eliminationValueCode") if extension.get("elimination") else None
        result.append(
            _Dimension(
                str(dim_id),
                text(dim.get("label")) or str(dim_id),
                [str(c) for c in codes],
                labels,
                str(total_code) if total_code else None,
            )
        )
    if broken:
        return None
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


# -- geography --------------------------------------------------------------------------------


def _check_country(out: Collector, geo: _Dimension) -> None:
    """Codes from another country's statistics are never taken for Swedish areas: Statistics
    Norway's fylke "06" or a Finnish region "06" must not become Jönköpings län. Each code's label
    in the file is compared with the area the code would be mapped to."""
    resolver = out.ctx.areas
    for code in geo.codes:
        label = geo.labels.get(code, "").strip()
        if not label or label == code:
            continue
        four = code.zfill(4) if len(code) == 2 and code.isdigit() else code
        name = resolver.name_of(four)
        if name is None:
            continue  # an unknown code is refused where areas are read
        if _same_place(label, code, name):
            continue
        out.error(
            f"Regionkoden '{code}' heter '{shown(label)}' i filen, men {code} är {name} i "
            "Sverige. Filen verkar gälla ett annat land eller en annan indelning; inga värden "
            "sparas. Hämta uttaget från en svensk källa (SCB, Folkhälsomyndigheten).",
            column=geo.id,
            value=code,
        )


def _same_place(label: str, code: str, name: str) -> bool:
    core = _core(label)
    if core in _NATION_LABELS:
        return code.strip("0") == ""
    known = [name]
    if len(code) == 2 and code in _SCB_COUNTIES:
        known.append(_SCB_COUNTIES[code])
    for other in known:
        theirs = _core(other)
        if theirs in _NATION_LABELS:
            return False
        if core == theirs or core.startswith(theirs) or theirs.startswith(core):
            return True
    return False


_PLACE_WORDS = re.compile(
    r"\b(region|regionen|län|lan|county|kommun|municipality|stad|city|landsting)\b"
)


def _core(name: str) -> str:
    """A place name without its code, its kind and a genitive s: "06 Jönköpings län",
    "Region Jönköpings län" and "Jönköping county" all give "jönköping"."""
    plain = re.sub(r"^\s*\d+\s*[-–:]?\s*", "", name.casefold())
    plain = _PLACE_WORDS.sub(" ", plain.replace("regionen", " "))
    plain = " ".join(plain.split())
    return plain[:-1] if plain.endswith("s") and len(plain) > 3 else plain


def _area(out: Collector, code: str, geo: _Dimension) -> str | None:
    # SCB writes län as two digits ("06") and Riket as "00"; the store uses four.
    four = code.zfill(4) if len(code) == 2 and code.isdigit() else code
    return out.area(four, column=geo.id)


def _gender(out: Collector, code: str, dimension: _Dimension) -> Gender | None:
    if code.casefold() in _GENDER_CODES:
        return _GENDER_CODES[code.casefold()]
    if dimension.is_total(code):
        return Gender.TOTAL  # e.g. Statistics Norway's "0" Begge kjønn, its elimination value
    label = dimension.label_of(code)
    if fold(label) in _GENDER_LABELS:
        return _GENDER_LABELS[fold(label)]
    return out.gender(label, column=dimension.id)


# -- what a single value restricts ------------------------------------------------------------


def _restriction(out: Collector, dim: _Dimension, indicator_ids: list[str]) -> None:
    """A dimension with one value that is not its total: every value in the file is about that
    group only. Accepted when the chosen indicator says so in its title or description."""
    code = dim.codes[0]
    label = dim.label_of(code)
    catalogue = out.ctx.catalogue
    wanted = fold(label)
    if indicator_ids and catalogue is not None:
        defs = {i.id: i for i in catalogue.indicators}
        if all(
            i in defs and wanted in fold(f"{defs[i].title} {defs[i].description}")
            for i in indicator_ids
        ):
            return
    named = f"indikatorn {indicator_ids[0]}" if len(indicator_ids) == 1 else "indikatorn"
    out.error(
        f"Dimensionen {dim.id} ({dim.label}) har bara värdet '{shown(label)}' ({code}), som inte "
        f"är totalen. Värdena gäller alltså bara {shown(label)}, och {named} säger inte det. "
        f"Välj vid uppladdningen en indikator som gäller {shown(label)}, eller gör ett nytt "
        f"uttag med totalen i {dim.id}.",
        column=dim.id,
        value=code,
    )


# -- status symbols and notes -----------------------------------------------------------------

# What a note says about a symbol, in the order the words decide it: a value that is secret
# stays secret even if the note also calls it uncertain.
_MEANINGS: tuple[tuple[ObservationStatus | None, tuple[str, ...]], ...] = (
    (
        ObservationStatus.SUPPRESSED,
        (
            "sekretess",
            "röj",
            "konfidential",
            "konfidensial",
            "confidential",
            "suppressed",
            "disclos",
            "skyddad",
            "personvern",
            "salassa",
        ),
    ),
    (
        ObservationStatus.UNCERTAIN,
        ("osäker", "uncertain", "unreliable", "för få", "too few", "usikker", "epävarm"),
    ),
    (
        ObservationStatus.NOT_APPLICABLE,
        (
            "kan inte förekomma",
            "tillämp",
            "not applicable",
            "lar seg ikke",
            "kan ikke forekomme",
            "logically impossible",
        ),
    ),
    (None, ("noll", "zero", "nil", "inget att redovisa", "inget finns att redovisa")),
    (
        ObservationStatus.MISSING,
        ("saknas", "tillgänglig", "not available", "missing", "mangler", "bortfall", "puuttuu"),
    ),
)
# Flags on a value that is there: kept with the value as its reason.
_FLAGS = {
    "e": "uppskattat värde",
    "p": "preliminärt värde",
    "*": "preliminärt värde",
    "b": "brott i tidsserien",
    "r": "reviderat värde",
}
_LEGEND_LINE = re.compile(
    r"""^\s*["'“”‘’]?(?P<symbol>\.{1,3}|[-–—×x:*]|[a-z])["'“”‘’]?\s*(?:=|:|–|—|-|\s)\s*"""
    r"""(?P<meaning>\S.*)$""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Meaning:
    status: ObservationStatus | None  # None: the symbol stands for zero
    note: str


def _legend(data: dict[str, Any]) -> dict[str, _Meaning]:
    """Symbol → meaning, from every note the file carries (the dataset's, each dimension's and
    each category's notes, and any note in its extension)."""
    legend: dict[str, _Meaning] = {}
    for note in _notes(data):
        for line in re.split(r"[\n;]+", note):
            match = _LEGEND_LINE.match(line)
            if not match:
                continue
            symbol = match["symbol"].replace("–", "-").replace("—", "-")
            meaning = match["meaning"].strip().rstrip(".")
            words = meaning.casefold()
            for status, keys in _MEANINGS:
                if any(k in words for k in keys):
                    legend.setdefault(symbol, _Meaning(status, meaning))
                    break
            else:
                if symbol.casefold() in _FLAGS or (len(symbol) == 1 and symbol.isalpha()):
                    legend.setdefault(symbol, _Meaning(ObservationStatus.OK, meaning))
    return legend


def _notes(node: Any, key: str = "") -> Iterator[str]:
    if isinstance(node, str):
        if "note" in key.casefold() or "symbol" in key.casefold() or "fotnot" in key.casefold():
            yield node
    elif isinstance(node, list):
        for item in node:
            yield from _notes(item, key)
    elif isinstance(node, dict):
        for k, v in node.items():
            if k == "value":
                continue  # the cube's values, never notes
            inherited = key if "note" in key.casefold() else str(k)
            yield from _notes(v, inherited)


def _reading(
    out: Collector,
    value: Any,
    status: Any,
    row: int,
    legend: dict[str, _Meaning],
    unexplained: set[str],
) -> Reading | None:
    symbol = text(status).replace("–", "-").replace("—", "-") if status is not None else ""
    meaning = legend.get(symbol) if symbol else None
    if value is None or (isinstance(value, str) and not value.strip()):
        if not symbol:
            return Reading(ObservationStatus.MISSING, math.nan, "saknas: inget värde i kuben")
        if meaning is not None:
            if meaning.status is None:
                return Reading(ObservationStatus.OK, 0.0, _reason(symbol, meaning.note))
            if meaning.status is not ObservationStatus.OK:
                reason = f"{meaning.status.label}: {_reason(symbol, meaning.note)}"
                return Reading(meaning.status, math.nan, reason)
        unexplained.add(symbol)
        marker = missing_marker(symbol)
        if marker is not None:
            return Reading(ObservationStatus(marker[0]), math.nan, marker[1])
        return Reading(ObservationStatus.MISSING, math.nan, f"saknas: status {symbol}")
    reading = out.reading(value, row=row, column="value")
    if reading is None or reading.status is not ObservationStatus.OK or not symbol:
        return reading
    if meaning is not None and meaning.status not in (None, ObservationStatus.OK):
        # A number the file itself marks as secret or too uncertain is not shown.
        return Reading(
            meaning.status, math.nan, f"{meaning.status.label}: {_reason(symbol, meaning.note)}"
        )
    note = meaning.note if meaning is not None else _FLAGS.get(symbol.casefold(), "")
    if not note:
        unexplained.add(symbol)
    return Reading(ObservationStatus.OK, reading.value, _reason(symbol, note))


def _reason(symbol: str, note: str) -> str:
    return f"{symbol} {note}".strip() if note else symbol


# -- indicators -------------------------------------------------------------------------------


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
