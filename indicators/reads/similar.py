"""A kommun among its similar kommuner across Sweden: Kolada's "Liknande kommuner" group of the
kind the catalogue names for the indicator (äldreomsorg, IFO, socioekonomi …, by default the
overall group), its median and quartiles per period, the kommun's place among itself and the
group, and its own change against the change of the group's median.

Every value comes from the store's observations (all 290 kommuner can be stored) through
`indicator_series`, which hides what suppression hides; quartiles and places
are worked out from the shown values only, so a hidden value never moves a median. Nothing is
fetched here: when the members' values are missing, the view says so and names the command
that fetches them (`python -m indicators fetch-kolada --liknande …`)."""

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from indicators.reads.cache import cached_query
from indicators.reads.followup.baseline import rank_among
from indicators.reads.models import (
    CodeCount,
    IndicatorSummary,
    KommunView,
    SimilarMember,
    SimilarPeriod,
    SimilarState,
    SimilarView,
    tally_codes,
)
from indicators.reads.queries import indicator_detail, indicator_series
from indicators.reads.queries import similar_group as stored_similar_group
from indicators.settings import get_settings
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    MISSING_WORD,
    AreaLevel,
    Direction,
    Gender,
    ObservationStatus,
    ValueKind,
    shown_value,
)
from indicators.vocabulary.formatting import format_number, format_value, round_half_up

# Quartiles of fewer values say little and would come close to naming single kommuner.
MIN_FOR_QUARTILES = 3
FETCH_COMMAND = "python -m indicators fetch-kolada"

__all__ = [
    "MIN_FOR_QUARTILES",
    "default_similar_indicator",
    "describe",
    "fetch_command",
    "quartiles",
    "similar_choices",
    "similar_group",
    "similar_view",
]

similar_group = stored_similar_group


def quartiles(values: Sequence[float]) -> tuple[float, float, float] | None:
    """(first quartile, median, third quartile) of the shown values, interpolated linearly
    between the ordered values (as Excel's KVARTIL.INK); None for fewer than
    MIN_FOR_QUARTILES values."""
    if len(values) < MIN_FOR_QUARTILES:
        return None
    q1, median, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return float(q1), float(median), float(q3)


def fetch_command(area_code: str, source_ids: Sequence[str], year_from: int) -> str:
    """The command that fetches the members' values of the KPIs from Kolada into the store."""
    kpis = ",".join(source_ids)
    return f"{FETCH_COMMAND} --liknande {area_code} --kpi {kpis} --from {year_from} --save"


def _period(label: str, own: float | None, values: list[float], *, coded: bool) -> SimilarPeriod:
    q = None if coded else quartiles(values)
    return SimilarPeriod(
        period=label,
        own=own,
        median=q[1] if q else None,
        q1=q[0] if q else None,
        q3=q[2] if q else None,
        low=min(values) if values and not coded else None,
        high=max(values) if values and not coded else None,
        shown=len(values),
    )


Shown = tuple[float | None, str]  # a cell's shown value (None unless shown) and its status


def _shown(cells: dict[str, Shown], code: str) -> float | None:
    cell = cells.get(code)
    return cell[0] if cell else None


def _value_text(cell: Shown | None, ind: IndicatorSummary, codes: dict[int, str]) -> str:
    if cell is None:
        return MISSING_WORD
    value, status = cell
    if value is None:
        return ObservationStatus(status).gap_label
    if ind.value_kind is ValueKind.CODED:
        return codes.get(int(value), str(int(value)))
    return format_value(value, ind.decimals, ind.unit)


def _best_first(members: list[SimilarMember], direction: Direction) -> list[SimilarMember]:
    shown = [m for m in members if m.value is not None]
    rest = [m for m in members if m.value is None]
    reverse = direction is not Direction.LOWER_BETTER
    shown.sort(key=lambda m: (m.value, m.name), reverse=reverse)
    return shown + sorted(rest, key=lambda m: m.name)


@cached_query(maxsize=256)
def similar_view(
    store: Store,
    indicator_id: str,
    area_code: str,
    gender: str = Gender.TOTAL,
    period: str | None = None,
    baseline_year: int | None = None,
) -> SimilarView | None:
    """The kommun among its similar kommuner for one indicator; None for an unknown indicator.
    `period` chooses the period of the place and the group's values (default: the latest in
    which the kommun and a member have shown values)."""
    detail = indicator_detail(store, indicator_id)
    if detail is None:
        return None
    ind = detail.summary
    kind = ind.similar_kind
    baseline_year = get_settings().baseline_year if baseline_year is None else baseline_year
    gender = str(gender) if detail.by_gender else str(Gender.TOTAL)
    base = SimilarView(
        indicator=ind,
        area_code=area_code,
        area_name=area_code,
        gender=gender,
        kind=kind,
        state=SimilarState.NOT_KOMMUN,
        source_id=detail.source_id,
    )
    if ind.area_level is AreaLevel.REGION:
        return base
    group = similar_group(store, area_code, kind)
    if group is None:
        return replace(base, state=SimilarState.NO_GROUP)
    members = dict(group.members)
    frame = indicator_series(store, indicator_id, [area_code, *members], Gender(gender))
    own_rows = frame[frame["area_code"] == area_code]
    member_rows = frame[frame["area_code"] != area_code]
    own_years = [d.year for d in own_rows["period_start"]]
    year_from = min(own_years) if own_years else baseline_year
    stored = set(member_rows["area_code"].astype(str))
    command = ""
    if ind.source == "Kolada" and detail.source_id and len(stored) < len(members):
        command = fetch_command(area_code, [detail.source_id], year_from)
    base = replace(base, area_name=group.area_name, group=group, fetch_command=command)
    if member_rows.empty:
        return replace(base, state=SimilarState.NO_VALUES)
    coded = ind.value_kind is ValueKind.CODED
    codes = dict(detail.codes)
    # period label → area → (shown value, status), in period order
    cells: dict[str, dict[str, Shown]] = {}
    ordered = frame.sort_values("period_start", kind="stable")
    for code, label, value, status in zip(
        ordered["area_code"].astype(str).tolist(),
        ordered["period"].astype(str).tolist(),
        ordered["value"].astype(float).tolist(),
        ordered["status"].astype(str).tolist(),
        strict=True,
    ):
        cells.setdefault(label, {})[code] = (shown_value(value, status), status)
    periods = []
    for label, by_area in cells.items():
        values = [v for c, (v, _) in by_area.items() if c != area_code and v is not None]
        own = by_area.get(area_code, (None, ""))[0]
        periods.append(_period(label, own, values, coded=coded))
    chosen = _snapshot(periods, period)
    snap = cells.get(chosen, {}) if chosen else {}
    listed = [
        SimilarMember(code, name, _shown(snap, code), _value_text(snap.get(code), ind, codes))
        for code, name in members.items()
    ]
    own_member = SimilarMember(
        area_code,
        group.area_name,
        _shown(snap, area_code),
        _value_text(snap.get(area_code), ind, codes),
        is_own=True,
    )
    rank, rank_of = None, 0
    code_counts: tuple[CodeCount, ...] = ()
    if coded:
        code_counts = tally_codes(((m.name, m.value) for m in listed), codes.items())
    elif chosen is not None:
        shown = {m.code: m.value for m in [own_member, *listed]}
        rank, rank_of = rank_among(shown, area_code, ind.direction, ind.decimals)
    missing = tuple(m.name for m in sorted(listed, key=lambda m: m.name) if m.value is None)
    trend_from, own_change, median_change = _trend(periods, chosen, baseline_year)
    return replace(
        base,
        state=SimilarState.PARTIAL if missing else SimilarState.OK,
        periods=tuple(periods),
        period=chosen,
        members=(own_member, *_best_first(listed, ind.direction)),
        rank=rank,
        rank_of=rank_of,
        missing=missing,
        trend_from=trend_from,
        own_change=own_change,
        median_change=median_change,
        code_counts=code_counts,
    )


def similar_choices(view: KommunView) -> list[IndicatorSummary]:
    """The Kommun page's indicators that can be compared with similar kommuner, each once."""
    return [r.indicator for r in view.rows() if r.indicator.area_level is not AreaLevel.REGION]


def default_similar_indicator(view: KommunView, wanted: str | None = None) -> str | None:
    """The indicator a Kommun page shows among similar kommuner: the one asked for when the
    kommun has it; else its first headline indicator with a value, else the first with one."""
    rows = [r for r in view.rows() if r.indicator.area_level is not AreaLevel.REGION]
    if wanted is not None and any(r.indicator.id == wanted for r in rows):
        return wanted
    valued = [r for r in rows if r.latest is not None and r.latest.value is not None]
    headline = [r for r in valued if r.indicator.headline]
    chosen = headline or valued or rows
    return chosen[0].indicator.id if chosen else None


def _snapshot(periods: list[SimilarPeriod], wanted: str | None) -> str | None:
    """The chosen period when the group has values in it; else the latest in which both the
    kommun and a member have shown values; else the latest in which a member has."""
    with_group = [p for p in periods if p.shown]
    if wanted is not None and any(p.period == wanted for p in with_group):
        return wanted
    both = [p for p in with_group if p.own is not None]
    if both:
        return both[-1].period
    return with_group[-1].period if with_group else None


def _trend(
    periods: list[SimilarPeriod], chosen: str | None, baseline_year: int
) -> tuple[str | None, float | None, float | None]:
    """The kommun's change and the group median's change from the baseline year (or the first
    later period in which both are shown) to the chosen period."""
    if chosen is None:
        return None, None, None
    end = next(p for p in periods if p.period == chosen)
    if end.own is None or end.median is None:
        return None, None, None
    for p in periods:
        if p.period == chosen:
            break
        if int(p.period[:4]) >= baseline_year and p.own is not None and p.median is not None:
            return p.period, end.own - p.own, end.median - p.median
    return None, None, None


# --- Words ------------------------------------------------------------------------------------


def _amount(delta: float, ind: IndicatorSummary) -> str:
    size = abs(delta)
    if ind.unit in ("%", "procent"):
        return f"{format_number(size, ind.decimals)} procentenheter"
    return format_value(size, ind.decimals, ind.unit)


def _moved(delta: float, ind: IndicatorSummary) -> str:
    """'ökat med 2,1 procentenheter', 'minskat med 7 dagar', 'legat still'."""
    if round_half_up(delta, ind.decimals) == 0:
        return "legat still"
    verb = "ökat" if delta > 0 else "minskat"
    return f"{verb} med {_amount(delta, ind)}"


def _fmt(value: float | None, ind: IndicatorSummary) -> str:
    return format_value(value, ind.decimals, ind.unit)


def group_words(view: SimilarView) -> str:
    """'de 7 liknande kommunerna (äldreomsorg)'."""
    size = len(view.group.members) if view.group else 7
    return f"de {size} liknande kommunerna ({view.kind.kolada_word})"


def describe(view: SimilarView, *, with_command: bool = True) -> str:
    """The view in Swedish sentences: where the kommun stands, the group's median and
    quartiles, its own change against the median's, and what is missing and how to fetch it."""
    ind, name = view.indicator, view.area_name
    if view.state is SimilarState.NOT_KOMMUN:
        return "Indikatorn redovisas bara för regioner, så den jämförs inte med liknande kommuner."
    if view.state is SimilarState.NO_GROUP:
        return (
            f"Lagret har ingen grupp {view.kind.label} för {name}. Kör "
            "`python -m indicators prepare`, som läser in Koladas grupper ur "
            "data/kolada/groups.csv."
        )
    if view.state is SimilarState.NO_VALUES:
        return f"Värden för {group_words(view)} saknas i lagret för {ind.short_title}." + (
            (f" Hämta dem från Kolada med: {view.fetch_command}" if with_command else "")
            if view.fetch_command
            else f" Indikatorn kommer från {ind.source}, inte från Kolada: läs in de liknande "
            "kommunernas värden på sidan Importera."
        )
    snap = view.snapshot
    if snap is None:
        return f"Ingen av {group_words(view)} har något värde som kan visas."
    own = next(m for m in view.members if m.is_own)
    sentences = []
    if ind.value_kind is ValueKind.CODED:
        answers = ", ".join(f"{c.label} {c.count}" for c in view.code_counts if c.count)
        answers = answers or "inga svar"
        sentences.append(f"{name}: {own.text} {snap.period}. Bland {group_words(view)}: {answers}.")
    else:
        if own.value is None:
            first = f"{name} har inget värde som kan visas {snap.period} ({own.text})"
        elif view.rank is not None:
            first = (
                f"{name} hade {own.text} {snap.period}, {view.rank_text} bland kommunen och "
                f"{group_words(view)}"
            )
        else:
            first = f"{name} hade {own.text} {snap.period}"
        if snap.median is not None:
            sentences.append(
                f"{first}. Gruppens median var {_fmt(snap.median, ind)}, och hälften av "
                f"kommunerna låg mellan {_fmt(snap.q1, ind)} och {_fmt(snap.q3, ind)}."
            )
        else:
            sentences.append(
                f"{first}. För få av {group_words(view)} har värden {snap.period} för att visa "
                "median och kvartiler."
            )
        if view.trend_from and view.own_change is not None and view.median_change is not None:
            text = (
                f"Sedan {view.trend_from} har {name} {_moved(view.own_change, ind)} och "
                f"gruppens median {_moved(view.median_change, ind)}"
            )
            sentences.append(text + _compared(view) + ".")
    if view.missing:
        sentences.append(
            f"Värde saknas eller är dolt för {len(view.missing)} av "
            f"{len(view.group.members) if view.group else 0} liknande kommuner "
            f"{snap.period}: {', '.join(view.missing)}."
        )
    if view.fetch_command and with_command:
        sentences.append(f"Hämta de saknade från Kolada med: {view.fetch_command}")
    return " ".join(sentences)


def _compared(view: SimilarView) -> str:
    ind = view.indicator
    if ind.direction is Direction.NEITHER or view.own_change is None or view.median_change is None:
        return ""
    diff = round_half_up(view.own_change, ind.decimals) - round_half_up(
        view.median_change, ind.decimals
    )
    if abs(diff) < 0.5 * 10**-ind.decimals:
        return " – samma utveckling som gruppen"
    better = diff > 0 if ind.direction is Direction.HIGHER_BETTER else diff < 0
    return " – en bättre utveckling än gruppens" if better else " – en sämre utveckling än gruppens"
