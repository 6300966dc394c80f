"""What a valid catalogue is: strategies → mätområden → indicators, tagged by strategigrupp."""

from datetime import date
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from indicators.vocabulary.deadlines import parse_due_rule
from indicators.vocabulary.domain import (
    DEFAULT_SIMILAR_KIND,
    AreaLevel,
    Deliverer,
    Direction,
    PeriodType,
    SimilarKind,
    ValueKind,
)
from indicators.vocabulary.periods import parse_period

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
IndicatorId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Strategigrupp(_Entry):
    id: Slug
    name: Text
    description: str = ""


class Strategy(_Entry):
    number: int = Field(ge=1, le=9)
    title: Text
    aim: Text
    koppling_till_malbild: list[Text] = Field(min_length=1)
    utvecklingsomraden: list[Text] = []
    followed_up_by: str = ""


class Matomrade(_Entry):
    id: Slug
    strategy: int
    title: Text
    description: str = ""
    strategigrupper: list[Slug] = []
    # Which of Kolada's groups of similar kommuner its indicators are compared with, unless an
    # indicator names its own.
    liknande_kommuner: SimilarKind | None = None


class CodeLabel(_Entry):
    code: int
    label: Text


class IndicatorDef(_Entry):
    id: IndicatorId
    title: Text
    short_title: Text
    description: Text
    unit: Text
    value_kind: ValueKind
    direction: Direction
    decimals: int = Field(ge=0, le=4)
    source: Text
    source_id: str = ""
    numerator: str = ""
    denominator: str = ""
    period_type: PeriodType = PeriodType.YEAR
    by_gender: bool = False
    area_level: AreaLevel = AreaLevel.ALL
    matomraden: list[Slug] = Field(min_length=1)
    strategigrupper: list[Slug] = []
    headline: bool = False
    codes: list[CodeLabel] = []
    liknande_kommuner: SimilarKind | None = None
    # Inrapportering: who hands the values in, by when each period is due, and from which
    # period on the series has ended (no values expected).
    delivered_by: Deliverer = Deliverer.SOURCE
    due: str = ""
    discontinued_from: str = ""
    # The largest change to a published value, in the indicator's unit, that an import saves
    # without the analyst confirming it (indicators.imports.plausibility has the defaults).
    revision_limit: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _delivery_rules_read(self) -> Self:
        if self.due:
            parse_due_rule(self.due)
        if self.discontinued_from:
            parsed = parse_period(self.discontinued_from)
            if parsed is None or parsed[0] is not self.period_type:
                raise ValueError(
                    f"discontinued_from {self.discontinued_from!r} är ingen period av typen "
                    f'{self.period_type.value!r} (t.ex. "2025" för ett år)'
                )
        return self

    @property
    def discontinued_start(self) -> date | None:
        parsed = parse_period(self.discontinued_from) if self.discontinued_from else None
        return parsed[1] if parsed else None

    @model_validator(mode="after")
    def _codes_match_kind(self) -> Self:
        if self.value_kind is ValueKind.CODED:
            if len(self.codes) < 2:
                raise ValueError("en kodad indikator behöver minst två koder med etiketter")
            if len({c.code for c in self.codes}) != len(self.codes):
                raise ValueError("koderna måste vara unika")
        elif self.codes:
            raise ValueError("endast kodade indikatorer (value_kind = 'coded') kan ha koder")
        if self.source == "Kolada" and not self.source_id:
            raise ValueError("en Kolada-indikator behöver source_id (KPI-id)")
        return self


class Catalogue(_Entry):
    version: Text
    strategigrupper: list[Strategigrupp]
    strategies: list[Strategy]
    matomraden: list[Matomrade]
    indicators: list[IndicatorDef]

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        problems: list[str] = []
        _unique(problems, "strategigrupper", [g.id for g in self.strategigrupper])
        _unique(problems, "strategies", [str(s.number) for s in self.strategies])
        _unique(problems, "matomraden", [m.id for m in self.matomraden])
        _unique(problems, "indicators", [i.id for i in self.indicators])
        groups = {g.id for g in self.strategigrupper}
        strategies = {s.number for s in self.strategies}
        areas = {m.id for m in self.matomraden}
        for m in self.matomraden:
            if m.strategy not in strategies:
                problems.append(f"mätområde {m.id!r}: okänd strategi {m.strategy}")
            for g in sorted(set(m.strategigrupper) - groups):
                problems.append(f"mätområde {m.id!r}: okänd strategigrupp {g!r}")
        for i in self.indicators:
            for area in sorted(set(i.matomraden) - areas):
                problems.append(f"indikator {i.id!r}: okänt mätområde {area!r}")
            for g in sorted(set(i.strategigrupper) - groups):
                problems.append(f"indikator {i.id!r}: okänd strategigrupp {g!r}")
        for s in self.strategies:
            if not any(m.strategy == s.number for m in self.matomraden):
                problems.append(f"strategi {s.number}: saknar mätområden")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def indicator(self, indicator_id: str) -> IndicatorDef:
        return next(i for i in self.indicators if i.id == indicator_id)

    def similar_kind(self, indicator: IndicatorDef) -> SimilarKind:
        """The group of similar kommuner an indicator is compared with: its own
        `liknande_kommuner`, else that of the first of its mätområden naming one, else
        Kolada's overall group ("Liknande kommuner, övergripande")."""
        if indicator.liknande_kommuner is not None:
            return indicator.liknande_kommuner
        areas = {m.id: m for m in self.matomraden}
        for area_id in indicator.matomraden:
            area = areas.get(area_id)
            if area is not None and area.liknande_kommuner is not None:
                return area.liknande_kommuner
        return DEFAULT_SIMILAR_KIND


def _unique(problems: list[str], section: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            problems.append(f"{section}: id {entry_id!r} förekommer mer än en gång")
        seen.add(entry_id)
