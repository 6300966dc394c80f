"""`python -m indicators` as an operator runs it, in a subprocess against a real SQLite file."""

import os
import subprocess
import sys

from indicators.paths import PROJECT_ROOT


def _run(*args: str, database_url: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_prepare_migrates_loads_and_seeds_once(empty_store_url):
    first = _run("prepare", database_url=empty_store_url)
    assert first.returncode == 0, first.stderr
    assert "katalogändringar" in first.stdout
    assert " 0 nya observationer" not in first.stdout
    again = _run("prepare", database_url=empty_store_url)
    assert again.returncode == 0, again.stderr
    assert "0 katalogändringar, 0 områdesändringar, 0 nya observationer" in again.stdout
    status = _run("status", database_url=empty_store_url)
    assert "Exempeldata: ja" in status.stdout


def test_prepare_without_demo_leaves_the_store_empty(empty_store_url):
    result = _run("prepare", database_url=empty_store_url, INDIKATOR_SEED_DEMO="false")
    assert result.returncode == 0, result.stderr
    status = _run("status", database_url=empty_store_url)
    assert "Observationer: 0" in status.stdout
    assert "Exempeldata: nej" in status.stdout


def test_kolada_search(empty_store_url):
    found = _run("kolada", "fast", "omsorgskontakt", database_url=empty_store_url)
    assert found.returncode == 0
    assert "N21497" in found.stdout
    missing = _run("kolada", "zzzz-finns-inte", database_url=empty_store_url)
    assert missing.returncode == 1
    assert "Inga Kolada-KPI:er" in missing.stdout
