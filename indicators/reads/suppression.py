"""Small-number suppression (röjandekontroll) of observation frames, before anything is shown.

Rules, following the usual practice of Socialstyrelsen and SCB:

- Primary: a value that rests on 1–4 people is hidden. "Rests on" means its numerator or
  denominator, or for value kind count the value itself, is at least 1 and below the threshold
  (settings.suppression_threshold, default 5). A 0 is not small: nobody can be recognised in an
  empty group, and hiding zeros would hide the good news too. Cells the source hid (status
  suppressed in the store) are hidden cells like any other.
- Secondary (complementary): no hidden cell may be worked out from what is shown. Counts add up
  in two directions: T = K + M within an area, and an area's count is the sum of the areas below
  it (a region the sum of its kommuner, Riket the sum of the regions; a kommun that did not report
  adds nothing). Each such sum is an equation; a hidden cell that is the only hidden cell of some
  equation is given away by it. So whenever an equation holds exactly one hidden cell, one more
  of its shown cells is hidden, until every equation holds none or at least two:
  - within an area, the other of K and M when one of them is hidden, the smaller of them when T
    is; T only when the other gender is not shown;
  - among the kommuner of a region (or the regions of Riket) the next-smallest shown cell, by
    denominator (else numerator, else value), preferring one whose area already has a hidden
    cell, since hiding it there asks for nothing more; the sum itself (the region's or Riket's
    own cell) only when no area below it can be hidden.
  The rules are repeated until nothing changes, since each new hidden cell sits in further
  equations (its area's genders, its region's sum).

Why "two in every equation" is enough: seen as a graph, every cell is an edge between the two
equations it belongs to (T, K and M of one region's kommuner; the kommun's own T = K + M), and a
hidden cell can be worked out exactly when it is a bridge of the graph of hidden cells. With at
most three gender nodes per table, a graph whose every node has two hidden edges or none has no
bridge. The region's and Riket's tables are protected one after the other: first Riket and the
regions (phase A), then each region's kommuner with the region's cells as phase A left them
(phase B), so the cells of one region's kommuner depend on that region's kommuner, the regions
and Riket only, never on another region's kommuner. The two tables together give nothing more
than each alone, because a region's hidden cells are joined to each other both through its
kommuner and through the other regions. tests/test_suppression_hierarchy.py checks this by
solving the published sums as linear equations.

Values without counts (means, medians, indices, coded answers) follow the same rules: a region
mean weighted by population, which is public, gives a hidden kommun's mean back just as a sum
does.

A suppressed cell gets status "suppressed", value, numerator and denominator NaN, and a reason in
the column `status_reason` (added when the frame has none). Cells that are already suppressed
keep their reason; missing and not-applicable cells are left alone and count as known (a kommun
that did not report adds nothing to its region).
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    OBSERVATION_NUMBERS,
    Gender,
    ObservationStatus,
    ValueKind,
)

REASON_COLUMN = "status_reason"
SECONDARY_REASON = "sekretess (skyddar en dold uppgift)"

# The county's own hierarchy: what a frame of the county's areas adds up to when no other map
# is given. The store's full map (every kommun, region and Riket) comes from its area table.
COUNTY_PARENTS: dict[str, str] = {
    **{code: COUNTY_CODE for code in COUNTY_KOMMUN_CODES},
    COUNTY_CODE: NATION_CODE,
}

_GENDER_CODE = {str(Gender.TOTAL): 0, str(Gender.WOMEN): 1, str(Gender.MEN): 2}


def primary_reason(threshold: int) -> str:
    return f"färre än {threshold}"


def _small(values: pd.Series, threshold: int) -> pd.Series:
    return (values >= 1) & (values < threshold)


def primary_mask(
    frame: pd.DataFrame,
    threshold: int,
    *,
    value_kind: ValueKind | str | None = None,
    kinds: Mapping[str, ValueKind | str] | None = None,
) -> pd.Series:
    """Shown cells that rest on fewer than `threshold` people."""
    small = pd.Series(False, index=frame.index)
    for column in ("numerator", "denominator"):
        if column in frame.columns:
            small |= _small(pd.to_numeric(frame[column], errors="coerce"), threshold)
    if value_kind is not None and ValueKind(value_kind) is ValueKind.COUNT:
        small |= _small(pd.to_numeric(frame["value"], errors="coerce"), threshold)
    elif kinds is not None and "indicator_id" in frame.columns:
        counts = [i for i, kind in kinds.items() if ValueKind(kind) is ValueKind.COUNT]
        is_count = frame["indicator_id"].astype(str).isin(counts)
        small |= is_count & _small(pd.to_numeric(frame["value"], errors="coerce"), threshold)
    return (frame["status"].astype(str) == ObservationStatus.OK) & small


def suppress(
    frame: pd.DataFrame,
    threshold: int = 5,
    *,
    value_kind: ValueKind | str | None = None,
    kinds: Mapping[str, ValueKind | str] | None = None,
    parents: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A copy of `frame` (columns as queries.SERIES_COLUMNS) with small numbers hidden.

    Pure: the input is not changed. A frame of several indicators (column `indicator_id`) is
    judged in one pass: `kinds` gives each indicator's value kind, and cells only protect cells
    of their own indicator and period. `parents` maps each kommun to its region and each region
    to Riket (default: the county's 13 kommuner, the county and Riket); the sums are only
    protected as far as the frame holds them, so a frame must hold Riket, every region and all
    kommuner of a region for the pattern of that region's kommuner to be the store's (see
    indicators.reads.hidden_cells, which reads exactly that)."""
    out = frame.copy()
    if REASON_COLUMN not in out.columns:
        out[REASON_COLUMN] = ""
    if out.empty:
        return out
    primary = primary_mask(out, threshold, value_kind=value_kind, kinds=kinds).to_numpy()
    _hide(out, primary, primary_reason(threshold))
    secondary = _secondary(out, COUNTY_PARENTS if parents is None else parents)
    _hide(out, secondary, SECONDARY_REASON)
    return out


def _hide(out: pd.DataFrame, mask: np.ndarray, reason: str) -> None:
    """Hide the cells of `mask`, giving them `reason`."""
    if not mask.any():
        return
    out.loc[mask, "status"] = ObservationStatus.SUPPRESSED
    for column in OBSERVATION_NUMBERS:
        if column in out.columns:
            out.loc[mask, column] = np.nan
    out.loc[mask, REASON_COLUMN] = reason


def _group_ids(out: pd.DataFrame) -> np.ndarray:
    """One id per indicator and period: cells of different ones never protect each other."""
    when = "period_start" if "period_start" in out.columns else "period"
    keys = [c for c in ("indicator_id", "period_type") if c in out.columns] + [when]
    return out.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()


def _sizes(out: pd.DataFrame) -> np.ndarray:
    """How many people a cell rests on, to find the next-smallest: denominator, else numerator,
    else the value itself; unknown sizes come last."""
    size = np.full(len(out), np.inf)
    for column in OBSERVATION_NUMBERS:
        if column in out.columns:
            values = pd.to_numeric(out[column], errors="coerce").to_numpy(dtype=float)
            known = np.isfinite(values)
            size[known] = np.abs(values[known])
    return size


def _depths(codes: np.ndarray, parents: Mapping[str, str]) -> dict[str, int]:
    """0 for Riket, 1 for a region, 2 for a kommun; -1 for areas outside the sums (units)."""
    children = set(parents)
    tops = {p for p in parents.values() if p not in parents}
    depth: dict[str, int] = {}
    for code in set(codes.tolist()) | children | tops:
        d, at, seen = 0, code, set()
        while at in parents and at not in seen:
            seen.add(at)
            at = parents[at]
            d += 1
        depth[code] = d if (code in children or code in tops) else -1
    return depth


def _secondary(out: pd.DataFrame, parents: Mapping[str, str]) -> np.ndarray:
    """Cells to hide so that every equation holds none or at least two hidden cells."""
    n = len(out)
    status = out["status"].astype(str)
    hidden = np.array(status == ObservationStatus.SUPPRESSED, dtype=bool)
    if "gender" not in out.columns or "area_code" not in out.columns or not hidden.any():
        return np.zeros(n, dtype=bool)
    shown = np.array(status == ObservationStatus.OK, dtype=bool)
    group = _group_ids(out)
    areas = out["area_code"].astype(str).to_numpy()
    gender = out["gender"].astype(str).map(_GENDER_CODE).fillna(0).to_numpy(dtype=np.int64)
    # Per distinct area, then spread to the rows: parents are looked up once per area.
    distinct, area_row = np.unique(areas, return_inverse=True)
    totals = np.array(sorted(set(parents.values())), dtype=object)
    codes = np.unique(np.concatenate([distinct, totals]))
    depth_of = _depths(distinct, parents)
    depth = np.array([depth_of[a] for a in distinct], dtype=np.int64)[area_row]
    area_id = np.searchsorted(codes, distinct)[area_row]
    up = np.array(
        [np.searchsorted(codes, parents[a]) if a in parents else -1 for a in distinct],
        dtype=np.int64,
    )[area_row]
    n_areas = len(codes)
    row_node = group.astype(np.int64) * n_areas + area_id
    # A sum's node: (indicator and period, the area summed over, gender).
    as_total = row_node * 3 + gender
    as_part = np.where(up >= 0, (group.astype(np.int64) * n_areas + up) * 3 + gender, -1)
    size = _sizes(out)
    start = hidden.copy()

    # Phase A: Riket and the regions (and areas outside the sums, which have only T = K + M).
    cells = (row_node, as_total, as_part, gender, size, areas)
    outer = depth <= 1
    _protect(hidden, shown, outer, outer, depth == 1, depth == 0, *cells)
    # Phase B: each region's kommuner; the regions' cells are as phase A left them.
    kommun = depth == 2
    _protect(hidden, shown, kommun, kommun, kommun, depth == 1, *cells)
    added: np.ndarray = hidden & ~start
    return added


def _protect(
    hidden: np.ndarray,
    shown: np.ndarray,
    rows: np.ndarray,
    changeable: np.ndarray,
    parts: np.ndarray,
    totals: np.ndarray,
    row_node: np.ndarray,
    as_total: np.ndarray,
    as_part: np.ndarray,
    gender: np.ndarray,
    size: np.ndarray,
    areas: np.ndarray,
) -> None:
    """Hide cells (in place) until no equation of this phase holds exactly one hidden cell:
    T = K + M of every area in `rows`, and each sum of `parts` whose total is in `totals`.
    Only `changeable` cells are hidden; a sum's own total comes last."""
    # The sums: every part and its total, as (node, cell) pairs.
    part_cells = np.flatnonzero(parts & (as_part >= 0))
    total_cells = np.flatnonzero(totals)
    sum_nodes = np.concatenate([as_part[part_cells], as_total[total_cells]])
    sum_cells = np.concatenate([part_cells, total_cells])
    is_total = np.concatenate(
        [np.zeros(len(part_cells), dtype=bool), np.ones(len(total_cells), dtype=bool)]
    )
    # Only sums that have parts are equations.
    has_parts = np.isin(sum_nodes, as_part[part_cells])
    sum_nodes, sum_cells, is_total = sum_nodes[has_parts], sum_cells[has_parts], is_total[has_parts]
    _, sum_node = np.unique(sum_nodes, return_inverse=True)
    # The sum each cell is a part (or the total) of in this phase, -1 for none.
    sum_of = np.full(len(hidden), -1)
    sum_of[sum_cells] = sum_node
    row_cells = np.flatnonzero(rows)
    _, row_of = np.unique(row_node[row_cells], return_inverse=True)
    code_rank = pd.factorize(pd.Series(areas), sort=True)[0]

    while True:
        picks: list[np.ndarray] = []
        # One zero more at the end, where the index -1 (no sum) lands.
        hidden_in_sum = np.append(
            np.bincount(sum_node, weights=hidden[sum_cells].astype(float)), 0.0
        )
        open_in_sum = np.append(
            np.bincount(sum_node, weights=(shown[sum_cells] & changeable[sum_cells]).astype(float)),
            0.0,
        )
        # T = K + M within an area.
        if len(row_cells):
            hidden_in_row = np.bincount(row_of, weights=hidden[row_cells].astype(float))
            shown_in_row = np.bincount(row_of, weights=shown[row_cells].astype(float))
            needy = (hidden_in_row == 1) & (shown_in_row >= 1)
            if needy.any():
                cand = needy[row_of] & shown[row_cells] & changeable[row_cells]
                cells = row_cells[cand]
                nodes = row_of[cand]
                g = gender[cells]
                # A cell whose sum already holds a hidden cell, or another cell that can be
                # hidden, leaves no sum with a single hidden cell that nothing can join.
                own = sum_of[cells]
                safe = (own < 0) | (hidden_in_sum[own] >= 1) | (open_in_sum[own] >= 2)
                # K hidden: M first, then T; M hidden: K, then T; T hidden: the smaller of K/M.
                preference = np.where(g == 0, 1, 0)
                keys = (code_rank[cells], g, size[cells], preference, ~safe)
                picks.append(cells[_first(nodes, keys)])
        # The sums over areas.
        if len(sum_cells):
            needy = hidden_in_sum == 1
            if needy.any():
                # An area that already has a hidden cell needs nothing more when hidden there.
                busy_rows = np.zeros(row_node.max() + 1, dtype=bool)
                busy_rows[row_node[hidden]] = True
                cand = needy[sum_node] & shown[sum_cells] & changeable[sum_cells]
                cells = sum_cells[cand]
                nodes = sum_node[cand]
                ranks = (
                    code_rank[cells],
                    size[cells],
                    ~busy_rows[row_node[cells]],
                    is_total[cand],
                )
                picks.append(cells[_first(nodes, ranks)])
        chosen = np.concatenate(picks) if picks else np.array([], dtype=np.int64)
        chosen = chosen[~hidden[chosen]] if len(chosen) else chosen
        if not len(chosen):
            return
        hidden[chosen] = True
        shown[chosen] = False


def _first(nodes: np.ndarray, keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """Index (into `nodes`) of the best candidate of each node: lowest keys, the last key
    first (np.lexsort's order)."""
    if not len(nodes):
        return np.array([], dtype=np.int64)
    order = np.lexsort((*keys, nodes))
    first = np.ones(len(order), dtype=bool)
    first[1:] = nodes[order][1:] != nodes[order][:-1]
    return order[first]
