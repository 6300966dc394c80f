"""`make bench` / `make bench-quick`: every benchmark, each in its own process, then
BENCHMARKS.md.

    .venv/bin/python bench/run.py [--quick] [--postgres URL] [ONLY ...]

--quick: demo scale only, few repetitions, a 50 000-row import, no load run (< 2 min; a smoke
run); its results and report go to bench/.data/results-quick/ and bench/.data/BENCHMARKS-quick.md
so a smoke run never overwrites the full run's numbers in BENCHMARKS.md. ONLY names benchmarks
to run (scale, callbacks, imports, browser, memory, load); the others keep their latest results
in the report. Extra arguments for one script: run it alone (see BENCHMARKS.md)."""

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from bench.common import BENCH, RESULTS, load_average, run_script  # noqa: E402

ALL = ("scale", "callbacks", "imports", "browser", "memory", "warmer", "load")


def load_run(failures: list[str]) -> None:
    """bench/run_load.sh (helper API) on the national SQLite store; its figures are kept under
    bench/.data/results/, and its own bench/RESULTS-load.md (the demo run) is put back."""
    script = BENCH / "run_load.sh"
    if not script.exists():
        print("bench/run_load.sh finns inte än: lastkörningen hoppas över", flush=True)
        return
    own = BENCH / "RESULTS-load.md"
    saved = own.read_bytes() if own.exists() else None
    env = {
        "DATABASE_URL": f"sqlite:///{BENCH / '.data' / 'national.sqlite'}",
        "CAPTURE": "0",
    }
    code = subprocess.call(["bash", str(script)], cwd=ROOT, env={**os.environ, **env})
    if own.exists():
        RESULTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(own, RESULTS / "load-national.md")
    if saved is not None:
        own.write_bytes(saved)
    if code != 0:
        failures.append(f"load run (exit {code})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--postgres", default="")
    parser.add_argument("only", nargs="*", help=", ".join(ALL))
    args = parser.parse_args()
    unknown = [name for name in args.only if name not in ALL]
    if unknown:
        parser.error(f"okänt: {', '.join(unknown)}; välj bland {', '.join(ALL)}")
    chosen = args.only or list(ALL)
    scales = ["demo"] if args.quick else ["demo", "national"]
    if args.quick:
        # Children inherit these: results and report of a smoke run stay out of BENCHMARKS.md.
        os.environ["BENCH_RESULTS_DIR"] = str(BENCH / ".data" / "results-quick")
        os.environ["BENCH_REPORT"] = str(BENCH / ".data" / "BENCHMARKS-quick.md")
    failures: list[str] = []

    def step(name: str, argv: list[str]) -> None:
        print(f"\n== {' '.join(argv)}  (belastning {load_average():.2f})", flush=True)
        if run_script(argv) != 0:
            failures.append(" ".join(argv))

    if "scale" in chosen:
        for scale in scales:
            extra = ["--postgres", args.postgres] if args.postgres and scale == "national" else []
            step("scale", ["bench/scale_data.py", scale, *extra])
    if "callbacks" in chosen:
        for scale in scales:
            runs = ["--reps", "1", "--runs", "1"] if args.quick else ["--reps", "5", "--runs", "3"]
            step("callbacks", ["bench/callbacks.py", scale, *runs])
        if args.postgres and not args.quick:
            step(
                "callbacks",
                ["bench/callbacks.py", "national", "--reps", "3", "--postgres", args.postgres],
            )
    if "imports" in chosen:
        if args.quick:
            step("imports", ["bench/imports.py", "--rows", "50000", "--orm-rows", "2000"])
        else:
            step("imports", ["bench/imports.py", "--rows", "1000000", "--orm-rows", "50000"])
    if "browser" in chosen:
        for scale in scales:
            step("browser", ["bench/browser.py", scale, "--runs", "2" if args.quick else "5"])
    if "memory" in chosen:
        for scale in scales:
            step("memory", ["bench/memory.py", scale])
    if "warmer" in chosen:
        for scale in scales:
            step("warmer", ["bench/warmer.py", scale, "--reps", "2" if args.quick else "15"])
        if args.postgres and not args.quick:
            step("warmer", ["bench/warmer.py", "national", "--postgres", args.postgres])
    if "load" in chosen and not args.quick:
        load_run(failures)
    run_script(["bench/report.py"])
    print(f"Rapport: {os.environ.get('BENCH_REPORT') or ROOT / 'BENCHMARKS.md'}")
    if failures:
        print("Misslyckades: " + "; ".join(failures), file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
