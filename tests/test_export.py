"""The export in the long template: shape, filters, periods, statuses, and the CLI around it."""

import io
import json
import math
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from indicators.cli.main import main
from indicators.imports.export import export_observations
from indicators.imports.formats.mall import TEMPLATE_COLUMNS
from indicators.paths import PROJECT_ROOT
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import Gender, ObservationStatus, PeriodType

OK = ObservationStatus.OK
RATE = "N21497"  # brukarbedömning fast omsorgskontakt, andel (%)
MEAN = "U21401"  # antal personal en hemtjänsttagare möter på 14 dagar


def _observation(batch_id: int, indicator: str, area: str, ptype: PeriodType, start: date,
                 value: float | None, *, gender: Gender = Gender.TOTAL,
                 status: ObservationStatus = OK, reason: str = "",
                 numerator: float | None = None, denominator: float | None = None,
                 ) -> m.Observation:  # fmt: skip
    return m.Observation(
        indicator_id=indicator,
        area_code=area,
        period_type=ptype,
        period_start=start,
        gender=gender,
        value=value,
        numerator=numerator,
        denominator=denominator,
        status=status,
        status_reason=reason,
        batch_id=batch_id,
    )


@pytest.fixture
def known_store(prepared_store_url) -> Store:
    """A fresh store (SQLite and PostgreSQL) holding a handful of values whose every field is
    known."""
    store = Store(prepared_store_url)
    with session_scope(store.url) as s:
        batch = m.ImportBatch(
            source_name="handgjord.csv",
            sha256="2" * 64,
            format="test",
            imported_by="test",
            imported_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        s.add(batch)
        s.flush()
        year, half, quarter, month = (
            PeriodType.YEAR,
            PeriodType.HALF_YEAR,
            PeriodType.QUARTER,
            PeriodType.MONTH,
        )
        s.add_all(
            [
                _observation(batch.id, RATE, "0680", year, date(2023, 1, 1), 87.5,
                             numerator=35, denominator=40),
                _observation(batch.id, RATE, "0680", year, date(2023, 1, 1), 90.0,
                             gender=Gender.WOMEN),
                _observation(batch.id, RATE, "0680", year, date(2023, 1, 1), 0.1 + 0.2,
                             gender=Gender.MEN),
                _observation(batch.id, RATE, "0687", year, date(2023, 1, 1), None,
                             status=ObservationStatus.SUPPRESSED, reason="..: sekretess"),
                _observation(batch.id, RATE, "0687", year, date(2022, 1, 1), None,
                             status=ObservationStatus.MISSING, reason="-: bortfall"),
                _observation(batch.id, RATE, "0604", year, date(2022, 1, 1), None,
                             status=ObservationStatus.NOT_APPLICABLE),
                _observation(batch.id, MEAN, "0680", half, date(2023, 7, 1), 15.0),
                _observation(batch.id, MEAN, "0680", quarter, date(2023, 1, 1), 14.0),
                _observation(batch.id, MEAN, "0006", month, date(2023, 3, 1), 16.25),
            ]
        )  # fmt: skip
    return store


def test_export_is_exactly_the_long_template(known_store):
    frame = export_observations(known_store, indicator_ids=None, area_codes=None)
    assert list(frame.columns) == TEMPLATE_COLUMNS
    assert len(frame) == 9
    rows = [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]
    assert rows == [
        ("N21497", "0604", "2022", "T", None, None, None, "ej tillämpligt"),
        ("N21497", "0680", "2023", "T", 87.5, 35.0, 40.0, ""),
        ("N21497", "0680", "2023", "K", 90.0, None, None, ""),
        ("N21497", "0680", "2023", "M", 0.1 + 0.2, None, None, ""),
        ("N21497", "0687", "2022", "T", None, None, None, "-: bortfall"),
        ("N21497", "0687", "2023", "T", None, None, None, "..: sekretess"),
        ("U21401", "0006", "2023M03", "T", 16.25, None, None, ""),
        ("U21401", "0680", "2023Q1", "T", 14.0, None, None, ""),
        ("U21401", "0680", "2023H2", "T", 15.0, None, None, ""),
    ]
    for column in ("Värde", "Täljare", "Nämnare"):
        assert frame[column].dtype == "float64"


def test_exported_periods_parse_back_to_the_stored_period(known_store):
    from indicators.imports.values import parse_period

    frame = export_observations(known_store, indicator_ids=None, area_codes=None)
    with session_scope(known_store.url) as s:
        stored = set(s.execute(select(m.Observation.period_type, m.Observation.period_start)))
    parsed = {parse_period(label) for label in frame["Period"]}
    assert {(PeriodType(t), d) for t, d in parsed} == {(PeriodType(t), d) for t, d in stored}


def test_export_filters_by_indicator_and_area(known_store):
    only = export_observations(known_store, indicator_ids=[MEAN], area_codes=["0680"])
    assert set(only["Indikator"]) == {MEAN}
    assert set(only["Område"]) == {"0680"}
    assert len(only) == 2
    two_areas = export_observations(known_store, indicator_ids=None, area_codes=["0687", "0006"])
    assert sorted(set(two_areas["Område"])) == ["0006", "0687"]
    nothing = export_observations(known_store, indicator_ids=["FINNS_INTE"], area_codes=None)
    assert nothing.empty
    assert list(nothing.columns) == TEMPLATE_COLUMNS


def test_demo_export_keeps_codes_as_text_and_status_only_without_value(any_demo_store):
    demo_store = any_demo_store
    frame = export_observations(demo_store, indicator_ids=None, area_codes=["0680", "0604"])
    assert not frame.empty
    assert set(frame["Område"]) == {"0680", "0604"}
    assert frame["Kön"].isin(["T", "K", "M"]).all()
    has_value = frame["Värde"].notna()
    assert (frame.loc[has_value, "Status"] == "").all()
    assert (frame.loc[~has_value, "Status"] != "").all()
    with session_scope(demo_store.url) as s:
        stored = s.scalar(
            select(func.count(m.Observation.id)).where(
                m.Observation.area_code.in_(["0680", "0604"])
            )
        )
    assert len(frame) == stored


# --- CLI -----------------------------------------------------------------------------------


def _export(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", "export", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        timeout=300,
    )


def test_cli_csv_to_stdout_is_swedish(known_store):
    result = _export("--indicator", RATE, "--area", "0680", database_url=known_store.url)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    lines = result.stdout.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(TEMPLATE_COLUMNS)
    assert lines[1] == "N21497;0680;2023;T;87,5;35;40;"
    assert len(lines) == 4


def test_cli_json_to_stdout(known_store):
    result = _export("--format", "json", "--area", "0687", database_url=known_store.url)
    assert result.returncode == 0, result.stderr.decode()
    rows = json.loads(result.stdout)
    assert [r["Status"] for r in rows] == ["-: bortfall", "..: sekretess"]
    assert rows[0]["Värde"] is None


def test_cli_xlsx_needs_an_output_file(known_store, monkeypatch, capsys):
    # Usage errors are decided before the store is touched: run in-process, no subprocess.
    monkeypatch.setenv("DATABASE_URL", known_store.url)
    assert main(["export", "--format", "xlsx"]) == 2
    captured = capsys.readouterr()
    assert "kräver --output" in captured.err
    assert captured.out == ""


def test_cli_xlsx_file_has_numbers_and_neutralised_text(known_store, tmp_path):
    target = tmp_path / "export.xlsx"
    result = _export("--output", str(target), database_url=known_store.url)
    assert result.returncode == 0, result.stderr.decode()
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == TEMPLATE_COLUMNS
    assert rows[2][:5] == ("N21497", "0680", "2023", "T", 87.5)
    assert "'-: bortfall" in [r[7] for r in rows]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_cli_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["export", "--format", "pdf"])
    assert exited.value.code == 2
    assert "--format" in capsys.readouterr().err


def test_cli_prepares_an_empty_store_without_demo_data(store_url, tmp_path):
    empty_store_url = store_url
    result = _export("--output", str(tmp_path / "tom.csv"), database_url=empty_store_url)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "tom.csv").read_bytes().decode("utf-8-sig").strip() == ";".join(
        TEMPLATE_COLUMNS
    )
    assert "Inga lagrade värden" in result.stderr.decode()
    with session_scope(empty_store_url) as s:
        assert s.scalar(select(func.count(m.Observation.id))) == 0
        assert s.scalar(select(func.count(m.Indicator.id))) > 0


# --- Round trip: export, then import the result: nothing changes ----------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(known_store, fmt):
    from indicators.imports.pipeline import FileStatus, preview, save
    from indicators.imports.records import UploadedFile
    from indicators.spreadsheets import to_csv_bytes, to_xlsx_bytes

    # The rows of a yearly indicator whose non-ok rows carry their source's reason, including a
    # neutralised "-: bortfall" and a 17-digit float.
    frame = export_observations(known_store, indicator_ids=[RATE], area_codes=["0680", "0687"])
    assert len(frame) == 5
    content = to_csv_bytes(frame) if fmt == "csv" else to_xlsx_bytes({"Värden": frame})
    upload = UploadedFile(f"export.{fmt}", content)
    before = export_observations(known_store, indicator_ids=None, area_codes=None)
    checked = preview(known_store, [upload])
    found = checked.files[0]
    assert checked.status is FileStatus.READY, checked.problems
    assert found.format == "mall"
    assert (found.rows_read, found.new, found.changed, found.unchanged) == (5, 0, 0, 5)
    # Nothing to write: the import is reported as unchanged and adds no batch (issue 11, item 13).
    saved = save(known_store, [upload], user="test")
    assert saved.status is FileStatus.UNCHANGED
    assert (saved.files[0].new, saved.files[0].changed) == (0, 0)
    assert export_observations(known_store, indicator_ids=None, area_codes=None).equals(before)


def test_template_downloads_are_read_as_the_template(known_store):
    from indicators.imports.pipeline import preview
    from indicators.imports.records import UploadedFile
    from indicators.imports.template import template_csv, template_xlsx

    for name, content in [("mall.csv", template_csv()), ("mall.xlsx", template_xlsx())]:
        checked = preview(known_store, [UploadedFile(name, content)])
        assert checked.files[0].format == "mall"
        assert checked.files[0].rows_read == 0
        # Its example row is never a value: the untouched template changes nothing.
        assert (checked.files[0].new, checked.files[0].changed) == (0, 0)
        assert "exempelrad" in checked.problems[0].message


def test_cli_round_trip_of_the_demo_store_gives_zero_changes(demo_copy, tmp_path):
    url = demo_copy.url
    target = tmp_path / "lagret.csv"
    # Two kommuner: the whole demo store (all of Sweden) would make a slow test, not a better one.
    exported = _export("--area", "0680,0687", "--output", str(target), database_url=url)
    assert exported.returncode == 0, exported.stderr.decode()
    imported = subprocess.run(
        [sys.executable, "-m", "indicators", "import", str(target), "--dry-run", "--json"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        timeout=300,
    )
    assert imported.returncode == 0, imported.stderr.decode()
    summary = json.loads(imported.stdout)
    (file,) = summary["files"]
    with session_scope(url) as s:
        stored = s.scalar(
            select(func.count(m.Observation.id)).where(
                m.Observation.area_code.in_(["0680", "0687"])
            )
        )
    assert file["format"] == "mall"
    assert (file["new"], file["changed"], file["rejected"]) == (0, 0, 0)
    assert file["unchanged"] == stored
