"""The issue's bad-input suite, end to end: the bytes an analyst's program writes, through
`pipeline.save`, into a real SQLite store prepared as `make run` prepares one.

One store serves the whole module, with a small baseline import already saved, so "unchanged"
means something. A refused file must leave every table exactly as it was (a sorted dump of all
tables, and the SQLite file's own bytes after a checkpoint); a file saved with a warning must
store exactly the values the analyst wrote. Every saved case writes keys of its own, so the
cases do not depend on each other or on their order."""

import hashlib
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from import_samples import (
    cp1252_csv,
    invalid_utf8_csv,
    mojibake_csv,
    patch_zip,
    uncached_formula_xlsx,
    utf8_bom_csv,
    with_vba_project,
    xlsx_bomb,
    xlsx_bytes,
)
from sqlalchemy import create_engine, inspect, select, text

from indicators.imports.pipeline import FileStatus, ImportResult, save
from indicators.imports.records import Problem, Severity, UploadedFile
from indicators.settings import Settings, get_settings
from indicators.store import models as m
from indicators.store.engine import engine_for
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES
from indicators.writes.bootstrap import prepare_store

USER = "Åsa Öberg"
RATE = "N21497"  # andel (%), per kön, kommun
COUNT = "N01951"  # antal, per kön
RATIO = "U20462"  # per 100 000 invånare 65+: no range, negatives allowed
RATIO_2 = "N20402"  # per 100 000 invånare 80+: no range, negatives allowed
NEXT_YEAR = datetime.now(UTC).year + 1

HEADER = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status"
PERSONAL_NUMBER_FORMS = ("19121212-1212", "121212-1212", "191212121212", "1212121212")


def mall_csv(
    *rows: str, header: str = HEADER, name: str = "mall.csv", encoding: str = "utf-8-sig"
) -> UploadedFile:
    """The long template as Excel saves "CSV UTF-8 (semikolonavgränsad)": BOM, ';', CRLF."""
    content = "\r\n".join([header, *rows]) + "\r\n"
    return UploadedFile(name, content.encode(encoding))


def mall_xlsx(*rows: list[object], name: str = "mall.xlsx") -> UploadedFile:
    return UploadedFile(name, xlsx_bytes([HEADER.split(";"), *rows]))


BASELINE = mall_csv(
    f"{RATE};0680;2023;T;87,5;35;40;",
    f"{RATE};0604;2023;K;;;;..",
    f"{RATE};0617;2022;M;12;6;50;",
    name="grund.csv",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("felaktiga-filer") / "lager.sqlite"
    settings = Settings(database_url=f"sqlite:///{path}", seed_demo=False)
    prepare_store(settings)
    store = Store(settings.database_url)
    result = save(store, [BASELINE], user=USER)
    assert result.status is FileStatus.SAVED, result.problems
    return store


# --- the store's fingerprint -------------------------------------------------------------------


def table_dumps(store: Store) -> dict[str, str]:
    """Per table, a sha256 of every row, sorted by all columns (WAL content included, as any
    reader sees it)."""
    engine = create_engine(store.url)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            digests = {}
            for table in sorted(inspector.get_table_names()):
                width = len(inspector.get_columns(table))
                order = ", ".join(str(i) for i in range(1, width + 1))
                rows = connection.execute(text(f'SELECT * FROM "{table}" ORDER BY {order}'))
                dumped = "\n".join(repr(tuple(row)) for row in rows)
                digests[table] = hashlib.sha256(dumped.encode()).hexdigest()
            return digests
    finally:
        engine.dispose()


def file_digest(store: Store) -> str:
    """The SQLite file's bytes once everything in the WAL has been written back into it."""
    engine_for(store.url).dispose()
    path = Path(store.url.removeprefix("sqlite:///"))
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(store: Store) -> tuple[dict[str, str], str]:
    return table_dumps(store), file_digest(store)


def stored(store: Store, key: tuple[str, str, str, str]) -> list[tuple[object, ...]]:
    """(value, status, status_reason) of every observation under one key."""
    indicator, area, period, gender = key
    obs = m.Observation
    engine = create_engine(store.url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(obs.value, obs.status, obs.status_reason).where(
                    obs.indicator_id == indicator,
                    obs.area_code == area,
                    obs.period_start == date(int(period), 1, 1),
                    obs.gender == gender,
                )
            )
            return [(value, str(status), reason) for value, status, reason in rows]
    finally:
        engine.dispose()


def problem_with(result: ImportResult, message: str) -> Problem:
    matching = [p for p in result.problems if message in p.message]
    assert matching, [p.message for p in result.problems]
    return matching[0]


# --- refused files: the message, and not a byte changed ----------------------------------------


@dataclass(frozen=True)
class Refused:
    file: UploadedFile
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None  # the Problem's shown value, checked when given
    sheet: str | None = None
    severity: Severity = Severity.ERROR
    indicator_id: str | None = None
    upload_limit_mb: int | None = None
    check: Callable[[ImportResult], None] | None = None


def _never_shows_personal_numbers(result: ImportResult) -> None:
    shown = json.dumps(result.to_json(), ensure_ascii=False) + repr(result)
    for form in PERSONAL_NUMBER_FORMS:
        assert form not in shown
    assert all(p.value is None for p in result.problems)


def _formula_kept_only_neutralised(result: ImportResult) -> None:
    unknown = problem_with(result, "Okänd indikator")
    assert unknown.value is not None and unknown.value.startswith("'=HYPERLINK(")


def _messages_stay_short(result: ImportResult) -> None:
    assert all(len(p.message) < 400 for p in result.problems)
    assert all(p.value is None or len(p.value) <= 60 for p in result.problems)


def _both_rows_named(result: ImportResult) -> None:
    rows = {p.row for p in result.problems if "olika värden" in p.message}
    assert rows == {2, 3}


def _large_mall(megabytes: float) -> UploadedFile:
    line = f"{RATE};0680;2023;T;87,5;35;40;"
    count = int(megabytes * 1024 * 1024 / (len(line) + 2)) + 1
    return mall_csv(*([line] * count), name="stor.csv")


def _quoted_lines() -> UploadedFile:
    # Some exports wrap each whole line in quotes: read with ';', every line is one field.
    lines = [HEADER, f"{RATE};0680;2021;T;50;;;", f"{RATE};0604;2021;T;51;;;"]
    return UploadedFile("citat.csv", ("\r\n".join(f'"{x}"' for x in lines) + "\r\n").encode())


REFUSED = [
    pytest.param(Refused(UploadedFile("tom.csv", b""), "Filen 'tom.csv' är tom."), id="tom-fil"),
    pytest.param(Refused(mall_csv(), "Filen har rubriker men inga rader."), id="bara-rubrikrad"),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;T;;;", header=HEADER.replace("Värde;", "")),
            "Kolumnen 'Värde' saknas i rubrikraden",
            row=1,
            column="Värde",
        ),
        id="saknad-kolumn",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;T;50;;;;51", header=HEADER + ";Värde"),
            "Kolumnen 'Värde' finns mer än en gång i rubrikraden.",
            row=1,
            column="Värde",
        ),
        id="dubbel-kolumn",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};9999;2021;T;50;;;"),
            "Områdeskoden '9999' är okänd.",
            row=2,
            column="Område",
            value="9999",
        ),
        id="okänd-kommun-9999",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};680;2021;T;50;;;"),
            "Kommunkoden '680' saknar inledande nolla; menade du '0680'?",
            row=2,
            column="Område",
            value="680",
        ),
        id="kommunkod-680",
    ),
    pytest.param(
        Refused(
            mall_xlsx([RATE, 680, 2021, "T", 50]),
            "Kommunkoden '680' saknar inledande nolla; menade du '0680'?",
            row=2,
            column="Område",
            value="680",
            sheet="Data",
        ),
        id="kommunkod-680-som-tal-i-xlsx",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0643;2021;T;50;;;", f"{RATE};0643;2021;T;51;;;"),
            "olika värden: rad 2, kolumn Värde, rad 3, kolumn Värde.",
            row=2,
            column="Värde",
            value="50",
            check=_both_rows_named,
        ),
        id="samma-nyckel-olika-värden",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;T;-1;;;"),
            "En andel i procent måste ligga mellan 0 och 100.",
            row=2,
            column="Värde",
            value="−1",
        ),
        id="negativ-andel",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;T;100,5;;;"),
            "En andel i procent måste ligga mellan 0 och 100.",
            row=2,
            column="Värde",
            value="100,5",
        ),
        id="andel-över-100",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;T;−5;;;"),
            "En andel i procent måste ligga mellan 0 och 100.",
            row=2,
            column="Värde",
            value="−5",
        ),
        id="unicode-minus-i-andel",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;T;12,5;;;", f"{RATE};0680;2021;K;12.5;;;"),
            "Kolumnen 'Värde' blandar decimalkomma (först på rad 2) och decimalpunkt "
            "(först på rad 3)",
            column="Värde",
        ),
        id="blandade-decimaltecken",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2031;T;50;;;"),
            f"Året ligger utanför 2000–{NEXT_YEAR}.",
            row=2,
            column="Period",
            value="2031",
        ),
        id="år-2031",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;1899;T;50;;;"),
            f"Året ligger utanför 2000–{NEXT_YEAR}.",
            row=2,
            column="Period",
            value="1899",
        ),
        id="år-1899",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2023Q5;T;50;;;"),
            "Kvartal 5 finns inte i '2023Q5'",
            row=2,
            column="Period",
            value="2023Q5",
        ),
        id="kvartal-2023Q5",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2023-13;T;50;;;"),
            "Månad 13 finns inte i '2023-13'",
            row=2,
            column="Period",
            value="2023-13",
        ),
        id="månad-2023-13",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;X;50;;;"),
            "Kön 'X' är okänt; använd T, K eller M.",
            row=2,
            column="Kön",
            value="X",
        ),
        id="kön-X",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;T;50;;;;19121212-1212", header=HEADER + ";Personnummer"),
            "Filen 'mall.csv' innehåller något som ser ut som ett personnummer eller "
            "samordningsnummer (rad 2, kolumn 'I (Personnummer)')",
            row=2,
            column="I (Personnummer)",
            check=_never_shows_personal_numbers,
        ),
        id="personnummerkolumn",
    ),
    pytest.param(
        Refused(
            mall_xlsx([RATE, "0680", "2021", "T", 50, 1212121212, 1212121213]),
            "innehåller något som ser ut som ett personnummer",
            row=2,
            column="F (Täljare)",
            sheet="Data",
            check=_never_shows_personal_numbers,
        ),
        id="personnummer-som-tal-i-xlsx",
    ),
    pytest.param(
        Refused(
            mall_csv('=HYPERLINK("http://example.com");0680;2021;T;50;;;'),
            "läser som en formel; den läses bara som text",
            row=2,
            column="Indikator",
            value='=HYPERLINK("http://example.com")',
            severity=Severity.WARNING,
            check=_formula_kept_only_neutralised,
        ),
        id="hyperlänk-som-indikator",
    ),
    pytest.param(
        Refused(
            mall_csv(f'{RATE};0680;2021;T;;;;=HYPERLINK("http://example.com")'),
            "Okänd status",
            row=2,
            column="Status",
            value='=HYPERLINK("http://example.com")',
        ),
        id="hyperlänk-som-status",
    ),
    pytest.param(
        Refused(
            mall_xlsx([RATE, "0680", "2021", "T", "=40+2"]),
            "Cell E2 (rad 2) på bladet 'Data' innehåller en formel utan beräknat värde",
            row=2,
            column="E",
            value="=40+2",
            sheet="Data",
        ),
        id="xlsx-formel-utan-värde",
    ),
    pytest.param(
        Refused(
            UploadedFile("bred.xlsx", uncached_formula_xlsx()),
            "Cell B7 (rad 7) på bladet 'Data' innehåller en formel utan beräknat värde",
            row=7,
            column="B",
            value="=SUM(B2:B6)",
            sheet="Data",
            indicator_id=RATE,
        ),
        id="xlsx-summaformel-utan-värde",
    ),
    pytest.param(
        Refused(
            mall_csv("<script>alert(1)</script>;0680;2021;T;50;;;"),
            "Okänd indikator",
            row=2,
            column="Indikator",
            value="<script>alert(1)</script>",  # as text: neither escaped nor stripped
        ),
        id="html-som-indikator",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};<b>Jönköping</b>;2021;T;50;;;"),
            "Området '<b>Jönköping</b>' är okänt",
            row=2,
            column="Område",
            value="<b>Jönköping</b>",
        ),
        id="html-som-område",
    ),
    pytest.param(
        Refused(
            mall_csv("X" * 10_000 + ";0680;2021;T;50;;;"),
            "Okänd indikator",
            row=2,
            column="Indikator",
            value="X" * 59 + "…",
            check=_messages_stay_short,
        ),
        id="10000-tecken-indikator",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATE};0680;2021;T;" + "x" * 10_000 + ";;;"),
            "'" + "x" * 59 + "…' är inget tal.",
            row=2,
            column="Värde",
            value="x" * 59 + "…",
            check=_messages_stay_short,
        ),
        id="10000-tecken-värde",
    ),
    pytest.param(
        Refused(
            UploadedFile("trasig.csv", invalid_utf8_csv()),
            "innehåller tecken som inte går att läsa, varken som UTF-8 eller som Windows-1252",
            row=1,
        ),
        id="ogiltig-utf8",
    ),
    pytest.param(
        Refused(
            UploadedFile("omkodad.csv", mojibake_csv()),
            "innehåller felkodade tecken ('Ã¶' på rad 1",
            row=1,
            value="Ã¶",
        ),
        id="mojibake",
    ),
    pytest.param(
        Refused(
            _quoted_lines(),
            "Filen 'citat.csv' blir bara en kolumn eftersom varje rad står inom citattecken",
        ),
        id="semikolonfil-blir-en-kolumn",
    ),
    pytest.param(
        Refused(
            _large_mall(1.1),
            "Filen 'stor.csv' är 1,1 MB, vilket är mer än gränsen 1,0 MB.",
            upload_limit_mb=1,
        ),
        id="över-storleksgränsen",
    ),
    pytest.param(
        Refused(UploadedFile("bomb.xlsx", xlsx_bomb()), "typiskt för så kallade zip-bomber"),
        id="xlsx-bomb",
    ),
    pytest.param(
        Refused(
            UploadedFile("arbetsbok.csv", xlsx_bytes([HEADER.split(";")])),
            "Filen 'arbetsbok.csv' heter .csv men innehållet är en ZIP-fil",
        ),
        id="zip-som-csv",
    ),
    pytest.param(
        Refused(
            UploadedFile("makro.xlsx", with_vba_project(xlsx_bytes([HEADER.split(";")]))),
            "Filen 'makro.xlsx' är en makroaktiverad eller binär Excel-fil",
        ),
        id="makro-i-xlsx",
    ),
    pytest.param(
        Refused(
            UploadedFile("unicode.csv", ("\ufeff" + HEADER + "\r\n").encode("utf-16-le")),
            "Filen 'unicode.csv' är sparad som UTF-16",
        ),
        id="utf16-text",
    ),
    pytest.param(
        Refused(
            mall_csv(f"{RATIO};0680;2021;T;1,234.5;;;"),
            "'1,234.5' har både komma och punkt",
            row=2,
            column="Värde",
            value="1,234.5",
        ),
        id="tusentalskomma-och-decimalpunkt",
    ),
    pytest.param(
        Refused(
            mall_xlsx([RATE, "0680", "2021", "T", "#N/A"]),
            "Cellen innehåller Excel-felet '#N/A'",
            row=2,
            column="Värde",
            value="#N/A",
            sheet="Data",
        ),
        id="excel-fel-i-värde",
    ),
    pytest.param(
        Refused(
            mall_xlsx([RATE, "0680", datetime(2023, 3, 1), "T", 50]),
            "'2023-03-01' är ett datum; ange perioden som 2023",
            row=2,
            column="Period",
            value="2023-03-01",
            sheet="Data",
        ),
        id="excel-gjorde-perioden-till-datum",
    ),
    pytest.param(
        Refused(
            UploadedFile("fält.csv", f"{HEADER}\r\n{RATE};0680;2021;T;50;;;;;99\r\n".encode()),
            "Rad 2 har 10 fält men tabellen har 8 kolumner.",
            row=2,
        ),
        id="rad-med-för-många-fält",
    ),
    pytest.param(
        Refused(
            UploadedFile("bred.csv", "Kommun;Kön;2021\r\n9999;T;12,5\r\n".encode("utf-8-sig")),
            "Områdeskoden '9999' är okänd.",
            row=2,
            column="Kommun",
            value="9999",
            indicator_id=RATIO,
        ),
        id="bred-okänd-kommun-9999",
    ),
    pytest.param(
        Refused(
            UploadedFile("bred.csv", "Kommun;Kön;2021\r\n0680;T;12,5\r\n0680;T;12,6\r\n".encode()),
            "olika värden: rad 2, kolumn 2021, rad 3, kolumn 2021.",
            row=2,
            column="2021",
            value="12,5",
            indicator_id=RATIO,
            check=_both_rows_named,
        ),
        id="bred-samma-nyckel-olika-värden",
    ),
]


@pytest.mark.parametrize("case", REFUSED)
def test_refused_file_names_the_problem_and_changes_nothing(
    store: Store, case: Refused, monkeypatch: pytest.MonkeyPatch
) -> None:
    if case.upload_limit_mb is not None:
        monkeypatch.setenv("INDIKATOR_MAX_UPLOAD_MB", str(case.upload_limit_mb))
        get_settings.cache_clear()
    before = fingerprint(store)
    try:
        result = save(store, [case.file], user=USER, indicator_id=case.indicator_id)
    finally:
        get_settings.cache_clear()
    assert result.status is FileStatus.REJECTED
    assert [(f.status, f.batch_id) for f in result.files] == [(FileStatus.REJECTED, None)]
    problem = problem_with(result, case.message)
    assert problem.file == case.file.name
    assert (problem.severity, problem.sheet, problem.row, problem.column) == (
        case.severity,
        case.sheet,
        case.row,
        case.column,
    )
    if case.value is not None:
        assert problem.value == case.value
    if case.check is not None:
        case.check(result)
    assert fingerprint(store) == before


# --- files saved with a warning, or read correctly -------------------------------------------


Key = tuple[str, str, str, str]  # indicator, area, year, gender


@dataclass(frozen=True)
class Accepted:
    file: UploadedFile
    stored: dict[Key, tuple[float | None, str, str]]  # (value, status, status_reason)
    warning: str | None = None
    row: int | None = None
    column: str | None = None
    indicator_id: str | None = None
    rows_read: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _stale_dimension_mall() -> tuple[UploadedFile, dict[Key, tuple[float | None, str, str]]]:
    """39 rows whose <dimension> record claims A1:B2, as some exporting programs leave it."""
    keys = [(RATE, code, "2019", g) for code in COUNTY_KOMMUN_CODES for g in "TKM"]
    rows = [[k[0], k[1], k[2], k[3], 10 + i] for i, k in enumerate(keys)]
    content = patch_zip(
        xlsx_bytes([HEADER.split(";"), *rows]),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', xml),
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b'<dimension ref="A1:B2"/>' in archive.read("xl/worksheets/sheet1.xml")
    expected = {k: (10.0 + i, "ok", "") for i, k in enumerate(keys)}
    return UploadedFile("gammal-dimension.xlsx", content), expected


STALE_FILE, STALE_STORED = _stale_dimension_mall()
CP1252_REASON = "saknas: uppgiften är försenad från Tranås"
BOM_REASON = "sekretess: för få svarande i Värnamo och Sävsjö"

ACCEPTED = [
    pytest.param(
        Accepted(
            mall_csv(f"{RATE};0642;2022;T;50;;;", f"{RATE};0642;2022;T;50;;;"),
            {(RATE, "0642", "2022", "T"): (50.0, "ok", "")},
            warning="Dubblett av rad 2, kolumn Värde med samma värde: räknas en gång.",
            row=3,
            column="Värde",
        ),
        id="identiska-dubbletter",
    ),
    pytest.param(
        Accepted(
            mall_csv(
                f"{RATE};0604;2022;T;..;;;", f"{RATE};0604;2022;K;-;;;", f"{RATE};0604;2022;M;.;;;"
            ),
            {
                (RATE, "0604", "2022", "T"): (None, "suppressed", "..: sekretess"),
                (RATE, "0604", "2022", "K"): (None, "missing", "-: bortfall"),
                (RATE, "0604", "2022", "M"): (None, "not_applicable", ".: ej tillämpligt"),
            },
        ),
        id="prickar-och-streck-som-saknade",
    ),
    pytest.param(
        Accepted(
            mall_csv(f"{RATE};0617;2021;T;;;;"),
            {(RATE, "0617", "2021", "T"): (None, "missing", "tom cell")},
            warning="Tom cell: värdet saknas och sparas som saknat.",
            row=2,
            column="Värde",
        ),
        id="tom-värdecell",
    ),
    pytest.param(
        Accepted(
            mall_csv(
                f"{RATIO};0604;2021;T;1 234,5;;;",
                f"{RATIO};0604;2021;K;1\u00a0234,5;;;",
                f"{RATIO};0604;2021;M;−5;;;",
                f"{RATE};0662;2022;T;45 %;;;",
            ),
            {
                (RATIO, "0604", "2021", "T"): (1234.5, "ok", ""),
                (RATIO, "0604", "2021", "K"): (1234.5, "ok", ""),
                (RATIO, "0604", "2021", "M"): (-5.0, "ok", ""),
                (RATE, "0662", "2022", "T"): (45.0, "ok", ""),
            },
        ),
        id="mellanslag-minus-och-procent",
    ),
    pytest.param(
        Accepted(
            mall_csv(f"{COUNT};0680;2022;T;3;;;"),
            {(COUNT, "0680", "2022", "T"): (3.0, "ok", "")},
            warning="Litet antal (under 5): sparas men visas som sekretess.",
            row=2,
            column="Värde",
        ),
        id="antal-1-4",
    ),
    pytest.param(
        Accepted(
            mall_csv(f"{RATE};0665;2022;T;50;2;4;"),
            {(RATE, "0665", "2022", "T"): (50.0, "ok", "")},
            warning="Litet antal (under 5): sparas men visas som sekretess.",
            row=2,
            column="Täljare",
        ),
        id="täljare-1-4",
    ),
    pytest.param(
        Accepted(
            mall_csv(f"{RATE};Jönköping;2021;K;;;;{CP1252_REASON}", encoding="cp1252"),
            {(RATE, "0680", "2021", "K"): (None, "missing", CP1252_REASON)},
        ),
        id="cp1252-mall",
    ),
    pytest.param(
        Accepted(
            mall_csv(f"{RATE};Värnamo;2021;M;;;;{BOM_REASON}", encoding="utf-8-sig"),
            {(RATE, "0683", "2021", "M"): (None, "suppressed", BOM_REASON)},
        ),
        id="utf8-bom-mall",
    ),
    pytest.param(
        Accepted(
            UploadedFile("kommunfil.csv", cp1252_csv()),
            {
                (RATIO_2, "0680", "2022", "T"): (12.5, "ok", ""),
                (RATIO_2, "0680", "2023", "T"): (1234.5, "ok", ""),
                (RATIO_2, "0683", "2022", "K"): (-5.0, "ok", ""),
                (RATIO_2, "0683", "2023", "K"): (45.0, "ok", ""),
            },
            indicator_id=RATIO_2,
            rows_read=4,  # values read: two rows of two years
        ),
        id="cp1252-bred-fil",
    ),
    pytest.param(
        Accepted(
            UploadedFile("kommunfil-bom.csv", utf8_bom_csv()),
            {
                (RATIO, "0680", "2022", "T"): (12.5, "ok", ""),
                (RATIO, "0680", "2023", "T"): (1234.5, "ok", ""),
                (RATIO, "0683", "2022", "K"): (-5.0, "ok", ""),
                (RATIO, "0683", "2023", "K"): (45.0, "ok", ""),
            },
            indicator_id=RATIO,
            rows_read=4,  # values read: two rows of two years
        ),
        id="utf8-bom-bred-fil",
    ),
    pytest.param(
        Accepted(
            UploadedFile(
                "flikar.tsv",
                "\r\n".join([HEADER, f"{RATE};0684;2020;T;50,5;;;"]).replace(";", "\t").encode(),
            ),
            {(RATE, "0684", "2020", "T"): (50.5, "ok", "")},
        ),
        id="tabbavgränsad-med-decimalkomma",
    ),
    pytest.param(
        Accepted(STALE_FILE, STALE_STORED, rows_read=len(STALE_STORED)),
        id="xlsx-med-gammal-dimension",
    ),
]


@pytest.mark.parametrize("case", ACCEPTED)
def test_accepted_file_stores_exactly_what_was_written(store: Store, case: Accepted) -> None:
    result = save(store, [case.file], user=USER, indicator_id=case.indicator_id)
    assert result.status is FileStatus.SAVED, [
        (p.row, p.column, p.message) for p in result.problems
    ]
    saved = result.files[0]
    assert saved.errors == 0 and saved.rejected == 0 and saved.batch_id is not None
    assert saved.new == len(case.stored)
    if case.rows_read is not None:
        assert saved.rows_read == case.rows_read
    if case.warning is None:
        assert saved.warnings == 0, [p.message for p in result.problems]
    else:
        problem = problem_with(result, case.warning)
        assert (problem.severity, problem.file, problem.row, problem.column) == (
            Severity.WARNING,
            case.file.name,
            case.row,
            case.column,
        )
    for key, (value, status, reason) in case.stored.items():
        assert stored(store, key) == [(value, status, reason)], key


# --- the same file twice ---------------------------------------------------------------------


def test_the_same_file_twice_changes_nothing_and_adds_no_batch(store: Store) -> None:
    before = table_dumps(store)
    result = save(store, [BASELINE], user=USER)
    assert result.status is FileStatus.UNCHANGED and result.ok
    again = result.files[0]
    assert (again.new, again.changed, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert again.batch_id is None
    # Not a batch, not an audit entry, not even a new data version: nothing at all.
    assert table_dumps(store) == before


def _count(store: Store, table: str) -> int:
    engine = create_engine(store.url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
    finally:
        engine.dispose()


# --- bugs this suite found, now fixed ---------------------------------------------------------


def test_a_10000_character_status_is_never_stored_whole(store: Store) -> None:
    file = mall_csv(f"{RATE};0685;2021;T;;;;saknas: " + "x" * 10_000)
    result = save(store, [file], user=USER)
    if result.status is FileStatus.REJECTED:
        problem = problem_with(result, "Status")
        assert (problem.row, problem.column) == (2, "Status")
    else:
        reasons = stored(store, (RATE, "0685", "2021", "T"))
        assert all(len(reason) <= 120 for _, _, reason in reasons)


def test_a_10000_character_file_name_is_shortened_in_messages(store: Store) -> None:
    result = save(store, [UploadedFile("x" * 10_000 + ".csv", b"")], user=USER)
    assert result.status is FileStatus.REJECTED
    assert all(len(p.message) < 400 for p in result.problems)


def test_a_personal_number_in_the_file_name_is_refused_and_never_echoed(store: Store) -> None:
    before = fingerprint(store)
    good = "Indikator;Område;Period;Kön;Värde\r\nN21497;0680;2020;T;50\r\n".encode("utf-8-sig")
    result = save(store, [UploadedFile("C:\\fakepath\\121212-1212 lista.csv", good)], user=USER)
    assert result.status is FileStatus.REJECTED
    assert fingerprint(store) == before
    shown = repr(result.to_json())
    assert "1212" not in shown and "Filnamnet innehåller" in shown


def _refused_without_a_trace(store: Store, file: UploadedFile, **options: object) -> ImportResult:
    before = fingerprint(store)
    result = save(store, [file], user=USER, **options)  # type: ignore[arg-type]
    after = fingerprint(store)
    assert result.status is FileStatus.REJECTED, [
        (p.row, p.column, p.message) for p in result.problems
    ]
    assert after == before
    return result


@pytest.mark.parametrize("header", ["2023Q5", "2023-13"])
def test_an_impossible_period_as_a_wide_column_header_is_named(store: Store, header: str) -> None:
    file = UploadedFile(
        "kommunfil.csv", f"Kommun;Kön;2020;{header}\r\n0680;T;12,5;13\r\n".encode("utf-8-sig")
    )
    result = _refused_without_a_trace(store, file, indicator_id=RATIO)
    assert any(header in p.message and p.severity is Severity.ERROR for p in result.problems)


def test_an_unquoted_decimal_comma_in_a_comma_file_is_refused(store: Store) -> None:
    header = HEADER.replace(";", ",")
    lines = [header, f"{RATE},0686,2020,T,50,5,,,", f"{RATE},0687,2020,T,50,,,"]
    file = UploadedFile("komma.csv", ("\r\n".join(lines) + "\r\n").encode())
    result = _refused_without_a_trace(store, file)
    assert any(p.row == 2 and p.severity is Severity.ERROR for p in result.problems)
