"""The load run's script works against the served app: its recorded Dash callbacks still fit
the pages (a stale recording would show up as errors here first), and it reports per group."""

import subprocess
import sys
from pathlib import Path

from indicators.paths import PROJECT_ROOT


def test_a_short_load_run_has_no_errors(live_server: str, tmp_path: Path):
    out = tmp_path / "RESULTS-load.md"
    run = subprocess.run(
        [
            sys.executable,
            "bench/load_run.py",
            live_server,
            "--users",
            "2",
            "--seconds",
            "3",
            "--out",
            str(out),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = out.read_text(encoding="utf-8")
    assert "| Grupp | Anrop | Fel | Omförsök | p50 ms | p95 ms | max ms |" in report
    assert ", 0 fel," in report
    for group in ("| page |", "| dash-layout |", "| assets |"):
        assert group in report
