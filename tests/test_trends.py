"""The one rule for "förbättrats / oförändrat / försämrats" (indicators.vocabulary.trends), and a
guard that no second judging function appears anywhere in the code."""

import ast
from pathlib import Path

import pytest

from indicators.vocabulary.domain import Direction, ValueKind
from indicators.vocabulary.trends import Certainty, Change, Reading, judge_change

H, L, N = Direction.HIGHER_BETTER, Direction.LOWER_BETTER, Direction.NEITHER
MEAN, RATE, CODED = ValueKind.MEAN, ValueKind.RATE, ValueKind.CODED
ROOT = Path(__file__).resolve().parents[1]


def r(value, numerator=None, denominator=None):
    return None if value is None else Reading(value, numerator, denominator)


@pytest.mark.parametrize(
    ("base", "latest", "direction", "decimals", "expected"),
    [
        (50.0, 55.0, H, 1, Change.IMPROVED),
        (50.0, 45.0, H, 1, Change.WORSENED),
        (50.0, 45.0, L, 1, Change.IMPROVED),
        (50.0, 55.0, L, 1, Change.WORSENED),
        (50.0, 55.0, N, 1, Change.CHANGED),
        (50.0, 50.04, H, 1, Change.UNCHANGED),  # same at one decimal
        (50.0, 50.06, H, 1, Change.IMPROVED),  # 50,0 → 50,1
        (14.6, 15.4, L, 0, Change.UNCHANGED),  # both shown as 15
        (0.42, 0.45, H, 2, Change.IMPROVED),
        (None, 50.0, H, 1, Change.NOT_COMPARABLE),
        (50.0, None, H, 1, Change.NOT_COMPARABLE),
    ],
)
def test_precision_and_direction(base, latest, direction, decimals, expected):
    judged = judge_change(r(base), r(latest), direction, MEAN, decimals)
    assert judged.change is expected
    if expected in (Change.IMPROVED, Change.WORSENED, Change.CHANGED):
        assert judged.certainty is Certainty.UNKNOWN  # no numerator and denominator


def test_a_change_within_the_wilson_intervals_is_unchanged():
    # 3 of 8 → 5 of 8 in a small kommun: 37,5 % → 62,5 %, but the intervals overlap widely.
    judged = judge_change(r(37.5, 3, 8), r(62.5, 5, 8), H, RATE, 1)
    assert judged.change is Change.UNCHANGED
    assert judged.certainty is Certainty.WITHIN
    assert judged.base_interval is not None and judged.latest_interval is not None


def test_a_change_beyond_the_wilson_intervals_is_judged_by_direction():
    judged = judge_change(r(40.0, 400, 1000), r(60.0, 600, 1000), H, RATE, 1)
    assert judged.change is Change.IMPROVED
    assert judged.certainty is Certainty.WILSON
    low, high = judged.latest_interval
    assert low < 60.0 < high  # in percent, the value's own scale


def test_coded_answers_compare_by_category_whatever_the_decimals():
    assert judge_change(r(1.0), r(2.0), H, CODED, 1).certainty is Certainty.CATEGORY
    assert judge_change(r(1.0), r(2.0), H, CODED, 1).change is Change.IMPROVED
    assert judge_change(r(2.0), r(2.0), H, CODED, 1).change is Change.UNCHANGED


def test_labels_are_swedish():
    assert [c.label for c in (Change.IMPROVED, Change.UNCHANGED, Change.WORSENED)] == [
        "förbättrats",
        "oförändrat",
        "försämrats",
    ]


# --- One rule, one place --------------------------------------------------------------------

JUDGES = {"IMPROVED", "WORSENED"}
# judge_change is called from exactly these functions: the table every page reads, Sedan förra
# mötet (the same rule against the period before instead of the baseline) and a handlingsplan's
# trend since its activity started (against the last period before the start).
ALLOWED_CALLERS = {
    ("indicators/reads/followup/baseline.py", "development"),
    ("indicators/reads/followup/since.py", "_movement"),
    ("indicators/reads/plans.py", "_aim"),
}


def _python_files():
    for folder in ("indicators", "dashboard"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def _enclosing_functions(tree: ast.AST) -> dict[ast.AST, str]:
    owner: dict[ast.AST, str] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            # ast.walk is breadth first: an inner function comes later and names its own nodes.
            for node in ast.walk(fn):
                owner[node] = fn.name
    return owner


def test_judge_change_is_called_only_by_the_one_table_and_sedan():
    callers = set()
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner = _enclosing_functions(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name == "judge_change":
                    callers.add((str(path.relative_to(ROOT)), owner.get(node, "<module>")))
    assert callers == ALLOWED_CALLERS


def test_no_second_judging_function_decides_better_or_worse():
    """Outside the rule, Change.IMPROVED and Change.WORSENED may be looked up (labels, colours,
    counts) but never produced: not returned, assigned, or chosen in a conditional."""
    found = []
    for path in _python_files():
        if path == ROOT / "indicators/vocabulary/trends.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            produced = []
            if isinstance(node, ast.Return | ast.Assign | ast.AnnAssign) and node.value:
                produced.append(node.value)
            if isinstance(node, ast.IfExp):
                produced += [node.body, node.orelse]
            for value in produced:
                if (
                    isinstance(value, ast.Attribute)
                    and value.attr in JUDGES
                    and getattr(value.value, "id", None) == "Change"
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
