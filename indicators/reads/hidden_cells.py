"""Which stored cells are hidden, judged on the whole area hierarchy, for every view alike.

Secondary suppression across areas (indicators.reads.suppression) depends on more than a view reads:
a kommun's cell may be hidden because a neighbour in its region is, and a region's because another
region is. A view that judged only its own rows would hide differently from the next view, and two
views side by side would give a hidden cell away. So the hidden cells of an indicator are worked out
once per data version over Riket, every region and all kommuner of the regions asked for (which is
all that region's pattern depends on, see suppression's phases A and B), and every query applies
that pattern to the rows it read: `hide(store, frame, kinds)`.

Cost: one extra read per indicator and region (Riket, the 21 regions and the region's kommuner,
every gender and period) the first time a data version is asked for it; after that a lookup. The
cache warmer fills it after each import along with the views it warms.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import and_, delete, or_, select, tuple_
from sqlalchemy.orm import Session

from indicators.reads.cache import cached_query
from indicators.reads.suppression import REASON_COLUMN, primary_mask, primary_reason, suppress
from indicators.settings import get_settings
from indicators.store import bulk, summaries
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.frames import as_date, plain, read_frame
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    OBSERVATION_KEY,
    OBSERVATION_NUMBERS,
    OBSERVATION_VALUES,
    AreaKind,
    ObservationStatus,
    PeriodType,
    ValueKind,
)

KEY = list(OBSERVATION_KEY)
_READ = [*KEY, *OBSERVATION_NUMBERS, "status"]


@cached_query()
def area_parents(store: Store) -> Mapping[str, str]:
    """Each kommun's region and each region's Riket: the sums the counts add up to. Units below
    a kommun are left out: a vårdcentral's patients come from many kommuner, so units do not
    add up to their kommun."""
    with session_scope(store.url) as s:
        rows = s.execute(select(m.Area.code, plain(m.Area.kind), m.Area.parent_code)).all()
    # Read-only: the cache hands the same mapping to every caller.
    return MappingProxyType(dict(_parents_of([tuple(r) for r in rows])))


def _parents_of(rows: Sequence[tuple[str, Any, str | None]]) -> Iterator[tuple[str, str]]:
    kinds = {code: str(kind) for code, kind, _ in rows}
    above = {AreaKind.KOMMUN: AreaKind.REGION, AreaKind.REGION: AreaKind.NATION}
    for code, kind, parent in rows:
        if (
            parent is not None
            and AreaKind(str(kind)) in above
            and kinds.get(parent) == above[AreaKind(str(kind))]
        ):
            yield code, parent


def _region_of(parents: Mapping[str, str], code: str) -> str | None:
    """The region whose sum `code` is a part of, when `code` is a kommun."""
    region = parents.get(code)
    return region if region is not None and region in parents else None


def _outer(parents: Mapping[str, str]) -> set[str]:
    """Riket and the regions: what every region's pattern depends on."""
    regions = {code for code, parent in parents.items() if parent not in parents}
    return regions | (set(parents.values()) - set(parents))


Key = tuple[str, str, str, date, str]  # KEY's values of one cell


@cached_query(maxsize=512)
def hidden_pattern(
    store: Store, indicator_ids: tuple[str, ...], regions: tuple[str, ...]
) -> Mapping[Key, str]:
    """The hidden cells (KEY values → status_reason) of the indicators over Riket, every region
    and the kommuner of `regions`, as suppression judges them with the store's whole hierarchy.

    For the county's own region (what the follow-up views, Översikt and the county's kommuner
    ask) the cells are read from the hidden_cell table, which every write keeps in step with the
    observations in its own transaction (`refresh_stored`); any other region, or a table that
    is not complete for this threshold, is judged from the observations (`_judge`). Both give
    the same cells: a region's kommuner depend on Riket, the regions and that region's kommuner
    only (suppression's phases A and B)."""
    parents = area_parents(store)
    threshold = get_settings().suppression_threshold
    with session_scope(store.url) as s:
        if set(regions) <= {COUNTY_CODE} and stored_is_complete(s, threshold):
            areas = sorted(
                _outer(parents) | {c for c in parents if _region_of(parents, c) in regions}
            )
            return MappingProxyType(_read_stored(s, indicator_ids, areas))
        return MappingProxyType(_judge(s, indicator_ids, regions, threshold, parents))


def _judge(
    s: Session,
    indicator_ids: Iterable[str],
    regions: Iterable[str],
    threshold: int,
    parents: Mapping[str, str],
) -> dict[Key, str]:
    """Judge the hidden cells from the observations (see hidden_pattern).

    Only indicators and periods with something to hide there are read: the store finds them
    (a cell its source hid, or a numerator, denominator or count of 1 to threshold − 1), so the
    rows handed to Python are those of the few periods that need judging."""
    ids = sorted(set(indicator_ids))
    asked = set(regions)
    areas = sorted(_outer(parents) | {c for c in parents if _region_of(parents, c) in asked})
    obs = m.Observation
    kinds: dict[str, str] = {
        i: str(kind)
        for i, kind in s.execute(
            select(m.Indicator.id, plain(m.Indicator.value_kind)).where(m.Indicator.id.in_(ids))
        ).all()
    }
    counts = [i for i, kind in kinds.items() if ValueKind(kind) is ValueKind.COUNT]
    within = (obs.indicator_id.in_(ids), obs.area_code.in_(areas))
    small = [and_(column >= 1, column < threshold) for column in (obs.numerator, obs.denominator)]
    if counts:
        small.append(and_(obs.indicator_id.in_(counts), obs.value >= 1, obs.value < threshold))
    to_judge = (
        select(obs.indicator_id, obs.period_type, obs.period_start)
        .where(
            *within,
            or_(
                obs.status == ObservationStatus.SUPPRESSED,
                and_(obs.status == ObservationStatus.OK, or_(*small)),
            ),
        )
        .distinct()
    )
    query = select(*(plain(getattr(obs, c)) for c in _READ)).where(
        *within, tuple_(obs.indicator_id, obs.period_type, obs.period_start).in_(to_judge)
    )
    frame = read_frame(s, query, _READ, dates=["period_start"])
    if frame.empty:
        return {}
    judged = suppress(frame, threshold, kinds=kinds, parents=parents)
    hidden = judged[judged["status"].astype(str) == ObservationStatus.SUPPRESSED]
    return {
        (i, a, str(t), d, str(g)): r
        for i, a, t, d, g, r in zip(
            *(hidden[c].tolist() for c in [*KEY, REASON_COLUMN]), strict=True
        )
    }


# --- the stored hidden cells ---------------------------------------------------------------

STORED = "hidden_cells"
_STORED_COLUMNS = [*KEY, "reason"]
_STORED_WRITE = bulk.insert(bulk.plain_table(bulk.mapped_table(m.HiddenCell)), _STORED_COLUMNS)


def stored_is_complete(s: Session, threshold: int) -> bool:
    return summaries.is_complete(s, STORED, threshold)


def _read_stored(s: Session, indicator_ids: Iterable[str], areas: list[str]) -> dict[Key, str]:
    cell = m.HiddenCell
    rows = s.execute(
        select(
            cell.indicator_id,
            cell.area_code,
            cell.period_type,
            plain(cell.period_start),
            cell.gender,
            cell.reason,
        ).where(cell.indicator_id.in_(sorted(set(indicator_ids))), cell.area_code.in_(areas))
    ).all()
    starts = {text: as_date(text) for text in {r[3] for r in rows}}
    return {(i, a, t, starts[d], g): r for i, a, t, d, g, r in rows}


def stored_pattern(
    s: Session, indicator_ids: Iterable[str], parents: Mapping[str, str]
) -> dict[Key, str]:
    """The county's hidden cells of the indicators as stored, read in the session's own
    transaction: a refresher running after `refresh_stored` sees what it has just written."""
    areas = sorted(_outer(parents) | {c for c in parents if _region_of(parents, c) == COUNTY_CODE})
    return _read_stored(s, indicator_ids, areas)


def parents_in(s: Session) -> dict[str, str]:
    """area_parents, read in the writing transaction (the cached one may predate it)."""
    rows = s.execute(select(m.Area.code, plain(m.Area.kind), m.Area.parent_code)).all()
    return dict(_parents_of([tuple(r) for r in rows]))


def _write_stored(s: Session, indicator_ids: Iterable[str], threshold: int) -> None:
    ids = sorted(set(indicator_ids))
    s.execute(delete(m.HiddenCell).where(m.HiddenCell.indicator_id.in_(ids)))
    pattern = _judge(s, ids, (COUNTY_CODE,), threshold, parents_in(s))
    if pattern:
        rows = pd.DataFrame(
            [(*key, reason) for key, reason in pattern.items()], columns=_STORED_COLUMNS
        )
        bulk.write_rows(s, _STORED_WRITE, rows)


def refresh_stored(s: Session, indicator_ids: frozenset[str]) -> None:
    """The hidden cells of the indicators a write touched, rewritten in its transaction
    (registered with store.summaries, which calls it just before the commit). A table that is
    not complete stays so: `prepare` rebuilds it whole."""
    threshold = get_settings().suppression_threshold
    if stored_is_complete(s, threshold):
        _write_stored(s, indicator_ids, threshold)


def rebuild_stored(s: Session, threshold: int) -> None:
    """Every indicator's hidden cells from the observations, in the session's transaction (a
    write session), and the table marked complete for `threshold`."""
    s.execute(delete(m.HiddenCell))
    ids = s.scalars(select(m.Observation.indicator_id).distinct()).all()
    # A few indicators at a time: the rows judged stay a few hundred thousand at most.
    for start in range(0, len(ids), 20):
        _write_stored(s, ids[start : start + 20], threshold)
    summaries.mark_complete(s, STORED, threshold)


def needs_rebuild(s: Session, threshold: int) -> bool:
    return not stored_is_complete(s, threshold)


summaries.register(STORED, refresh_stored)


def hide(
    store: Store,
    frame: pd.DataFrame,
    kinds: Mapping[str, ValueKind | str],
    *,
    period_type: PeriodType | str | None = None,
) -> pd.DataFrame:
    """`frame` (observation rows of the indicators in `kinds`: indicator_id unless there is one
    indicator, area_code, period_type unless given, period_start, gender, value, numerator,
    denominator, status) with every cell hidden that the store's hierarchy hides, and a
    `status_reason` column. Any areas, genders and periods: the pattern does not depend on
    what the frame holds. Small numbers are judged on the frame itself as well, so a value
    written after the pattern was read is never shown."""
    parents = area_parents(store)

    def pattern(ids: tuple[str, ...], regions: tuple[str, ...]) -> Mapping[Key, str]:
        return hidden_pattern(store, ids, regions)

    return apply_hidden(frame, kinds, parents, pattern, period_type=period_type)


PatternSource = Callable[[tuple[str, ...], tuple[str, ...]], Mapping[Key, str]]


def apply_hidden(
    frame: pd.DataFrame,
    kinds: Mapping[str, ValueKind | str],
    parents: Mapping[str, str],
    pattern_of: PatternSource,
    *,
    period_type: PeriodType | str | None = None,
) -> pd.DataFrame:
    """`hide` with the hierarchy and the pattern given: `pattern_of(indicator_ids, regions)`
    (a writing transaction hands its own, see `stored_pattern`)."""
    out = frame.copy()
    if REASON_COLUMN not in out.columns:
        out[REASON_COLUMN] = ""
    if out.empty:
        return out
    threshold = get_settings().suppression_threshold
    added = [c for c in ("indicator_id", "period_type") if c not in out.columns]
    if "indicator_id" in added:
        (only,) = kinds
        out["indicator_id"] = only
    if "period_type" in added:
        out["period_type"] = str(period_type)
    small = primary_mask(out, threshold, kinds=kinds).to_numpy()
    _hide(out, small, primary_reason(threshold))

    codes = out["area_code"].astype(str)
    code_list = codes.tolist()  # a list: iterating the column goes value by value via pyarrow
    regions = tuple(
        sorted({r for c in set(code_list) if (r := _region_of(parents, c)) is not None})
    )
    id_list = out["indicator_id"].astype(str).tolist()
    ids = tuple(sorted(set(id_list)))
    pattern = pattern_of(ids, regions)
    if pattern:
        keys = zip(
            id_list,
            code_list,
            out["period_type"].astype(str).tolist(),
            out["period_start"].tolist(),
            out["gender"].astype(str).tolist(),
            strict=True,
        )
        reasons = [pattern.get(key) for key in keys]
        matched = np.array([r is not None for r in reasons], dtype=bool)
        newly = matched & (out["status"].astype(str) != ObservationStatus.SUPPRESSED).to_numpy()
        if newly.any():
            _hide(out, newly, None)
            out.loc[newly, REASON_COLUMN] = [r for r, n in zip(reasons, newly, strict=True) if n]

    # Areas outside the sums (units) only have T = K + M, judged on the frame's own rows.
    outside = ~codes.isin(set(parents) | set(parents.values())).to_numpy()
    if outside.any():
        judged = suppress(out[outside], threshold, kinds=kinds, parents={})
        out.loc[outside, list(OBSERVATION_VALUES)] = judged[list(OBSERVATION_VALUES)]
    return out.drop(columns=added)


def _hide(out: pd.DataFrame, mask: np.ndarray, reason: str | None) -> None:
    if not mask.any():
        return
    out.loc[mask, "status"] = ObservationStatus.SUPPRESSED
    for column in OBSERVATION_NUMBERS:
        if column in out.columns:
            out.loc[mask, column] = np.nan
    if reason is not None:
        out.loc[mask, REASON_COLUMN] = reason
