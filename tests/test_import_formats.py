"""The format layer: each real export shape read into canonical records, every problem named."""

import csv
import io
import json
import math
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators.catalogue import Catalogue
from indicators.imports.export import export_observations, status_text
from indicators.imports.formats import FORMATS, parse_upload
from indicators.imports.formats.mall import EXAMPLE_NOTE, EXAMPLE_ROW, TEMPLATE_COLUMNS
from indicators.imports.records import RECORD_COLUMNS, ParsedFile, Severity, UploadedFile
from indicators.imports.template import template_csv, template_xlsx
from indicators.imports.values import AreaResolver
from indicators.paths import KOLADA_AREAS_FILE
from indicators.spreadsheets import to_csv_bytes
from indicators.vocabulary.domain import ObservationStatus

FIXTURES = Path(__file__).parent / "fixtures" / "import"
MAX_BYTES = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def areas() -> AreaResolver:
    with KOLADA_AREAS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kinds = {"K": "kommun", "L": "region"}
    return AreaResolver(
        (r["id"], r["title"], "riket" if r["id"] == "0000" else kinds[r["type"]]) for r in rows
    )


@pytest.fixture
def read(areas: AreaResolver, catalogue: Catalogue):
    def read(name: str, content: bytes | None = None, **options: str) -> ParsedFile:
        data = (FIXTURES / name).read_bytes() if content is None else content
        return parse_upload(
            UploadedFile(name, data),
            areas=areas,
            max_bytes=MAX_BYTES,
            catalogue=catalogue,
            **options,
        )

    return read


def records(parsed: ParsedFile) -> list[tuple]:
    """Records as tuples, NaN as None, so whole files can be compared exactly."""
    assert list(parsed.records.columns) == RECORD_COLUMNS
    rows = []
    for r in parsed.records.itertuples(index=False):
        row = r._asdict()
        for key in ("value", "numerator", "denominator"):
            row[key] = None if math.isnan(row[key]) else row[key]
        rows.append(
            (
                row["indicator_id"],
                row["area_code"],
                row["period_type"],
                row["period_start"].isoformat(),
                row["gender"],
                row["value"],
                row["numerator"],
                row["denominator"],
                row["status"],
                row["status_reason"],
                row["sheet"],
                row["row"],
                row["value_column"],
            )
        )
    return rows


def errors(parsed: ParsedFile) -> list[tuple]:
    return [
        (p.message, p.sheet, p.row, p.column, p.value)
        for p in parsed.problems
        if p.severity is Severity.ERROR
    ]


def warnings(parsed: ParsedFile) -> list[tuple]:
    return [
        (p.message, p.sheet, p.row, p.column, p.value)
        for p in parsed.problems
        if p.severity is Severity.WARNING
    ]


def mall_csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


HEADER = ";".join(TEMPLATE_COLUMNS)
EMPTY = "Tom cell: värdet saknas och sparas som saknat."

# -- Kolada API v3 ------------------------------------------------------------------------------


def test_kolada_json_first_page_drops_deleted_rows_and_keeps_statuses(read):
    parsed = read("kolada_u21401_sida1.json")
    assert parsed.format == "kolada-json"
    assert parsed.rows_read == 4
    assert records(parsed) == [
        ("U21401", "0680", "year", "2022-01-01", "T", 15.0, None, None, "ok", "", None, 1, "value"),
        ("U21401", "0680", "year", "2023-01-01", "T", 14.5, None, None, "ok", "", None, 2, "value"),
        (
            "U21401",
            "0604",
            "year",
            "2023-01-01",
            "T",
            None,
            None,
            None,
            "missing",
            "Bortfall",
            None,
            3,
            "value",
        ),
    ]
    assert errors(parsed) == []
    assert warnings(parsed) == [
        (
            "1 poster är markerade som borttagna i Kolada (isdeleted) och läses inte in.",
            None,
            None,
            None,
            None,
        )
    ]


def test_kolada_json_second_page_string_period_and_genders(read):
    parsed = read("kolada_u21401_sida2.json")
    assert parsed.problems == []
    assert records(parsed) == [
        ("U21401", "0687", "year", "2023-01-01", "T", 12.0, None, None, "ok", "", None, 1, "value"),
        (
            "N21497",
            "0687",
            "year",
            "2023-01-01",
            "K",
            81.25,
            None,
            None,
            "ok",
            "",
            None,
            2,
            "value",
        ),
        (
            "N21497",
            "0687",
            "year",
            "2023-01-01",
            "M",
            None,
            None,
            None,
            "missing",
            "saknas: inget värde i Kolada",
            None,
            2,
            "value",
        ),
        ("N21497", "0687", "year", "2023-01-01", "T", 79.0, None, None, "ok", "", None, 2, "value"),
    ]


def test_kolada_json_oudata_keeps_unit_id_and_reports_bad_rows(read):
    document = {
        "count": 3,
        "values": [
            {
                "kpi": "N21497",
                "ou": "V15E068000301",
                "period": 2023,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 90.5}],
            },
            {
                "kpi": "N21497",
                "municipality": "680",
                "period": 2023,
                "values": [{"gender": "X", "count": 1, "status": "", "value": 1}],
            },
            {
                "kpi": "N21497",
                "municipality": "0680",
                "period": "2023Q5",
                "values": [{"gender": "T", "count": 1, "status": "", "value": 1}],
            },
        ],
        "next_url": None,
    }
    parsed = read("oudata.json", json.dumps(document).encode())
    assert [(*r[:2], r[5]) for r in records(parsed)] == [("N21497", "V15E068000301", 90.5)]
    rows_and_columns = [(e[2], e[3]) for e in errors(parsed)]
    assert rows_and_columns == [(2, "municipality"), (2, "gender"), (3, "period")]
    assert "inledande nolla" in errors(parsed)[0][0]
    assert parsed.rows_read == 3


# -- Kolada web export --------------------------------------------------------------------------


def test_kolada_web_csv_cp1252_with_title_rows(read):
    parsed = read("kolada_web_n21497.csv")
    assert parsed.format == "kolada-web"
    assert parsed.rows_read == 4

    def rec(area, year, value, status="ok", reason="", row=6):
        return ("N21497", area, "year", f"{year}-01-01", "T", value, None, None, status, reason)

    got = [(*r[:10], r[11], r[12]) for r in records(parsed)]
    expected = [
        (*rec("0604", 2020, 84.0), 6, "2020"),
        (*rec("0604", 2021, 85.5), 6, "2021"),
        (*rec("0604", 2022, None, "suppressed", "..: sekretess"), 6, "2022"),
        (*rec("0604", 2023, 88.0), 6, "2023"),
        (*rec("0680", 2020, 79.2), 7, "2020"),
        (*rec("0680", 2021, 80.0), 7, "2021"),
        (*rec("0680", 2022, 81.3), 7, "2022"),
        (*rec("0680", 2023, None, "missing", "tom cell"), 7, "2023"),
        (*rec("0687", 2020, None, "missing", "-: bortfall"), 8, "2020"),
        (*rec("0687", 2021, 77.4), 8, "2021"),
        (*rec("0687", 2022, 78.0), 8, "2022"),
        (*rec("0687", 2023, 79.1), 8, "2023"),
    ]
    assert got == expected
    assert errors(parsed) == []
    assert warnings(parsed) == [
        (EMPTY, None, 7, "2023", None),
        (
            "Raden är ett gruppvärde (medel eller median), inte ett område, och läses inte in.",
            None,
            9,
            "Kommun",
            "Jönköpings läns kommuner (ovägt medel)",
        ),
    ]


def test_kolada_web_xlsx(read):
    parsed = read("kolada_web_u23401.xlsx")
    assert parsed.format == "kolada-web"
    assert parsed.problems == []
    got = [(r[0], r[1], r[3], r[5], r[8], r[9], r[10], r[11], r[12]) for r in records(parsed)]
    assert got == [
        ("U23401", "0680", "2021-01-01", 52.0, "ok", "", "Kolada", 5, "2021"),
        ("U23401", "0680", "2022-01-01", 61.5, "ok", "", "Kolada", 5, "2022"),
        ("U23401", "0680", "2023-01-01", 48.0, "ok", "", "Kolada", 5, "2023"),
        ("U23401", "0685", "2021-01-01", 37.0, "ok", "", "Kolada", 6, "2021"),
        ("U23401", "0685", "2022-01-01", None, "suppressed", "..: sekretess", "Kolada", 6, "2022"),
        ("U23401", "0685", "2023-01-01", 40.25, "ok", "", "Kolada", 6, "2023"),
        ("U23401", "0000", "2021-01-01", 65.0, "ok", "", "Kolada", 7, "2021"),
        ("U23401", "0000", "2022-01-01", 69.0, "ok", "", "Kolada", 7, "2022"),
        ("U23401", "0000", "2023-01-01", 71.0, "ok", "", "Kolada", 7, "2023"),
    ]


KOLADA_WEB_WITHOUT_ID = (
    "Kolada - Jämföraren;;\r\nBrukarbedömning hemtjänst;;\r\n;;\r\nKommun;2022;2023\r\n"
    "Aneby;84;88\r\n"
).encode("cp1252")


def test_kolada_web_without_id_asks_for_the_indicator_and_override_supplies_it(read):
    parsed = read("kolada.csv", KOLADA_WEB_WITHOUT_ID)
    assert parsed.format == "kolada-web"
    assert parsed.records.empty
    assert [e[0] for e in errors(parsed)] == [
        "Filen anger inte vilken indikator värdena hör till. Välj indikatorn vid uppladdningen."
    ]
    chosen = read("kolada.csv", KOLADA_WEB_WITHOUT_ID, indicator_id="N21497")
    assert chosen.problems == []
    assert [(r[0], r[1], r[3], r[5]) for r in records(chosen)] == [
        ("N21497", "0604", "2022-01-01", 84.0),
        ("N21497", "0604", "2023-01-01", 88.0),
    ]


# -- Vården i siffror ---------------------------------------------------------------------------


def test_vis_csv_maps_titles_to_catalogue_and_keeps_unk_msk_inv(read):
    parsed = read("vis_kontinuitet.csv")
    assert parsed.format == "vis"
    assert parsed.problems == []
    assert parsed.rows_read == 6
    pv, fast = "RJL-KONTINUITETSINDEX-PV", "RJL-FAST-LAKARKONTAKT"
    assert records(parsed) == [
        (pv, "0006", "year", "2023-01-01", "T", 0.42, None, None, "ok", "", None, 2, "Värde"),
        (pv, "0680", "year", "2023-01-01", "T", 0.39, None, None, "ok", "", None, 3, "Värde"),
        (
            pv,
            "0604",
            "year",
            "2023-01-01",
            "T",
            None,
            None,
            None,
            "suppressed",
            "MSK: maskerat",
            None,
            4,
            "Värde",
        ),
        (
            pv,
            "0000",
            "year",
            "2023-01-01",
            "T",
            None,
            None,
            None,
            "missing",
            "UNK: okänt",
            None,
            5,
            "Värde",
        ),
        (
            fast,
            "0006",
            "year",
            "2023-01-01",
            "T",
            24.6,
            90528.0,
            368000.0,
            "ok",
            "",
            None,
            6,
            "Värde",
        ),
        (
            fast,
            "0687",
            "year",
            "2023-01-01",
            "T",
            None,
            None,
            None,
            "missing",
            "INV: ogiltigt eller inte tillförlitligt",
            None,
            7,
            "Värde",
        ),
    ]


VIS_UNKNOWN = (
    "Diagramrubrik;Register/källa;Enhetsnamn;Mätperiod;Värde;Måttenhet;Täljare;Nämnare/antal fall\n"
    "Återinskrivning inom 30 dagar;Patientregistret;Eksjö;2022;12,5;Procent;5;40\n"
    "Återinskrivning inom 30 dagar;Patientregistret;Okänd ort;2022;12,5;Procent;5;40\n"
).encode()


def test_vis_unknown_title_requires_the_indicator(read):
    parsed = read("vis.csv", VIS_UNKNOWN)
    assert parsed.format == "vis"
    assert parsed.records.empty
    messages = errors(parsed)
    assert messages[0][0].startswith(
        "Måttet 'Återinskrivning inom 30 dagar' finns inte i katalogen"
    )
    assert messages[0][3] == "Diagramrubrik"
    assert messages[1][2:4] == (3, "Enhetsnamn")  # every row's problem, not only the first
    chosen = read("vis.csv", VIS_UNKNOWN, indicator_id="N20403")
    assert [(r[0], r[1], r[5], r[6], r[7]) for r in records(chosen)] == [
        ("N20403", "0686", 12.5, 5.0, 40.0)
    ]
    assert [(e[2], e[3], e[4]) for e in errors(chosen)] == [(3, "Enhetsnamn", "Okänd ort")]


# -- Socialstyrelsen ----------------------------------------------------------------------------


def test_socialstyrelsen_needs_indicator_then_reads_regions_genders_and_decimal_comma(read):
    parsed = read("socialstyrelsen_lakemedel.json")
    assert parsed.format == "socialstyrelsen"
    assert [e[0] for e in errors(parsed)] == [
        "Filen anger inte vilken indikator värdena hör till. Välj indikatorn vid uppladdningen."
    ]
    parsed = read("socialstyrelsen_lakemedel.json", indicator_id="RJL-X")
    assert parsed.problems == []
    assert parsed.rows_read == 6
    got = [(r[1], r[3], r[4], r[5], r[8], r[9], r[11]) for r in records(parsed)]
    assert got == [
        ("0000", "2022-01-01", "T", 12.4, "ok", "", 1),
        ("0006", "2022-01-01", "T", 13.1, "ok", "", 2),
        ("0680", "2022-01-01", "M", 11.75, "ok", "", 3),
        ("0680", "2022-01-01", "K", 14.02, "ok", "", 4),
        ("0604", "2022-01-01", "T", None, "suppressed", "..: sekretess", 5),
        ("0006", "2023-01-01", "T", 1204.5, "ok", "", 6),
    ]
    assert {r[0] for r in records(parsed)} == {"RJL-X"}


def test_socialstyrelsen_mixed_age_groups_are_refused(read):
    rows = [
        {"regionId": 6, "alderId": 1, "konId": 3, "mattId": 1, "ar": 2022, "varde": "1"},
        {"regionId": 6, "alderId": 2, "konId": 3, "mattId": 1, "ar": 2022, "varde": "2"},
        {"regionId": 6, "alderId": 2, "konId": 4, "mattId": 1, "ar": 2022, "varde": "2"},
    ]
    parsed = read("sos.json", json.dumps(rows).encode(), indicator_id="RJL-X")
    assert parsed.format == "socialstyrelsen"
    assert [(e[2], e[3]) for e in errors(parsed)] == [(None, "alderId"), (3, "konId")]


# -- PxWeb JSON-stat2 ---------------------------------------------------------------------------


def test_pxweb_cube_unravelled_row_major_with_status(read):
    parsed = read("pxweb_befolkning.json", indicator_id="N01951")
    assert parsed.format == "pxweb"
    # The file has no footnote on "..": Kolada's meaning is assumed, and the analyst told so.
    assert [(p.column, p.value) for p in parsed.problems] == [("status", "..")]
    assert warnings(parsed) == [
        (
            "Filen förklarar inte statustecknet '..' i någon fotnot; det läses som sekretess. "
            "Kontrollera källans teckenförklaring.",
            None,
            None,
            "status",
            "..",
        )
    ]
    assert parsed.rows_read == 12
    got = [(r[0], r[1], r[3], r[4], r[5], r[8], r[9], r[11], r[12]) for r in records(parsed)]
    assert got == [
        ("N01951", "0000", "2022-01-01", "M", 5221000.0, "ok", "", 1, "BE0101N1"),
        ("N01951", "0000", "2023-01-01", "M", 5258000.0, "ok", "", 2, "BE0101N1"),
        ("N01951", "0000", "2022-01-01", "K", 5231000.0, "ok", "", 3, "BE0101N1"),
        ("N01951", "0000", "2023-01-01", "K", 5292000.0, "ok", "", 4, "BE0101N1"),
        ("N01951", "0006", "2022-01-01", "M", 184000.0, "ok", "", 5, "BE0101N1"),
        ("N01951", "0006", "2023-01-01", "M", 185100.0, "ok", "", 6, "BE0101N1"),
        ("N01951", "0006", "2022-01-01", "K", 182900.0, "ok", "", 7, "BE0101N1"),
        ("N01951", "0006", "2023-01-01", "K", 184200.0, "ok", "", 8, "BE0101N1"),
        ("N01951", "0680", "2022-01-01", "M", 72000.0, "ok", "", 9, "BE0101N1"),
        ("N01951", "0680", "2023-01-01", "M", 72600.0, "ok", "", 10, "BE0101N1"),
        ("N01951", "0680", "2022-01-01", "K", None, "suppressed", "..: sekretess", 11, "BE0101N1"),
        ("N01951", "0680", "2023-01-01", "K", 72900.0, "ok", "", 12, "BE0101N1"),
    ]


def test_pxweb_without_indicator_names_the_contents_code(read):
    parsed = read("pxweb_befolkning.json")
    assert parsed.records.empty
    assert [(e[3], e[4]) for e in errors(parsed)] == [("ContentsCode", "BE0101N1")]


def test_pxweb_months_and_total_gender(read):
    document = {
        "version": "2.0",
        "class": "dataset",
        "label": "Listade med fast läkarkontakt",
        "id": ["Region", "Kon", "Tid"],
        "size": [1, 1, 2],
        "dimension": {
            "Region": {"category": {"index": ["0687"], "label": {"0687": "Tranås"}}},
            "Kon": {"category": {"index": ["1+2"], "label": {"1+2": "totalt"}}},
            "Tid": {"category": {"index": ["2023M01", "2023M02"]}},
        },
        "value": [24.5, None],
        "status": {"1": "."},
    }
    parsed = read("px.json", json.dumps(document).encode(), indicator_id="RJL-FAST-LAKARKONTAKT")
    assert errors(parsed) == []
    assert [(r[1], r[2], r[3], r[4], r[5], r[8]) for r in records(parsed)] == [
        ("0687", "month", "2023-01-01", "T", 24.5, "ok"),
        ("0687", "month", "2023-02-01", "T", None, "not_applicable"),
    ]


# -- The template -------------------------------------------------------------------------------


def test_mall_csv_reads_every_form(read):
    parsed = read("mall.csv")
    assert parsed.format == "mall"
    assert parsed.problems == []
    assert parsed.rows_read == 5
    assert records(parsed) == [
        ("N21497", "0680", "year", "2023-01-01", "T", 87.5, 35.0, 40.0, "ok", "", None, 2, "Värde"),
        (
            "N21497",
            "0687",
            "year",
            "2023-01-01",
            "K",
            None,
            None,
            None,
            "suppressed",
            "..: sekretess",
            None,
            3,
            "Värde",
        ),
        (
            "U21401",
            "0604",
            "half_year",
            "2023-01-01",
            "T",
            1234.5,
            None,
            None,
            "ok",
            "",
            None,
            4,
            "Värde",
        ),
        (
            "RJL-SIP-DELAKTIGHET",
            "0006",
            "quarter",
            "2023-04-01",
            "M",
            -45.0,
            None,
            None,
            "ok",
            "",
            None,
            5,
            "Värde",
        ),
        (
            "N21497",
            "0687",
            "year",
            "2022-01-01",
            "T",
            None,
            None,
            None,
            "missing",
            "-: bortfall",
            None,
            6,
            "Värde",
        ),
    ]


def test_mall_xlsx_skips_the_instructions_sheet(read):
    parsed = read("mall.xlsx")
    assert parsed.format == "mall"
    assert parsed.problems == []
    assert records(parsed) == [
        (
            "N21497",
            "0680",
            "year",
            "2023-01-01",
            "T",
            87.5,
            35.0,
            40.0,
            "ok",
            "",
            "Mall",
            2,
            "Värde",
        ),
        (
            "N21497",
            "0682",
            "year",
            "2023-01-01",
            "K",
            None,
            None,
            None,
            "suppressed",
            "sekretess",
            "Mall",
            3,
            "Värde",
        ),
        (
            "RJL-KONTINUITETSINDEX-PV",
            "0006",
            "year",
            "2023-01-01",
            "T",
            0.42,
            None,
            None,
            "ok",
            "",
            "Mall",
            4,
            "Värde",
        ),
    ]


def test_mall_example_row_and_status_forms_round_trip(read):
    # The example row's values, without its "exempel" mark, as an analyst would write them.
    example = ";".join("" if c == "Status" else EXAMPLE_ROW[c] for c in TEMPLATE_COLUMNS)
    content = mall_csv(
        HEADER + ";Indikatornamn;Områdesnamn",
        example + ";Brukarbedömning;Jönköping",
        "N21497;0680;2022;T;;;;sekretess (färre än 5);;",
        "N21497;0680;2021;T;;;;saknas: inget värde i Kolada;;",
        "N21497;0680;2020;T;;;;ej tillämpligt;;",
        "N21497;0680;2019;T;;;;.: ej tillämplig;;",
        "N21497;0680;2018;T;;;;tom cell;;",
    )
    parsed = read("export.csv", content)
    assert parsed.problems == []
    assert [(r[3], r[5], r[6], r[7], r[8], r[9]) for r in records(parsed)] == [
        ("2023-01-01", 87.5, 35.0, 40.0, "ok", ""),
        ("2022-01-01", None, None, None, "suppressed", "sekretess (färre än 5)"),
        ("2021-01-01", None, None, None, "missing", "saknas: inget värde i Kolada"),
        ("2020-01-01", None, None, None, "not_applicable", "ej tillämpligt"),
        ("2019-01-01", None, None, None, "not_applicable", ".: ej tillämplig"),
        ("2018-01-01", None, None, None, "missing", "tom cell"),
    ]


def test_mall_xlsx_written_as_the_export_writes_it(read):
    wb = Workbook()
    ws = wb.active
    ws.title = "Värden"
    ws.append([*TEMPLATE_COLUMNS, "Indikatornamn", "Områdesnamn"])
    ws.append(["U21401", "0680", "2023", "T", 14.5, None, None, None, "Personalkontinuitet", "J"])
    ws.append(["U21401", "0604", "2023", "T", None, None, None, "'-: bortfall", "P", "Aneby"])
    buffer = io.BytesIO()
    wb.save(buffer)
    parsed = read("export.xlsx", buffer.getvalue())
    assert parsed.problems == []
    assert [(r[1], r[5], r[8], r[9], r[10]) for r in records(parsed)] == [
        ("0680", 14.5, "ok", "", "Värden"),
        ("0604", None, "missing", "-: bortfall", "Värden"),
    ]


def test_mall_header_only(read):
    parsed = read("mall.csv", mall_csv(HEADER))
    assert parsed.records.empty
    assert errors(parsed) == [("Filen har rubriker men inga rader.", None, None, None, None)]


def test_mall_missing_required_column(read):
    parsed = read("mall.csv", mall_csv("Indikator;Område;Värde", "N21497;0680;12"))
    assert [(e[0], e[2], e[3]) for e in errors(parsed)] == [
        (
            "Kolumnen 'Period' saknas i rubrikraden (obligatoriska kolumner: Indikator, Område, "
            "Period, Värde).",
            1,
            "Period",
        )
    ]


def test_mall_duplicate_column(read):
    parsed = read("mall.csv", mall_csv(HEADER + ";Värde", "N21497;0680;2023;T;1;;;;2"))
    assert parsed.records.empty
    assert [(e[0], e[2], e[3]) for e in errors(parsed)] == [
        ("Kolumnen 'Värde' finns mer än en gång i rubrikraden.", 1, "Värde")
    ]


def test_mall_mixed_decimal_marks_in_one_column(read):
    parsed = read(
        "mall.csv", mall_csv(HEADER, "N21497;0680;2022;T;12,5;;;", "N21497;0680;2023;T;12.5;;;")
    )
    assert [(e[3]) for e in errors(parsed)] == ["Värde"]
    assert (
        "blandar decimalkomma (först på rad 2) och decimalpunkt (först på rad 3)"
        in (errors(parsed)[0][0])
    )


def test_mall_collects_every_bad_cell_and_keeps_good_rows(read):
    long_text = "x" * 10_000
    parsed = read(
        "mall.csv",
        mall_csv(
            HEADER,
            "N21497;0680;2023;X;1;;;",  # gender X
            "N21497;680;2023;T;1;;;",  # kommun without leading zero
            "N21497;9999;2023;T;1;;;",  # unknown kommun
            "N21497;0680;2023Q5;T;1;;;",
            "N21497;0680;2023-13;T;1;;;",
            f"N21497;0680;2023;T;{long_text};;;",
            "N21497;0680;2023;T;1;tre;;",
            "N21497;0680;2021;T;;;;",  # empty value: missing with a warning
            "N21497;0680;2020;T;45 %;;;",
            "N21497;0680;2019;T;..;;;",
            "N21497;0680;2018;T;5;;;gömd",
            "N21497;0680;2017;T;5;;;sekretess",
        ),
    )
    assert parsed.rows_read == 12
    assert [(e[2], e[3]) for e in errors(parsed)] == [
        (2, "Kön"),
        (3, "Område"),
        (4, "Område"),
        (5, "Period"),
        (6, "Period"),
        (7, "Värde"),
        (8, "Täljare"),
        (12, "Status"),
        (13, "Värde"),
    ]
    assert errors(parsed)[0][4] == "X"
    assert len(errors(parsed)[5][4]) == 60  # the value shown is truncated
    assert warnings(parsed) == [(EMPTY, None, 9, "Värde", None)]
    assert [(r[3], r[5], r[8], r[9], r[11]) for r in records(parsed)] == [
        ("2021-01-01", None, "missing", "tom cell", 9),
        ("2020-01-01", 45.0, "ok", "", 10),
        ("2019-01-01", None, "suppressed", "..: sekretess", 11),
    ]


# -- Wide sheets --------------------------------------------------------------------------------


def test_bred_two_sheets_indicator_from_sheet_name_and_title_cell(read):
    parsed = read("bred_tva_blad.xlsx")
    assert parsed.format == "bred"
    assert parsed.rows_read == 4
    sip, fast = "RJL-SIP-DELAKTIGHET", "RJL-FAST-LAKARKONTAKT"
    assert [
        (r[0], r[1], r[2], r[3], r[4], r[5], r[8], r[9], r[10], r[11], r[12])
        for r in records(parsed)
    ] == [
        (sip, "0680", "year", "2021-01-01", "T", 71.5, "ok", "", sip, 2, "2021"),
        (sip, "0680", "year", "2022-01-01", "T", 74.0, "ok", "", sip, 2, "2022"),
        (sip, "0680", "half_year", "2023-01-01", "T", 76.25, "ok", "", sip, 2, "2023H1"),
        (sip, "0682", "year", "2021-01-01", "T", 68.0, "ok", "", sip, 3, "2021"),
        (sip, "0682", "year", "2022-01-01", "T", None, "missing", "tom cell", sip, 3, "2022"),
        (
            sip,
            "0682",
            "half_year",
            "2023-01-01",
            "T",
            None,
            "missing",
            "-: bortfall",
            sip,
            3,
            "2023H1",
        ),
        (fast, "0686", "year", "2022-01-01", "K", 25.5, "ok", "", "Blad2", 4, "2022"),
        (fast, "0686", "year", "2023-01-01", "K", 26.0, "ok", "", "Blad2", 4, "2023"),
        (fast, "0686", "year", "2022-01-01", "M", 22.0, "ok", "", "Blad2", 5, "2022"),
        (fast, "0686", "year", "2023-01-01", "M", 23.5, "ok", "", "Blad2", 5, "2023"),
    ]
    assert errors(parsed) == []
    assert warnings(parsed) == [(EMPTY, sip, 3, "2022", None)]


def test_bred_csv_with_indicator_column_and_swedish_numbers(read):
    content = (
        "Indikator;Kommun;2022;2023\r\n"
        "RJL-SIP-DELAKTIGHET;Jönköpings kommun;1 234,5;\u22125\r\n"
        "RJL-SIP-DELAKTIGHET;JÖNKÖPING;45 %;MSK\r\n"
    ).encode("utf-8-sig")
    parsed = read("egen.csv", content)
    assert parsed.format == "bred"
    assert parsed.problems == []
    assert [(r[0], r[1], r[3], r[5], r[8], r[9]) for r in records(parsed)] == [
        ("RJL-SIP-DELAKTIGHET", "0680", "2022-01-01", 1234.5, "ok", ""),
        ("RJL-SIP-DELAKTIGHET", "0680", "2023-01-01", -5.0, "ok", ""),
        ("RJL-SIP-DELAKTIGHET", "0680", "2022-01-01", 45.0, "ok", ""),
        ("RJL-SIP-DELAKTIGHET", "0680", "2023-01-01", None, "suppressed", "MSK: maskerat"),
    ]


def test_bred_without_indicator_asks_for_it(read):
    content = "Kommun;2022\r\nEksjö;12\r\n".encode()
    parsed = read("blad.csv", content)
    assert parsed.format == "bred"
    assert parsed.records.empty
    assert errors(parsed)[0][0].startswith("Filen anger inte vilken indikator")
    chosen = read("blad.csv", content, indicator_id="RJL-SIP-DELAKTIGHET")
    assert [(r[0], r[1], r[5]) for r in records(chosen)] == [("RJL-SIP-DELAKTIGHET", "0686", 12.0)]


# -- Detection, override and refusal ------------------------------------------------------------

DETECTED = [
    ("kolada_u21401_sida1.json", "kolada-json"),
    ("kolada_u21401_sida2.json", "kolada-json"),
    ("kolada_web_n21497.csv", "kolada-web"),
    ("kolada_web_u23401.xlsx", "kolada-web"),
    ("vis_kontinuitet.csv", "vis"),
    ("socialstyrelsen_lakemedel.json", "socialstyrelsen"),
    ("pxweb_befolkning.json", "pxweb"),
    ("mall.csv", "mall"),
    ("mall.xlsx", "mall"),
    ("bred_tva_blad.xlsx", "bred"),
    ("../real/kolada/n00945.csv", "kolada-csv"),
    ("../real/kolada/grp_data.csv", "kolada-csv"),
    ("kolada_web_n00945.xlsx", "kolada-web"),
    ("socialstyrelsen_webb_lakemedel.csv", "socialstyrelsen-web"),
    ("socialstyrelsen_webb_lakemedel.xlsx", "socialstyrelsen-web"),
]


@pytest.mark.parametrize(("name", "key"), DETECTED)
def test_each_fixture_is_detected_as_its_format(read, name, key):
    assert read(name).format == key


def test_every_format_has_a_fixture_and_a_swedish_label():
    assert set(FORMATS) == {key for _, key in DETECTED}
    assert all(label and label[0].isupper() for label in FORMATS.values())


def test_format_override_wins_over_detection(read):
    # The Kolada web export read as a wide sheet: the id in the title row still names it.
    parsed = read("kolada_web_n21497.csv", format="bred")
    assert parsed.format == "bred"
    assert len(parsed.records) == 12
    wrong = read("mall.csv", format="pxweb")
    assert wrong.format == "pxweb"
    assert wrong.records.empty
    assert errors(wrong)[0][0].endswith("är JSON; filen är en tabell.")
    unknown = read("mall.csv", format="sas")
    assert errors(unknown)[0][0].startswith("Okänt format 'sas'.")


def test_unrecognised_file_lists_the_formats_we_read(read):
    parsed = read("annat.csv", "Namn;Ort\r\nAnna;Eksjö\r\n".encode())
    assert parsed.format == ""
    assert parsed.records.empty
    [(message, *_)] = errors(parsed)
    assert message.startswith("Filens format känns inte igen.")
    assert all(label in message for label in FORMATS.values())


def test_personal_number_refuses_the_whole_file_without_echoing_it(read):
    content = mall_csv(HEADER, "N21497;0680;2023;T;1;;;", "N21497;0680;2022;T;19121212-1212;;;")
    parsed = read("mall.csv", content)
    assert parsed.records.empty
    assert len(errors(parsed)) == 1
    assert all("1212" not in (p.message + str(p.value)) for p in parsed.problems)


def test_safety_checks_run_first(read):
    too_big = read("mall.csv", mall_csv(HEADER, "N21497;0680;2023;T;1;;;") + b" " * MAX_BYTES)
    assert too_big.records.empty
    assert "MB" in errors(too_big)[0][0]
    zip_as_csv = read("mall.csv", (FIXTURES / "mall.xlsx").read_bytes())
    assert "ZIP" in errors(zip_as_csv)[0][0]


def test_empty_kolada_page_is_a_warning(read):
    parsed = read("sida3.json", b'{"count": 0, "values": [], "next_url": null}')
    assert parsed.format == "kolada-json"
    assert parsed.records.empty
    assert errors(parsed) == []
    assert len(warnings(parsed)) == 1


def test_mall_formula_in_indicator_is_kept_only_neutralised(read):
    content = mall_csv(HEADER, "=HYPERLINK(http://example.org);0680;2023;T;1;;;")
    parsed = read("mall.csv", content)
    assert [r[0] for r in records(parsed)] == ["'=HYPERLINK(http://example.org)"]
    [(message, _, row, column, _)] = warnings(parsed)
    assert (row, column) == (2, "Indikator")
    assert "formel" in message


def test_mall_with_a_heading_typed_above_the_header(read):
    content = mall_csv(
        "Uppföljning SIP 2023;;;;;;;", HEADER, "RJL-SIP-DELAKTIGHET;Habo;2023;T;61;;;"
    )
    parsed = read("mall.csv", content)
    assert parsed.format == "mall"
    assert parsed.problems == []
    assert [(r[1], r[5], r[11]) for r in records(parsed)] == [("0643", 61.0, 3)]


def test_socialstyrelsen_mixed_decimal_marks_name_the_field(read):
    rows = [
        {"regionId": 6, "konId": 3, "ar": 2022, "varde": "12,5"},
        {"regionId": 6, "konId": 3, "ar": 2023, "varde": "12.5"},
    ]
    parsed = read("sos.json", json.dumps(rows).encode(), indicator_id="RJL-X")
    assert [(e[3]) for e in errors(parsed)] == ["varde"]


def test_kolada_web_group_id_in_title_rows_is_not_a_kpi(read):
    content = (
        "Kolada - Jämföraren;;\r\nN21497 Brukarbedömning hemtjänst;;\r\n"
        "Jämförelsegrupp: G33616 Jönköpings läns kommuner;;\r\nKommun;2022;2023\r\n"
        "Gnosjö;84;88\r\n"
    ).encode("cp1252")
    parsed = read("kolada.csv", content)
    assert parsed.problems == []
    assert {r[0] for r in records(parsed)} == {"N21497"}


@pytest.mark.parametrize("name", ["mall.csv", "mall.xlsx"])
def test_downloadable_template_reads_as_the_template_without_a_value(read, name):
    content = template_csv() if name.endswith(".csv") else template_xlsx()
    parsed = read(name, content)
    assert parsed.format == "mall"
    # The example row is marked "exempel" and never read: the untouched template is no data.
    assert records(parsed) == []
    [note] = parsed.problems
    assert note.severity is Severity.WARNING and note.message == EXAMPLE_NOTE
    assert (note.row, note.column) == (2, "Status")


def test_export_of_the_demo_store_reads_back_unchanged(demo_store, catalogue):
    frame = export_observations(demo_store, indicator_ids=["N01452"], area_codes=None)
    assert len(frame) > 100
    parsed = parse_upload(
        UploadedFile("export.csv", to_csv_bytes(frame)),
        areas=AreaResolver.from_store(demo_store),
        max_bytes=MAX_BYTES,
        catalogue=catalogue,
    )
    assert parsed.problems == []
    assert len(parsed.records) == len(frame)
    back = parsed.records
    assert list(back["area_code"]) == list(frame["Område"])
    assert list(back["gender"]) == list(frame["Kön"])
    statuses = [
        status_text(ObservationStatus(s), r)
        for s, r in zip(back["status"], back["status_reason"], strict=True)
    ]
    assert statuses == list(frame["Status"])
    assert back["value"].fillna(-1).tolist() == frame["Värde"].astype(float).fillna(-1).tolist()


def test_wide_header_that_starts_like_a_period_but_is_none_is_named(read):
    content = "Kommun;2022;2023Q5\r\nEksjö;12;13\r\n".encode("utf-8-sig")
    parsed = read("blad.csv", content, indicator_id="RJL-SIP-DELAKTIGHET")
    assert parsed.format == "bred"
    [(message, _, row, column, value)] = errors(parsed)
    assert (row, column, value) == (1, "2023Q5", "2023Q5")
    assert message.startswith("Kolumnrubriken '2023Q5' kan inte läsas som period")
