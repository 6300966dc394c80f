"""Validation, saving, undo and history of imports, against a real SQLite file and a real
PostgreSQL database.

Every test works on its own copy of a prepared store (catalogue, areas and a small Exempeldata
batch for the county), never on the session's demo store. Saves here confirm every change to a
published value (CONFIRM_ALL): the confirmation itself is tested in test_import_review.py."""

import hashlib
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError
from summary_stores import prepare_county

from indicators.catalogue.kolada import KoladaCatalogue, KoladaKpi, kolada_catalogue
from indicators.imports.history import (
    batch_detail,
    import_batches,
    imported_since,
    value_history,
)
from indicators.imports.pipeline import (
    CONFIRM_ALL,
    FileStatus,
    preview,
    preview_parsed,
    save,
    save_parsed,
    undo_batch,
)
from indicators.imports.records import RECORD_COLUMNS, ParsedFile, Severity, UploadedFile
from indicators.imports.save import load_catalogue_view, write_file
from indicators.imports.validate import CatalogueView, kolada_indicator, shown, validate
from indicators.reads.audit import audit_events
from indicators.settings import Settings
from indicators.store import models as m
from indicators.store.engine import engine_for, session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    AreaLevel,
    ValueKind,
)
from indicators.writes.bootstrap import prepare_store

USER = "Anna Analytiker"
RATE = "N21497"  # andel (%), by gender, kommun level
INDEX_0_1 = "RJL-KONTINUITETSINDEX-PV"
CODED = "U21343"  # Breddinfört=2, Testverksamhet=1, Nej=0
MEAN = "U23401"
NOT_BY_GENDER = "N21605"


@pytest.fixture
def store(stores) -> Store:
    """A fresh copy of the prepared store, on SQLite and on PostgreSQL."""
    return Store(stores.from_template("import-save", prepare_county))


def _rows(store: Store, table: str) -> list[tuple]:
    with engine_for(store.url).connect() as connection:
        return [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]


def dump(store: Store) -> str:
    """A digest of every table's content, as a reader sees it."""
    tables = sorted(inspect(engine_for(store.url)).get_table_names())
    text_ = "\n".join(f"{t}: {_rows(store, t)!r}" for t in tables)
    return hashlib.sha256(text_.encode()).hexdigest()


def observations(store: Store) -> list[tuple]:
    return _rows(store, "observation")


def record(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "indicator_id": RATE,
        "area_code": "0680",
        "period_type": "year",
        "period_start": date(2023, 1, 1),
        "gender": "T",
        "value": 50.0,
        "numerator": float("nan"),
        "denominator": float("nan"),
        "status": "ok",
        "status_reason": "",
        "sheet": None,
        "row": 2,
        "value_column": "Värde",
    }
    row.update(changes)
    return row


def parsed(rows: list[dict[str, object]], name: str = "fil.csv") -> tuple[UploadedFile, ParsedFile]:
    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    content = repr(rows).encode()
    columns = {"indicator_id": "Indikator", "area_code": "Område", "period": "Period"}
    return (
        UploadedFile(name, content),
        ParsedFile(name, "mall", frame, rows_read=len(rows), columns=columns),
    )


TEMPLATE_HEADER = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status"


def template(*lines: str, name: str = "mall.csv") -> UploadedFile:
    text = "\r\n".join([TEMPLATE_HEADER, *lines]) + "\r\n"
    return UploadedFile(name, "\ufeff".encode() + text.encode("utf-8"))


# --- saving ------------------------------------------------------------------------------------


def test_same_file_twice_gives_no_changes_and_no_batch(store: Store) -> None:
    file = template(
        f"{RATE};0680;2023;T;87,5;35;40;",
        f"{RATE};0604;2023;K;;;;..",
        f"{RATE};0617;2022;M;12;6;50;",
    )
    first = save(store, [file], user=USER, confirmed=CONFIRM_ALL)
    assert first.status is FileStatus.SAVED, first.problems
    assert first.files[0].changed + first.files[0].new == 3
    batch = batch_detail(store, first.files[0].batch_id)
    assert batch is not None
    assert batch.total_changes == 3
    assert batch.batch.source_name == "mall.csv"
    assert batch.batch.sha256 == hashlib.sha256(file.content).hexdigest()
    assert batch.batch.imported_by == USER
    before, batches, events = observations(store), import_batches(store), audit_events(store)
    second = save(store, [file], user=USER, confirmed=CONFIRM_ALL)
    # Reported, but nothing was written: no batch in the history, no audit entry.
    assert second.status is FileStatus.UNCHANGED and second.ok
    assert second.files[0].status is FileStatus.UNCHANGED
    assert (second.files[0].new, second.files[0].changed, second.files[0].unchanged) == (0, 0, 3)
    assert second.files[0].batch_id is None
    assert observations(store) == before
    assert import_batches(store) == batches
    assert audit_events(store) == events


def test_changed_value_keeps_its_revisions(store: Store) -> None:
    key = (RATE, "0680", "year", date(2023, 1, 1), "T")
    one = save_parsed(
        store, [parsed([record(value=40.0)], "ett.csv")], user="Första", confirmed=CONFIRM_ALL
    )
    two = save_parsed(
        store, [parsed([record(value=42.5)], "två.csv")], user="Andra", confirmed=CONFIRM_ALL
    )
    assert (two.files[0].new, two.files[0].changed) == (0, 1)
    history = value_history(store, *key)
    assert [c.batch.source_name for c in history[:2]] == ["två.csv", "ett.csv"]
    assert history[0].before is not None and history[0].before.value == 40.0
    assert history[0].after is not None and history[0].after.value == 42.5
    assert history[0].batch.imported_by == "Andra"
    assert history[1].after is not None and history[1].after.value == 40.0
    # The first import replaced the Exempeldata value, which therefore is its "before".
    assert history[1].before is not None
    with session_scope(store.url) as s:
        stored = s.scalars(select(m.Observation).where(m.Observation.area_code == "0680")).all()
        row = next(
            o
            for o in stored
            if o.indicator_id == RATE and o.gender == "T" and o.period_start == date(2023, 1, 1)
        )
        assert row.value == 42.5
        assert row.batch_id == two.files[0].batch_id
    assert one.files[0].batch_id != two.files[0].batch_id


def test_tiny_float_differences_are_unchanged(store: Store) -> None:
    save_parsed(store, [parsed([record(value=0.1 + 0.2)])], user=USER, confirmed=CONFIRM_ALL)
    again = save_parsed(store, [parsed([record(value=0.3)])], user=USER, confirmed=CONFIRM_ALL)
    assert again.files[0].unchanged == 1


def test_undo_restores_exactly(store: Store) -> None:
    before = observations(store)
    result = save_parsed(
        store,
        [
            parsed(
                [
                    record(value=11.0),  # changes a demo value
                    record(area_code="0604", period_start=date(2024, 1, 1), row=3),  # new
                    record(
                        area_code="0617",
                        value=float("nan"),
                        status="suppressed",
                        status_reason="..: sekretess",
                        row=4,
                    ),
                ]
            )
        ],
        user=USER,
        confirmed=CONFIRM_ALL,
    )
    assert result.status is FileStatus.SAVED
    assert observations(store) != before
    undone = undo_batch(store, result.files[0].batch_id, user="Bertil")
    assert undone.undone, undone.message
    assert (undone.restored, undone.removed) == (2, 1)
    assert observations(store) == before
    batch = import_batches(store)[0]
    assert batch.undone and batch.undone_by == "Bertil"
    assert batch.state_label == "ångrad"


def test_undo_refused_when_a_later_batch_wrote_the_same_values(store: Store) -> None:
    first = save_parsed(
        store, [parsed([record(value=1.0)], "första.csv")], user=USER, confirmed=CONFIRM_ALL
    )
    second = save_parsed(
        store, [parsed([record(value=2.0)], "andra.csv")], user=USER, confirmed=CONFIRM_ALL
    )
    state = dump(store)
    refused = undo_batch(store, first.files[0].batch_id, user=USER)
    assert not refused.undone
    assert refused.blocking_batch_id == second.files[0].batch_id
    assert f"import {second.files[0].batch_id} (andra.csv" in refused.message
    assert "kan inte ångras" in refused.message
    assert dump(store) == state
    detail = batch_detail(store, first.files[0].batch_id)
    assert detail is not None and not detail.can_undo
    # Undoing the later one first makes the earlier one undoable.
    assert undo_batch(store, second.files[0].batch_id, user=USER).undone
    assert undo_batch(store, first.files[0].batch_id, user=USER).undone


def test_undo_refused_for_demo_data_unknown_and_undone_batches(store: Store) -> None:
    demo = next(b for b in import_batches(store) if b.is_demo)
    state = dump(store)
    refused = undo_batch(store, demo.id, user=USER)
    assert not refused.undone and "Exempeldata" in refused.message
    missing = undo_batch(store, 999, user=USER)
    assert not missing.undone and "ingen import med nummer 999" in missing.message
    assert dump(store) == state
    saved = save_parsed(store, [parsed([record(value=3.0)])], user=USER, confirmed=CONFIRM_ALL)
    batch_id = saved.files[0].batch_id
    assert undo_batch(store, batch_id, user=USER).undone
    state = dump(store)
    again = undo_batch(store, batch_id, user=USER)
    assert not again.undone and "redan" in again.message
    assert dump(store) == state


def test_a_failing_file_among_several_saves_nothing(store: Store) -> None:
    state = dump(store)
    good = parsed([record(value=10.0)], "bra.csv")
    bad = parsed([record(area_code="9999")], "dålig.csv")
    result = save_parsed(store, [good, bad], user=USER, confirmed=CONFIRM_ALL)
    assert result.status is FileStatus.REJECTED
    assert [f.status for f in result.files] == [FileStatus.HELD, FileStatus.REJECTED]
    assert all(f.batch_id is None for f in result.files)
    assert dump(store) == state


def test_a_database_failure_rolls_the_whole_file_back(store: Store) -> None:
    """A row that passed validation but breaks a constraint (here an area unknown to the store,
    slipped past validation) takes the whole file with it, batch row included."""
    rows = [
        record(value=float(v), area_code=code, row=i + 2)
        for i, (v, code) in enumerate([(1, "0680"), (2, "0604"), (3, "9999")])
    ]
    _upload, file = parsed(rows)
    with session_scope(store.url) as s:
        view = load_catalogue_view(s)
    permissive = CatalogueView(indicators=view.indicators, area_codes=view.area_codes | {"9999"})
    validated = validate(file, permissive)
    assert not validated.has_errors
    state = dump(store)
    with pytest.raises(IntegrityError), session_scope(store.url) as s:
        write_file(s, validated, sha256="0" * 64, user=USER)
    assert dump(store) == state


def test_several_good_files_are_several_batches(store: Store) -> None:
    result = save_parsed(
        store,
        [parsed([record(value=5.0)], "a.csv"), parsed([record(area_code="0604")], "b.csv")],
        user=USER,
        confirmed=CONFIRM_ALL,
    )
    assert result.status is FileStatus.SAVED
    ids = [f.batch_id for f in result.files]
    assert len(set(ids)) == 2 and None not in ids
    since = imported_since(store, datetime.now(UTC) - timedelta(minutes=5))
    assert {b.source_name for b in since} == {"a.csv", "b.csv"}
    assert imported_since(store, datetime.now(UTC) + timedelta(minutes=5)) == []


def test_preview_writes_nothing(store: Store) -> None:
    state = dump(store)
    result = preview_parsed(
        store,
        [parsed([record(value=77.0), record(indicator_id="N00003", value=5.0, row=3)])],
        add_kolada_indicators=True,
    )
    assert result.status is FileStatus.READY and result.dry_run
    assert result.files[0].changed == 1 and result.files[0].new == 1
    assert dump(store) == state
    template_preview = preview(store, [template(f"{RATE};0680;2023;T;77;;;")])
    assert template_preview.status is FileStatus.READY
    assert dump(store) == state


def test_history_lists_batches_newest_first_with_details(store: Store) -> None:
    result = save_parsed(
        store,
        [parsed([record(value=33.0)], "<img src=x onerror=alert(1)>.csv")],
        user=USER,
        confirmed=CONFIRM_ALL,
    )
    batches = import_batches(store)
    assert batches[0].id == result.files[0].batch_id
    assert batches[0].source_name == "<img src=x onerror=alert(1)>.csv"  # kept as text
    assert batches[-1].is_demo and batches[-1].state_label == "Exempeldata"
    detail = batch_detail(store, batches[0].id)
    assert detail is not None and detail.can_undo
    change = detail.changes.iloc[0]
    assert change["area_name"] == "Jönköping"
    assert change["period"] == "2023"
    assert change["current_value"] == 33.0
    assert change["previous_status"] == "ok"
    assert batch_detail(store, 12345) is None


# --- the bad-input suite (validation level) ---------------------------------------------------


BAD_INPUT = [
    pytest.param(
        [record(area_code="9999")],
        "Okänt område",
        Severity.ERROR,
        "Område",
        "9999",
        id="unknown-kommun-9999",
    ),
    pytest.param(
        [record(value=-1.0)],
        "mellan 0 och 100",
        Severity.ERROR,
        "Värde",
        "−1",
        id="negative-percent",
    ),
    pytest.param(
        [record(value=100.5)],
        "mellan 0 och 100",
        Severity.ERROR,
        "Värde",
        "100,5",
        id="percent-above-100",
    ),
    pytest.param(
        [record(period_start=date(2031, 1, 1))],
        "utanför 2000–",
        Severity.ERROR,
        "Period",
        "2031",
        id="year-2031",
    ),
    pytest.param(
        [record(period_start=date(1899, 1, 1))],
        "utanför 2000–",
        Severity.ERROR,
        "Period",
        "1899",
        id="year-1899",
    ),
    pytest.param(
        [record(value=12.0, row=2), record(value=13.0, row=3)],
        "olika värden: rad 2, kolumn Värde, rad 3",
        Severity.ERROR,
        "Värde",
        "12",
        id="conflicting-duplicates",
    ),
    pytest.param(
        [record(indicator_id="XYZ123")],
        "Okänd indikator",
        Severity.ERROR,
        "Indikator",
        "XYZ123",
        id="unknown-indicator",
    ),
    pytest.param(
        [record(indicator_id="N00003")],
        "kan läggas till",
        Severity.ERROR,
        "Indikator",
        "N00003",
        id="kolada-id-without-confirmation",
    ),
    pytest.param(
        [record(value=3.0, status="suppressed", status_reason="..")],
        "statusen är sekretess",
        Severity.ERROR,
        "Värde",
        "3",
        id="value-with-suppressed",
    ),
    pytest.param(
        [record(period_type="quarter", period_start=date(2023, 4, 1))],
        "redovisas per år",
        Severity.ERROR,
        "Period",
        "2023Q2",
        id="quarter-for-yearly",
    ),
    pytest.param(
        [record(indicator_id=CODED, value=3.0)],
        "koder: 0, 1, 2",
        Severity.ERROR,
        "Värde",
        "3",
        id="coded-value-not-a-code",
    ),
    pytest.param(
        [record(indicator_id=INDEX_0_1, value=1.5)],
        "mellan 0 och 1 ",
        Severity.ERROR,
        "Värde",
        "1,5",
        id="index-above-1",
    ),
    pytest.param(
        [record(indicator_id=MEAN, value=-2.0)],
        "kan inte vara negativa",
        Severity.ERROR,
        "Värde",
        "−2",
        id="negative-mean",
    ),
    pytest.param(
        [record(numerator=-1.0, denominator=10.0)],
        "kan inte vara negativa",
        Severity.ERROR,
        "Täljare",
        "−1",
        id="negative-numerator",
    ),
    pytest.param(
        [record(indicator_id="X" * 10_000)],
        "Okänd indikator",
        Severity.ERROR,
        "Indikator",
        "X" * 59 + "…",
        id="10000-character-id",
    ),
]


@pytest.mark.parametrize(("rows", "message", "severity", "column", "value"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message(
    store: Store,
    rows: list[dict[str, object]],
    message: str,
    severity: Severity,
    column: str,
    value: str,
) -> None:
    state = dump(store)
    result = save_parsed(store, [parsed(rows)], user=USER, confirmed=CONFIRM_ALL)
    assert result.status is FileStatus.REJECTED
    matching = [p for p in result.problems if message in p.message]
    assert matching, [p.message for p in result.problems]
    problem = matching[0]
    assert (problem.severity, problem.column, problem.value) == (severity, column, value)
    assert problem.file == "fil.csv" and problem.row == rows[0]["row"]
    assert result.files[0].rejected >= 1
    assert dump(store) == state


WARNINGS = [
    pytest.param(
        [record(value=50.0, row=2), record(value=50.0, row=3)],
        "Dubblett av rad 2",
        "Värde",
        1,
        id="identical-duplicates",
    ),
    pytest.param(
        [record(value=25.0, numerator=1.0, denominator=4.0)],
        "Litet antal",
        "Täljare",
        1,
        id="count-1-to-4",
    ),
    pytest.param(
        [record(indicator_id="N01951", value=3.0)],
        "Litet antal",
        "Värde",
        1,
        id="count-value-1-to-4",
    ),
    pytest.param(
        [record(indicator_id=NOT_BY_GENDER, gender="K")],
        "inte per kön",
        "Kön",
        1,
        id="gender-for-indicator-without-split",
    ),
]


@pytest.mark.parametrize(("rows", "message", "column", "written"), WARNINGS)
def test_warnings_inform_and_the_file_is_saved(
    store: Store, rows: list[dict[str, object]], message: str, column: str, written: int
) -> None:
    result = save_parsed(store, [parsed(rows)], user=USER, confirmed=CONFIRM_ALL)
    assert result.status is FileStatus.SAVED
    problems = [p for p in result.problems if message in p.message]
    assert problems and problems[0].severity is Severity.WARNING
    assert problems[0].column == column
    assert result.files[0].new + result.files[0].changed == written
    assert result.files[0].rejected == 0
    # A repeated value changes nothing: it counts as unchanged, so the counts add up.
    assert result.files[0].unchanged == len(rows) - written
    assert result.files[0].rows_read == len(rows)


def test_index_on_a_0_to_100_scale_is_accepted(store: Store) -> None:
    result = preview_parsed(store, [parsed([record(indicator_id="U61901", value=85.0)])])
    assert result.status is FileStatus.READY, result.problems


# --- Kolada indicators ---------------------------------------------------------------------------


def test_kolada_indicator_added_only_with_confirmation_and_survives_sync(store: Store) -> None:
    rows = [record(indicator_id="N00003", value=41_234.0)]
    refused = save_parsed(store, [parsed(rows)], user=USER, confirmed=CONFIRM_ALL)
    assert refused.status is FileStatus.REJECTED
    assert refused.files[0].unknown_kolada_ids == ["N00003"]
    saved = save_parsed(
        store, [parsed(rows)], user=USER, confirmed=CONFIRM_ALL, add_kolada_indicators=True
    )
    assert saved.status is FileStatus.SAVED, saved.problems
    assert saved.files[0].added_indicators == ["N00003"]
    prepare_store(Settings(database_url=store.url, seed_demo=False))
    with session_scope(store.url) as s:
        indicator = s.get(m.Indicator, "N00003")
        assert indicator is not None
        assert indicator.origin == "kolada"
        assert indicator.source == "Kolada"
        assert indicator.unit == "kr/inv"
        assert indicator.title == kolada_catalogue().get("N00003").title
        assert (
            s.scalar(select(m.Observation.value).where(m.Observation.indicator_id == "N00003"))
            == 41_234.0
        )


@pytest.mark.parametrize(
    ("kpi_id", "kind", "codes"),
    [
        ("U07353", ValueKind.CODED, {1, 0}),
        ("U21343", ValueKind.CODED, {2, 1, 0}),
        ("N21497", ValueKind.RATE, set()),
        ("N00003", ValueKind.RATIO, set()),
        ("U61901", ValueKind.INDEX, set()),
        ("U21401", ValueKind.MEAN, set()),
    ],
)
def test_kolada_value_kind_is_guessed_from_the_title(
    kpi_id: str, kind: ValueKind, codes: set[int]
) -> None:
    new = kolada_indicator(kolada_catalogue().get(kpi_id))
    assert new.value_kind is kind
    assert {c for c, _ in new.codes} == codes
    assert "(- 2024)" not in new.short_title


def test_an_html_title_from_kolada_is_stored_and_reported_as_text(store: Store) -> None:
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script> Andel, andel (%)'
    kpi = KoladaKpi(
        id="U99999",
        title=payload,
        description="<b>beskrivning</b>",
        by_gender=False,
        area_level=AreaLevel.KOMMUN,
        operating_area="",
        publication_period="2024",
    )
    _upload, file = parsed([record(indicator_id="U99999", value=12.0)])
    with session_scope(store.url) as s:
        view = load_catalogue_view(s)
    view = CatalogueView(
        indicators=view.indicators, area_codes=view.area_codes, kolada=KoladaCatalogue([kpi])
    )
    validated = validate(file, view, add_kolada_indicators=True)
    assert not validated.has_errors
    note = next(p for p in validated.problems if p.value == "U99999")
    assert "<script>" in note.message  # plain text: escaping is the page's business
    with session_scope(store.url) as s:
        write_file(s, validated, sha256="0" * 64, user=USER)
    with session_scope(store.url) as s:
        stored = s.get(m.Indicator, "U99999")
        assert stored is not None and stored.title == payload
        assert stored.value_kind == ValueKind.RATE


def test_shown_values_are_short_single_line_text() -> None:
    assert shown("a\nb\tc") == "a b c"
    assert len(shown("x" * 500)) == 60
    assert shown(float("nan")) == ""
    assert shown(12.5) == "12,5"


def test_batch_name_is_the_plain_file_name(store: Store) -> None:
    upload, file = parsed([record(value=9.0)], "C:\\fakepath\\rapport\u0007.csv")
    result = save_parsed(store, [(upload, file)], user=USER, confirmed=CONFIRM_ALL)
    assert import_batches(store)[0].id == result.files[0].batch_id
    assert import_batches(store)[0].source_name == "rapport.csv"


def test_problems_are_listed_by_row_and_capped(store: Store) -> None:
    rows = [
        record(area_code="9999", row=n, period_start=date(2001 + n % 20, 1, 1))
        for n in range(1200, 0, -1)
    ]
    result = preview_parsed(store, [parsed(rows)])
    listed = [p for p in result.problems if p.row is not None]
    assert [p.row for p in listed] == sorted(p.row for p in listed)
    assert len([p for p in listed if "Okänt område" in p.message]) == 1000
    assert any("200 värden till" in p.message for p in result.problems[-2:])
    assert result.files[0].rejected == 1200
