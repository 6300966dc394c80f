"""How much the cache warmer slows a request in the same worker (issue 16's goal: ≤ 20 %).

    .venv/bin/python bench/warmer.py demo|national [--reps 15] [--postgres URL]

The real app in this process, as bench/callbacks.py runs it. A few cases (pages and callbacks
of different weight), each request cold (the query cache cleared first, as after an import),
timed while the warmer works in the same process: a thread running
`indicators.reads.warmup.warm_views` round after round, as the real warmer does after an
import. Idle and warming rounds take turns: in an idle round the warmer is held (a request kept
in flight around each sample), in a warming round it is under way when each request arrives.
With --selfish (the warmer that does not give way, which cannot be held) idle comes first. It
warms an alias of the same store (the same database under another URL), so its results never
answer a measured request: what is measured is only the competition for the process (Python's
interpreter lock, the CPU and the database). Slowdown = p50 with the warmer / p50 idle, per
case. Results go to bench/.data/results/warmer-<scale>[-postgresql].json."""

import argparse
import os
import random
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from sqlalchemy.engine import make_url  # noqa: E402

from bench.common import median, percentile, write_result  # noqa: E402
from bench.scale_data import ensure_postgres, ensure_sqlite  # noqa: E402

GOAL = 1.2


def alias(url: str) -> str:
    """The same database under another URL: its own cache keys and its own connections."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(str(parsed.database))
        return f"sqlite:///{path.parent}/./{path.name}"
    return parsed.update_query_dict({"application_name": "warmer"}).render_as_string(
        hide_password=False
    )


def time_to_stop(thread: threading.Thread, samples: int = 200) -> list[float]:
    """How soon a warmer under way stops once a request is in flight (ms): at random moments a
    request is counted in flight, and the warming thread's innermost frame is polled until it
    waits in giving_way's hook or statement check. The giving way itself, measured: the longer
    a warmer runs on, the longer it shares the interpreter with that request."""
    from indicators.reads.warmup import REQUESTS

    ident = thread.ident
    assert ident is not None
    stops: list[float] = []
    for _ in range(samples):
        time.sleep(random.uniform(0.005, 0.03))
        start = time.perf_counter()
        with REQUESTS.answering():
            while True:
                frame = sys._current_frames().get(ident)
                if frame is None or (
                    frame.f_code.co_name == "wait"
                    and frame.f_back is not None
                    and frame.f_back.f_code.co_filename.endswith("threading.py")
                ):
                    break
                time.sleep(0.0002)
            stops.append((time.perf_counter() - start) * 1000)
    return stops


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale", choices=["demo", "national"])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--postgres", default="")
    parser.add_argument(
        "--gap-ms", type=float, default=10, help="pause before each request (0: back to back)"
    )
    parser.add_argument(
        "--selfish", action="store_true", help="the warmer without giving way (as before)"
    )
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
    os.environ["INDIKATOR_WARM_CACHE"] = "false"  # the bench runs its own warmer thread
    os.environ.setdefault("INDIKATOR_HOST", "127.0.0.1")
    import logging

    logging.disable(logging.WARNING)
    from app import app
    from bench.dash_calls import InProcessDash, values_from
    from indicators.reads import cache
    from indicators.reads.warmup import REQUESTS, giving_way, warm_views
    from indicators.store.store import Store

    client = app.server.test_client()
    dash = InProcessDash(client)
    jam = dash.render("/jamforelse")
    jam_body = dash.payload(
        "jamforelse-strategi",
        {
            **values_from(jam, dash.dependency("jamforelse-strategi")),
            "jamforelse-strategi.value": "1",
        },
        "jamforelse-strategi.value",
    )
    cases = {
        "Referens: sida utan data (404)": dash.page_body("/finns-inte"),
        "Indikatorer": dash.page_body("/indikatorer"),
        "Indikator /indikator/U01405": dash.page_body("/indikator/U01405"),
        "Strategi /strategi/2": dash.page_body("/strategi/2"),
        "Jämförelse: matris, strategi 1": jam_body,
    }
    other = Store(alias(built.url))
    stop = threading.Event()
    rounds = [0]

    def warm() -> None:
        # As the real warmer runs: giving way to requests in flight (unless --selfish).
        with nullcontext() if args.selfish else giving_way():
            while not stop.is_set():
                warm_views(other)
                rounds[0] += 1

    def timed(name: str) -> float:
        cache.clear_all()
        start = time.perf_counter()
        status, _ = dash.post(cases[name])
        assert status == 200, (name, status)
        return (time.perf_counter() - start) * 1000

    def one_round(times: dict[str, list[float]], *, hold: bool) -> None:
        # Each request comes --gap-ms after the one before (10: as the callbacks of a page a
        # reader opens), so the warmer is under way again when it arrives. Held: the warmer
        # waits all the while, stopped by a request kept in flight around the sample.
        for name in cases:
            with REQUESTS.answering() if hold else nullcontext():
                time.sleep(args.gap_ms / 1000)
                times[name].append(timed(name))

    for name in cases:  # imports, first connections
        timed(name)
    load = os.getloadavg()[0]
    idle: dict[str, list[float]] = {name: [] for name in cases}
    busy: dict[str, list[float]] = {name: [] for name in cases}
    thread = threading.Thread(target=warm, daemon=True)
    if args.selfish:
        # A selfish warmer cannot be held: idle first, then with it under way.
        for _ in range(args.reps):
            one_round(idle, hold=False)
        thread.start()
        time.sleep(2)
        for _ in range(args.reps):
            one_round(busy, hold=False)
    else:
        # Idle and warming take turns, round by round, so a drift in the machine's speed falls
        # on both alike.
        thread.start()
        time.sleep(2)  # the warmer under way
        for _ in range(args.reps):
            one_round(idle, hold=True)
            one_round(busy, hold=False)
    stops = [] if args.selfish else time_to_stop(thread)
    stop.set()
    thread.join()
    if stops:
        p50, p90, p99 = (percentile(stops, q) for q in (50, 90, 99))
        print(f"Förvärmningen stannar efter p50 {p50:.1f}  p90 {p90:.1f}  p99 {p99:.1f} ms")
    rows = []
    for name in cases:
        a, b = median(idle[name]), median(busy[name])
        rows.append(
            {
                "name": name,
                "idle_p50": a,
                "idle_p95": percentile(idle[name], 95),
                "warming_p50": b,
                "warming_p95": percentile(busy[name], 95),
                "slowdown": b / a,
            }
        )
        print(f"{name:40} vila p50 {a:7.1f}  under förvärmning p50 {b:7.1f} ms  ×{b / a:4.2f}")
    write_result(
        f"warmer-{args.scale}"
        + ("-postgresql" if args.postgres else "")
        + ("-selfish" if args.selfish else ""),
        {
            "scale": args.scale,
            "backend": "postgresql" if args.postgres else "sqlite",
            "reps": args.reps,
            "gap_ms": args.gap_ms,
            "load": round(load, 2),
            "warm_rounds": rounds[0],
            "stop_ms": {f"p{q}": percentile(stops, q) for q in (50, 90, 99) if stops},
            "cases": rows,
        },
    )


if __name__ == "__main__":
    main()
