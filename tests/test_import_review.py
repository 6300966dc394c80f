"""What an import will change and what looks wrong in it, before anything is saved: every
changed value old → new, plausibility warnings with their reasons, values that disagree with
their täljare and nämnare, changes to published values that must be confirmed, and the
template whose example row never changes real data. On SQLite and PostgreSQL, each on its own
copy of the demo store (Jönköping's published 2023 share of N21497 is 67,1)."""

import hashlib
import math

import numpy as np
import pytest
from sqlalchemy import inspect, text

from indicators.catalogue.models import IndicatorDef
from indicators.imports.pipeline import CONFIRM_ALL, FileStatus, preview, save
from indicators.imports.plausibility import ratio_mismatch, revision_reason
from indicators.imports.records import Severity, UploadedFile
from indicators.imports.template import template_csv, template_xlsx
from indicators.reads.queries import indicator_series
from indicators.store.engine import engine_for
from indicators.store.store import Store
from indicators.vocabulary.domain import Gender, ValueKind

HEADER = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status\n"
JONKOPING_2023 = 67.1


def csv(*rows: str, name: str = "fil.csv") -> UploadedFile:
    return UploadedFile(name, (HEADER + "".join(f"{r}\n" for r in rows)).encode("utf-8"))


def value(store: Store, area: str, year: str) -> float | None:
    frame = indicator_series(store, "N21497", [area], Gender.TOTAL)
    row = frame[frame["period"] == year]
    number = None if row.empty else float(row["value"].iloc[0])
    return None if number is None or math.isnan(number) else number


def dump(store: Store) -> str:
    engine = engine_for(store.url)
    with engine.connect() as connection:
        tables = sorted(inspect(engine).get_table_names())
        content = "\n".join(
            f"{t}: {[tuple(r) for r in connection.execute(text(f'SELECT * FROM {t} ORDER BY 1'))]}"
            for t in tables
            if t != "warm_lease"
        )
    return hashlib.sha256(content.encode()).hexdigest()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_untouched_template_changes_nothing_and_says_so(demo_copy: Store, kind: str) -> None:
    content = template_csv() if kind == "csv" else template_xlsx()
    file = UploadedFile(f"mall.{kind}", content)
    before = dump(demo_copy)
    shown = preview(demo_copy, [file])
    found = shown.files[0]
    assert (found.rows_read, found.new, found.changed, found.changes) == (0, 0, 0, [])
    messages = " ".join(p.message for p in shown.problems)
    assert "exempelrad" in messages and "inget ändrades" in messages.casefold()
    saved = save(demo_copy, [file], user="test", confirmed=CONFIRM_ALL)
    assert saved.status is FileStatus.REJECTED
    assert dump(demo_copy) == before
    assert value(demo_copy, "0680", "2023") == JONKOPING_2023


def test_an_example_row_left_among_real_rows_is_skipped(demo_copy: Store) -> None:
    file = csv("N21497;0680;2023;T;87,5;35;40;exempel", "N21497;0604;2023;T;73;;;")
    result = save(demo_copy, [file], user="test")
    assert result.status is FileStatus.SAVED, [p.message for p in result.problems]
    assert value(demo_copy, "0680", "2023") == JONKOPING_2023
    assert value(demo_copy, "0604", "2023") == 73.0
    note = next(p for p in result.problems if p.row == 2)
    assert note.severity is Severity.WARNING and "läses aldrig in" in note.message


def test_every_changed_value_is_listed_old_to_new(demo_copy: Store) -> None:
    result = preview(
        demo_copy,
        [
            csv(
                "N21497;0604;2023;T;73;;;",
                "N21497;0680;2023;T;87,5;35;40;",
                "N21497;0680;2026;T;;;;..",
            )
        ],
    )
    assert result.ok
    file = result.files[0]
    assert (file.new, file.changed, file.changes_total) == (1, 2, 2)
    listed = {(c.area_name, c.period, c.gender_label): c for c in file.changes}
    jonkoping = listed[("Jönköping", "2023", "Totalt")]
    assert (jonkoping.old_value, jonkoping.new_value) == (JONKOPING_2023, 87.5)
    assert (jonkoping.old_text, jonkoping.new_text, jonkoping.row) == ("67,1", "87,5", 3)
    assert jonkoping.needs_confirmation
    aneby = listed[("Aneby", "2023", "Totalt")]
    assert (aneby.old_value, aneby.new_value, aneby.warnings) == (72.4, 73.0, ())
    assert not aneby.needs_confirmation
    # The change that must be confirmed leads the list.
    assert file.changes[0] is jonkoping
    assert result.to_json()["files"][0]["changes"][0]["old"] == "67,1"


def test_a_value_far_from_the_areas_history_is_warned_with_the_reason(demo_copy: Store) -> None:
    result = preview(demo_copy, [csv("N21497;0680;2026;T;97;;;", "N21497;0680;2027;T;66;;;")])
    assert result.ok
    warnings = {p.row: p.message for p in result.problems if p.severity is Severity.WARNING}
    assert set(warnings) == {2}
    assert "långt från områdets egen serie" in warnings[2]
    assert "robust z-poäng" in warnings[2] and "64,4–67,5" in warnings[2]
    (listed,) = result.files[0].changes  # the new value with a warning; the plain one is counted
    assert (listed.period, listed.old_text, listed.new_text) == ("2026", "fanns inte", "97")


def test_a_share_written_as_a_fraction_is_warned(demo_copy: Store) -> None:
    result = preview(demo_copy, [csv("N21497;0604;2026;T;0,746;;;")])
    assert result.ok  # a warning, not an error: some shares are below 1 %
    (warning,) = [p for p in result.problems if p.severity is Severity.WARNING]
    assert "bråk i stället för procent" in warning.message
    assert "74,6" in warning.message and warning.row == 2 and warning.value == "0,746"


@pytest.mark.parametrize(
    ("row", "wrong"),
    [
        ("N21497;0604;2026;T;50;10;40;", True),  # 10 / 40 is 25 %
        ("N21497;0604;2026;T;25;10;40;", False),
        ("N21497;0604;2026;T;87;35;40;", False),  # 87,5 rounded by the source
        ("N21497;0604;2026;T;87,6;35;40;", False),
        ("N21497;0604;2026;T;0,875;35;40;", True),  # a fraction with its counts
    ],
)
def test_a_value_must_agree_with_its_taljare_and_namnare(
    demo_copy: Store, row: str, wrong: bool
) -> None:
    result = preview(demo_copy, [csv(row)])
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert bool(errors) is wrong, [p.message for p in result.problems]
    if wrong:
        assert "täljare och nämnare" in errors[0].message
        assert errors[0].row == 2 and errors[0].column == "Värde"


def test_ratio_check_follows_the_kind() -> None:
    def wrong(rows: list[tuple[float, float, float, float, bool]]) -> list[bool]:
        columns = list(zip(*rows, strict=True))
        arrays = [np.array(c, dtype=float) for c in columns[:4]]
        mask, _ = ratio_mismatch(*arrays, np.array(columns[4], dtype=bool))
        return mask.tolist()

    nan = math.nan
    # (value, täljare, nämnare, scale, scale known)
    assert (
        wrong(
            [
                (25.0, 10.0, 40.0, 100.0, True),  # a share in percent
                (0.25, 10.0, 40.0, 1.0, True),  # a mean
                (12.3, 123.0, 10_000.0, 1000.0, True),  # per 1 000
                (123.0, 123.0, 100_000.0, 1.0, False),  # a ratio whose unit names no scale
                (12.0, nan, 40.0, 100.0, True),  # no täljare: nothing to compare
                (7.0, 5.0, 0.0, 100.0, True),  # nämnare 0 is an error of its own
            ]
        )
        == [False] * 6
    )
    # 10 / 40 is 25 %, not 50; and 2,5 is 10 / 40 at no scale a ratio is published at.
    assert wrong([(50.0, 10.0, 40.0, 100.0, True), (2.5, 10.0, 40.0, 1.0, False)]) == [True, True]


def test_a_change_to_a_published_value_is_saved_only_when_confirmed(demo_copy: Store) -> None:
    file = csv("N21497;0680;2023;T;87,5;35;40;")
    before = dump(demo_copy)
    shown = preview(demo_copy, [file])
    assert shown.ok and shown.needs_confirmation == 1 and shown.confirmation
    warning = next(p for p in shown.problems if "Publicerat värde" in p.message)
    assert "5 procentenheter" in warning.message and "67,1 → 87,5" in warning.message

    refused = save(demo_copy, [file], user="test")
    assert refused.status is FileStatus.REJECTED and refused.files[0].unconfirmed
    assert "måste bekräftas" in refused.problems[-1].message
    forged = save(demo_copy, [file], user="test", confirmed="0" * 64)
    assert forged.status is FileStatus.REJECTED
    assert dump(demo_copy) == before

    saved = save(demo_copy, [file], user="test", confirmed=shown.confirmation)
    assert saved.status is FileStatus.SAVED
    assert value(demo_copy, "0680", "2023") == 87.5


def test_the_cli_flag_confirms_every_change(demo_copy: Store) -> None:
    saved = save(demo_copy, [csv("N21497;0680;2023;T;;;;..")], user="test", confirmed=CONFIRM_ALL)
    assert saved.status is FileStatus.SAVED
    assert value(demo_copy, "0680", "2023") is None


def test_a_small_revision_or_a_filled_gap_needs_no_confirmation(demo_copy: Store) -> None:
    result = save(demo_copy, [csv("N21497;0680;2023;T;69;;;")], user="test")
    assert result.status is FileStatus.SAVED, [p.message for p in result.problems]
    assert value(demo_copy, "0680", "2023") == 69.0


def test_a_confirmation_covers_only_the_changes_it_was_given_for(demo_copy: Store) -> None:
    file = csv("N21497;0680;2023;T;87,5;35;40;")
    shown = preview(demo_copy, [file])
    # Another import lands between the preview and the save: the published value is now 60.
    other = save(demo_copy, [csv("N21497;0680;2023;T;60;;;")], user="b", confirmed=CONFIRM_ALL)
    assert other.status is FileStatus.SAVED
    before = dump(demo_copy)
    late = save(demo_copy, [file], user="test", confirmed=shown.confirmation)
    assert late.status is FileStatus.REJECTED
    assert "inte längre de som bekräftades" in late.problems[-1].message
    assert dump(demo_copy) == before
    assert value(demo_copy, "0680", "2023") == 60.0


def test_revision_limits_by_kind_and_catalogue() -> None:
    ok = "ok"
    assert revision_reason(ValueKind.RATE, 67.1, ok, 71.0, ok, limit=None, unit="%") is None
    assert "procentenheter" in revision_reason(
        ValueKind.RATE, 67.1, ok, 87.5, ok, limit=None, unit="%"
    )
    assert revision_reason(ValueKind.MEAN, 20.0, ok, 21.9, ok, limit=None, unit="dagar") is None
    assert "10 %" in revision_reason(ValueKind.MEAN, 20.0, ok, 23.0, ok, limit=None, unit="dagar")
    assert revision_reason(ValueKind.CODED, 1.0, ok, 0.0, ok, limit=None, unit="kod")
    assert "tas bort" in revision_reason(
        ValueKind.RATE, 67.1, ok, math.nan, "suppressed", limit=None, unit="%"
    )
    # A gap filled in is no change to a published value.
    assert (
        revision_reason(ValueKind.RATE, math.nan, "missing", 50, ok, limit=None, unit="%") is None
    )
    # The catalogue's own limit, in the indicator's unit, replaces the default.
    assert revision_reason(ValueKind.RATE, 67.1, ok, 69.1, ok, limit=1.0, unit="%")
    assert revision_reason(ValueKind.RATE, 67.1, ok, 87.5, ok, limit=25.0, unit="%") is None
    field = IndicatorDef.model_fields["revision_limit"]
    assert field.default is None
