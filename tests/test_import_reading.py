"""Bytes to text and grids: encodings, separators, xlsx values and formulas, and the refusals."""

import csv
import io
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from import_samples import (
    SEMICOLON_CSV,
    cached_formula_xlsx,
    cp1252_csv,
    invalid_utf8_csv,
    mojibake_csv,
    stale_dimension_xlsx,
    uncached_formula_xlsx,
    utf8_bom_csv,
    xlsx_bytes,
)
from openpyxl import load_workbook

from indicators.imports.reading import (
    _split_unquoted,
    cell_name,
    column_letter,
    decode_text,
    read_delimited,
    read_json,
    read_xlsx,
)
from indicators.imports.records import Severity, UploadedFile

EXPECTED_GRID = [
    ["Kommun", "Kön", "2022", "2023"],
    ["Jönköping", "T", "12,5", "1 234,5"],
    ["Värnamo", "K", "−5", "45 %"],
]


def csv_file(content: bytes | str, name: str = "fil.csv") -> UploadedFile:
    return UploadedFile(name, content.encode("utf-8") if isinstance(content, str) else content)


def only_error(problems) -> str:
    [problem] = problems
    assert problem.severity is Severity.ERROR
    return problem.message


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
    assert cell_name(7, 1) == "B7"


# --- Encodings -------------------------------------------------------------------------------


def test_cp1252_is_read_correctly():
    text, encoding, problems = decode_text(csv_file(cp1252_csv()))
    assert problems == [] and encoding == "cp1252"
    assert "Jönköping" in text and "Värnamo" in text


def test_utf8_with_bom_is_read_correctly():
    text, encoding, problems = decode_text(csv_file(utf8_bom_csv()))
    assert problems == [] and encoding == "utf-8-sig"
    assert text == SEMICOLON_CSV


def test_plain_utf8():
    text, encoding, _ = decode_text(csv_file(SEMICOLON_CSV))
    assert encoding == "utf-8" and text == SEMICOLON_CSV


def test_invalid_utf8_that_is_not_cp1252_is_refused():
    text, encoding, problems = decode_text(csv_file(invalid_utf8_csv(), "trasig.csv"))
    assert text is None and encoding is None
    message = only_error(problems)
    assert "trasig.csv" in message and "inte går att läsa" in message


def test_mojibake_is_refused_naming_line_and_character():
    text, _, problems = decode_text(csv_file(mojibake_csv(), "omkodad.csv"))
    assert text is None
    [problem] = problems
    assert problem.row == 1 and problem.value == "Ã¶"
    assert "'Ã¶' på rad 1, tecken 9" in problem.message
    assert "omkodad.csv" in problem.message


@pytest.mark.parametrize("damage", ["Ã¥", "Ã¤", "Ã–", "Ã„", "â€“", "Ã…"])
def test_each_usual_mojibake_is_refused(damage):
    _, _, problems = decode_text(csv_file(f"Kommun;Namn\n0680;J{damage}nk\n"))
    [problem] = problems
    assert problem.row == 2 and damage in problem.message


def test_binary_bytes_are_refused_as_unreadable_not_as_utf16():
    _, _, problems = decode_text(csv_file(b"%PDF-1.7\n\x00\x01\x02\xff binary" * 20, "a.csv"))
    assert "inte går att läsa" in only_error(problems)


def test_utf16_is_refused_with_a_hint():
    content = SEMICOLON_CSV.encode("utf-16")
    _, _, problems = decode_text(csv_file(content, "unicode.txt"))
    assert "UTF-16" in only_error(problems) and "CSV UTF-8" in only_error(problems)
    # Without a BOM the NUL bytes give it away.
    _, _, problems = decode_text(csv_file(SEMICOLON_CSV.encode("utf-16-le")))
    assert "UTF-16" in only_error(problems)


# --- Delimited text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "encoding"),
    [(utf8_bom_csv(), "utf-8-sig"), (SEMICOLON_CSV.encode(), "utf-8")],
)
def test_semicolon_file_with_decimal_commas(content, encoding):
    [sheet], problems = read_delimited(csv_file(content))
    assert problems == []
    assert sheet.delimiter == ";" and sheet.encoding == encoding and sheet.name is None
    assert sheet.rows == EXPECTED_GRID


CELL = st.text(alphabet="abcåäöÅÄÖ XYZ0123456789,.-%\"'", max_size=8).map(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1)
    ),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    st.sampled_from([";", "\t"]),
)
def test_any_table_written_by_a_csv_writer_reads_back(grid, encoding, delimiter):
    if not any(any(row) for row in grid):
        return  # an all-empty table is "Filen är tom", tested above
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(grid)
    [sheet], problems = read_delimited(csv_file(buffer.getvalue().encode(encoding)))
    assert problems == []
    assert sheet.delimiter == delimiter
    assert sheet.rows == grid


def test_cp1252_semicolon_file():
    [sheet], _ = read_delimited(csv_file(cp1252_csv()))
    assert sheet.rows[1][0] == "Jönköping" and sheet.rows[2][2] == "-5"


def test_comma_file_with_quoted_decimal_commas():
    content = 'Kommun,2022,2023\n0680,"12,5","13,0"\n0604,"1 234,5",7\n'
    [sheet], problems = read_delimited(csv_file(content))
    assert problems == [] and sheet.delimiter == ","
    assert sheet.rows[2] == ["0604", "1 234,5", "7"]


def test_tab_file():
    [sheet], _ = read_delimited(csv_file("Kommun\t2022\n0680\t12,5\n0686\t3\n"))
    assert sheet.delimiter == "\t" and sheet.rows[1] == ["0680", "12,5"]


def test_semicolon_file_with_decimal_commas_is_not_read_as_comma_file():
    # Every data row also splits on commas into the same count; the header decides.
    content = "Kommun;2022;2023\n" + "".join(f"06{i:02d};1,5;2,5\n" for i in range(10))
    [sheet], _ = read_delimited(csv_file(content))
    assert sheet.delimiter == ";" and sheet.rows[1] == ["0600", "1,5", "2,5"]


def test_title_rows_and_empty_rows_keep_row_numbers():
    content = "Andel brukare, 2023\n\nKommun;2022;2023\nAneby;1,5;2\n"
    [sheet], _ = read_delimited(csv_file(content))
    assert sheet.rows[0] == ["Andel brukare, 2023", "", ""]
    assert sheet.rows[1] == ["", "", ""]
    assert sheet.row_number(3) == 4 and sheet.rows[3] == ["Aneby", "1,5", "2"]


def test_misdetected_separator_is_refused_not_read_as_one_column():
    # The analyst (or a format) insists on commas, but the file is separated by semicolons.
    sheets, problems = read_delimited(csv_file("Kommun;2022\n0680;12\n0686;13\n"), delimiter=",")
    assert sheets == []
    message = only_error(problems)
    assert "bara en kolumn" in message and "semikolon" in message


def test_lines_wrapped_in_quotes_are_refused_not_read_as_one_column():
    sheets, problems = read_delimited(csv_file('"Kommun;2022"\n"0680;12,5"\n"0686;13"\n'))
    assert sheets == []
    assert "citattecken" in only_error(problems)


def test_a_true_one_column_file_is_returned_as_it_is():
    [sheet], problems = read_delimited(csv_file("Kommun\n0680\n0686\n"))
    assert problems == [] and sheet.rows == [["Kommun"], ["0680"], ["0686"]]


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_empty_file(content):
    sheets, problems = read_delimited(csv_file(content, "tom.csv"))
    assert sheets == [] and only_error(problems) == "Filen 'tom.csv' är tom."


def test_header_only_is_a_grid_of_one_row():
    [sheet], problems = read_delimited(csv_file("Indikator;Kommun;Period;Värde\n"))
    assert problems == [] and sheet.rows == [["Indikator", "Kommun", "Period", "Värde"]]


def test_ragged_row_is_named():
    content = "Kommun;2022;2023\n0680;1;2\n0686;1;2;3\n0687;1\n"
    sheets, problems = read_delimited(csv_file(content))
    assert sheets == []
    [problem] = problems
    assert problem.row == 3 and "Rad 3 har 4 fält" in problem.message


def test_short_rows_are_padded_and_trailing_empty_fields_dropped():
    [sheet], problems = read_delimited(csv_file("Kommun;2022;2023\n0680;1\n0686;1;2;;\n"))
    assert problems == []
    assert sheet.rows[1] == ["0680", "1", ""] and sheet.rows[2] == ["0686", "1", "2"]


def test_cells_are_stripped_including_nbsp():
    [sheet], _ = read_delimited(csv_file("Kommun;Värde\n\u00a00680 ; 12,5\u00a0\n"))
    assert sheet.rows[1] == ["0680", "12,5"]


def test_long_text_cell_is_read_whole():
    long_text = "x" * 10_000
    [sheet], problems = read_delimited(csv_file(f"Namn;Värde\n{long_text};1\n"))
    assert problems == [] and sheet.rows[1][0] == long_text


def test_personal_number_in_csv_is_refused_with_row_and_column_but_not_echoed():
    content = "Kommun;Värde;Id\n0680;1;\n0686;2;\n0687;3;121212-1212\n"
    sheets, problems = read_delimited(csv_file(content, "lista.csv"))
    assert sheets == []
    [problem] = problems
    assert problem.row == 4 and problem.column == "C (Id)"
    assert "rad 4, kolumn 'C (Id)'" in problem.message
    assert "1212" not in problem.message and problem.value is None


def test_personal_number_outranks_other_refusals():
    content = "Kommun;Id\n0680;121212-1212;x\n"
    _, problems = read_delimited(csv_file(content))
    assert "personnummer" in only_error(problems)


def test_luhn_invalid_number_is_read_normally():
    [sheet], problems = read_delimited(csv_file("Kommun;Id\n0680;121212-1213\n"))
    assert problems == [] and sheet.rows[1][1] == "121212-1213"


# --- xlsx ---------------------------------------------------------------------------------------


def test_xlsx_keeps_types_and_leading_zero_text():
    when = datetime(2023, 3, 1)
    content = xlsx_bytes([["Kommun", "2023", "Datum"], ["0680", 12.5, when], ["0604", 7, None]])
    [sheet], problems = read_xlsx(UploadedFile("bok.xlsx", content))
    assert problems == [] and sheet.name == "Data"
    assert sheet.rows == [["Kommun", "2023", "Datum"], ["0680", 12.5, when], ["0604", 7, ""]]
    assert isinstance(sheet.rows[2][1], int)


def test_xlsx_reads_every_sheet_and_keeps_gaps():
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = "Blad1"
    first["A1"] = "Kommun"
    first["C4"] = "sist"
    second = workbook.create_sheet("Andra")
    second["B2"] = 5
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheets, problems = read_xlsx(UploadedFile("två.xlsx", buffer.getvalue()))
    assert problems == []
    assert [s.name for s in sheets] == ["Blad1", "Andra"]
    assert sheets[0].rows == [
        ["Kommun", "", ""],
        ["", "", ""],
        ["", "", ""],
        ["", "", "sist"],
    ]
    assert sheets[1].rows == [["", ""], ["", 5]]


def test_formula_without_cached_value_is_refused_naming_sheet_and_cell():
    sheets, problems = read_xlsx(UploadedFile("summa.xlsx", uncached_formula_xlsx()))
    assert sheets == []
    [problem] = problems
    assert (problem.sheet, problem.row, problem.column) == ("Data", 7, "B")
    assert "Cell B7 (rad 7) på bladet 'Data'" in problem.message
    assert problem.value == "=SUM(B2:B6)"


def test_formula_with_cached_value_gives_the_value():
    [sheet], problems = read_xlsx(UploadedFile("summa.xlsx", cached_formula_xlsx()))
    assert problems == []
    assert sheet.rows[6] == ["Summa", 100]
    assert sheet.formulas == {(7, 1): "=SUM(B2:B6)"}


def test_text_that_looks_like_a_formula_is_not_a_formula():
    # openpyxl would write "=..." as a formula; store it as a text cell instead.
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Namn"
    cell = workbook.active["A2"]
    cell.value = '=HYPERLINK("http://x","klick")'
    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    [sheet], problems = read_xlsx(UploadedFile("text.xlsx", content))
    assert problems == [] and sheet.formulas == {}
    assert sheet.rows[1] == ['=HYPERLINK("http://x","klick")']


def test_stale_dimension_record_loses_no_rows():
    content = stale_dimension_xlsx(40)
    # The fixture really is stale: openpyxl's streaming reader trusts it and stops after row 2.
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert len(list(workbook.active.iter_rows())) == 2
    workbook.close()
    [sheet], problems = read_xlsx(UploadedFile("stale.xlsx", content))
    assert problems == []
    assert len(sheet.rows) == 41
    assert sheet.rows[-1] == ["0040", 40]


def test_personal_number_in_xlsx_is_refused():
    content = xlsx_bytes([["Kommun", "Personnr"], ["0680", "x"], ["0686", 1212121212]])
    sheets, problems = read_xlsx(UploadedFile("p.xlsx", content))
    assert sheets == []
    [problem] = problems
    assert (problem.sheet, problem.row, problem.column) == ("Data", 3, "B (Personnr)")
    assert "1212121212" not in problem.message


def test_mojibake_in_xlsx_is_refused_naming_the_cell():
    content = xlsx_bytes([["Kommun"], ["JÃ¶nköping"]])
    sheets, problems = read_xlsx(UploadedFile("m.xlsx", content))
    assert sheets == []
    [problem] = problems
    assert problem.row == 2 and problem.column == "A" and "cell A2" in problem.message


def test_broken_xlsx_is_refused():
    sheets, problems = read_xlsx(UploadedFile("trasig.xlsx", b"PK\x03\x04 inte en bok"))
    assert sheets == [] and "kan inte läsas" in only_error(problems)


# --- JSON ---------------------------------------------------------------------------------------


def test_json_is_decoded():
    document, problems = read_json(csv_file('{"values": [{"municipality": "0680"}]}', "k.json"))
    assert problems == [] and document == {"values": [{"municipality": "0680"}]}


def test_json_with_bom_and_cp1252():
    document, _ = read_json(csv_file('\ufeff{"namn": "Jönköping"}', "k.json"))
    assert document == {"namn": "Jönköping"}
    document, _ = read_json(csv_file('{"namn": "Jönköping"}'.encode("cp1252"), "k.json"))
    assert document == {"namn": "Jönköping"}


def test_json_syntax_error_names_line():
    document, problems = read_json(csv_file('{\n  "a": 1,\n  "b": \n}', "fel.json"))
    assert document is None
    [problem] = problems
    assert problem.row == 4 and "rad 4" in problem.message and "fel.json" in problem.message


def test_personal_number_in_json_is_refused_naming_the_line():
    content = '{\n  "values": [\n    {"id": "19121212-1212"}\n  ]\n}'
    document, problems = read_json(csv_file(content, "p.json"))
    assert document is None
    [problem] = problems
    assert problem.row == 3 and "personnummer" in problem.message
    assert "1212" not in problem.message


# --- xlsx through calamine ---------------------------------------------------------------------


def _typed_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Blad"
    ws["C3"] = "0680"
    ws["D3"] = 2021
    ws["E3"] = 61.5
    ws["F3"] = datetime(2023, 1, 2)
    ws["G3"] = True
    ws["D5"] = "  med mellanslag  "
    ws["B7"] = -0.25
    wb.create_sheet("Tomt")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "name",
    [
        "kolada_web_u23401.xlsx",
        "kolada_web_n00945.xlsx",
        "socialstyrelsen_webb_lakemedel.xlsx",
        "mall.xlsx",
        "bred_tva_blad.xlsx",
        "typed",
        "stale",
    ],
)
def test_calamine_reads_every_cell_as_openpyxl_does(name, monkeypatch):
    """Workbooks without formulas are read by calamine (much faster, bench/parse_files.md);
    every sheet, row number, cell value and type is what the openpyxl reading gives."""
    from pathlib import Path

    from indicators.imports import reading

    if name == "typed":
        content = _typed_xlsx()
    elif name == "stale":
        content = stale_dimension_xlsx()
    else:
        content = (Path(__file__).parent / "fixtures" / "import" / name).read_bytes()
    assert reading._read_values_fast(content) is not None
    fast, fast_problems = read_xlsx(UploadedFile("a.xlsx", content))
    monkeypatch.setattr(reading, "_read_values_fast", lambda content: None)
    slow, slow_problems = read_xlsx(UploadedFile("a.xlsx", content))
    assert fast_problems == slow_problems == []

    def typed(sheets: list) -> list:
        return [(s.name, [[(type(c), c) for c in r] for r in s.rows], s.formulas) for s in sheets]

    assert typed(fast) == typed(slow)


def test_a_workbook_with_formulas_is_read_by_openpyxl():
    from indicators.imports import reading

    assert reading._read_values_fast(cached_formula_xlsx()) is None
    assert reading._read_values_fast(uncached_formula_xlsx()) is None


def test_an_excel_error_cell_is_read_by_openpyxl_as_its_text():
    """calamine gives '#N/A' as an empty cell; it must reach the parser as the error it is."""
    from indicators.imports import reading

    content = xlsx_bytes([["Kommun", "2023"], ["0680", "#N/A"]])
    assert reading._read_values_fast(content) is None
    [sheet], problems = read_xlsx(UploadedFile("fel.xlsx", content))
    assert problems == [] and sheet.rows[1] == ["0680", "#N/A"]


UNQUOTED = st.text(alphabet="ab;,\t \xa0\u2028\x0c\x1c\r\n0-", max_size=40)


@settings(max_examples=300, deadline=None)
@given(UNQUOTED, st.sampled_from([";", "\t", ","]))
def test_text_without_quotes_splits_as_the_csv_module_reads_it(text, delimiter):
    # The fast split of unquoted text must give exactly the csv module's rows, cells stripped.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    assert _split_unquoted(text, delimiter) == [list(map(str.strip, row)) for row in reader]


def test_a_field_over_the_csv_limit_is_still_refused_without_quotes():
    long_line = "a;" + "x" * (csv.field_size_limit() + 1)
    sheets, problems = read_delimited(csv_file(f"Kommun;Värde\n{long_line}\n"))
    assert sheets == [] and "orimligt" in only_error(problems)
