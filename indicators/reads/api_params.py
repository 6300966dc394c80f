"""The query string of `GET /api/v1/observations`, checked before anything is read.

Every problem becomes an `ApiProblem` naming the parameter and the value that was given, in
Swedish, so a caller sees all of them at once. The web layer passes the raw query string as a
mapping of parameter → list of values (`?indicator=a&indicator=b` and `?indicator=a,b` mean the
same); the ids and codes that exist come in as validation context, so this module reads no store.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from indicators.vocabulary.domain import Gender

# indicators × areas: one indicator for every area of the country, or every indicator for the
# county's 15 areas, fits; a whole-store dump does not belong in one request (the CLI export
# does that).
MAX_COMBINATIONS = 1000
MIN_YEAR = 1900
MAX_YEAR = 2100
FORMATS = ("json", "csv")
SEPARATORS = ("sv", "int")


@dataclass(frozen=True)
class ApiProblem:
    parameter: str
    value: str
    message: str


class ApiQueryError(ValueError):
    """The query string was refused; `problems` says why, one entry per problem."""

    def __init__(self, problems: list[ApiProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _problem(parameter: str, value: object, message: str) -> PydanticCustomError:
    return PydanticCustomError(
        "api_parameter", "{message}", {"parameter": parameter, "value": value, "message": message}
    )


def _parts(raw: object) -> list[str]:
    """Repeated parameters and comma lists, flattened; blanks dropped."""
    values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, Iterable) else [raw]
    return [part.strip() for v in values for part in str(v).split(",") if part.strip()]


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _single(name: str, raw: object) -> str | None:
    parts = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else [raw]
    parts = [str(p).strip() for p in parts if str(p).strip()]
    if len(parts) > 1:
        raise _problem(name, ",".join(parts), f"Parametern {name} får bara anges en gång.")
    return parts[0] if parts else None


class ObservationQuery(BaseModel):
    """`indicator` is required; `area` defaults to the county's areas (set by the caller);
    no `from`/`to` means every stored year; `gender` defaults to T (as the pages show)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: tuple[str, ...] = Field(
        description="Indikator-id, ett eller flera (kommaseparerade eller upprepade)."
    )
    area: tuple[str, ...] = Field(
        default=(),
        description="Områdeskoder, t.ex. 0680,0006. Utan: Riket, Region Jönköpings län och "
        "länets 13 kommuner.",
    )
    year_from: int | None = Field(default=None, alias="from", description="Första år.")
    year_to: int | None = Field(default=None, alias="to", description="Sista år.")
    gender: tuple[Gender, ...] = Field(
        default=(Gender.TOTAL,), description="T (totalt), K (kvinnor), M (män); flera går."
    )
    format: Literal["json", "csv"] = Field(default="json", description="json eller csv.")
    sep: Literal["sv", "int"] = Field(
        default="sv",
        description="CSV: sv = semikolon och decimalkomma (UTF-8 med BOM, för svenskt Excel); "
        "int = komma och decimalpunkt.",
    )

    @field_validator("indicator", mode="before")
    @classmethod
    def _indicators(cls, raw: object, info: ValidationInfo) -> tuple[str, ...]:
        ids = list(dict.fromkeys(_parts(raw)))
        if not ids:
            raise _problem("indicator", "", "Parametern indicator saknas: ange minst ett id.")
        known = (info.context or {}).get("indicators")
        if known is not None:
            unknown = [i for i in ids if i not in known]
            if unknown:
                raise _problem(
                    "indicator",
                    ",".join(unknown),
                    "Okänd indikator i parametern indicator: " + _quoted(unknown) + ".",
                )
        return tuple(ids)

    @field_validator("area", mode="before")
    @classmethod
    def _areas(cls, raw: object, info: ValidationInfo) -> tuple[str, ...]:
        codes = list(dict.fromkeys(_parts(raw)))
        known = (info.context or {}).get("areas")
        if known is not None:
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise _problem(
                    "area",
                    ",".join(unknown),
                    "Okänd områdeskod i parametern area: " + _quoted(unknown) + ".",
                )
        return tuple(codes)

    @field_validator("year_from", "year_to", mode="before")
    @classmethod
    def _year(cls, raw: object, info: ValidationInfo) -> int | None:
        name = "from" if info.field_name == "year_from" else "to"
        text = _single(name, raw)
        if text is None:
            return None
        if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
            raise _problem(
                name,
                text,
                f"Parametern {name} ska vara ett årtal mellan {MIN_YEAR} och {MAX_YEAR}, "
                f"inte '{text}'.",
            )
        return int(text)

    @field_validator("gender", mode="before")
    @classmethod
    def _genders(cls, raw: object) -> tuple[Gender, ...]:
        parts = [p.upper() for p in _parts(raw)]
        wrong = [p for p in parts if p not in {g.value for g in Gender}]
        if wrong:
            raise _problem(
                "gender",
                ",".join(wrong),
                f"Parametern gender ska vara T, K eller M, inte '{', '.join(wrong)}'.",
            )
        return tuple(Gender(p) for p in dict.fromkeys(parts)) or (Gender.TOTAL,)

    @field_validator("format", mode="before")
    @classmethod
    def _format(cls, raw: object) -> str:
        text = (_single("format", raw) or "json").lower()
        if text not in FORMATS:
            raise _problem(
                "format", text, f"Parametern format ska vara json eller csv, inte '{text}'."
            )
        return text

    @field_validator("sep", mode="before")
    @classmethod
    def _sep(cls, raw: object) -> str:
        text = (_single("sep", raw) or "sv").lower()
        if text not in SEPARATORS:
            raise _problem(
                "sep",
                text,
                f"Parametern sep ska vara sv (semikolon, decimalkomma) eller int (komma, "
                f"decimalpunkt), inte '{text}'.",
            )
        return text

    @model_validator(mode="after")
    def _ranges(self, info: ValidationInfo) -> "ObservationQuery":
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise _problem(
                "from",
                str(self.year_from),
                f"Parametern from ({self.year_from}) är senare än to ({self.year_to}).",
            )
        default_areas = (info.context or {}).get("default_areas", ())
        areas = len(self.area or default_areas) or 1
        combinations = len(self.indicator) * areas
        if combinations > MAX_COMBINATIONS:
            raise _problem(
                "indicator",
                str(combinations),
                f"För många kombinationer: {len(self.indicator)} indikatorer × {areas} områden "
                f"= {combinations}; högst {MAX_COMBINATIONS} per anrop. Dela upp frågan.",
            )
        return self


def parse_observation_query(
    raw: Mapping[str, Any],
    *,
    indicators: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    default_areas: tuple[str, ...] = (),
) -> ObservationQuery:
    """The checked query, or ApiQueryError listing every problem in Swedish."""
    context = {
        "indicators": None if indicators is None else set(indicators),
        "areas": None if areas is None else set(areas),
        "default_areas": default_areas,
    }
    try:
        return ObservationQuery.model_validate(dict(raw), context=context)
    except ValidationError as error:
        raise ApiQueryError(_problems(error)) from None


def _problems(error: ValidationError) -> list[ApiProblem]:
    problems = []
    for item in error.errors():
        ctx = item.get("ctx") or {}
        name = str(item["loc"][0]) if item["loc"] else ""
        if item["type"] == "api_parameter":
            problems.append(ApiProblem(ctx["parameter"], str(ctx["value"]), ctx["message"]))
        elif item["type"] == "missing":
            problems.append(ApiProblem(name, "", f"Parametern {name} saknas: ange minst ett id."))
        elif item["type"] == "extra_forbidden":
            problems.append(
                ApiProblem(
                    name,
                    ",".join(_parts(item.get("input", ""))),
                    f"Okänd parameter '{name}'. Tillåtna: indicator, area, from, to, gender, "
                    "format, sep.",
                )
            )
        else:  # a check of pydantic's own: keep the parameter, say it plainly
            problems.append(
                ApiProblem(name, str(item.get("input", "")), f"Ogiltigt värde i parametern {name}.")
            )
    return problems
