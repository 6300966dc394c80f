"""The one rule for "förbättrats / oförändrat / försämrats": every page, figure, slide and
download that says whether a value got better calls `judge_change` (through
indicators.reads.followup.baseline), so they cannot disagree.

The rule, in order:
1. Either value missing (or hidden) → kan inte jämföras.
2. Equal at the precision the indicator is shown with (coded answers: the category) →
   oförändrat, so a change invisible in the table is never called an improvement.
3. Both values have numerator and denominator and their 95 % Wilson intervals overlap →
   oförändrat, "inom osäkerheten": in a small kommun a few people move a share by points.
4. Otherwise the indicator's direction decides: förbättrats / försämrats, or förändrats when
   it has no better direction."""

from dataclasses import dataclass
from enum import StrEnum

from indicators.vocabulary.domain import Direction, ValueKind
from indicators.vocabulary.formatting import round_half_up
from indicators.vocabulary.uncertainty import value_interval


class Change(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSENED = "worsened"
    CHANGED = "changed"  # moved, but the indicator has no better direction
    NOT_COMPARABLE = "not_comparable"

    @property
    def label(self) -> str:
        return {
            Change.IMPROVED: "förbättrats",
            Change.UNCHANGED: "oförändrat",
            Change.WORSENED: "försämrats",
            Change.CHANGED: "förändrats",
            Change.NOT_COMPARABLE: "kan inte jämföras",
        }[self]


class Certainty(StrEnum):
    """How sure a judgement is, beside the change itself."""

    WILSON = "wilson"  # the 95 % intervals do not overlap
    WITHIN = "within"  # visible change, but the 95 % intervals overlap: counted as oförändrat
    UNKNOWN = "unknown"  # no numerator/denominator: visible change, uncertainty unknown
    CATEGORY = "category"  # a coded answer changed category
    NONE = "none"  # nothing to be sure of: equal at the shown precision, or not comparable

    @property
    def label(self) -> str:
        return {
            Certainty.WILSON: "utanför osäkerheten (95 % Wilson-intervall överlappar inte)",
            Certainty.WITHIN: "inom osäkerheten (95 % Wilson-intervall överlappar)",
            Certainty.UNKNOWN: "osäkerhet okänd",
            Certainty.CATEGORY: "nytt svar",
            Certainty.NONE: "",
        }[self]


@dataclass(frozen=True)
class Reading:
    """One shown value with the numerator and denominator it rests on, when the source gives
    them."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None

    @property
    def interval(self) -> tuple[float, float] | None:
        return value_interval(self.value, self.numerator, self.denominator)


@dataclass(frozen=True)
class Judgement:
    change: Change
    certainty: Certainty
    base_interval: tuple[float, float] | None = None
    latest_interval: tuple[float, float] | None = None


def shown_decimals(kind: ValueKind, decimals: int) -> int:
    """The precision values are compared at: coded answers by category, others as shown."""
    return 0 if kind is ValueKind.CODED else decimals


def judge_change(
    base: Reading | None,
    latest: Reading | None,
    direction: Direction,
    kind: ValueKind,
    decimals: int,
) -> Judgement:
    """The one judgement of a change from `base` to `latest` (see the module's rule)."""
    if base is None or latest is None or base.value is None or latest.value is None:
        return Judgement(Change.NOT_COMPARABLE, Certainty.NONE)
    places = shown_decimals(kind, decimals)
    delta = round_half_up(latest.value, places) - round_half_up(base.value, places)
    if abs(delta) < 0.5 * 10**-places:
        return Judgement(Change.UNCHANGED, Certainty.NONE)
    before, after = base.interval, latest.interval
    if kind is ValueKind.CODED:
        certainty = Certainty.CATEGORY
        before = after = None
    elif before is not None and after is not None:
        if before[1] >= after[0] and after[1] >= before[0]:
            return Judgement(Change.UNCHANGED, Certainty.WITHIN, before, after)
        certainty = Certainty.WILSON
    else:
        certainty = Certainty.UNKNOWN
        before = after = None
    if direction is Direction.NEITHER:
        return Judgement(Change.CHANGED, certainty, before, after)
    better = delta > 0 if direction is Direction.HIGHER_BETTER else delta < 0
    return Judgement(Change.IMPROVED if better else Change.WORSENED, certainty, before, after)


def rule_text(baseline_year: int) -> str:
    """The rule in words, the same on every page that shows a change."""
    return (
        f"Varje kommuns senaste värde jämförs med dess eget värde {baseline_year} (basåret; "
        "saknas det, första senare år), i indikatorns riktning. Oförändrat är det som är lika "
        "avrundat som det visas, och en andel vars 95 % Wilson-intervall (från täljare och "
        "nämnare) överlappar basårets: förändringen ryms i slumpen. Kodade svar jämförs som "
        "kategorier."
    )
