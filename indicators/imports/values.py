"""One cell to one canonical value: numbers, missing markers, periods, genders and areas.

Each parser either returns the canonical value or raises ValueProblem with a Swedish message
that the caller turns into a Problem with file, sheet, row and column. Nothing is silently
fixed: "680" is not "0680", "1,234.5" is not guessed, "2023Q5" is not a quarter."""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    MAX_POOLED_YEARS,
    MISSING_MARKERS,
    AreaKind,
    Gender,
    ObservationStatus,
    PeriodType,
)


class ValueProblem(ValueError):
    """A cell that cannot be read; `message` is Swedish and names the value (never a personal
    identity number: readers refuse those files before cells are parsed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(cell: object, limit: int = 60) -> str:
    """A cell as text for messages, truncated to `limit` characters."""
    text = str(cell).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_blank(cell: object) -> bool:
    """ "" or None or only whitespace (incl. NBSP)."""
    return cell is None or (isinstance(cell, str) and not cell.strip("\u00a0\u202f \t\r\n"))


# --- Numbers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberText:
    """A parsed number and what its text looked like."""

    value: float
    percent: bool  # a "%" followed the number
    decimal_mark: str | None  # "," or "." when the text had a fractional part; None otherwise


def read_number(cell: str | float | int) -> NumberText:
    """Parse a number as analysts write it.

    Accepted: int/float cells as they are (bool is refused); text with decimal comma or point
    ("12,5", "12.5"); thousands grouped by space, NBSP or narrow NBSP in groups of three
    ("1 234,5", "1 234 567"); minus as "-" or U+2212 ("−5"); a leading "+"; exponent
    ("1,5E-05"); a trailing percent sign with or without space ("45 %", "45%" → 45.0 with
    percent=True). Refused (ValueProblem): both "," and "." in one number ("1,234.5",
    "1.234,5": which one is the decimal mark cannot be known), misplaced group separators,
    NaN/infinity, empty cells, anything else."""
    if isinstance(cell, bool):
        raise ValueProblem(f"'{cell}' är ett sanningsvärde, inget tal.")
    if isinstance(cell, int | float):
        value = float(cell)
        if not math.isfinite(value):
            raise ValueProblem(f"'{cell}' är inget ändligt tal.")
        return NumberText(value, percent=False, decimal_mark=None)
    if isinstance(cell, datetime | date | time):
        raise ValueProblem(f"'{shown(cell)}' är ett datum eller klockslag, inget tal.")
    if not isinstance(cell, str):
        raise ValueProblem(f"'{shown(cell)}' är inget tal.")
    text = cell.strip()
    if not text:
        raise ValueProblem("Cellen är tom; ett tal behövs.")
    percent = text.endswith("%")
    body = text.removesuffix("%").rstrip() if percent else text
    match = _NUMBER.fullmatch(body)
    if match is None or not (match["int"] or match["frac"]):
        raise ValueProblem(_number_complaint(text, body))
    digits = re.sub(r"[ \u00a0\u202f]", "", match["int"] or "")
    fraction = match["frac"] or ""
    exponent = (match["exp"] or "").replace(MINUS_SIGN, "-")
    sign = "-" if match["sign"] in ("-", MINUS_SIGN) else ""
    value = float(f"{sign}{digits or '0'}.{fraction or '0'}{exponent}")
    if not math.isfinite(value):
        raise ValueProblem(f"'{shown(text)}' är ett för stort tal.")
    return NumberText(value, percent=percent, decimal_mark=match["mark"] if fraction else None)


MINUS_SIGN = "\u2212"
_GROUP = "[ \u00a0\u202f]"
# Integer part either plain digits or groups of three separated by (narrow) spaces; one decimal
# mark, comma or point; an optional exponent as Excel writes it in CSV ("1,5E-05").
_NUMBER = re.compile(
    rf"(?P<sign>[-+\u2212])?"
    rf"(?P<int>\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+)?"
    rf"(?:(?P<mark>[.,])(?P<frac>\d+))?"
    rf"(?P<exp>[eE][-+\u2212]?\d+)?"
)


def _number_complaint(text: str, body: str) -> str:
    value = shown(text)
    if text.startswith("#"):
        return f"Cellen innehåller Excel-felet '{value}' i stället för ett tal."
    if "," in body and "." in body:
        return (
            f"'{value}' har både komma och punkt, så decimaltecknet går inte att avgöra. "
            "Skriv decimaler med komma och tusental med mellanslag, t.ex. 1 234,5."
        )
    if body.count(",") > 1 or body.count(".") > 1:
        return (
            f"'{value}' har flera punkter eller komman. Tusental skrivs med mellanslag "
            "(1 234 567), decimaler med ett komma."
        )
    if body[:1] in ("–", "—"):
        return f"'{value}' börjar med ett tankstreck; skriv minus som '-' eller '−'."
    return f"'{value}' är inget tal."


def parse_number(cell: str | float | int) -> float:
    """read_number(cell).value."""
    return read_number(cell).value


def decimal_mark_conflict(cells: Iterable[tuple[int, object]], column: str) -> str | None:
    """Given (row, cell) pairs of one column, a Swedish error message when text cells use both
    decimal comma and decimal point ("12,5" in one row, "12.5" in another), naming the column and
    the first row of each; None when the column is consistent. Policy: this is an ERROR, because
    "1.234" in such a column may mean 1234 or 1,234. Numeric (xlsx) cells and unparsable
    cells are ignored."""
    first: dict[str, int] = {}
    for row, cell in cells:
        if not isinstance(cell, str):
            continue
        try:
            mark = read_number(cell).decimal_mark
        except ValueProblem:
            continue
        if mark is not None:
            first.setdefault(mark, row)
            if len(first) == 2:
                return (
                    f"Kolumnen '{column}' blandar decimalkomma (först på rad {first[',']}) och "
                    f"decimalpunkt (först på rad {first['.']}), så talen kan inte tolkas säkert "
                    "(1.234 kan betyda 1234 eller 1,234). Använd samma decimaltecken i hela "
                    "kolumnen, helst komma."
                )
    return None


# --- Missing markers ---------------------------------------------------------------------------

# The distinct answer for an empty cell: the caller decides (in a long file: missing + warning).
EMPTY_CELL: tuple[ObservationStatus, str] = (ObservationStatus.MISSING, "tom cell")


def missing_marker(cell: object) -> tuple[ObservationStatus, str] | None:
    """(status, reason) for a missing marker (`-`, `.`, `..`, UNK, MSK, INV; letters in any case,
    an en or em dash counts as "-"); EMPTY_CELL (compare with `is` or ==) for an empty cell;
    None when the cell is something else (e.g. a number, to be parsed with read_number)."""
    if is_blank(cell):
        return EMPTY_CELL
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    if text in ("–", "—"):
        text = "-"
    return MISSING_MARKERS.get(text.upper())


# --- Periods -----------------------------------------------------------------------------------


def parse_period(cell: str | int | float) -> tuple[PeriodType, date]:
    """(type, first day) of a period. Accepted, case-insensitive, with an optional "-" or space
    between year and part: 2023 (also the numbers 2023 and 2023.0, and "2023.0"); 2023H1/H2;
    tertials 2023T1–T3 (four months each: the regions' tertialrapporter); quarters 2023Q1,
    2023-Q1, 2023K1 (kvartal); months 2023M03, 2023M3, 2023-03 and SCB's 200703; pooled years
    2021-2024 or 2021–2024 (2 to MAX_POOLED_YEARS years, Folkhälsomyndigheten's sammanslagna
    år). Refused with Swedish messages: 2023Q5, 2023T4 (a tertial, never a quarter), 2023H3,
    2023-13, 2023M00, 2022/23 and other ranges, dates, anything else. The year-range policy
    (2000..next year) is validation's job.
    Render with indicators.vocabulary.periods.period_label(type, start)."""
    if isinstance(cell, bool):
        raise ValueProblem(f"'{cell}' är ingen period.")
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not cell.is_integer():
            raise ValueProblem(f"'{shown(cell)}' är ingen period; ange ett årtal som 2023.")
        return _year(int(cell), cell)
    if isinstance(cell, datetime | date):
        raise ValueProblem(
            f"'{shown(cell)}' är ett datum; ange perioden som 2023, 2023H1, 2023Q1 eller 2023M03."
        )
    if not isinstance(cell, str):
        raise ValueProblem(f"'{shown(cell)}' är ingen period.")
    text = cell.strip().upper()
    if match := re.fullmatch(r"(\d{4})(?:\.0+)?", text):
        return _year(int(match[1]), cell)
    if match := re.fullmatch(r"(\d{4})[- ]?H(\d+)", text):
        half = int(match[2])
        if half not in (1, 2):
            raise ValueProblem(f"Halvår {half} finns inte i '{shown(cell)}'; använd H1 eller H2.")
        return PeriodType.HALF_YEAR, date(_year_number(match[1]), 1 if half == 1 else 7, 1)
    if match := re.fullmatch(r"(\d{4})[- ]?T(\d+)", text):
        tertial = int(match[2])
        if not 1 <= tertial <= 3:
            raise ValueProblem(
                f"Tertial {tertial} finns inte i '{shown(cell)}'; ett år har tertial T1–T3 (fyra "
                "månader vardera). Kvartal skrivs K1–K4 eller Q1–Q4."
            )
        return PeriodType.TERTIAL, date(_year_number(match[1]), 4 * tertial - 3, 1)
    if match := re.fullmatch(r"(\d{4})[- ]?[QK](\d+)", text):
        quarter = int(match[2])
        if not 1 <= quarter <= 4:
            raise ValueProblem(
                f"Kvartal {quarter} finns inte i '{shown(cell)}'; ett år har kvartal 1–4."
            )
        return PeriodType.QUARTER, date(_year_number(match[1]), 3 * quarter - 2, 1)
    if match := re.fullmatch(r"(\d{4})[- ]?M(\d{1,2})|(\d{4})-(\d{1,2})|(\d{4})(\d{2})", text):
        year, month = next((match[i], match[i + 1]) for i in (1, 3, 5) if match[i])
        if not 1 <= int(month) <= 12:
            raise ValueProblem(
                f"Månad {int(month)} finns inte i '{shown(cell)}'; månader är 01–12."
            )
        return PeriodType.MONTH, date(_year_number(year), int(month), 1)
    if match := re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", text):
        return _pooled(int(match[1]), int(match[2]), cell)
    if re.fullmatch(r"\d{4}\s*[-–/]\s*(\d{2}|\d{4})", text):
        raise ValueProblem(
            f"'{shown(cell)}' är ett intervall av år; skriv en sammanslagen period med båda "
            "årtalen och bindestreck, t.ex. 2021-2024, eller en period i taget, t.ex. 2023."
        )
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", text):
        raise ValueProblem(
            f"'{shown(cell)}' är ett datum; ange perioden som 2023, 2023H1, 2023Q1 eller 2023M03."
        )
    raise ValueProblem(
        f"Perioden '{shown(cell)}' känns inte igen; använd t.ex. 2023, 2023H1, 2023Q1 eller "
        "2023M03."
    )


def _pooled(first: int, last: int, cell: object) -> tuple[PeriodType, date]:
    """Several calendar years pooled into one value (Folkhälsomyndigheten's "2021-2024")."""
    years = last - first + 1
    if years < 2:
        raise ValueProblem(
            f"'{shown(cell)}' slutar före eller samma år som det börjar; en sammanslagen period "
            "skrivs med första och sista året, t.ex. 2021-2024."
        )
    if years > MAX_POOLED_YEARS:
        raise ValueProblem(
            f"'{shown(cell)}' spänner över {years} år; en sammanslagen period kan vara högst "
            f"{MAX_POOLED_YEARS} år."
        )
    _year_number(str(first))
    return PeriodType.pooled(years), date(first, 1, 1)


def _year(year: int, cell: object) -> tuple[PeriodType, date]:
    if not 1000 <= year <= 9999:
        raise ValueProblem(f"'{shown(cell)}' är inget årtal; ange perioden som t.ex. 2023.")
    return PeriodType.YEAR, date(year, 1, 1)


def _year_number(text: str) -> int:
    year = int(text)
    if year < 1000:
        raise ValueProblem(f"'{text}' är inget årtal.")
    return year


# --- Gender ------------------------------------------------------------------------------------


def parse_gender(cell: str | int | float) -> Gender:
    """T/K/M; 1 män, 2 kvinnor, 3 totalt (Socialstyrelsen; also SCB's "1+2" totalt); kvinnor/
    kvinna/flickor, män/man/pojkar, totalt/total/alla/samtliga/båda könen — any case.
    Otherwise ValueProblem("Kön 'X' är okänt; använd T, K eller M")."""
    if isinstance(cell, bool):
        raise ValueProblem(f"Kön '{cell}' är okänt; använd T, K eller M.")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    key = " ".join(str(cell).split()).casefold()
    if key.endswith(".0") and key[:-2].isdigit():
        key = key[:-2]
    gender = _GENDERS.get(key)
    if gender is None:
        raise ValueProblem(f"Kön '{shown(cell)}' är okänt; använd T, K eller M.")
    return gender


_GENDERS: dict[str, Gender] = {
    **dict.fromkeys(
        ("t", "totalt", "total", "alla", "samtliga", "båda könen", "3", "1+2", "both sexes"),
        Gender.TOTAL,
    ),
    # SCB's English tables write "men", "women" and "total".
    **dict.fromkeys(("k", "kvinnor", "kvinna", "flickor", "2", "women", "female"), Gender.WOMEN),
    **dict.fromkeys(("m", "män", "man", "pojkar", "1", "men", "male"), Gender.MEN),
}


# --- Areas -------------------------------------------------------------------------------------


class AreaResolver:
    """Area codes from what sources write: codes, names in the usual forms, integer ids.

    Built from (code, name, kind) of the store's areas. Resolves "0680", "0680 Jönköping",
    "Jönköping", "JÖNKÖPING", "Jönköpings kommun", "Stockholms stad", "Region Jönköpings län",
    "Jönköpings län", "Riket"/"Sverige"/"Hela landet"; PxWeb "06" (län) and "00" (riket).
    A kommun code without its leading zero ("680") is refused with a hint, never fixed.
    Integer region ids (Socialstyrelsen: 0 → "0000", 6 → "0006") only with integer_ids=True."""

    def __init__(self, areas: Iterable[tuple[str, str, AreaKind | str]]) -> None:
        self._names: dict[str, str] = {}
        self._kinds: dict[str, AreaKind] = {}
        exact: dict[str, set[str]] = {}
        derived: dict[str, set[str]] = {}
        for code, name, kind in areas:
            area_kind = AreaKind(kind)
            self._names[code] = name
            self._kinds[code] = area_kind
            exact.setdefault(_normal(name), set()).add(code)
            for alias in _aliases(name, area_kind) | _aliases(
                _SCB_COUNTIES.get(code, ""), area_kind
            ):
                derived.setdefault(alias, set()).add(code)
        # An area's own name wins over another area's derived alias ("Gotland" is the kommun,
        # "Region Gotland" the region); aliases shared by two areas are ambiguous.
        self._lookup: dict[str, str | None] = {
            alias: (next(iter(codes)) if len(codes) == 1 else None)
            for alias, codes in derived.items()
        }
        for alias, codes in exact.items():
            self._lookup[alias] = next(iter(codes)) if len(codes) == 1 else None

    @classmethod
    def from_store(cls, store: Store) -> "AreaResolver":
        """All areas in the store (one simple query)."""
        with session_scope(store.url) as s:
            rows = s.execute(select(m.Area.code, m.Area.name, m.Area.kind)).all()
        return cls((code, name, kind) for code, name, kind in rows)

    def resolve(self, cell: str | int | float, *, integer_ids: bool = False) -> str:
        """The area code for `cell`, or ValueProblem naming the value.

        With integer_ids=True a number n (or its digits, "6") is the area with code n padded to
        four digits: Socialstyrelsen's 0 → "0000", 6 → "0006", 680 → "0680"."""
        if isinstance(cell, bool):
            raise ValueProblem(f"Området '{cell}' är okänt.")
        if isinstance(cell, float):
            if not cell.is_integer():
                raise ValueProblem(f"Området '{shown(cell)}' är okänt.")
            cell = int(cell)
        text = " ".join(str(cell).split())
        if not text:
            raise ValueProblem("Området saknas; ange kommunkod eller kommunnamn.")
        if integer_ids and text.isdigit():
            code = f"{int(text):04d}"
            if code in self._names:
                return code
            raise ValueProblem(f"Region-id '{shown(text)}' är okänt.")
        if text in self._names:
            return text
        if text.isdigit():
            return self._from_digits(text)
        key = _normal(text)
        if key in self._lookup:
            named = self._lookup[key]
            if named is None:
                raise ValueProblem(
                    f"Namnet '{shown(text)}' passar flera områden; ange områdets kod i stället."
                )
            return named
        # SCB and others label areas "0680 Jönköping"; some write "Jönköping (0680)".
        match = _CODE_THEN_NAME.fullmatch(text) or _NAME_THEN_CODE.fullmatch(text)
        if match:
            digits, name = match["code"], match["name"]
            code = self._from_digits(digits)
            if self._lookup.get(_normal(name)) != code:
                raise ValueProblem(
                    f"I '{shown(text)}' stämmer koden {digits} inte med namnet "
                    f"'{shown(name)}'; kontrollera området."
                )
            return code
        raise ValueProblem(
            f"Området '{shown(text)}' är okänt; ange kommunkod (t.ex. 0680) eller kommunens "
            "namn (t.ex. Jönköping)."
        )

    def _from_digits(self, digits: str) -> str:
        if digits in self._names:
            return digits
        # Only a kommun code loses its zero this way; "006" is no county code to hint at.
        if len(digits) == 3 and self._kinds.get(f"0{digits}") is AreaKind.KOMMUN:
            raise ValueProblem(
                f"Kommunkoden '{digits}' saknar inledande nolla; menade du '0{digits}'? "
                "Spara koderna som text så att nollan behålls."
            )
        if len(digits) == 2 and f"00{digits}" in self._names:
            return f"00{digits}"  # PxWeb's län codes: "06" is Jönköpings län, "00" riket
        raise ValueProblem(f"Områdeskoden '{shown(digits)}' är okänd.")

    def name_of(self, code: str) -> str | None:
        """The area's name as stored, for messages."""
        return self._names.get(code)

    def kind_of(self, code: str) -> AreaKind | None:
        return self._kinds.get(code)


_CODE_THEN_NAME = re.compile(r"(?P<code>\d{2,4})\s*[-–:]?\s*(?P<name>\D.*)")
_NAME_THEN_CODE = re.compile(r"(?P<name>\D.*?)\s*\((?P<code>\d{2,4})\)")


def _normal(name: str) -> str:
    return " ".join(name.replace("–", "-").split()).casefold()


# Regions whose own name is not the county's: SCB writes the län ("04 Södermanlands län",
# "04 Södermanland county"), Kolada and the region itself another name.
_SCB_COUNTIES = {"0004": "Södermanlands län", "0023": "Jämtlands län"}

_NATION_ALIASES = (
    "riket",
    "hela riket",
    "riket totalt",
    "totalt riket",
    "sverige",
    "hela sverige",
    "hela landet",
    "sweden",
)


def _aliases(name: str, kind: AreaKind) -> set[str]:
    """The usual ways of writing an area's name besides the name itself."""
    if not name:
        return set()
    plain = _normal(name)
    if kind is AreaKind.NATION:
        return set(_NATION_ALIASES)
    if kind is AreaKind.KOMMUN:
        return {
            f"{plain}{genitive} {word}"
            for genitive in ("", "s")
            for word in ("kommun", "stad", "municipality")
        }
    if kind is AreaKind.REGION:
        core = plain.removeprefix("region ").removesuffix(" län").removesuffix("regionen").strip()
        bases = {core, core.removesuffix("s")} if core.endswith("s") else {core, core + "s"}
        aliases = set()
        for base in bases:
            # SCB's English tables write the county as "06 Jönköping county".
            aliases |= {f"{base} län", f"region {base}", f"region {base} län", f"{base} county"}
        return aliases
    return set()
