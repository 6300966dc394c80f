"""Parse time of a 10 000-row file, CSV and xlsx: the import's own reading and parsing beside
pandas reading the same file (openpyxl and calamine for xlsx).

    .venv/bin/python bench/parse_files.py [--repeat 5]

Files (written to bench/.data/parse/, not committed):
- kolada_values_10000.csv: Kolada's values in the long form rKolada writes (gender, count,
  status, value, kpi, year, municipality_id, municipality, municipality_type), the real rows
  of tests/fixtures/real/kolada/*.csv (303 published values) spread over every kommun of
  data/kolada/areas.csv so that each of the 10 000 rows has its own key.
- kolada_values_10000.xlsx: the same rows saved by openpyxl (numbers as numbers, codes as text).
- kpis.csv: Kolada's real KPI list (/work/shared/reference/kolada/kpis.csv, 6 099 rows, 13
  text columns with long descriptions), read as a table only.

Each step runs --repeat times in this process; the table gives the fastest run (the least
disturbed by the other work on a shared machine). Results go to bench/parse_files.md."""

import argparse
import csv
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

import pandas as pd  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from indicators.imports import reading  # noqa: E402
from indicators.imports.formats import parse_upload  # noqa: E402
from indicators.imports.reading import read_delimited, read_xlsx  # noqa: E402
from indicators.imports.records import UploadedFile  # noqa: E402
from indicators.imports.values import AreaResolver  # noqa: E402

DATA = ROOT / "bench" / ".data" / "parse"
REAL = ROOT / "tests" / "fixtures" / "real" / "kolada"
AREAS = ROOT / "data" / "kolada" / "areas.csv"
KPIS = Path("/work/shared/reference/kolada/kpis.csv")
ROWS = 10_000
COLUMNS = [
    "gender",
    "count",
    "status",
    "value",
    "kpi",
    "year",
    "municipality_id",
    "municipality",
    "municipality_type",
]


def areas() -> list[dict[str, str]]:
    with AREAS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rows() -> list[list[object]]:
    real = []
    for path in sorted(REAL.glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            real.extend(csv.DictReader(f))
    kommuner = [a for a in areas() if a["type"] == "K"]
    out: list[list[object]] = []
    seen: set[tuple[str, str, str]] = set()
    i = 0
    while len(out) < ROWS:
        r = real[i % len(real)]
        area = kommuner[(i // len(real)) % len(kommuner)]
        key = (r["kpi"], r["year"], area["id"])
        i += 1
        if key in seen:
            continue
        seen.add(key)
        value = float(r["value"])
        out.append(["T", 1, "", value, r["kpi"], int(r["year"]), area["id"], area["title"], "K"])
    return out


def write_files() -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    data = rows()
    paths = {
        "csv": DATA / "kolada_values_10000.csv",
        "xlsx": DATA / "kolada_values_10000.xlsx",
        "kpis": DATA / "kpis.csv",
    }
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(data)
    paths["csv"].write_text(text.getvalue(), encoding="utf-8")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("values")
    ws.append(COLUMNS)
    for row in data:
        ws.append(row)
    wb.save(paths["xlsx"])
    paths["kpis"].write_bytes(KPIS.read_bytes())
    return paths


def read_xlsx_openpyxl(file: UploadedFile) -> object:
    """The import's xlsx reading as it was before calamine: openpyxl for every workbook."""
    original = reading._read_values_fast
    reading._read_values_fast = lambda content: None  # type: ignore[assignment]  # bench only
    try:
        return read_xlsx(file)
    finally:
        reading._read_values_fast = original


def best(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def resolver() -> AreaResolver:
    kinds = {"K": "kommun", "L": "region"}
    return AreaResolver(
        (a["id"], a["title"], "riket" if a["id"] == "0000" else kinds[a["type"]]) for a in areas()
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = write_files()
    resolve = resolver()
    upload = {k: UploadedFile(p.name, p.read_bytes()) for k, p in paths.items()}
    xlsx = upload["xlsx"]

    def parse(kind: str) -> Callable[[], object]:
        def run() -> object:
            parsed = parse_upload(upload[kind], areas=resolve, max_bytes=100 * 1024 * 1024)
            assert len(parsed.records) == ROWS, parsed.problems[:3]
            return parsed

        return run

    csv_path, xlsx_path, kpis_path = paths["csv"], paths["xlsx"], paths["kpis"]
    rows_csv, rows_xlsx, kpis = "CSV 10 000 rader", "xlsx 10 000 rader", "kpis.csv (6 099 rader)"
    steps: list[tuple[str, str, Callable[[], object]]] = [
        (rows_csv, "pandas.read_csv (dtype=str)", lambda: pd.read_csv(csv_path, dtype=str)),
        (rows_csv, "importens läsning (read_delimited)", lambda: read_delimited(upload["csv"])),
        (rows_csv, "importens läsning + tolkning (parse_upload)", parse("csv")),
        (
            rows_xlsx,
            "pandas.read_excel (openpyxl)",
            lambda: pd.read_excel(xlsx_path, engine="openpyxl", dtype=str),
        ),
        (
            rows_xlsx,
            "pandas.read_excel (calamine)",
            lambda: pd.read_excel(xlsx_path, engine="calamine", dtype=str),
        ),
        (rows_xlsx, "importens läsning, openpyxl (före)", lambda: read_xlsx_openpyxl(xlsx)),
        (rows_xlsx, "importens läsning (read_xlsx, calamine)", lambda: read_xlsx(xlsx)),
        (rows_xlsx, "importens läsning + tolkning (parse_upload)", parse("xlsx")),
        (kpis, "pandas.read_csv (dtype=str)", lambda: pd.read_csv(kpis_path, dtype=str)),
        (kpis, "importens läsning (read_delimited)", lambda: read_delimited(upload["kpis"])),
    ]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        "# Parse time of real-shaped files (bench/parse_files.py)",
        "",
        f"Fastest of {args.repeat} runs in one process, {stamp}; 2 shared cores, other work "
        "running beside it, so compare rows of one table, not across tables.",
        "",
        "| fil | steg | tid (ms) |",
        "|---|---|---:|",
    ]
    for file, step, run in steps:
        seconds = best(run, args.repeat)
        lines.append(f"| {file} | {step} | {seconds * 1000:.0f} |")
        print(lines[-1], flush=True)
    (ROOT / "bench" / "parse_files.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
