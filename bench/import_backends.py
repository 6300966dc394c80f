"""Time saving one large import on SQLite and on PostgreSQL: new values into a store without
values, the same file again (all unchanged), the file with every value changed, and undo.

    .venv/bin/python bench/import_backends.py [--rows 100000] [--postgres URL]

--postgres names a server database to create scratch databases from (scripts/postgres-start.sh
prints one). Figures go to stdout; a run with notes is kept in bench/import_backends.txt."""

import argparse
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from indicators.imports import save as save_module
from indicators.imports.changes import CONFIRM_ALL
from indicators.imports.pipeline import save_parsed, undo_batch
from indicators.imports.records import RECORD_COLUMNS, ParsedFile, UploadedFile
from indicators.settings import Settings
from indicators.store.engine import engine_for, session_scope
from indicators.store.store import Store
from indicators.writes.bootstrap import prepare_store
from indicators.writes.seed import generate_observations, read_area_specs, read_indicator_specs


def records(url: str, rows: int, seed: int) -> pd.DataFrame:
    """Exempeldata for all kommuner, as many years as it takes, cut to `rows`; another seed
    gives other values for the same keys."""
    with session_scope(url) as session:
        indicators, areas = read_indicator_specs(session), read_area_specs(session)
    frame = generate_observations(indicators, areas, range(2005, 2026), seed=seed)
    if len(frame) < rows:
        raise SystemExit(f"bara {len(frame)} rader att importera")
    frame = frame.iloc[:rows].reset_index(drop=True)
    frame["sheet"] = None
    frame["row"] = range(2, len(frame) + 2)
    frame["value_column"] = "Värde"
    for name in ("indicator_id", "area_code", "period_type", "gender", "status"):
        frame[name] = frame[name].astype(str)
    return frame[RECORD_COLUMNS]


def timed(label: str, action: Callable[[], object], figures: dict[str, float]) -> object:
    # write_file is the part that touches the database in bulk; the rest is validation.
    spent = {"write": 0.0}
    original = save_module.write_file

    def measured(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["write"] += time.perf_counter() - start

    save_module.write_file = measured
    import indicators.imports.pipeline as pipeline

    pipeline_original = pipeline.write_file
    pipeline.write_file = measured
    start = time.perf_counter()
    try:
        result = action()
    finally:
        save_module.write_file = original
        pipeline.write_file = pipeline_original
    figures[label] = time.perf_counter() - start
    if spent["write"]:
        figures[f"{label} (write_file)"] = spent["write"]
    return result


def run(url: str, rows: int) -> dict[str, float]:
    prepare_store(Settings(database_url=url, seed_demo=False))
    store = Store(url)
    frame, changed = records(url, rows, seed=7), records(url, rows, seed=8)
    figures: dict[str, float] = {}

    def saved(data: pd.DataFrame, name: str) -> int:
        file = (
            UploadedFile(name, name.encode()),
            ParsedFile(name, "mall", data, rows_read=len(data), columns={"period": "Period"}),
        )
        # The changed file moves published values: confirmed, as --confirm-changes does.
        result = save_parsed(store, [file], user="bench", confirmed=CONFIRM_ALL)
        assert result.ok, [p.message for p in result.problems][:5]
        return result.files[0].batch_id

    timed("new", lambda: saved(frame, "ny.csv"), figures)
    timed("unchanged", lambda: saved(frame, "samma.csv"), figures)
    batch = timed("changed", lambda: saved(changed, "andrad.csv"), figures)
    timed("undo", lambda: undo_batch(store, batch, user="bench"), figures)
    engine_for(url).dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with TemporaryDirectory() as folder:
        results["sqlite"] = run(f"sqlite:///{Path(folder) / 'bench.sqlite'}", args.rows)
    if args.postgres:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        try:
            results["postgresql"] = run(url, args.rows)
        finally:
            engine_for(url).dispose()
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    for backend, figures in results.items():
        for label, seconds in figures.items():
            print(f"{backend:10} {args.rows:>8} rader  {label:24} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
