"""Plain Swedish made from the figures by fixed rules, never by a language model: what improved,
what worsened beyond noise, what is far from its target and what is missing, for a strategy, a
strategigrupp or a kommun; and the short phrases a meeting slide says about one indicator (the
county against Riket, the target, the spread of the 13 kommuner).

The judgement of change is not made here: every row comes from `kommun_view`, which applies the
project's one rule (indicators.vocabulary.trends via indicators.reads.followup.baseline), so the
Strategi and Kommun pages and Mötesläge say the same thing. "Far from target" is the target
rule's "ej uppnått" (more than 5 % of the target away, indicators.reads.targets).

The same text is shown on the Strategi and Kommun pages, so it can be read before the meeting,
and on the meeting's summary slides."""

from collections.abc import Iterable, Mapping, Sequence
from statistics import median

from indicators.reads.followup.baseline import development_table
from indicators.reads.followup.kommun import county_view_of, kommun_view
from indicators.reads.followup.strategy import strategigrupp_view
from indicators.reads.models import (
    IndicatorSummary,
    KommunIndicator,
    KommunView,
    PlainSummary,
    SpreadWords,
    SummaryPoint,
    TargetInfo,
    TargetStatus,
)
from indicators.reads.queries import catalogue_tree
from indicators.reads.targets import target_status
from indicators.store.store import Store
from indicators.vocabulary.domain import Direction, ValueKind
from indicators.vocabulary.formatting import MINUS, format_number, format_value, round_half_up
from indicators.vocabulary.trends import Certainty, Change

PERCENT_UNITS = ("%", "procent")


def difference_words(delta: float, decimals: int, unit: str) -> str:
    """'3,2 procentenheter', '1 200 kr': a difference is never given in per cent of a per cent."""
    amount = format_number(abs(delta), decimals)
    word = "procentenheter" if unit in PERCENT_UNITS else unit
    return f"{amount} {word}".strip()


def versus_nation_words(
    county: float | None, nation: float | None, ind: IndicatorSummary
) -> str | None:
    """'3,2 procentenheter över riket', 'samma som riket' at the shown precision; None when a
    value is missing or the indicator is coded or a count (a county count next to the nation's
    says nothing)."""
    if county is None or nation is None or ind.value_kind in (ValueKind.CODED, ValueKind.COUNT):
        return None
    delta = round_half_up(county, ind.decimals) - round_half_up(nation, ind.decimals)
    if abs(delta) < 0.5 * 10**-ind.decimals:
        return "samma som riket"
    side = "över" if delta > 0 else "under"
    return f"{difference_words(delta, ind.decimals, ind.unit)} {side} riket"


def spread_words(
    values: Iterable[tuple[str, float | None]], ind: IndicatorSummary
) -> SpreadWords | None:
    """Best, median and worst of the kommuner (highest and lowest when no direction is better);
    ties name every kommun that shares the value, never one picked by alphabet."""
    shown = [(name, round_half_up(v, ind.decimals)) for name, v in values if v is not None]
    if not shown or ind.value_kind is ValueKind.CODED:
        return None
    numbers = [v for _, v in shown]
    high, low = max(numbers), min(numbers)
    highest = tuple(n for n, v in shown if v == high)
    lowest = tuple(n for n, v in shown if v == low)

    def text(v: float) -> str:
        return format_value(v, ind.decimals, ind.unit)

    if ind.direction is Direction.LOWER_BETTER:
        top, bottom = (lowest, text(low)), (highest, text(high))
    else:
        top, bottom = (highest, text(high)), (lowest, text(low))
    words = ("Bäst", "Sämst") if ind.direction is not Direction.NEITHER else ("Högst", "Lägst")
    return SpreadWords(
        top_label=words[0],
        top=top[0],
        top_text=top[1],
        median_text=text(float(median(numbers))),
        bottom_label=words[1],
        bottom=bottom[0],
        bottom_text=bottom[1],
        reported=len(shown),
    )


def target_words(
    value: float | None, target: TargetInfo | None, ind: IndicatorSummary
) -> tuple[TargetStatus, str] | None:
    """(status, 'Mål 2030: 90,0 % – ✗ ej uppnått, 4,1 procentenheter kvar'); None without a
    target. The status is the target rule's, in symbol and words."""
    if target is None:
        return None
    status = target_status(value, target.value, ind.direction, ind.decimals)
    goal = f"Mål {target.year}: {format_value(target.value, ind.decimals, ind.unit)}"
    if status in (TargetStatus.NEAR, TargetStatus.NOT_ACHIEVED) and value is not None:
        gap = round_half_up(target.value, ind.decimals) - round_half_up(value, ind.decimals)
        rest = f", {difference_words(gap, ind.decimals, ind.unit)} kvar"
    else:
        rest = ""
    return status, f"{goal} – {status.label}{rest}"


def _rows(view: KommunView, wanted: Sequence[str] | None = None) -> list[KommunIndicator]:
    """Each indicator once, in catalogue order (some are listed under several mätområden)."""
    seen: dict[str, KommunIndicator] = {}
    for st in view.strategies:
        for ma in st.matomraden:
            for row in ma.rows:
                seen.setdefault(row.indicator.id, row)
    if wanted is None:
        return list(seen.values())
    return [seen[i] for i in wanted if i in seen]


def _period(text: str, period: str | None) -> str:
    return f"{text} ({period})" if period else text


def _moved(row: KommunIndicator, certainty: Certainty = Certainty.NONE) -> str:
    """A change the rule judged beyond noise says nothing more; one it could not judge (no
    numerator and denominator) says that its uncertainty is unknown."""
    before = _period(row.baseline_text, row.baseline_period)
    now = _period(row.latest_text, row.latest_period)
    unsure = " (osäkerheten okänd)" if certainty is Certainty.UNKNOWN else ""
    return f"{row.indicator.short_title}: {before} → {now}{unsure}"


def _far(row: KommunIndicator) -> str:
    ind, target = row.indicator, row.target
    assert target is not None  # only rows with a target are far from it
    words = target_words(row.latest.value if row.latest else None, target, ind)
    goal = words[1] if words else ""
    return f"{ind.short_title}: {_period(row.latest_text, row.latest_period)}. {goal}"


def _missing(row: KommunIndicator, baseline_year: int) -> str:
    if row.latest_period is None or row.latest is None or row.latest.value is None:
        why = row.latest_text if row.latest_period is not None else "inga värden inlästa"
        return f"{row.indicator.short_title}: {why.lower()}"
    return (
        f"{row.indicator.short_title}: inget värde från {baseline_year} eller senare "
        f"att jämföra {row.latest_period} med"
    )


def summarize(
    subject: str,
    rows: Sequence[KommunIndicator],
    baseline_year: int,
    *,
    has_demo_data: bool,
    certainty: Mapping[str, Certainty] | None = None,
) -> PlainSummary:
    """The rules, in the order a meeting reads them: counts first, then each list. `certainty`
    (indicator → the rule's certainty) marks a change whose uncertainty is unknown."""
    sure = certainty or {}

    def moved(row: KommunIndicator) -> str:
        return _moved(row, sure.get(row.indicator.id, Certainty.NONE))

    by: dict[Change, list[KommunIndicator]] = {c: [] for c in Change}
    for row in rows:
        by[row.change].append(row)
    with_target = [r for r in rows if r.target is not None]
    far = [r for r in with_target if r.target_status is TargetStatus.NOT_ACHIEVED]
    missing = [r for r in by[Change.NOT_COMPARABLE]]
    counts = [
        f"{len(by[Change.IMPROVED])} har förbättrats",
        f"{len(by[Change.UNCHANGED])} är oförändrade",
        f"{len(by[Change.WORSENED])} har försämrats",
    ]
    if by[Change.CHANGED]:
        counts.append(f"{len(by[Change.CHANGED])} har förändrats utan att någon riktning är bättre")
    lead = f"Av {len(rows)} indikatorer sedan {baseline_year}: " + ", ".join(counts) + "."
    if missing:
        lead += f" {len(missing)} kan inte jämföras."
    if with_target:
        lead += f" {len(far)} av {len(with_target)} med målvärde är långt från målet."
    points = (
        SummaryPoint(
            "improved",
            f"Förbättrats sedan {baseline_year}",
            tuple(moved(r) for r in by[Change.IMPROVED]),
        ),
        SummaryPoint(
            "worsened",
            f"Försämrats mer än osäkerheten sedan {baseline_year}",
            tuple(moved(r) for r in by[Change.WORSENED]),
        ),
        SummaryPoint(
            "changed",
            "Förändrats, utan att någon riktning är bättre",
            tuple(moved(r) for r in by[Change.CHANGED]),
        ),
        SummaryPoint("far", "Långt från målet (✗)", tuple(_far(r) for r in far)),
        SummaryPoint(
            "missing",
            "Saknas eller kan inte jämföras",
            tuple(_missing(r, baseline_year) for r in missing),
        ),
    )
    return PlainSummary(
        subject=subject,
        lead=lead,
        points=tuple(p for p in points if p.items or p.key in ("improved", "worsened")),
        baseline_year=baseline_year,
        has_demo_data=has_demo_data,
    )


def strategy_summary(store: Store, number: int) -> PlainSummary | None:
    """The county's development in every indicator of the strategy."""
    strategy = next((s for s in catalogue_tree(store) if s.number == number), None)
    if strategy is None:
        return None
    ids = list(dict.fromkeys(i.id for ma in strategy.matomraden for i in ma.indicators))
    view = county_view_of(store, ids)
    if view is None:
        return None
    return summarize(
        f"Strategi {number}: {strategy.title}",
        _rows(view, ids),
        view.baseline_year,
        has_demo_data=view.has_demo_data,
        certainty=_certainty(store, view),
    )


def kommun_summary(store: Store, area_code: str) -> PlainSummary | None:
    """A kommun's (or the region's) own development in every indicator it has values for."""
    view = kommun_view(store, area_code)
    if view is None:
        return None
    return summarize(
        view.area_name,
        _rows(view),
        view.baseline_year,
        has_demo_data=view.has_demo_data,
        certainty=_certainty(store, view),
    )


def group_summary(store: Store, group_id: str) -> PlainSummary | None:
    """The county's development in the indicators a strategigrupp follows."""
    group = strategigrupp_view(store, group_id)
    if group is None:
        return None
    ids = [g.indicator.id for g in group.indicators]
    view = county_view_of(store, ids)
    if view is None:
        return None
    return summarize(
        f"Strategigrupp {group.name}",
        _rows(view, ids),
        view.baseline_year,
        has_demo_data=view.has_demo_data,
        certainty=_certainty(store, view),
    )


def _certainty(store: Store, view: KommunView) -> dict[str, Certainty]:
    """How sure the one rule was of each of the area's changes (the same table kommun_view
    read its changes from)."""
    table = development_table(store, view.baseline_year)
    return {
        row.indicator.id: table.development(row.indicator.id, view.area_code).certainty
        for row in _rows(view)
    }


def signed_difference(delta: float, decimals: int, unit: str) -> str:
    sign = "+" if delta > 0 else MINUS if delta < 0 else "±"
    return f"{sign}{difference_words(delta, decimals, unit)}"
