"""Stores for the benchmarks, built once and reused: the demo as `make run` seeds it, and national
scale — every kommun, region and Riket × 300 indicators × 2000–2025 × T/K/M (about 7 million
observations) from the SAME seed function as the demo (indicators.writes.seed keys every draw by
seed, indicator, area, period and gender, so scaling up only means choosing more indicators and
years).

    .venv/bin/python bench/scale_data.py [demo|national] [--postgres URL] [--rebuild]

The 54 catalogue indicators are joined by real Kolada KPIs from the shipped catalogue
(data/kolada/kpis.csv), created with origin "kolada" exactly as an import creates them
(indicators.imports.save.add_kolada_indicators). Observations are generated and written a few
indicators at a time through the seed's bulk path (executemany on SQLite, COPY on PostgreSQL),
so peak memory stays flat. A marker file beside each store holds the generator's parameters;
a store whose marker matches is reused as it is."""

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indicators.catalogue.kolada import kolada_catalogue  # noqa: E402
from indicators.imports.save import add_kolada_indicators  # noqa: E402
from indicators.imports.validate import NewKoladaIndicator, kolada_indicator  # noqa: E402
from indicators.settings import Settings  # noqa: E402
from indicators.store.engine import engine_for, session_scope  # noqa: E402
from indicators.store.models import ImportBatch, Indicator, Observation  # noqa: E402
from indicators.vocabulary.domain import AreaLevel, AuditAction, ValueKind  # noqa: E402
from indicators.writes import audit  # noqa: E402
from indicators.writes.bootstrap import prepare_store  # noqa: E402
from indicators.writes.seed import (  # noqa: E402
    FORMAT,
    IMPORTED_AT,
    IMPORTED_BY,
    SOURCE_NAME,
    generate_observations,
    insert_observations,
    read_area_specs,
    read_indicator_specs,
)

DATA_DIR = ROOT / "bench" / ".data"
# Several worktrees share one PostgreSQL server: BENCH_PG_DATABASE keeps one's store apart.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "bench_national")
GENERATOR_VERSION = 1  # bump when this file changes what it writes
INDICATORS_PER_CHUNK = 8  # ≈ 200 000 rows per generated frame


@dataclass(frozen=True)
class Scale:
    name: str
    indicators: int  # total, catalogue included; 0 = the catalogue only (the demo)
    first_year: int
    last_year: int
    seed: int = 2021

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


SCALES = {
    # What `make run` seeds: indicators.writes.seed.seed_demo's defaults.
    "demo": Scale("demo", 0, 2015, 2025),
    "national": Scale("national", 300, 2000, 2025),
}


@dataclass(frozen=True)
class BuiltStore:
    scale: str
    url: str
    observations: int
    indicators: int
    areas: int
    build_seconds: float
    size_bytes: int
    peak_rss_mb: float
    reused: bool


def _marker(scale: Scale, backend: str) -> dict[str, object]:
    return {"version": GENERATOR_VERSION, "backend": backend, **asdict(scale)}


def sqlite_path(scale: str) -> Path:
    return DATA_DIR / f"{scale}.sqlite"


def kolada_additions(session: Session, wanted: int) -> list[NewKoladaIndicator]:
    """`wanted` real Kolada KPIs the store lacks: running series measured by gender for every
    kommun (so each seeds all areas × T/K/M), spread evenly over the shipped catalogue."""
    held = set(session.scalars(select(Indicator.id)).all())
    eligible = []
    for kpi in sorted(kolada_catalogue()._by_id.values(), key=lambda k: k.id):
        if kpi.id in held or kpi.discontinued or not kpi.by_gender:
            continue
        if kpi.area_level not in (AreaLevel.ALL, AreaLevel.KOMMUN):
            continue
        new = kolada_indicator(kpi)
        if new.value_kind is ValueKind.CODED:  # coded series carry no gender split
            continue
        eligible.append(new)
    if len(eligible) < wanted:
        raise SystemExit(f"bara {len(eligible)} lämpliga Kolada-nyckeltal, {wanted} behövs")
    step = len(eligible) / wanted
    return [eligible[int(i * step)] for i in range(wanted)]


def _seed_scaled(url: str, scale: Scale) -> int:
    """Every indicator in the store over every area and year, as one Exempeldata batch."""
    with session_scope(url) as session:
        held = session.scalar(select(func.count()).select_from(Indicator)) or 0
        if scale.indicators > held:
            add_kolada_indicators(session, kolada_additions(session, scale.indicators - held))
    with session_scope(url) as session:
        specs = sorted(read_indicator_specs(session), key=lambda s: s.id)
        areas = read_area_specs(session)
        digest = hashlib.sha256(json.dumps(_marker(scale, "")).encode()).hexdigest()
        batch = ImportBatch(
            source_name=SOURCE_NAME,
            sha256=digest,
            format=FORMAT,
            imported_by=IMPORTED_BY,
            imported_at=IMPORTED_AT,
            is_demo=True,
            rows_read=0,
            rows_new=0,
        )
        session.add(batch)
        session.flush()
        total = 0
        for start in range(0, len(specs), INDICATORS_PER_CHUNK):
            frame = generate_observations(
                specs[start : start + INDICATORS_PER_CHUNK], areas, scale.years, scale.seed
            )
            insert_observations(session, frame, batch.id)
            total += len(frame)
            done = min(start + INDICATORS_PER_CHUNK, len(specs))
            print(
                f"  {done}/{len(specs)} indikatorer, {total:,} rader", file=sys.stderr, flush=True
            )
            del frame
        batch.rows_read = batch.rows_new = total
        audit.record(
            session,
            "system (exempeldata)",
            AuditAction.IMPORT,
            f"import {batch.id}: Exempeldata (benchmark {scale.name})",
            after={"import": batch.id, "exempeldata": True, "nya": total},
        )
    return total


def _counts(url: str) -> tuple[int, int, int]:
    with session_scope(url) as session:
        obs = session.scalar(select(func.count()).select_from(Observation)) or 0
        inds = session.scalar(select(func.count(func.distinct(Observation.indicator_id)))) or 0
        areas = session.scalar(select(func.count(func.distinct(Observation.area_code)))) or 0
    return obs, inds, areas


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _build(url: str, scale: Scale) -> None:
    prepare_store(Settings(database_url=url, seed_demo=scale.indicators == 0))
    if scale.indicators:
        _seed_scaled(url, scale)
    if make_url(url).get_backend_name() == "sqlite":
        with engine_for(url).connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with engine_for(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def _migrated(url: str) -> None:
    """A reused store brought to the code's schema and derived tables, as the app's start does
    (the first time after a migration this takes a while at national scale; after that it is
    a check)."""
    start = time.perf_counter()
    prepare_store(Settings(database_url=url, seed_demo=False))
    engine_for(url).dispose()
    print(f"  lagret förberett på {time.perf_counter() - start:.1f} s", file=sys.stderr)


def ensure_sqlite(scale_name: str, *, rebuild: bool = False) -> BuiltStore:
    scale = SCALES[scale_name]
    path = sqlite_path(scale_name)
    marker_file = path.with_suffix(".json")
    url = f"sqlite:///{path}"
    wanted = _marker(scale, "sqlite")
    if not rebuild and path.exists() and marker_file.exists():
        saved = json.loads(marker_file.read_text())
        if saved.get("marker") == wanted:
            _migrated(url)
            return BuiltStore(**{**saved["built"], "reused": True})
    for stale in DATA_DIR.glob(f"{scale_name}.sqlite*"):
        stale.unlink()
    marker_file.unlink(missing_ok=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    _build(url, scale)
    seconds = time.perf_counter() - start
    engine_for(url).dispose()
    obs, inds, areas = _counts(url)
    built = BuiltStore(
        scale_name, url, obs, inds, areas, seconds, path.stat().st_size, _peak_rss_mb(), False
    )
    marker_file.write_text(json.dumps({"marker": wanted, "built": asdict(built)}, indent=1))
    return built


def ensure_postgres(scale_name: str, server_url: str, *, rebuild: bool = False) -> BuiltStore:
    """The scale in database bench_<scale> on the server `server_url` points at."""
    scale = SCALES[scale_name]
    database = PG_DATABASE if scale_name == "national" else f"bench_{scale_name}"
    url = make_url(server_url).set(database=database).render_as_string(hide_password=False)
    marker_file = DATA_DIR / (
        f"{scale_name}-postgresql.json"
        if database in ("bench_national", f"bench_{scale_name}")
        else f"{database}-postgresql.json"
    )
    wanted = {**_marker(scale, "postgresql"), "url": url}
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database})
        if not rebuild and exists and marker_file.exists():
            saved = json.loads(marker_file.read_text())
            if saved.get("marker") == wanted:
                admin.dispose()
                _migrated(url)
                return BuiltStore(**{**saved["built"], "reused": True})
        if exists:
            conn.exec_driver_sql(f'DROP DATABASE "{database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    _build(url, scale)
    seconds = time.perf_counter() - start
    obs, inds, areas = _counts(url)
    with admin.connect() as conn:
        size = conn.scalar(text("SELECT pg_database_size(:n)"), {"n": database}) or 0
    admin.dispose()
    engine_for(url).dispose()
    built = BuiltStore(scale_name, url, obs, inds, areas, seconds, size, _peak_rss_mb(), False)
    marker_file.write_text(json.dumps({"marker": wanted, "built": asdict(built)}, indent=1))
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scale", choices=sorted(SCALES), nargs="?", default="national")
    parser.add_argument("--postgres", default="", help="server URL (scripts/postgres-start.sh)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    built = []
    if not args.no_sqlite:
        built.append(ensure_sqlite(args.scale, rebuild=args.rebuild))
    if args.postgres:
        built.append(ensure_postgres(args.scale, args.postgres, rebuild=args.rebuild))
    for b in built:
        print(json.dumps(asdict(b)))


if __name__ == "__main__":
    main()
