"""The bulk reading of large files (the template's clean rows, Kolada's usual entries) gives
exactly what reading every row one at a time gives: the same records in the same order, the
same problems with the same file, sheet, row, column and value, the same row count.

The one-row-at-a-time reading is the reference: it is the path every row with a problem takes,
so the tests run each file once normally and once with the bulk path switched off."""

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from indicators.imports.formats import kolada_json, mall, parse_upload
from indicators.imports.records import ParsedFile, UploadedFile
from indicators.imports.values import AreaResolver
from indicators.paths import KOLADA_AREAS_FILE

MAX_BYTES = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def areas() -> AreaResolver:
    with KOLADA_AREAS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kinds = {"K": "kommun", "L": "region"}
    return AreaResolver(
        (r["id"], r["title"], "riket" if r["id"] == "0000" else kinds[r["type"]]) for r in rows
    )


@contextmanager
def one_row_at_a_time() -> Iterator[None]:
    """Every row through the per-row readers (mall._row, kolada_json._entry)."""

    def no_clean_rows(out, sheet, data, at):
        # Both marks listed for every number column: refuse_mixed_decimal_marks always runs
        # its own check, as it did before the bulk path.
        both = {name: [",", "."] for name in ("Värde", "Täljare", "Nämnare")}
        placeholders = {name: [None] * len(data) for name in out.data}
        return mall._FastRows(placeholders, list(range(len(data))), both)

    saved = mall._clean_rows, kolada_json._FastEntries.entry
    mall._clean_rows = no_clean_rows
    kolada_json._FastEntries.entry = lambda self, entry, row: False
    try:
        yield
    finally:
        mall._clean_rows, kolada_json._FastEntries.entry = saved


def both_ways(areas: AreaResolver, name: str, content: bytes) -> tuple[ParsedFile, ParsedFile]:
    def read() -> ParsedFile:
        return parse_upload(UploadedFile(name, content), areas=areas, max_bytes=MAX_BYTES)

    fast = read()
    with one_row_at_a_time():
        slow = read()
    return fast, slow


def assert_same(fast: ParsedFile, slow: ParsedFile) -> None:
    assert fast.format == slow.format
    assert fast.problems == slow.problems
    assert fast.rows_read == slow.rows_read
    assert fast.columns == slow.columns
    pd.testing.assert_frame_equal(fast.records, slow.records)


# Cells as analysts and exports write them, with every kind of problem among them.
INDICATORS = ["N21497", "U21401", " N21497 ", "", "=1+1", "'=SUM(A1)", "+N1", "N 21497"]
AREAS = ["0680", "0687", "680", "Jönköping", "Jönköpings kommun", "0680 Jönköping", "Okänd", ""]
AREAS += ["Region Jönköpings län", "Riket", "06", "0000", " 0680", "'-1"]
PERIODS = ["2023", "2022", "2023Q1", "2023Q5", "2023H2", "2023M13", "2023-03", "", "x", "2023.0"]
GENDERS = ["T", "K", "M", "m", "", "kvinnor", "x", "3", " K "]
NUMBERS = ["87,5", "12.5", "40", "0", "-0", "007", "-3,25", "1 234,5", "1 234 567", "45 %", "45%"]
NUMBERS += ["+3", "\u22125", "1,5E-05", "1,234.5", "1.2.3", "abc", "#DIV/0!", "1" * 400, " 12 "]
NUMBERS += ["-", "..", ".", "UNK", "msk", "", "\u2013", "'-: bortfall", "12,", ",5", "٣"]
STATUSES = ["", "", "", "ok", "OK", "sekretess", "..: sekretess", "Bortfall", "bortfall (inget)"]
STATUSES += ["-: bortfall", "saknas", "x" * 130, "okänd", "UNK", "'-: bortfall", "ej tillämpligt"]
OPTIONAL = ["", "", "35", "3,5", "x", "-", "1 000", "1,234.5"]

CLEAN = ["N21497", "0680", "2023", "T", "87,5", "35", "40", ""]
HEADER = ["Indikator", "Område", "Period", "Kön", "Värde", "Täljare", "Nämnare", "Status"]

rows_strategy = st.lists(
    st.one_of(
        st.just(CLEAN),
        st.tuples(
            st.sampled_from(INDICATORS),
            st.sampled_from(AREAS),
            st.sampled_from(PERIODS),
            st.sampled_from(GENDERS),
            st.sampled_from(NUMBERS),
            st.sampled_from(OPTIONAL),
            st.sampled_from(OPTIONAL),
            st.sampled_from(STATUSES),
        ).map(list),
    ),
    min_size=1,
    max_size=40,
)


def template_csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy)
def test_template_csv_reads_the_same_in_bulk_and_row_by_row(
    areas: AreaResolver, rows: list[list[str]]
) -> None:
    fast, slow = both_ways(areas, "mall.csv", template_csv(rows))
    assert_same(fast, slow)


def test_every_listed_cell_reads_the_same_in_each_column(areas: AreaResolver) -> None:
    # Each listed value in each column, the other cells clean: one problem (or none) per row.
    rows = []
    for column, values in enumerate(
        [INDICATORS, AREAS, PERIODS, GENDERS, NUMBERS, OPTIONAL, OPTIONAL, STATUSES]
    ):
        for value in values:
            rows.append([*CLEAN[:column], value, *CLEAN[column + 1 :]])
    for status in STATUSES:
        rows += [[*CLEAN[:4], value, *CLEAN[5:7], status] for value in NUMBERS]
    fast, slow = both_ways(areas, "mall.csv", template_csv(rows))
    assert fast.problems, "the table is meant to hold problems"
    assert len(fast.records) > 100, "and clean rows"
    assert_same(fast, slow)


def test_template_without_optional_columns_and_with_blank_rows(areas: AreaResolver) -> None:
    header = ["Indikator", "Område", "Period", "Värde", "Okänd kolumn"]
    rows = [
        ["N21497", "0680", "2023", "1,5", "z"],
        ["", "", "", "", ""],
        ["N21497", "0687", "x", "2", ""],
    ]
    fast, slow = both_ways(areas, "kort.csv", template_csv(rows, header))
    assert_same(fast, slow)
    assert len(fast.records) == 1


def test_template_xlsx_with_number_and_date_cells(areas: AreaResolver) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(HEADER)
    sheet.append(["N21497", "0680", 2023, "T", 87.5, 35, 40, None])
    sheet.append(["N21497", "0680", 2022, "K", "87,5", "35", "", ""])
    sheet.append(["N21497", 680, 2021, "M", True, None, None, None])
    sheet.append(["N21497", "0680", 2020.5, "T", None, None, None, "sekretess"])
    sheet.append(["N21497", "Jönköping", "2019", "T", "12", None, None, "ok"])
    second = book.create_sheet("Mer")
    second.append(HEADER)
    second.append(["U21401", "0687", "2023", "T", "1 234,5", "", "", ""])
    second.append(["U21401", "0687", "2023", "T", "", "", "", ""])
    data = io.BytesIO()
    book.save(data)
    fast, slow = both_ways(areas, "mall.xlsx", data.getvalue())
    assert_same(fast, slow)
    assert {r for r in fast.records["sheet"]} == {"Data", "Mer"}


def kolada(entries: list[object]) -> bytes:
    return json.dumps({"count": len(entries), "values": entries, "next_url": None}).encode()


def test_kolada_json_reads_the_same_in_bulk_and_entry_by_entry(areas: AreaResolver) -> None:
    def item(gender: object = "T", value: object = 1.5, status: object = "") -> dict:
        return {"gender": gender, "count": 1, "status": status, "value": value}

    good = {"kpi": "N21497", "municipality": "0680", "period": 2023, "values": [item()]}
    entries: list[object] = [
        good,
        {**good, "values": [item("K", 2), item("M", None, "-"), item("T", None, "..")]},
        {**good, "period": "2022", "values": [item(value=None, status="konstig")]},
        {**good, "municipality": "680"},
        {**good, "municipality": "Okänd"},
        {**good, "municipality": 680},
        {**good, "period": "2023Q5"},
        {**good, "period": True},
        {**good, "kpi": ""},
        {**good, "kpi": None},
        {**good, "values": None},
        {**good, "values": []},
        {**good, "values": [item("x")]},
        {**good, "values": [item(None)]},
        {**good, "values": [item("")]},
        {**good, "values": [item(value=True)]},
        {**good, "values": [item(value="12,5")]},
        {**good, "values": [item(value="abc")]},
        {**good, "values": [item(value=[1])]},
        {**good, "values": ["inte ett objekt", item()]},
        {"kpi": "N21497", "ou": "V15E068000101", "period": 2023, "values": [item()]},
        {"kpi": "N21497", "ou": "", "period": 2023, "values": [item()]},
        {**good, "isdeleted": True},
        "inte ett objekt",
        {**good, "municipality": " Jönköping "},
        {**good, "values": [item(value=10**30), item("K", value=-0.0)]},
    ]
    fast, slow = both_ways(areas, "kolada.json", kolada(entries))
    assert fast.problems
    assert_same(fast, slow)


def test_kolada_json_with_a_nan_value_reads_the_same(areas: AreaResolver) -> None:
    # Python's json writes and reads NaN; the per-entry reader warns about it as an empty cell.
    content = (
        b'{"count": 1, "values": [{"kpi": "N21497", "municipality": "0680", "period": 2023, '
        b'"values": [{"gender": "T", "status": "", "value": NaN}]}], "next_url": null}'
    )
    fast, slow = both_ways(areas, "nan.json", content)
    assert_same(fast, slow)


def test_revisions_of_a_saved_batch_new_keys_first_then_changed(prepared_store_url: str) -> None:
    """The new keys' revisions are copied inside the database from the inserted observations;
    they must be what writing them one by one gave: in record order, nothing before them,
    then the changed keys' revisions with what they replaced."""
    from sqlalchemy import text

    from indicators.imports.pipeline import save
    from indicators.store.engine import engine_for
    from indicators.store.store import Store

    store = Store(prepared_store_url)

    def upload(name: str, rows: list[list[str]]) -> int | None:
        result = save(store, [UploadedFile(name, template_csv(rows))], user="Test")
        assert result.ok, result.problems
        return result.files[0].batch_id

    first = upload("ett.csv", [["N21497", "0680", "2022", "T", "40", "", "", ""]])
    second = upload(
        "två.csv",
        [
            ["N21497", "0687", "2023", "K", "", "", "", "sekretess"],
            ["N21497", "0680", "2022", "T", "42,5", "", "", ""],
            ["N21497", "0680", "2021", "M", "12,5", "5", "40", ""],
        ],
    )
    with engine_for(store.url).connect() as connection:
        rows = connection.execute(
            text(
                "SELECT area_code, CAST(period_start AS VARCHAR(10)), gender, previous_value, "
                "previous_status, previous_status_reason, previous_batch_id "
                "FROM observation_revision WHERE batch_id = :b ORDER BY id"
            ),
            {"b": second},
        ).all()
    assert [tuple(r) for r in rows] == [
        ("0687", "2023-01-01", "K", None, None, "", None),
        ("0680", "2021-01-01", "M", None, None, "", None),
        ("0680", "2022-01-01", "T", 40.0, "ok", "", first),
    ]
