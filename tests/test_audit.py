"""The audit log: every kind of change leaves exactly one entry saying who, what, before and
after, in the change's own transaction (a refused or failed change leaves none), and the log
reads back filtered and downloads as CSV and Excel. On SQLite and on PostgreSQL."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from indicators.imports.pipeline import FileStatus, save, undo_batch
from indicators.imports.records import UploadedFile
from indicators.reads import audit
from indicators.reads.audit import AuditEntry, audit_actors, audit_count, audit_events, audit_table
from indicators.settings import Settings
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.store.version import data_version
from indicators.vocabulary.domain import AuditAction, Role
from indicators.writes.accounts import add_user, set_active, set_password, set_role
from indicators.writes.analyses import AnalysisError, add_analysis, delete_analysis
from indicators.writes.bootstrap import prepare_store
from indicators.writes.catalogue_sync import (
    CATALOGUE_ACTOR,
    read_kolada_areas,
    sync_areas,
    sync_catalogue,
)
from indicators.writes.targets import TargetError, delete_target, set_target

RATE = "N21497"  # andel (%), by gender, kommun level
HEADER = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status"


def template(*lines: str, name: str = "mall.csv") -> UploadedFile:
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    return UploadedFile(name, "\ufeff".encode() + text.encode("utf-8"))


@pytest.fixture
def store(prepared_store_url: str) -> Store:
    """Migrated, catalogue and areas, no values: each test its own, on each backend."""
    return Store(prepared_store_url)


def new_entries(store: Store, since: int) -> list[AuditEntry]:
    """Entries written after the entry numbered `since`, oldest first."""
    return sorted((e for e in audit_events(store) if e.id > since), key=lambda e: e.id)


def last_id(store: Store) -> int:
    latest = audit_events(store, limit=1)
    return latest[0].id if latest else 0


# --- imports and undo ------------------------------------------------------------------------


def test_a_saved_import_is_one_entry_with_file_and_counts(store: Store) -> None:
    mark, version = last_id(store), data_version(store.url)
    file = template(f"{RATE};0680;2023;T;87,5;35;40;", f"{RATE};0604;2023;K;12;;;")
    result = save(store, [file], user="Anna Analytiker")
    assert result.status is FileStatus.SAVED, result.problems
    batch = result.files[0].batch_id
    [entry] = new_entries(store, mark)
    assert entry.action is AuditAction.IMPORT
    assert entry.actor == "Anna Analytiker"
    assert entry.subject == f"import {batch}: mall.csv"
    assert entry.before is None
    assert entry.after == {
        "import": batch,
        "fil": "mall.csv",
        "sha256": result.files[0].sha256,
        "format": "mall",
        "nya": 2,
        "ändrade": 0,
        "oförändrade": 0,
        "avvisade": 0,
        "indikatorer": [RATE],
    }
    assert datetime.now(UTC) - entry.occurred_at < timedelta(minutes=5)
    assert data_version(store.url) > version


def test_the_same_file_again_changed_nothing_and_leaves_no_entry(store: Store) -> None:
    """The log holds changes; an import whose values are all stored already adds no batch, so
    it has no entry either, and the data version (every worker's caches) stays."""
    file = template(f"{RATE};0680;2023;T;87,5;35;40;")
    save(store, [file], user="Anna")
    mark, version = last_id(store), data_version(store.url)
    again = save(store, [file], user="Bo")
    assert again.status is FileStatus.UNCHANGED
    assert new_entries(store, mark) == []
    assert data_version(store.url) == version


def test_a_rejected_import_leaves_no_entry(store: Store) -> None:
    mark, version = last_id(store), data_version(store.url)
    good = template(f"{RATE};0680;2023;T;50;;;", name="bra.csv")
    bad = template(f"{RATE};9999;2023;T;50;;;", name="fel.csv")
    result = save(store, [good, bad], user="Anna")
    assert result.status is FileStatus.REJECTED
    assert new_entries(store, mark) == []
    assert data_version(store.url) == version


def test_kolada_indicators_created_by_an_import_are_logged_each(store: Store) -> None:
    mark = last_id(store)
    file = template("N00003;0680;2023;T;41234;;;")
    result = save(store, [file], user="Anna", add_kolada_indicators=True)
    assert result.status is FileStatus.SAVED, result.problems
    added, imported = new_entries(store, mark)
    assert added.action is AuditAction.INDICATOR_ADDED and added.actor == "Anna"
    assert added.subject.startswith("indikator N00003: ")
    assert added.after["id"] == "N00003"
    assert {"titel", "typ", "riktning"} <= set(added.after)
    assert imported.action is AuditAction.IMPORT
    assert imported.after["indikatorer"] == ["N00003"]


def test_undo_is_logged_with_the_batch_before_and_what_was_restored(store: Store) -> None:
    saved = save(
        store, [template(f"{RATE};0680;2023;T;50;;;", f"{RATE};0604;2023;T;60;;;")], user="A"
    )
    batch = saved.files[0].batch_id
    mark = last_id(store)
    assert undo_batch(store, batch, user="Admin Adminsson").undone
    [entry] = new_entries(store, mark)
    assert entry.action is AuditAction.UNDO and entry.actor == "Admin Adminsson"
    assert entry.subject == f"import {batch}: mall.csv"
    assert entry.before == {
        "läge": "sparad",
        "nya": 2,
        "ändrade": 0,
        "oförändrade": 0,
        "avvisade": 0,
    }
    assert entry.after == {
        "läge": "ångrad",
        "återställda": 0,
        "borttagna": 2,
        "ångrad av": "Admin Adminsson",
    }
    # Refused: already undone, and a batch that does not exist.
    mark = last_id(store)
    assert not undo_batch(store, batch, user="Admin").undone
    assert not undo_batch(store, 999_999, user="Admin").undone
    assert new_entries(store, mark) == []


# --- targets and analyses --------------------------------------------------------------------


def test_a_target_set_changed_and_removed_is_three_entries(store: Store) -> None:
    mark = last_id(store)
    set_target(store, RATE, "0680", 2030, "90", "ReKo", "Anna")
    set_target(store, RATE, "0680", 2030, "92,5", "höjt", "Bo")
    assert delete_target(store, RATE, "0680", 2030, actor="Cia") is True
    assert delete_target(store, RATE, "0680", 2030, actor="Cia") is False  # nothing to remove
    first, changed, removed = new_entries(store, mark)
    assert [e.action for e in (first, changed, removed)] == [
        AuditAction.TARGET_SET,
        AuditAction.TARGET_SET,
        AuditAction.TARGET_REMOVED,
    ]
    assert [e.actor for e in (first, changed, removed)] == ["Anna", "Bo", "Cia"]
    assert first.subject == f"målvärde {RATE}, Jönköping, 2030"
    assert first.before is None
    assert (first.after["värde"], first.after["kommentar"]) == (90.0, "ReKo")
    assert (changed.before["värde"], changed.before["satt av"]) == (90.0, "Anna")
    assert (changed.after["värde"], changed.after["kommentar"]) == (92.5, "höjt")
    assert (removed.before["värde"], removed.before["kommentar"]) == (92.5, "höjt")
    assert removed.after is None


def test_an_invalid_target_leaves_no_entry(store: Store) -> None:
    mark, version = last_id(store), data_version(store.url)
    with pytest.raises(TargetError):
        set_target(store, RATE, None, 2030, "140", "", "Anna")  # a share above 100 %
    assert new_entries(store, mark) == []
    assert data_version(store.url) == version


def test_an_analysis_written_and_removed_is_two_entries(store: Store) -> None:
    mark = last_id(store)
    written = add_analysis(store, RATE, "2024", "Aneby ökar.", "Anna", area_code="0604")
    with pytest.raises(AnalysisError):
        add_analysis(store, RATE, "2024", "   ", "Anna")
    assert delete_analysis(store, written.id, actor="Bo") is True
    assert delete_analysis(store, written.id, actor="Bo") is False
    added, removed = new_entries(store, mark)
    assert added.action is AuditAction.ANALYSIS_ADDED and added.actor == "Anna"
    assert added.subject == f"analys {RATE}, Aneby, 2024"
    assert added.after == {
        "id": written.id,
        "period": "2024",
        "område": "Aneby",
        "text": "Aneby ökar.",
    }
    assert removed.action is AuditAction.ANALYSIS_REMOVED and removed.actor == "Bo"
    assert removed.before["text"] == "Aneby ökar." and removed.before["skriven av"] == "Anna"
    assert removed.after is None


# --- catalogue and accounts ------------------------------------------------------------------


def test_a_catalogue_sync_is_logged_only_when_it_changes_something(store: Store, catalogue) -> None:
    mark = last_id(store)
    prepare_store(Settings(database_url=store.url, seed_demo=False))  # as at every start
    assert new_entries(store, mark) == []
    smaller = catalogue.model_copy(update={"indicators": catalogue.indicators[1:]})
    with session_scope(store.url) as s:
        report = sync_catalogue(s, smaller)
        assert sync_areas(s, read_kolada_areas()).changes == 0
    assert report.changes
    [entry] = new_entries(store, mark)
    assert entry.action is AuditAction.CATALOGUE and entry.actor == CATALOGUE_ACTOR
    assert entry.after == report.summary()
    assert "borttagna" in entry.after
    mark = entry.id
    prepare_store(Settings(database_url=store.url, seed_demo=False))  # back to the file
    [back] = new_entries(store, mark)
    assert back.action is AuditAction.CATALOGUE and "tillagda" in back.after


def test_the_first_fill_of_a_store_is_one_entry_each_for_catalogue_areas_and_groups(
    store_url,
) -> None:
    prepare_store(Settings(database_url=store_url, seed_demo=False))
    entries = audit_events(Store(store_url))
    assert sorted(e.subject for e in entries) == [
        "grupperna av liknande kommuner",
        "katalogen",
        "områdena (län och kommuner)",
    ]
    assert all(e.action is AuditAction.CATALOGUE for e in entries)


def test_account_changes_are_logged(store: Store) -> None:
    mark = last_id(store)
    add_user(store, "anna", "ett långt lösenord", Role.ANALYTIKER, actor="admin")
    set_role(store, "anna", Role.ADMINISTRATOR, actor="admin")
    set_role(store, "anna", Role.ADMINISTRATOR, actor="admin")  # no change, no entry
    set_active(store, "anna", False, actor="admin")
    set_password(store, "anna", "ett annat långt lösenord", actor="admin")
    entries = new_entries(store, mark)
    assert [e.action for e in entries] == [
        AuditAction.USER_ADDED,
        AuditAction.ROLE_CHANGED,
        AuditAction.USER_DISABLED,
        AuditAction.PASSWORD_CHANGED,
    ]
    assert entries[1].before == {"roll": "analytiker"}
    assert entries[1].after == {"roll": "administratör"}
    assert all("lösenord" not in audit.describe(e.after) for e in entries)


# --- reading and downloading -----------------------------------------------------------------


def test_the_log_filters_by_action_person_and_swedish_day(store: Store) -> None:
    set_target(store, RATE, None, 2030, "90", "", "Anna")
    add_analysis(store, RATE, "2024", "Text.", "Bo")
    set_target(store, RATE, None, 2031, "91", "", "Bo")
    bos = audit_events(store, actor="Bo")
    assert [e.action for e in bos] == [AuditAction.TARGET_SET, AuditAction.ANALYSIS_ADDED]
    assert audit_count(store, actor="Bo", action=AuditAction.TARGET_SET) == 1
    assert {"Anna", "Bo", CATALOGUE_ACTOR} <= set(audit_actors(store))
    today = datetime.now(audit.STOCKHOLM).date()
    assert audit_count(store, since=today, until=today) == audit_count(store)
    assert audit_count(store, until=today - timedelta(days=1)) == 0
    assert audit_count(store, since=today + timedelta(days=1)) == 0
    newest = audit_events(store, limit=2)
    assert [e.actor for e in newest] == ["Bo", "Bo"]
    assert audit_events(store, limit=1, offset=1)[0].id == newest[1].id


def test_a_swedish_day_starts_at_midnight_swedish_time() -> None:
    assert audit._day_start(date(2026, 7, 1)) == datetime(2026, 6, 30, 22, tzinfo=UTC)
    assert audit._day_start(date(2026, 12, 1)) == datetime(2026, 11, 30, 23, tzinfo=UTC)
    assert audit.local_time(datetime(2026, 11, 27, 10, 2, 3, tzinfo=UTC)) == "2026-11-27 11:02:03"


def test_states_read_as_one_line() -> None:
    assert audit.describe(None) == ""
    assert audit.describe({"värde": 92.5, "kommentar": "", "aktivt": False}) == (
        "värde: 92,5; kommentar: ; aktivt: nej"
    )
    assert audit.describe({"nya": 2, "indikatorer": ["A", "B"], "satt": None}) == (
        "nya: 2; indikatorer: A, B; satt: –"
    )
    assert audit.describe({"tillagda": {"indikatorer": 1}}) == "tillagda: (indikatorer: 1)"


def test_downloads_hold_the_filtered_log_with_formulas_neutralised(store: Store) -> None:
    set_target(store, RATE, None, 2030, "90", '=HYPERLINK("http://x")', "Anna")
    add_analysis(store, RATE, "2024", "Text.", "Bo")
    table = audit_table(store, actor="Anna")
    assert list(table.columns) == audit.EXPORT_COLUMNS
    assert len(table) == 1 and table.iloc[0]["Vad"] == "målvärde satt"
    csv_text = audit.audit_csv(store, actor="Anna").decode("utf-8-sig")
    header, row = csv_text.strip().split("\r\n")
    assert header == "Nr;Tid (svensk tid);Vem;Vad;Avser;Före;Efter"
    assert ";Anna;målvärde satt;" in row
    assert "kommentar: =HYPERLINK" in row  # mid-cell: not a formula
    workbook = load_workbook(io.BytesIO(audit.audit_xlsx(store, action=AuditAction.ANALYSIS_ADDED)))
    sheet = workbook["Granskningslogg"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(audit.EXPORT_COLUMNS)
    assert [r[2:4] for r in rows[1:]] == [("Bo", "analys skriven")]
    # A name that starts like a formula is neutralised in both files.
    add_analysis(store, RATE, "2024", "Mer.", "=cmd|' /C calc'!A0")
    evil = audit.audit_csv(store, action=AuditAction.ANALYSIS_ADDED).decode("utf-8-sig")
    assert ";'=cmd|" in evil or ";\"'=cmd|" in evil
    sheet = load_workbook(io.BytesIO(audit.audit_xlsx(store))).active
    actors = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(not str(a).startswith("=") for a in actors)


def test_the_demo_data_is_one_entry_beside_the_first_fill(demo_store: Store) -> None:
    """Read only: the session's demo store as `make run` prepares it."""
    entries = audit_events(demo_store)
    demo = [e for e in entries if e.action is AuditAction.IMPORT]
    assert len(demo) == 1 and demo[0].actor == "system (exempeldata)"
    assert demo[0].after["exempeldata"] is True and demo[0].after["nya"] > 0
    assert sorted(e.subject for e in entries if e.action is AuditAction.CATALOGUE) == [
        "grupperna av liknande kommuner",
        "katalogen",
        "områdena (län och kommuner)",
    ]


def test_filters_read_from_and_write_to_the_address() -> None:
    chosen = audit.AuditFilter.from_query(
        {"vad": "målvärde satt", "vem": " Bo ", "fran": "2026-11-30", "till": "2026-11-01"}
    )
    assert chosen == audit.AuditFilter(
        AuditAction.TARGET_SET, "Bo", date(2026, 11, 1), date(2026, 11, 30)
    )
    assert chosen.to_query() == {
        "vad": "målvärde satt",
        "vem": "Bo",
        "fran": "2026-11-01",
        "till": "2026-11-30",
    }
    nonsense = audit.AuditFilter.from_query({"vad": "DROP TABLE", "fran": "igår", "vem": ""})
    assert nonsense == audit.AuditFilter() and nonsense.to_query() == {}
