"""What an import must never do, on real SQLite and PostgreSQL stores: let the last of several
files silently win, "save" a file with no values, add a batch that changed nothing, let one
account confirm another's preview, spend a problem per column of a hostile file, or miss (and
then echo) a personal identity number written with other dashes, spaces or digits."""

import io
import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from summary_stores import prepare_county
from test_import_save import RATE, USER, dump, parsed, record, template

from indicators.imports import staging
from indicators.imports.formats import parse_upload
from indicators.imports.pipeline import CONFIRM_ALL, FileStatus, preview, save, save_parsed
from indicators.imports.reading import MAX_COLUMNS, read_delimited, read_xlsx
from indicators.imports.records import PERSONAL_NUMBER_MASK, Problem, Severity, UploadedFile
from indicators.imports.safety import contains_personal_number
from indicators.imports.values import AreaResolver
from indicators.settings import Settings
from indicators.store.engine import engine_for
from indicators.store.store import Store
from indicators.writes.bootstrap import prepare_store

# A real-looking personnummer (the Skatteverket test number 19121212-1212), in the ways people
# write it when they do not write it "121212-1212".
DIGITS = "1212121212"
WRITTEN = {
    "tankstreck": "121212\u20131212",
    "långt tankstreck": "121212\u20141212",
    "minustecken": "121212\u22121212",
    "hårt bindestreck": "121212\u20111212",
    "mellanslag": "121212 1212",
    "hårt mellanslag": "121212\u00a01212",
    "smalt hårt mellanslag": "121212\u202f1212",
    "punkt": "121212.1212",
    "streck med mellanrum": "121212 - 1212",
    "helbreddssiffror": "\uff11\uff12\uff11\uff12\uff11\uff12-\uff11\uff12\uff11\uff12",
    "helbreddsstreck": "121212\uff0d1212",
    "sekel och tankstreck": "19121212\u20131212",
}


@pytest.fixture
def store(stores) -> Store:
    return Store(stores.from_template("import-save", prepare_county))


def shown_text(problems: list[Problem]) -> str:
    return "\n".join(
        " ".join(str(getattr(p, f) or "") for f in ("file", "sheet", "column", "value", "message"))
        for p in problems
    )


# --- 12. Files of one call that disagree --------------------------------------------------------


def test_two_files_with_different_values_for_a_key_are_refused_naming_both(store: Store) -> None:
    state = dump(store)
    a = parsed([record(value=10.0, row=2), record(area_code="0604", row=3)], "a.csv")
    b = parsed([record(area_code="0617", row=2), record(value=12.5, row=7)], "b.csv")
    result = save_parsed(store, [a, b], user=USER)
    assert result.status is FileStatus.REJECTED
    assert [f.status for f in result.files] == [FileStatus.REJECTED, FileStatus.REJECTED]
    assert dump(store) == state  # nothing saved, not even the agreeing rows
    for file, own_row, other in (("a.csv", 2, "b.csv rad 7"), ("b.csv", 7, "a.csv rad 2")):
        [problem] = [p for p in result.problems if p.file == file and p.severity is Severity.ERROR]
        assert problem.row == own_row
        assert other in problem.message and "olika värden" in problem.message
        assert "värde 10" in problem.message and "värde 12,5" in problem.message
    assert [f.rejected for f in result.files] == [1, 1]


def test_the_same_value_in_two_files_is_saved_once_with_a_note(store: Store) -> None:
    a = parsed([record(value=10.0), record(area_code="0604", row=3)], "a.csv")
    b = parsed([record(value=10.0, row=5)], "b.csv")
    # Over a published Exempeldata value: the change is confirmed (test_import_review.py).
    result = save_parsed(store, [a, b], user=USER, confirmed=CONFIRM_ALL)
    assert result.status is FileStatus.SAVED
    assert result.files[0].status is FileStatus.SAVED
    # b.csv holds only what a.csv saved just before it: nothing to write, no batch.
    assert result.files[1].status is FileStatus.UNCHANGED
    [note] = [p for p in result.files[1].problems]
    assert note.severity is Severity.WARNING and note.row == 5
    assert "a.csv rad 2" in note.message and "sparas en gång" in note.message


def test_the_upload_of_several_conflicting_template_files_is_refused(store: Store) -> None:
    one = template(f"{RATE};0680;2023;T;50;;;", name="ett.csv")
    two = template(f"{RATE};0684;2023;T;40;;;", f"{RATE};0680;2023;T;55;;;", name="två.csv")
    result = preview(store, [one, two])
    assert not result.ok
    text = shown_text(result.problems)
    assert "ett.csv rad 2" in text and "två.csv rad 3" in text
    assert "värde 50" in text and "värde 55" in text


# --- 13. No values, no changes ------------------------------------------------------------------


def test_a_json_forced_as_kolada_is_refused_when_it_is_not_kolada(store: Store) -> None:
    state = dump(store)
    other = UploadedFile("annat.json", json.dumps({"data": [1, 2, 3]}).encode())
    result = save(store, [other], user=USER, format="kolada-json")
    assert result.status is FileStatus.REJECTED
    messages = [p.message for p in result.problems if p.severity is Severity.ERROR]
    assert any("inget svar från Koladas API" in m for m in messages)
    assert dump(store) == state


def test_a_file_that_yields_no_values_is_refused_naming_the_file(store: Store) -> None:
    state = dump(store)
    page = {"count": 0, "values": [], "next_url": None}
    empty = UploadedFile("sida.json", json.dumps(page).encode())
    result = save(store, [empty], user=USER)
    assert result.status is FileStatus.REJECTED
    [error] = [p for p in result.problems if p.severity is Severity.ERROR]
    assert "Filen 'sida.json' innehåller inga värden att spara" in error.message
    assert dump(store) == state


def test_an_empty_last_kolada_page_among_its_query_is_passed_over(store: Store) -> None:
    value = {"gender": "T", "count": 1, "status": "", "value": 61.5}
    full = {
        "count": 1,
        "values": [{"kpi": RATE, "municipality": "0680", "period": 2022, "values": [value]}],
        "next_url": "https://api.kolada.se/v3/data?page=2",
    }
    last = {"count": 1, "values": [], "next_url": None}
    result = save(
        store,
        [
            UploadedFile("sida-1.json", json.dumps(full).encode()),
            UploadedFile("sida-2.json", json.dumps(last).encode()),
        ],
        user=USER,
    )
    assert result.status is FileStatus.SAVED, result.problems
    assert [f.status for f in result.files] == [FileStatus.SAVED, FileStatus.UNCHANGED]


# --- 11. A preview belongs to its account (the web test drives the page callbacks) ----------------


def test_a_staged_upload_is_loaded_and_discarded_only_by_its_owner(
    prepared_store_url: str,
) -> None:
    store = Store(prepared_store_url)
    files = [UploadedFile("a.csv", b"x;y\n1;2\n"), UploadedFile("b.csv", b"\x00\xff")]
    token = staging.stage(files, owner="ana", store=store)
    with pytest.raises(staging.NotYours, match="en annan användare"):
        staging.load(token, owner="bea", store=store)
    with pytest.raises(staging.NotYours):
        staging.discard(token, owner="bea", store=store)
    assert staging.load(token, owner="ana", store=store) == files
    staging.discard(token, owner="ana", store=store)
    with pytest.raises(staging.StagingError, match="finns inte längre"):
        staging.load(token, owner="ana", store=store)
    assert _staged_rows(store) == 0


def test_a_staged_upload_waits_in_the_database_not_on_the_host(
    prepared_store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind a load balancer the confirmation may reach another host: nothing of a preview is
    written to the host's temporary directory, and what was staged is read back from the store."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    store = Store(prepared_store_url)
    token = staging.stage([UploadedFile("a.csv", b"1;2\n")], owner="ana", store=store)
    assert list(tmp_path.iterdir()) == []
    assert _staged_rows(store) == 1
    assert staging.load(token, owner="ana", store=Store(prepared_store_url)) == [
        UploadedFile("a.csv", b"1;2\n")
    ]


def test_expired_staged_uploads_are_removed_on_stage_and_by_prepare(
    prepared_store_url: str,
) -> None:
    store = Store(prepared_store_url)
    old = staging.stage([UploadedFile("gammal.csv", b"1")], owner="ana", store=store)
    _age(store, old)
    with pytest.raises(staging.StagingError, match="finns inte längre"):
        staging.load(old, owner="ana", store=store)
    assert _staged_rows(store) == 0  # removed on load
    again = staging.stage([UploadedFile("gammal.csv", b"1")], owner="ana", store=store)
    _age(store, again)
    fresh = staging.stage([UploadedFile("ny.csv", b"2")], owner="ana", store=store)
    assert _staged_rows(store) == 1  # the expired one went when the new one was staged
    _age(store, fresh)
    prepare_store(Settings(database_url=prepared_store_url, seed_demo=False))
    assert _staged_rows(store) == 0


def _staged_rows(store: Store) -> int:
    with engine_for(store.url).connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM staged_file")).scalar_one()


def _age(store: Store, token: str) -> None:
    past = datetime.now(UTC) - timedelta(seconds=staging.MAX_AGE_SECONDS + 1)
    with engine_for(store.url).begin() as conn:
        conn.execute(
            sa.text("UPDATE staged_file SET expires_at = :t WHERE token = :k"),
            {"t": past, "k": token},
        )


# --- 16. Columns and problems are capped ---------------------------------------------------------


def _areas(store: Store) -> AreaResolver:
    return AreaResolver.from_store(store)


def test_a_csv_with_a_hundred_thousand_columns_is_refused_at_once(store: Store) -> None:
    n = 100_000
    header = ";".join(
        ["Indikator", "Område", "Period", "Kön", "Värde", *(f"X{i}" for i in range(n))]
    )
    row = ";".join([RATE, "0680", "2023", "T", "50", *([""] * n)])
    file = UploadedFile("bred.csv", f"{header}\n{row}\n".encode())
    parsed_file = parse_upload(file, areas=_areas(store), max_bytes=25 * 2**20)
    [problem] = parsed_file.problems
    # Numbers as Swedish text writes them: a non-breaking space between thousands.
    assert problem.message.startswith("Filen 'bred.csv' har 100\u00a0005 kolumner (rad 1)")
    assert "fler än gränsen 1\u00a0000" in problem.message


def test_trailing_empty_columns_do_not_count_and_the_widest_honest_table_is_read() -> None:
    # A column per month for 30 years plus the area: 361 columns, then empty separators.
    months = [f"{y}M{m:02d}" for y in range(1995, 2025) for m in range(1, 13)]
    header = ";".join(["Kommun", *months]) + ";" * 2000
    row = ";".join(["0680", *(["1"] * len(months))]) + ";" * 2000
    sheets, problems = read_delimited(UploadedFile("månader.csv", f"{header}\n{row}\n".encode()))
    assert problems == [] and len(sheets[0].rows) == 2


def test_an_xlsx_wider_than_the_limit_is_refused() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["Kommun", *range(MAX_COLUMNS + 5)])
    out = io.BytesIO()
    book.save(out)
    sheets, [problem] = read_xlsx(UploadedFile("bred.xlsx", out.getvalue()))
    assert sheets == []
    assert "bladet 'Data', rad 1" in problem.message and "1\u00a0006 kolumner" in problem.message


def test_problems_of_one_kind_are_listed_a_thousand_times_then_counted(store: Store) -> None:
    years = list(range(2001, 2021))
    lines = ["Kommun;" + ";".join(map(str, years))]
    lines += [f"{code};" + ";".join(["abc"] * len(years)) for code in ["0680"] * 60]
    file = UploadedFile("bred.csv", "\n".join(lines).encode())
    parsed_file = parse_upload(
        file, areas=_areas(store), max_bytes=25 * 2**20, indicator_id=RATE, format="bred"
    )
    not_numbers = [p for p in parsed_file.problems if p.message == "'abc' är inget tal."]
    assert len(not_numbers) == 1000
    assert parsed_file.problems[-1].message == (
        "… och 200 till av samma slag (visas inte): … är inget tal."
    )


def test_rows_longer_than_the_table_are_listed_fifty_times_then_counted() -> None:
    lines = ["Kommun;2021;2022", *(["0680;1;2"] * 200), *(["0680;1;2;3"] * 120)]
    sheets, problems = read_delimited(UploadedFile("rader.csv", "\n".join(lines).encode()))
    assert sheets == [] and len(problems) == 51
    assert problems[-1].message == "… och 70 till av samma slag (visas inte)."


def test_extra_template_columns_are_one_warning(store: Store) -> None:
    header = "Indikator;Område;Period;Kön;Värde;" + ";".join(f"X{i}" for i in range(500))
    # The value stored already (67,1): no change to review, so the one warning is the columns'.
    file = UploadedFile("mall.csv", f"{header}\n{RATE};0680;2023;T;67,1{';' * 500}\n".encode())
    result = preview(store, [file])
    [warning] = result.problems
    assert warning.message.startswith("Kolumnerna 'X0', 'X1'")
    assert "och 490 till hör inte till mallen" in warning.message


# --- 17. Personal identity numbers however written ------------------------------------------------


@pytest.mark.parametrize("written", list(WRITTEN.values()), ids=list(WRITTEN))
def test_a_personal_number_is_recognised_however_it_is_written(written: str) -> None:
    assert contains_personal_number(written)
    assert contains_personal_number(f"Anteckning: {written}, kontrolleras")


@pytest.mark.parametrize(
    "text",
    ["2019 2020 2021", "121212 12345", "12 1212 1212", "1212121212.55", "190101\t1234", "45 %"],
)
def test_other_numbers_are_still_not_personal_numbers(text: str) -> None:
    assert not contains_personal_number(text)


@pytest.mark.parametrize("written", list(WRITTEN.values()), ids=list(WRITTEN))
def test_a_file_with_one_is_refused_and_never_echoes_it(store: Store, written: str) -> None:
    state = dump(store)
    file = template(f"{RATE};0680;2023;T;50;;;", f"{RATE};{written};2023;T;50;;;")
    result = save(store, [file], user=USER)
    assert result.status is FileStatus.REJECTED
    [problem] = result.problems
    assert "personnummer" in problem.message and problem.row == 3
    text = shown_text(result.problems)
    assert not contains_personal_number(text)
    assert "1212" not in text.replace("mall.csv", "")
    assert dump(store) == state


def test_hidden_in_json_escapes_a_sheet_name_or_a_file_name_it_is_still_found(
    store: Store,
) -> None:
    escaped = '{"count": 1, "values": [], "note": "121212\\u20131212", "next_url": null}'
    book = Workbook()
    book.active.title = "19121212\u20131212"
    book.active.append(["Kommun", "2023"])
    book.active.append(["0680", 5])
    out = io.BytesIO()
    book.save(out)
    uploads = [
        UploadedFile("kolada.json", escaped.encode()),
        UploadedFile("blad.xlsx", out.getvalue()),
        UploadedFile("lista 121212\u20131212.csv", b"Indikator;Omr\xc3\xa5de\n"),
    ]
    result = preview(store, uploads, indicator_id=RATE)
    assert [f.status for f in result.files] == [FileStatus.REJECTED] * 3
    text = shown_text(result.problems)
    assert text.count("personnummer") >= 3
    assert not contains_personal_number(text) and DIGITS[:6] not in text
    assert result.files[2].name == f"lista {PERSONAL_NUMBER_MASK}.csv"


def test_no_problem_ever_carries_a_personal_number() -> None:
    problem = Problem(
        file="a.csv", message="Okänt område 121212\u20131212.", value="121212 1212", column="x"
    )
    assert DIGITS[:6] not in f"{problem.message}{problem.value}"
    assert PERSONAL_NUMBER_MASK in problem.message and problem.value == PERSONAL_NUMBER_MASK
