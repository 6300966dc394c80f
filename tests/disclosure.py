"""An attacker for the suppression tests: which hidden cells do the published ones give away?

Counts add up: T = K + M within an area, a region is the sum of its kommuner and Riket the sum of
the regions (a kommun that did not report, status missing, adds nothing). Every such sum is a
linear equation over the cells; the attacker knows every shown cell (its numerator and
denominator, or for a count its value) and every missing one (zero), and solves for the rest. A
hidden cell is given away when its value is the same in every solution, i.e. when its unit
vector lies in the row space of the equations restricted to the unknown cells. Whether that holds
depends only on which cells are unknown, not on the values, so no values are needed here.

Cells the published rows do not hold at all (an area without a row for that period) are unknown
too: nobody published them; a sum none of whose parts has a row is left out, since free parts
make it say nothing. This is plain linear algebra on purpose, independent of the graph
argument indicators/reads/suppression.py makes."""

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

GENDERS = ("T", "K", "M")


def derivable(published: pd.DataFrame, parents: Mapping[str, str]) -> pd.DataFrame:
    """The hidden cells of `published` (indicator_id, area_code, period_start, gender, status;
    period_type when there are several) that the published rows determine exactly."""
    keys = [c for c in ("indicator_id", "period_type", "period_start") if c in published.columns]
    found = []
    for group, part in published.groupby(keys, sort=False):
        for area, gender in _determined(part, parents):
            found.append((*_tuple(group), area, gender))
    return pd.DataFrame(found, columns=[*keys, "area_code", "gender"])


def _tuple(group: object) -> tuple[object, ...]:
    return group if isinstance(group, tuple) else (group,)


def _determined(part: pd.DataFrame, parents: Mapping[str, str]) -> Iterable[tuple[str, str]]:
    status = {
        (str(a), str(g)): str(s)
        for a, g, s in zip(
            part["area_code"].astype(str).tolist(),
            part["gender"].astype(str).tolist(),
            part["status"].astype(str).tolist(),
            strict=True,
        )
    }
    hidden = [cell for cell, s in status.items() if s == "suppressed"]
    if not hidden:
        return []
    split = any(g != "T" for _, g in status)
    genders = GENDERS if split else ("T",)
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    published = {a for a, _ in status}
    # A sum none of whose parts has a row says nothing beyond its own T = K + M (every part is
    # free), so it is left out: that keeps region-level indicators small.
    children = {p: kids for p, kids in children.items() if published.intersection(kids)}
    areas = sorted(published | {a for kids in children.values() for a in kids} | set(children))

    def unknown(cell: tuple[str, str]) -> bool:
        # shown and missing cells are known; hidden and unpublished ones are not
        return status.get(cell) not in ("ok", "missing", "not_applicable")

    equations: list[list[tuple[str, str]]] = []
    signs: list[list[int]] = []
    if split:
        for area in areas:
            equations.append([(area, "T"), (area, "K"), (area, "M")])
            signs.append([1, -1, -1])
    for parent, kids in children.items():
        for g in genders:
            equations.append([(parent, g), *((k, g) for k in kids)])
            signs.append([1] + [-1] * len(kids))
    variables: dict[tuple[str, str], int] = {}
    rows: list[dict[int, int]] = []
    for cells, coefficients in zip(equations, signs, strict=True):
        row: dict[int, int] = {}
        for cell, c in zip(cells, coefficients, strict=True):
            if unknown(cell):
                row[variables.setdefault(cell, len(variables))] = c
        if row:
            rows.append(row)
    if not rows:
        return []
    matrix = np.zeros((len(rows), len(variables)))
    for i, row in enumerate(rows):
        for j, c in row.items():
            matrix[i, j] = c
    fixed = _fixed_unknowns(matrix)
    return [cell for cell in hidden if cell in variables and fixed[variables[cell]]]


def _fixed_unknowns(matrix: np.ndarray) -> np.ndarray:
    """For each unknown, whether the equations fix it: its unit vector lies in their row space.
    Reduced row echelon form by Gauss–Jordan elimination (the coefficients are small integers,
    so partial pivoting is exact enough; LAPACK's SVD is slower on this shared machine): the
    unknown is fixed when its column holds a pivot whose row has no other non-zero."""
    reduced = matrix.astype(float)
    rows, columns = reduced.shape
    pivot_row = np.full(columns, -1)
    r = 0
    for c in range(columns):
        if r == rows:
            break
        best = r + int(np.argmax(np.abs(reduced[r:, c])))
        if abs(reduced[best, c]) < 1e-9:
            continue
        reduced[[r, best]] = reduced[[best, r]]
        reduced[r] /= reduced[r, c]
        factors = reduced[:, c].copy()
        factors[r] = 0.0
        reduced -= np.outer(factors, reduced[r])
        pivot_row[c] = r
        r += 1
    nonzero = np.abs(reduced) > 1e-9
    alone = nonzero.sum(axis=1) == 1
    fixed = np.zeros(columns, dtype=bool)
    has = pivot_row >= 0
    fixed[has] = alone[pivot_row[has]]
    return fixed
