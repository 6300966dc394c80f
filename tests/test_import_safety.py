"""Checks on raw upload bytes: size, extension against content, macros, zip bombs, personal
identity numbers and formula neutralisation."""

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from import_samples import (
    cp1252_csv,
    utf8_bom_csv,
    with_vba_project,
    xlsx_bomb,
    xlsx_bytes,
)

from indicators.imports import safety
from indicators.imports.records import Severity, UploadedFile
from indicators.imports.safety import (
    check_upload,
    contains_personal_number,
    is_formula_like,
    neutralise_formula,
    personal_number_problem,
)
from indicators.vocabulary import text_safety
from indicators.vocabulary.text_safety import (
    find_personal_number,
    fold_for_scan,
    personal_number_line,
)

MB = 1024 * 1024


def messages(name: str, content: bytes, max_bytes: int = 25 * MB) -> list[str]:
    problems = check_upload(UploadedFile(name, content), max_bytes=max_bytes)
    assert all(p.severity is Severity.ERROR and p.file == name for p in problems)
    return [p.message for p in problems]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("kommun.csv", cp1252_csv()),
        ("kommun.CSV", utf8_bom_csv()),
        ("kommun.txt", cp1252_csv()),
        ("export.xlsx", xlsx_bytes([["Kommun", "2023"], ["0680", 1.5]])),
        ("kolada.json", b'{"count": 0, "values": [], "next_url": null}'),
        ("kolada.json", b'\xef\xbb\xbf\n  [{"a": 1}]'),
    ],
)
def test_honest_files_pass(name, content):
    assert messages(name, content) == []


def test_size_limit_names_file_size_and_limit():
    [message] = messages("stor.csv", b"a;b\n" * (3 * MB // 4 + 1), max_bytes=2 * MB)
    assert "stor.csv" in message
    assert "3,0 MB" in message and "2,0 MB" in message


def test_exactly_the_limit_is_accepted():
    assert messages("lagom.csv", b"a" * 1000, max_bytes=1000) == []


def test_empty_file():
    assert messages("tom.csv", b"") == ["Filen 'tom.csv' är tom."]


def test_zip_renamed_csv_is_refused():
    [message] = messages("data.csv", xlsx_bytes([["a", 1]]))
    assert "ZIP-fil" in message and "data.csv" in message


def test_xlsx_that_is_not_a_zip_is_refused():
    [message] = messages("data.xlsx", cp1252_csv())
    assert "ingen Excel-arbetsbok" in message


def test_zip_without_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hej")
    [message] = messages("data.xlsx", out.getvalue())
    assert "xl/workbook.xml saknas" in message


def test_old_xls_is_refused_with_hint():
    ole = safety.OLE_MAGIC + bytes(600)
    for name in ("gammal.xls", "omdöpt.csv", "omdöpt.xlsx"):
        [message] = messages(name, ole)
        assert "gamla Excel-formatet (.xls)" in message and ".xlsx" in message


@pytest.mark.parametrize("name", ["makro.xlsm", "mall.xltm", "binär.xlsb"])
def test_macro_extensions_are_refused(name):
    [message] = messages(name, xlsx_bytes([["a"]]))
    assert "makroaktiverad" in message


def test_macro_content_in_xlsx_is_refused():
    [message] = messages("oskyldig.xlsx", with_vba_project(xlsx_bytes([["a"]])))
    assert "makroaktiverad" in message


def test_unknown_extension_is_refused():
    [message] = messages("rapport.pdf", b"%PDF-1.7")
    assert "'.pdf'" in message and "CSV" in message


def test_json_must_look_like_json():
    [message] = messages("data.json", b"Kommun;V\xe4rde\n")
    assert "ser inte ut som JSON" in message


def test_xlsx_bomb_is_refused_from_the_directory():
    [message] = messages("bomb.xlsx", xlsx_bomb(30))
    assert "zip-bomber" in message and "bomb.xlsx" in message


def test_total_uncompressed_size_limit(monkeypatch):
    monkeypatch.setattr(safety, "MAX_XLSX_UNCOMPRESSED_BYTES", 2 * MB)
    [message] = messages("bomb.xlsx", xlsx_bomb(3))
    assert "packas upp" in message and "2,0 MB" in message


def test_entry_count_limit():
    out = io.BytesIO(xlsx_bytes([["a"]]))
    with zipfile.ZipFile(out, "a") as archive:
        for i in range(safety.MAX_XLSX_ENTRIES + 1):
            archive.writestr(f"xl/media/bild{i}.txt", "x")
    [message] = messages("många.xlsx", out.getvalue())
    assert "delar" in message


# --- Personal identity numbers ------------------------------------------------------------------

# 121212-1212 is Skatteverket's test person Tolvan Tolvansson; 701063-2391 a samordningsnummer.
VALID = [
    "121212-1212",
    "1212121212",
    "121212+1212",
    "19121212-1212",
    "191212121212",
    "701063-2391",
    "197010632391",
    "Id: 121212-1212",
    '{"id": "19121212-1212"}',
    '{"id": 1212121212, "x": 1}',
    "Anteckning 121212-1212, kontrolleras",
]
NOT_PERSONAL = [
    "121212-1213",  # Luhn fails
    "19121212-1213",
    "2023",
    "12345,6",
    "1 234 567 890",
    "0680",
    "2019 2020 2021 2022",
    "2019;2020;2021;2022",
    "2019-2020-2021",
    "201920212022",
    "1212121212,5",  # a decimal number
    "0,1212121212",
    "1212121212%",
    "U1212121212",  # an id with letters
    "1212121212345",  # a longer number
    "V15E068000101",
    "45 %",
]


@pytest.mark.parametrize("text", VALID)
def test_personal_numbers_are_found(text):
    assert contains_personal_number(text)


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_ordinary_values_are_not_personal_numbers(text):
    assert not contains_personal_number(text)


def luhn_complete(nine: str) -> str:
    """Nine digits YYMMDDNNN plus the Luhn check digit."""
    total = sum(
        (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d
        for i, d in enumerate(map(int, nine))
    )
    return f"{nine}{(10 - total % 10) % 10}"


def test_luhn_helper_agrees_with_tolvan():
    assert luhn_complete("121212121") == "1212121212"


@pytest.mark.parametrize(
    "nine",
    [
        "121312121",  # month 13
        "120230121",  # 30 February
        "121292121",  # day 92 (samordningsnummer go up to 91)
        "121200121",  # day 0
        "212000051",  # an organisationsnummer (kommuner: 212000-…): "month" 20
        "232100005",  # a region's organisationsnummer
    ],
)
def test_luhn_valid_digits_without_a_real_date_do_not_match(nine):
    number = luhn_complete(nine)
    assert not contains_personal_number(f"{number[:6]}-{number[6:]}")


def test_a_future_birth_date_is_not_a_personal_number():
    # 2099-12-12 with a correct check digit: the date cannot be a birth date yet.
    assert not contains_personal_number("20" + luhn_complete("991212121"))
    assert contains_personal_number("19" + luhn_complete("991212121"))


@given(st.lists(st.integers(1990, 2035), min_size=2, max_size=8), st.sampled_from(";, \t-/"))
def test_years_joined_by_separators_never_match(years, sep):
    assert not contains_personal_number(sep.join(map(str, years)))


@given(st.floats(-1e7, 1e7, allow_nan=False))
def test_plain_numbers_never_match(value):
    assert not contains_personal_number(f"{value:.2f}".replace(".", ","))


def test_refusal_never_echoes_the_number():
    problem = personal_number_problem("lista.csv", row=4, column="Id")
    assert problem.message == (
        "Filen 'lista.csv' innehåller något som ser ut som ett personnummer eller "
        "samordningsnummer (rad 4, kolumn 'Id'). Filen tas inte emot; ta bort "
        "personuppgifterna och försök igen."
    )
    assert problem.value is None and problem.severity is Severity.ERROR


# --- Formulas -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://example.com","klicka")',
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1:A3)",
        "\tsomething",
        "\r=1",
        "- text",
        "-A1",
    ],
)
def test_formula_like_text_is_neutralised(text):
    assert is_formula_like(text)
    assert neutralise_formula(text) == "'" + text
    # Idempotent: the neutralised text is not formula-like any more.
    assert neutralise_formula(neutralise_formula(text)) == neutralise_formula(text)


@pytest.mark.parametrize(
    "text",
    ["-5", "−5,2", "+3", "-1 234,5", "-12.5", "-1,5E-05", "-45 %", "-", "Jönköping", "", "a=b"],
)
def test_numbers_and_plain_text_are_left_alone(text):
    assert not is_formula_like(text)
    assert neutralise_formula(text) == text


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text):
    safe = neutralise_formula(text)
    assert not is_formula_like(safe)
    assert safe.removeprefix("'") == text or safe == text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 -+.,;%\t\nab19２０", max_size=30))
def test_the_quick_candidate_search_finds_every_personal_number_the_rule_would(text):
    # A text the candidate search passes over is never scanned with the full rule.
    folded = fold_for_scan(text)
    if text_safety._PERSONAL_NUMBER.search(folded) is not None:
        assert text_safety._CANDIDATE.search(folded) is not None


def test_a_personal_number_is_still_found_among_many_numbers():
    rows = "\n".join(f"N00053;0680;20{i % 25:02d};T;{105017 + i};;;" for i in range(3000))
    text = f"{rows}\n0680;19121212-1212;x\n"
    assert personal_number_line(text) == 3000
    assert find_personal_number(text) is not None
