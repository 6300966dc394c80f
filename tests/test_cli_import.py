"""`python -m indicators import|undo|history` in a subprocess against a real SQLite file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.paths import PROJECT_ROOT
from indicators.store.engine import engine_for

HEADER = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status"
GOOD = [
    "N21497;0680;2023;T;87,5;35;40;",
    "N21497;0604;2023;T;;;;..",
    "N21497;0617;2022;T;60;30;50;",
]


def _run(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "INDIKATOR_SEED_DEMO": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _write(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8"))
    return path


def _count(url: str, table: str) -> int:
    with engine_for(url).connect() as connection:
        return connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    return _write(tmp_path / "mall.csv", GOOD)


def test_dry_run_then_save_then_same_file_again(empty_store_url, good_file):
    dry = _run("import", str(good_file), "--dry-run", "--json", database_url=empty_store_url)
    assert dry.returncode == 0, dry.stderr
    summary = json.loads(dry.stdout)
    assert summary["status"] == "ready"
    assert summary["files"][0]["new"] == 3
    # The import prepared the store but wrote nothing, and never seeds Exempeldata.
    assert _count(empty_store_url, "observation") == 0
    assert _count(empty_store_url, "import_batch") == 0

    saved = _run("import", str(good_file), database_url=empty_store_url)
    assert saved.returncode == 0, saved.stderr
    assert "sparad (import 1)" in saved.stdout
    assert _count(empty_store_url, "observation") == 3

    again = _run("import", str(good_file), "--json", database_url=empty_store_url)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["status"] == "unchanged"
    file = summary["files"][0]
    assert file["batch_id"] is None
    assert {k: file[k] for k in ("file", "format", "rows_read", "new", "changed", "unchanged")} == {
        "file": "mall.csv",
        "format": "mall",
        "rows_read": 3,
        "new": 0,
        "changed": 0,
        "unchanged": 3,
    }
    assert file["rejected"] == 0

    history = _run("history", "--json", database_url=empty_store_url)
    assert history.returncode == 0, history.stderr
    batches = json.loads(history.stdout)
    # The unchanged re-import was reported but is no batch.
    assert [b["id"] for b in batches] == [1]
    assert batches[0]["new"] == 3
    plain = _run("import", str(good_file), database_url=empty_store_url)
    assert plain.returncode == 0, plain.stderr
    assert "inga ändringar" in plain.stdout and "Inget nytt att spara" in plain.stdout

    undone = _run("undo", "1", database_url=empty_store_url)
    assert undone.returncode == 0, undone.stderr
    assert "ångrad" in undone.stdout
    assert _count(empty_store_url, "observation") == 0
    refused = _run("undo", "1", database_url=empty_store_url)
    assert refused.returncode == 1
    assert "redan" in refused.stderr


def test_rejected_file_exits_1_with_problems_and_writes_nothing(empty_store_url, tmp_path):
    bad = _write(
        tmp_path / "fel.csv", [*GOOD, "XYZ999;0680;2023;T;5;;;", "N21497;0686;2023;T;140;;;"]
    )
    result = _run("import", str(bad), "--json", database_url=empty_store_url)
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    assert summary["status"] == "rejected"
    assert summary["files"][0]["rejected"] == 2
    problems = summary["problems"]
    assert {p["row"] for p in problems if p["severity"] == "fel"} == {5, 6}
    for p in problems:
        assert set(p) == {"file", "sheet", "row", "column", "value", "message", "severity"}
        assert p["file"] == "fel.csv"
    percent = next(p for p in problems if p["row"] == 6)
    assert (percent["column"], percent["value"]) == ("Värde", "140")
    assert _count(empty_store_url, "observation") == 0

    readable = _run("import", str(bad), database_url=empty_store_url)
    assert readable.returncode == 1
    assert "fel.csv, rad 6, kolumn Värde" in readable.stdout
    assert "avvisad" in readable.stdout


def test_usage_errors_exit_2(empty_store_url, good_file, tmp_path):
    missing = _run("import", str(tmp_path / "finns-inte.csv"), database_url=empty_store_url)
    assert missing.returncode == 2
    assert "Filen finns inte" in missing.stderr
    unknown_format = _run(
        "import", str(good_file), "--format", "påhittat", database_url=empty_store_url
    )
    assert unknown_format.returncode == 2
    no_path = _run("import", database_url=empty_store_url)
    assert no_path.returncode == 2


def test_kolada_indicator_needs_the_flag(empty_store_url, tmp_path):
    file = _write(tmp_path / "kolada.csv", ["N00003;0680;2023;T;41234;;;"])
    refused = _run("import", str(file), "--json", database_url=empty_store_url)
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["files"][0]["unknown_kolada_ids"] == ["N00003"]
    added = _run(
        "import", str(file), "--json", "--add-kolada-indicators", database_url=empty_store_url
    )
    assert added.returncode == 0, added.stdout
    assert json.loads(added.stdout)["files"][0]["added_indicators"] == ["N00003"]


def test_two_files_that_disagree_are_refused_naming_both(empty_store_url, tmp_path):
    a = _write(tmp_path / "a.csv", ["N21497;0680;2023;T;87,5;35;40;"])
    b = _write(tmp_path / "b.csv", ["N21497;0604;2023;T;10;;;", "N21497;0680;2023;T;90;;;"])
    result = _run("import", str(a), str(b), database_url=empty_store_url)
    assert result.returncode == 1, result.stdout
    assert "a.csv rad 2, kolumn Värde (värde 87,5, täljare 35, nämnare 40)" in result.stdout
    assert "b.csv rad 3, kolumn Värde (värde 90)" in result.stdout
    assert "olika värden" in result.stdout
    assert _count(empty_store_url, "observation") == 0
    assert _count(empty_store_url, "import_batch") == 0


def test_a_forced_format_that_yields_nothing_is_refused(empty_store_url, tmp_path):
    other = tmp_path / "annat.json"
    other.write_text('{"rows": [{"a": 1}]}', encoding="utf-8")
    result = _run("import", str(other), "--format", "kolada-json", database_url=empty_store_url)
    assert result.returncode == 1, result.stdout
    assert "annat.json" in result.stdout and "avvisad" in result.stdout
    assert "inget svar från Koladas API" in result.stdout
    assert "Inget sparades" in result.stdout and "Sparat." not in result.stdout
    assert _count(empty_store_url, "import_batch") == 0
    header_only = _write(tmp_path / "tom.csv", [])
    empty = _run("import", str(header_only), database_url=empty_store_url)
    assert empty.returncode == 1
    assert "tom.csv" in empty.stdout
    assert _count(empty_store_url, "import_batch") == 0


def test_changes_are_listed_and_a_published_change_needs_the_flag(empty_store_url, good_file):
    assert _run("import", str(good_file), database_url=empty_store_url).returncode == 0
    batches = _count(empty_store_url, "import_batch")
    changed = _write(good_file.parent / "rättelse.csv", ["N21497;0680;2023;T;60;24;40;"])

    dry = _run("import", str(changed), "--dry-run", database_url=empty_store_url)
    assert dry.returncode == 0, dry.stderr
    line = next(x for x in dry.stdout.splitlines() if "Jönköping" in x)
    assert line.split()[:8] == ["2", "N21497", "0680", "Jönköping", "2023", "Totalt", "87,5", "60"]
    assert "bekräftas" in line
    assert "87,5 → 60 (−27,5)" in dry.stdout and "--bekrafta-andringar" in dry.stdout

    refused = _run("import", str(changed), database_url=empty_store_url)
    assert refused.returncode == 1
    assert "måste bekräftas" in refused.stdout and "87,5" in refused.stdout
    assert _count(empty_store_url, "import_batch") == batches

    saved = _run("import", str(changed), "--bekrafta-andringar", database_url=empty_store_url)
    assert saved.returncode == 0, saved.stdout
    assert _count(empty_store_url, "import_batch") == batches + 1
