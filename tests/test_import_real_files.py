"""Exports as they come from the field, through the real pipeline: preview, then save into a
real SQLite file and a real PostgreSQL database, and the values read back as stored.

Files kept under tests/fixtures/real/ are real published exports; each has its source in
tests/fixtures/real/SOURCES.md. Small hand-written sheets here reproduce a layout the real
files have (tertial headers, footnote stars) where no public file of that kind was found."""

import csv
import math
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text, update

from indicators.imports.pipeline import FileStatus, ImportResult, preview, save
from indicators.imports.records import Severity, UploadedFile
from indicators.reads.queries import indicator_series
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import PeriodType
from indicators.vocabulary.periods import parse_period, period_label

REAL = Path(__file__).parent / "fixtures" / "real"
BUILT = Path(__file__).parent / "fixtures" / "import"
USER = "Anna Analytiker"
REGIONAL_RATE = "RJL-FAST-LAKARKONTAKT"


@pytest.fixture
def store(stores) -> Store:
    """A production install (catalogue and every Kolada area, no values), on both backends."""
    return Store(stores.prepared())


def stored(store: Store, indicator: str | None = None) -> dict[tuple[str, str, str, str], tuple]:
    """(indicator, area, period label, gender) → (value, status, status_reason)."""
    query = (
        "SELECT indicator_id, area_code, period_type, period_start, gender, value, status, "
        "status_reason FROM observation"
    )
    with session_scope(store.url) as session:
        rows = session.execute(text(query)).all()
    out = {}
    for ind, area, ptype, start, gender, value, status, reason in rows:
        if indicator is not None and ind != indicator:
            continue
        start = start if isinstance(start, date) else date.fromisoformat(str(start))
        label = period_label(PeriodType(ptype), start)
        out[(ind, area, label, gender)] = (value, status, reason)
    return out


def errors_of(result: ImportResult) -> list[tuple]:
    return [
        (p.message, p.sheet, p.row, p.column)
        for p in result.problems
        if p.severity is Severity.ERROR
    ]


def preview_then_save(store: Store, file: UploadedFile, **options: object) -> ImportResult:
    shown = preview(store, [file], **options)  # type: ignore[arg-type]
    assert shown.status is FileStatus.READY, errors_of(shown)
    saved = save(store, [file], user=USER, **options)  # type: ignore[arg-type]
    assert saved.status is FileStatus.SAVED, errors_of(saved)
    assert (saved.files[0].new, saved.files[0].changed) == (
        shown.files[0].new,
        shown.files[0].changed,
    )
    return saved


def csv_file(name: str, *lines: str, encoding: str = "utf-8-sig") -> UploadedFile:
    return UploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding))


# --- Tertialer ---------------------------------------------------------------------------------


def test_tertial_labels_and_starts_round_trip() -> None:
    assert period_label(PeriodType.TERTIAL, date(2023, 5, 1)) == "2023T2"
    assert parse_period("2023T3") == (PeriodType.TERTIAL, date(2023, 9, 1))
    assert parse_period("2023T4") is None
    assert parse_period("2023Q2") == (PeriodType.QUARTER, date(2023, 4, 1))


def test_a_regions_tertial_sheet_is_stored_as_tertials_and_read_in_order(store: Store) -> None:
    """A wide sheet with a 'Län' column and T1–T3 headers: three four-month periods, stored
    as such (the schema accepts them on both backends) and read back in calendar order."""
    use_periods(store, REGIONAL_RATE, PeriodType.TERTIAL)
    file = csv_file(
        "tertialrapport.csv",
        "Andel listade med fast läkarkontakt, tertialrapport;;;",
        f"Indikator: {REGIONAL_RATE};;;",
        ";;;",
        "Län;2023T1;2023T2;2023T3",
        "06 Jönköpings län;61,2;62;63,4",
    )
    saved = preview_then_save(store, file)
    assert saved.files[0].format == "bred"
    assert stored(store, REGIONAL_RATE) == {
        (REGIONAL_RATE, "0006", "2023T1", "T"): (61.2, "ok", ""),
        (REGIONAL_RATE, "0006", "2023T2", "T"): (62.0, "ok", ""),
        (REGIONAL_RATE, "0006", "2023T3", "T"): (63.4, "ok", ""),
    }
    series = indicator_series(store, REGIONAL_RATE, ["0006"])
    assert list(series["period"]) == ["2023T1", "2023T2", "2023T3"]
    assert [d.month for d in series["period_start"]] == [1, 5, 9]


def use_periods(store: Store, indicator: str, kind: PeriodType) -> None:
    with session_scope(store.url) as session:
        session.execute(
            update(m.Indicator).where(m.Indicator.id == indicator).values(period_type=kind)
        )


def test_a_fourth_tertial_is_refused_naming_the_column(store: Store) -> None:
    use_periods(store, REGIONAL_RATE, PeriodType.TERTIAL)
    file = csv_file(
        "tertial.csv",
        f"Indikator: {REGIONAL_RATE};;",
        "Län;2023T3;2023T4",
        "Jönköpings län;61,2;62",
    )
    result = preview(store, [file])
    assert result.status is FileStatus.REJECTED
    [(message, _sheet, row, column)] = errors_of(result)
    assert "Tertial 4 finns inte" in message and "Kvartal skrivs K1–K4" in message
    assert (row, column) == (2, "2023T4")


# --- Wide headers ------------------------------------------------------------------------------


def test_year_headers_with_footnote_stars_are_years(store: Store) -> None:
    """SCB stars preliminary years ('2010*'); the star belongs to a footnote."""
    file = csv_file(
        "stjarnor.csv",
        "Befolkning efter region och år;;;",
        "Indikator: N01951;;;",
        "region;2009;2010*;2011 *",
        "0680 Jönköping;126331;127382;128305",
        "06 Jönköping county;336866;337896;339369",
        "* Preliminära uppgifter;;;",
    )
    saved = preview_then_save(store, file)
    assert saved.files[0].rows_read == 6  # two rows of three years; the note is no row
    values = stored(store, "N01951")
    assert values[("N01951", "0680", "2010", "T")] == (127382.0, "ok", "")
    assert values[("N01951", "0006", "2011", "T")] == (339369.0, "ok", "")
    assert len(values) == 6


@pytest.mark.parametrize(
    ("headers", "labels"),
    [
        (["200701", "200702"], ["2007M01", "2007M02"]),
        (["2007K1", "2007K2"], ["2007Q1", "2007Q2"]),
        (["2007Q3", "2007Q4"], ["2007Q3", "2007Q4"]),
    ],
)
def test_month_and_quarter_headers_are_read_as_such(store: Store, headers, labels) -> None:
    kind = PeriodType.MONTH if labels[0][4] == "M" else PeriodType.QUARTER
    use_periods(store, REGIONAL_RATE, kind)
    file = csv_file(
        "perioder.csv",
        f"Indikator: {REGIONAL_RATE};;",
        f"Län;{';'.join(headers)}",
        "Jönköpings län;50;51,5",
    )
    preview_then_save(store, file)
    values = stored(store, REGIONAL_RATE)
    assert sorted(values) == [(REGIONAL_RATE, "0006", label, "T") for label in labels]
    assert not any(math.isnan(v[0]) for v in values.values())


# --- Counts add up -----------------------------------------------------------------------------


def assert_counts_add_up(result: ImportResult) -> None:
    for f in result.files:
        assert f.rows_read == f.new + f.changed + f.unchanged + f.rejected, f.to_json()


def test_every_value_read_is_saved_unchanged_or_rejected(store: Store) -> None:
    """A wide sheet: 3 rows × 3 years read, one group mean (3 values passed over), one cell
    that is no number (rejected), one marker (saved as missing), one repeated row."""
    file = csv_file(
        "kolada_webb.csv",
        "Kolada - Jämföraren;;;",
        "N21497 Brukarbedömning hemtjänst äldreomsorg - träffa fast omsorgskontakt, andel (%);;;",
        ";;;",
        "Kommun;2021;2022;2023",
        "Aneby;84;85,5;..",
        "Jönköping;79,2;80;abc",
        "Jönköping;79,2;80;81",
        "Jönköpings läns kommuner (ovägt medel);81,6;80,9;79,7",
    )
    shown = preview(store, [file])
    [f] = shown.files
    assert f.rows_read == 12
    assert_counts_add_up(shown)
    fixed = csv_file(
        "kolada_webb.csv",
        "Kolada - Jämföraren;;;",
        "N21497 Brukarbedömning hemtjänst äldreomsorg - träffa fast omsorgskontakt, andel (%);;;",
        ";;;",
        "Kommun;2021;2022;2023",
        "Aneby;84;85,5;..",
        "Jönköping;79,2;80;81",
        "Jönköping;79,2;80;81",
        "Jönköpings läns kommuner (ovägt medel);81,6;80,9;79,7",
    )
    saved = save(store, [fixed], user=USER)
    assert saved.status is FileStatus.SAVED, errors_of(saved)
    [f] = saved.files
    assert (f.rows_read, f.new, f.changed, f.unchanged, f.rejected) == (12, 6, 0, 3, 3)
    again = save(store, [fixed], user=USER)
    [f] = again.files
    assert (f.rows_read, f.new, f.unchanged, f.rejected) == (12, 0, 9, 3)


def test_a_problem_without_a_row_rejects_every_value_read(store: Store) -> None:
    """No indicator anywhere: the problem names no row, and still every value is counted."""
    file = csv_file("utan_indikator.csv", "Kommun;2022;2023", "Aneby;1;2", "Eksjö;3;4")
    result = preview(store, [file])
    [f] = result.files
    assert result.status is FileStatus.REJECTED
    assert any(p.row is None for p in f.problems)
    assert (f.rows_read, f.new, f.changed, f.unchanged, f.rejected) == (4, 0, 0, 0, 4)


def test_counts_add_up_for_files_in_conflict_and_deleted_kolada_entries(store: Store) -> None:
    a = csv_file("a.csv", "Indikator: N21497;;", "Kommun;2022;2023", "Aneby;50;60")
    b = csv_file("b.csv", "Indikator: N21497;;", "Kommun;2022;2023", "Aneby;50;61")
    kolada = UploadedFile(
        "kolada.json",
        b'{"count": 2, "next_url": null, "values": ['
        b'{"kpi": "N21497", "municipality": "0604", "period": 2021, "values": ['
        b'{"gender": "T", "count": 1, "status": "", "value": 70.0},'
        b'{"gender": "K", "count": 1, "status": "", "value": 71.0}]},'
        b'{"kpi": "N21497", "municipality": "0604", "period": 2020, "isdeleted": true, "values": ['
        b'{"gender": "T", "count": 1, "status": "", "value": 1.0}]}]}',
    )
    result = preview(store, [a, b, kolada])
    assert result.status is FileStatus.REJECTED
    assert_counts_add_up(result)
    by_name = {f.name: f for f in result.files}
    assert (by_name["a.csv"].rejected, by_name["b.csv"].rejected) == (1, 1)
    assert (by_name["kolada.json"].rows_read, by_name["kolada.json"].rejected) == (3, 1)


# --- Kolada: the values as analysts keep them (real files) --------------------------------------


def kolada_rows(name: str) -> dict[tuple[str, str, str, str], float]:
    with (REAL / "kolada" / name).open(encoding="utf-8") as f:
        return {
            (r["kpi"], r["municipality_id"], r["year"], r["gender"]): float(r["value"])
            for r in csv.DictReader(f)
        }


@pytest.mark.parametrize("name", ["n00945.csv", "grp_data.csv", "kld_data.csv"])
def test_kolada_value_files_import_as_they_are(store: Store, name: str) -> None:
    """Refused before under every format choice ("Filens format känns inte igen"); now found
    by themselves, previewed and saved, every value as published."""
    file = UploadedFile(name, (REAL / "kolada" / name).read_bytes())
    saved = preview_then_save(store, file, add_kolada_indicators=True)
    [f] = saved.files
    assert f.format == "kolada-csv"
    expected = kolada_rows(name)
    assert (f.rows_read, f.new, f.rejected) == (len(expected), len(expected), 0)
    values = stored(store)
    assert {key: value for key, (value, _, _) in values.items()} == pytest.approx(expected)
    assert all(status == "ok" for _, status, _ in values.values())


def test_kolada_value_file_without_confirmation_names_the_indicator(store: Store) -> None:
    file = UploadedFile("n00945.csv", (REAL / "kolada" / "n00945.csv").read_bytes())
    result = preview(store, [file])
    assert result.status is FileStatus.REJECTED
    message, _sheet, row, column = errors_of(result)[0]
    assert "bekräfta att Kolada-indikatorer ska läggas till" in message
    assert (row, column) == (2, "kpi")


# --- Kolada's web export (layout as documented, real values) ----------------------------------


def test_kolada_web_export_xlsx_with_title_and_notes_imports(store: Store) -> None:
    name = "kolada_web_n00945.xlsx"
    file = UploadedFile(name, (BUILT / name).read_bytes())
    saved = preview_then_save(store, file, add_kolada_indicators=True)
    [f] = saved.files
    assert f.format == "kolada-web"
    assert (f.rows_read, f.new, f.rejected) == (15, 15, 0)
    real = {k: v for k, v in kolada_rows("n00945.csv").items() if int(k[2]) >= 2016}
    values = {key: value for key, (value, _, _) in stored(store).items()}
    assert values == pytest.approx(real)


# --- Socialstyrelsen's statistikdatabas, web export --------------------------------------------


SOCIALSTYRELSEN_WEB = {
    ("N01951", "0006", "2021", "M"): (1417.0, "ok", ""),
    ("N01951", "0006", "2022", "M"): (1502.0, "ok", ""),
    ("N01951", "0006", "2023", "M"): (1611.0, "ok", ""),
    ("N01951", "0006", "2021", "K"): (2038.0, "ok", ""),
    ("N01951", "0006", "2022", "K"): (2117.0, "ok", ""),
    ("N01951", "0006", "2023", "K"): (2240.0, "ok", ""),
    ("N01951", "0680", "2021", "T"): (1204.0, "ok", ""),
    ("N01951", "0680", "2022", "T"): (1260.0, "ok", ""),
    ("N01951", "0680", "2023", "T"): (1333.0, "ok", ""),
}


@pytest.mark.parametrize("chosen", [None, "socialstyrelsen"])
def test_socialstyrelsen_web_export_csv_imports_with_thousands_commas(
    store: Store, chosen: str | None
) -> None:
    """Title row, the measure above the years, Region/Kön/Ålder, '1,417' for 1 417, a starred
    preliminary year, markers, notes below; detected by itself or with Socialstyrelsen
    chosen (the API format) for a table."""
    name = "socialstyrelsen_webb_lakemedel.csv"
    file = UploadedFile(name, (BUILT / name).read_bytes())
    saved = preview_then_save(store, file, indicator_id="N01951", format=chosen)
    [f] = saved.files
    assert f.format == "socialstyrelsen-web"
    assert (f.rows_read, f.new, f.rejected) == (15, 15, 0)
    values = stored(store, "N01951")
    assert {k: v for k, v in values.items() if k in SOCIALSTYRELSEN_WEB} == SOCIALSTYRELSEN_WEB
    assert values[("N01951", "0006", "2023", "T")] == (3851.0, "ok", "")
    assert values[("N01951", "0604", "2022", "T")] == (62.0, "ok", "")
    assert values[("N01951", "0604", "2021", "T")][1:] == ("suppressed", "..: sekretess")
    assert values[("N01951", "0604", "2023", "T")][1] == "missing"


def test_socialstyrelsen_web_export_xlsx_imports(store: Store) -> None:
    name = "socialstyrelsen_webb_lakemedel.xlsx"
    file = UploadedFile(name, (BUILT / name).read_bytes())
    saved = preview_then_save(store, file, indicator_id="N01951")
    assert saved.files[0].format == "socialstyrelsen-web"
    assert stored(store, "N01951") == SOCIALSTYRELSEN_WEB


def test_socialstyrelsen_web_export_with_several_measures_names_the_export_to_make(
    store: Store,
) -> None:
    file = csv_file(
        "tva_matt.csv",
        "Statistikdatabas för läkemedel",
        ";;Antal patienter;Antal patienter;Patienter/1000 invånare;Patienter/1000 invånare",
        "Region;Kön;2022;2023;2022;2023",
        "Jönköpings län;Män;1,417;1,502;8.4;8.9",
        "Källa: Socialstyrelsen",
    )
    result = preview(store, [file], indicator_id="N01951")
    assert result.status is FileStatus.REJECTED
    [(message, _sheet, row, _column)] = [e for e in errors_of(result) if "flera mått" in e[0]]
    assert "Antal patienter, Patienter/1000 invånare" in message
    assert "ett mått och en åldersgrupp" in message and "API (JSON)" in message
    assert row == 2


def test_socialstyrelsen_web_export_with_both_comma_kinds_refuses_the_ambiguous_cell(
    store: Store,
) -> None:
    file = csv_file(
        "blandat.csv",
        "Statistikdatabas för läkemedel - Patienter/1000 invånare",
        "Region;Kön;2022;2023",
        "Jönköpings län;Män;12,5;1,417",
        "Källa: Socialstyrelsen",
    )
    result = preview(store, [file], indicator_id="N01951")
    assert result.status is FileStatus.REJECTED
    [(message, _sheet, row, column)] = errors_of(result)
    assert "'1,417' kan vara både tusental och decimaler" in message
    assert (row, column) == (3, "2023")


# --- SCB's own exports, English and Swedish (real files) ---------------------------------------


def scb(name: str) -> UploadedFile:
    return UploadedFile(name, (REAL / "scb" / name).read_bytes())


def test_scb_english_county_table_imports_with_codes_and_names_matched(store: Store) -> None:
    """'06 Jönköping county', '04 Södermanland county' (the region is 'Region Sörmland'),
    '00 Sweden'; the row '50 no regional distribution' is no area and is passed over."""
    saved = preview_then_save(store, scb("000002O5.csv"), indicator_id="N01951")
    [f] = saved.files
    assert (f.rows_read, f.new, f.changed, f.unchanged, f.rejected) == (138, 132, 0, 0, 6)
    assert any("utan regional fördelning" in p.message and p.row == 24 for p in f.problems)
    values = stored(store, "N01951")
    assert values[("N01951", "0006", "2007", "T")] == (1203.0, "ok", "")
    assert values[("N01951", "0006", "2017", "T")] == (1745.0, "ok", "")
    assert values[("N01951", "0000", "2007", "T")] == (78352.0, "ok", "")
    assert values[("N01951", "0004", "2017", "T")] == (988.0, "ok", "")
    assert values[("N01951", "0023", "2017", "T")][1:] == ("suppressed", "..: sekretess")
    assert len(values) == 132


def test_scb_english_sex_column_reads_men_and_women(store: Store) -> None:
    saved = preview_then_save(store, scb("000000NL.csv"), indicator_id="N01951")
    assert stored(store, "N01951") == {
        ("N01951", "0006", str(year), gender): (float(value), "ok", "")
        for gender, row in (("M", (2887, 2982, 3182, 3437)), ("K", (526, 550, 650, 702)))
        for year, value in zip(range(2014, 2018), row, strict=True)
    }
    assert saved.files[0].rows_read == 8


def test_scb_swedish_table_of_several_education_levels_is_refused_naming_the_column(
    store: Store,
) -> None:
    """'06 Jönköpings län' rows, one per utbildningsnivå and kön: more than one value per
    area and year, so one clear refusal naming the column, not a conflict per cell."""
    result = preview(store, [scb("UF0506A1.csv")], indicator_id="N01951")
    assert result.status is FileStatus.REJECTED
    [(message, _sheet, row, column)] = errors_of(result)
    assert message.startswith("Kolumnen 'utbildningsnivå' har flera värden")
    assert (row, column) == (1, "utbildningsnivå")
    [f] = result.files
    assert (f.rows_read, f.rejected) == (336, 336)
