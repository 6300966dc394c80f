"""Shared by the benchmarks: where results go, percentiles, the machine, and running one
benchmark as its own process (so its memory and its imports are its own)."""

import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# A quick (smoke) run keeps its results apart, so it never overwrites the full run's numbers.
RESULTS = Path(os.environ.get("BENCH_RESULTS_DIR") or BENCH / ".data" / "results")
PY = sys.executable
# The load average when this benchmark process started: the machine is shared.
STARTED_LOAD = os.getloadavg()[0]
PACKAGES = ("dash", "plotly", "pandas", "numpy", "sqlalchemy", "flask", "psycopg", "gunicorn")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100); with few samples p95 is the slowest, as it should."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    written = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    data = {**data, "written": written, "load": round(STARTED_LOAD, 2)}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str))
    return path


def read_result(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def run_script(args: list[str], env: dict[str, str] | None = None) -> int:
    """A benchmark script under this Python, from the repository root; output passes through."""
    full_env = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}
    return subprocess.call([PY, *args], cwd=ROOT, env=full_env)


def machine() -> dict[str, str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    sqlite = _sqlite_version()
    return {
        "cpu": f"{cpu}, {os.cpu_count()} kärnor",
        "ram": f"{mem_kb / 1024 / 1024:.1f} GB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": ", ".join(versions) + f", SQLite {sqlite}",
        "commit": commit + (" + ändringar" if dirty else ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def load_average() -> float:
    return os.getloadavg()[0]


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
