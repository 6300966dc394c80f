"""Vocabulary shared by the catalogue, the store and the queries."""

from enum import StrEnum

import pandas as pd


class ValueKind(StrEnum):
    RATE = "rate"  # andel i procent, 0–100
    RATIO = "ratio"  # kvot mot befolkningen, t.ex. per 100 000 invånare
    MEAN = "mean"
    MEDIAN = "median"
    INDEX = "index"
    COUNT = "count"
    CODED = "coded"  # kategorier som Ja=1/Nej=0; aldrig medelvärden

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ValueKind.RATE: "Andel (%)",
    ValueKind.RATIO: "Kvot",
    ValueKind.MEAN: "Medelvärde",
    ValueKind.MEDIAN: "Median",
    ValueKind.INDEX: "Index",
    ValueKind.COUNT: "Antal",
    ValueKind.CODED: "Kodat svar",
}


class Direction(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        return {
            Direction.HIGHER_BETTER: "Högre värde är bättre",
            Direction.LOWER_BETTER: "Lägre värde är bättre",
            Direction.NEITHER: "Ingen riktning (beskrivande)",
        }[self]


class PeriodType(StrEnum):
    YEAR = "year"
    HALF_YEAR = "half_year"
    # Four months (T1 January–April, T2 May–August, T3 September–December): the Swedish
    # regions' follow-up rhythm. Never a quarter, which is written K1–K4 or Q1–Q4.
    TERTIAL = "tertial"
    QUARTER = "quarter"
    MONTH = "month"
    # Several years pooled into one value ("2021-2024"): Folkhälsomyndigheten's surveys pool
    # four years so that a kommun has enough answers. A period is its kind and its first day,
    # so the kind carries the number of years: 2021–2024 and 2021–2022 are different periods.
    YEARS_2 = "years_2"
    YEARS_3 = "years_3"
    YEARS_4 = "years_4"
    YEARS_5 = "years_5"
    YEARS_6 = "years_6"
    YEARS_7 = "years_7"
    YEARS_8 = "years_8"
    YEARS_9 = "years_9"
    YEARS_10 = "years_10"

    @property
    def pooled_years(self) -> int | None:
        """How many calendar years a pooled period spans; None for the other kinds."""
        if self.value.startswith("years_"):
            return int(self.value.removeprefix("years_"))
        return None

    @classmethod
    def pooled(cls, years: int) -> "PeriodType":
        """The kind of a period pooling `years` calendar years (2..MAX_POOLED_YEARS)."""
        return cls(f"years_{years}")


MAX_POOLED_YEARS = 10


class AreaKind(StrEnum):
    NATION = "riket"
    REGION = "region"
    KOMMUN = "kommun"
    UNIT = "unit"


class AreaLevel(StrEnum):
    """Which kinds of area an indicator is published for (Kolada's municipality_type K/L/A)."""

    KOMMUN = "kommun"
    REGION = "region"
    ALL = "all"


class Deliverer(StrEnum):
    """Who hands an indicator's values in: a source that publishes them (Kolada, say), or the
    kommuner or the region themselves, who are reminded when a period is late."""

    SOURCE = "källa"
    KOMMUNER = "kommunerna"
    REGION = "regionen"

    @property
    def label(self) -> str:
        return {
            Deliverer.SOURCE: "Publiceras av källan",
            Deliverer.KOMMUNER: "Kommunerna lämnar in",
            Deliverer.REGION: "Regionen lämnar in",
        }[self]


class Gender(StrEnum):
    TOTAL = "T"
    WOMEN = "K"
    MEN = "M"

    @property
    def label(self) -> str:
        """The word for the group as a heading or a choice starts it: "Totalt", "Kvinnor",
        "Män" (lower-case it inside a sentence)."""
        return {Gender.TOTAL: "Totalt", Gender.WOMEN: "Kvinnor", Gender.MEN: "Män"}[self]


# One observation's columns wherever it travels (a parsed record, a stored row, a frame read
# back): its key, its numbers, its status and the source's reason. Tuples, so that no caller
# changes them; pandas wants a list for a set of columns (a tuple names one), so take list(...).
OBSERVATION_KEY = ("indicator_id", "area_code", "period_type", "period_start", "gender")
# The key columns held as text (period_start is a date).
OBSERVATION_TEXT_KEY = tuple(c for c in OBSERVATION_KEY if c != "period_start")
OBSERVATION_NUMBERS = ("value", "numerator", "denominator")
OBSERVATION_VALUES = (*OBSERVATION_NUMBERS, "status", "status_reason")
OBSERVATION_COLUMNS = (*OBSERVATION_KEY, *OBSERVATION_VALUES)

# Where a value is not shown and no other status word says why.
MISSING_WORD = "saknas"


class ObservationStatus(StrEnum):
    OK = "ok"
    MISSING = "missing"
    SUPPRESSED = "suppressed"
    NOT_APPLICABLE = "not_applicable"
    # The source has a number but calls it too uncertain to publish (SCB's and Folkhälsodata's
    # "..", a survey with too few answers): not missing, not secret.
    UNCERTAIN = "uncertain"

    @property
    def label(self) -> str:
        return {
            ObservationStatus.OK: "",
            ObservationStatus.MISSING: MISSING_WORD,
            ObservationStatus.SUPPRESSED: "sekretess",
            ObservationStatus.NOT_APPLICABLE: "ej tillämpligt",
            ObservationStatus.UNCERTAIN: "för osäkert",
        }[self]

    @property
    def gap_label(self) -> str:
        """What stands where a value is not shown: the status's word, or "saknas" when the
        status is ok and yet there is no value."""
        return self.label or MISSING_WORD


def shown_value(value: float | None, status: str) -> float | None:
    """The value as a number where it is shown: only an ok status with a value has one (a
    string-backed pandas column hands the status over as plain text, which compares equal)."""
    if status != ObservationStatus.OK or value is None:
        return None
    if isinstance(value, float):  # the common case, without pandas' slower scalar check
        return None if value != value else value  # NaN ≠ NaN
    return None if pd.isna(value) else float(value)


# The sources' own markers for a value that is not there, with the reason stored for each.
KOLADA_MARKERS: dict[str, tuple[ObservationStatus, str]] = {
    "-": (ObservationStatus.MISSING, "-: bortfall"),
    ".": (ObservationStatus.NOT_APPLICABLE, f".: {ObservationStatus.NOT_APPLICABLE.label}"),
    "..": (ObservationStatus.SUPPRESSED, f"..: {ObservationStatus.SUPPRESSED.label}"),
}
VIS_MARKERS: dict[str, tuple[ObservationStatus, str]] = {  # Vården i siffror
    "UNK": (ObservationStatus.MISSING, "UNK: okänt"),
    "MSK": (ObservationStatus.SUPPRESSED, "MSK: maskerat"),
    "INV": (ObservationStatus.MISSING, "INV: ogiltigt eller inte tillförlitligt"),
}
MISSING_MARKERS = KOLADA_MARKERS | VIS_MARKERS


NATION_CODE = "0000"
COUNTY_CODE = "0006"
COUNTY_KOMMUN_CODES: tuple[str, ...] = (
    "0604",
    "0617",
    "0642",
    "0643",
    "0662",
    "0665",
    "0680",
    "0682",
    "0683",
    "0684",
    "0685",
    "0686",
    "0687",
)


class Role(StrEnum):
    """What a signed-in person may do; each role includes the ones below it."""

    LASARE = "läsare"
    ANALYTIKER = "analytiker"
    ADMINISTRATOR = "administratör"

    @property
    def rank(self) -> int:
        return _ROLE_ORDER.index(self)

    def allows(self, needed: "Role") -> bool:
        return self.rank >= needed.rank

    @property
    def label(self) -> str:
        return self.value.capitalize()


_ROLE_ORDER = [Role.LASARE, Role.ANALYTIKER, Role.ADMINISTRATOR]


class AuditAction(StrEnum):
    """Every kind of change the audit log records, and sign-ins (which change no data)."""

    IMPORT = "import"
    UNDO = "ångra import"
    TARGET_SET = "målvärde satt"
    TARGET_REMOVED = "målvärde borttaget"
    ANALYSIS_ADDED = "analys skriven"
    ANALYSIS_REMOVED = "analys borttagen"
    CATALOGUE = "katalogändring"
    INDICATOR_ADDED = "indikator tillagd"
    USER_ADDED = "konto skapat"
    ROLE_CHANGED = "roll ändrad"
    USER_DISABLED = "konto avstängt"
    USER_ENABLED = "konto återaktiverat"
    PASSWORD_CHANGED = "lösenord ändrat"
    SIGNED_IN = "inloggning"
    SIGN_IN_FAILED = "misslyckad inloggning"
    ACTIVITY_ADDED = "aktivitet tillagd"
    ACTIVITY_CHANGED = "aktivitet ändrad"
    ACTIVITY_REMOVED = "aktivitet borttagen"
    PLAN_IMPORTED = "handlingsplan importerad"


class ActivityStatus(StrEnum):
    """Where an activity of a handlingsplan stands; the values are the words the plans use."""

    PLANERAD = "planerad"
    PAGAR = "pågår"
    KLAR = "klar"
    PAUSAD = "pausad"


class SimilarKind(StrEnum):
    """Kolada's kinds of "Liknande kommuner" groups: for each kommun, the seven kommuner most
    like it in one area of operation (structure, need and cost), chosen by RKA. The value is a
    plain slug for katalog.toml; `kolada_word` is how Kolada's group titles name the kind."""

    OVERGRIPANDE = "overgripande"
    ALDREOMSORG = "aldreomsorg"
    IFO = "ifo"
    LSS = "lss"
    SOCIOEKONOMI = "socioekonomi"
    EKONOMISKT_BISTAND = "ekonomiskt-bistand"
    ARBETSMARKNAD = "arbetsmarknad"
    RADDNINGSTJANST = "raddningstjanst"
    GRUNDSKOLA = "grundskola"
    GYMNASIESKOLA = "gymnasieskola"
    FRITIDSHEM = "fritidshem"
    FORSKOLA = "forskola"

    @property
    def kolada_word(self) -> str:
        return _SIMILAR_WORDS[self]

    @property
    def label(self) -> str:
        """'liknande kommuner, äldreomsorg': the group's name inside a sentence."""
        return f"liknande kommuner, {_SIMILAR_LABELS.get(self, self.kolada_word)}"


_SIMILAR_WORDS = {
    SimilarKind.OVERGRIPANDE: "övergripande",
    SimilarKind.ALDREOMSORG: "äldreomsorg",
    SimilarKind.IFO: "IFO",
    SimilarKind.LSS: "LSS",
    SimilarKind.SOCIOEKONOMI: "socioekonomi",
    SimilarKind.EKONOMISKT_BISTAND: "ekonomiskt bistånd",
    SimilarKind.ARBETSMARKNAD: "arbetsmarknad",
    SimilarKind.RADDNINGSTJANST: "räddningstjänst",
    SimilarKind.GRUNDSKOLA: "grundskola",
    SimilarKind.GYMNASIESKOLA: "gymnasieskola",
    SimilarKind.FRITIDSHEM: "fritidshem",
    SimilarKind.FORSKOLA: "förskola",
}
_SIMILAR_LABELS = {SimilarKind.IFO: "individ- och familjeomsorg (IFO)"}
# What an indicator is compared with when neither it nor its mätområde names a kind.
DEFAULT_SIMILAR_KIND = SimilarKind.OVERGRIPANDE
