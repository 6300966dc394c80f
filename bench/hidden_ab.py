"""The stored hidden cells against judging them from the observations, on the same store in the
same process, alternating (so both see the same load): each request cold (cache cleared), once
with the hidden_cell table complete and once with it marked incomplete, which sends every view
back to judging the hierarchy as before issue 16.

    .venv/bin/python bench/hidden_ab.py national [--rounds 3] [--postgres URL]

Writes bench/.data/results/hidden-ab-<scale>[-postgresql].json."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from bench.common import median, percentile, write_result  # noqa: E402
from bench.scale_data import ensure_postgres, ensure_sqlite  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale", choices=["demo", "national"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    built = (
        ensure_postgres(args.scale, args.postgres) if args.postgres else ensure_sqlite(args.scale)
    )
    os.environ["DATABASE_URL"] = built.url
    # Preparing the store (a migration, a rebuild) may have read the settings already: read
    # them again, or the app would serve the default store instead of this one.
    from indicators.settings import get_settings

    get_settings.cache_clear()
    os.environ["INDIKATOR_SEED_DEMO"] = "false"
    os.environ["INDIKATOR_WARM_CACHE"] = "false"
    os.environ.setdefault("INDIKATOR_HOST", "127.0.0.1")
    import logging

    logging.disable(logging.WARNING)
    from sqlalchemy import update

    from app import app
    from bench.dash_calls import InProcessDash
    from indicators.reads import cache
    from indicators.reads.hidden_cells import STORED
    from indicators.store import models as m
    from indicators.store.engine import session_scope

    dash = InProcessDash(app.server.test_client())
    cases = {
        "Strategi /strategi/1": dash.page_body("/strategi/1"),
        "Strategi /strategi/3": dash.page_body("/strategi/3"),
        "Indikator /indikator/U01405": dash.page_body("/indikator/U01405"),
        "Kommun /kommun/0680": dash.page_body("/kommun/0680"),
        "Översikt": dash.page_body("/"),
    }

    def complete(flag: bool) -> None:
        with session_scope(built.url) as s:
            s.execute(
                update(m.SummaryState).where(m.SummaryState.name == STORED).values(complete=flag)
            )

    times: dict[str, dict[str, list[float]]] = {n: {"stored": [], "judged": []} for n in cases}
    loads = []
    try:
        for _ in range(args.rounds):
            loads.append(round(os.getloadavg()[0], 2))
            for name, body in cases.items():
                for mode in ("judged", "stored"):
                    complete(mode == "stored")
                    cache.clear_all()
                    start = time.perf_counter()
                    status, _ = dash.post(body)
                    times[name][mode].append((time.perf_counter() - start) * 1000)
                    assert status == 200, (name, mode, status)
                print(
                    f"{name:32} bedömda {times[name]['judged'][-1]:8.0f}  "
                    f"lagrade {times[name]['stored'][-1]:8.0f} ms",
                    flush=True,
                )
    finally:
        complete(True)
    rows = [
        {
            "name": n,
            "judged_p50": median(t["judged"]),
            "stored_p50": median(t["stored"]),
            "judged_max": percentile(t["judged"], 100),
            "stored_max": percentile(t["stored"], 100),
            "judged": t["judged"],
            "stored": t["stored"],
        }
        for n, t in times.items()
    ]
    write_result(
        f"hidden-ab-{args.scale}" + ("-postgresql" if args.postgres else ""),
        {"scale": args.scale, "rounds": args.rounds, "loads": loads, "cases": rows},
    )


if __name__ == "__main__":
    main()
