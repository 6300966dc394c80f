"""A silenced type error says which error and why, on its own line: `make lint` runs mypy strictly
on indicators/, and an unexplained ignore would hide what the next reader needs to judge it."""

import io
import re
import tokenize

from indicators.paths import PROJECT_ROOT

CHECKED = ("indicators", "dashboard")
# `# type: ignore[code, …]` and then, on the same line, `# ` and a reason of a few words.
EXPLAINED = re.compile(r"#\s*type:\s*ignore\[[a-z0-9-]+(?:,\s*[a-z0-9-]+)*\]\s*#\s*\S.{8,}")
IGNORE = re.compile(r"#\s*type:\s*ignore\b")


def unexplained_ignores(source: str) -> list[int]:
    """Line numbers of `# type: ignore` comments without an error code and a reason. Comments
    only: the words inside a string are not a directive."""
    return [
        token.start[0]
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
        and IGNORE.search(token.string)
        and not EXPLAINED.search(token.string)
    ]


def test_the_check_tells_explained_from_unexplained_ignores():
    source = (
        "a = f(x)  # type: ignore\n"
        "b = f(x)  # type: ignore[arg-type]\n"
        "c = f(x)  # type: ignore[arg-type]  # why\n"
        "d = f(x)  # type: ignore[arg-type]  # the stub lacks the keyword-only form\n"
        "e = f(x)  # type: ignore[arg-type, union-attr]  # pandas-stubs types the row as Any\n"
        's = "# type: ignore"\n'
    )
    assert unexplained_ignores(source) == [1, 2, 3]


def test_every_type_ignore_in_indicators_and_dashboard_has_a_code_and_a_reason():
    found = {
        f"{path.relative_to(PROJECT_ROOT)}:{line}"
        for folder in CHECKED
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
        for line in unexplained_ignores(path.read_text(encoding="utf-8"))
    }
    assert sorted(found) == []
