"""Server resident memory after warm-up: `python app.py` on the store, every page and callback
case of bench/callbacks.py requested once over HTTP, then VmRSS (and the peak, VmHWM) of the
server process from /proc.

    .venv/bin/python bench/memory.py demo|national"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from sqlalchemy import create_engine  # noqa: E402

from bench.callbacks import build_cases  # noqa: E402
from bench.common import RESULTS, write_result  # noqa: E402
from bench.dash_calls import InProcessDash  # noqa: E402
from bench.scale_data import ensure_sqlite  # noqa: E402
from bench.server import HttpClient, rss_mb, served  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale", choices=["demo", "national"])
    args = parser.parse_args()
    built = ensure_sqlite(args.scale)
    with served(built.url, RESULTS / f"server-memory-{args.scale}.log") as (base, pid):
        started = rss_mb(pid)
        client = HttpClient(base)
        for path in ("/", "/_dash-layout"):
            client.get(path)
        dash = InProcessDash(client)  # type: ignore[arg-type]
        engine = create_engine(built.url)
        start = time.perf_counter()
        failures = []
        with engine.connect() as conn:
            cases = build_cases(client, dash, conn)
            for case in cases:
                for req in case.requests:
                    status = req.send()
                    if status != 200:
                        failures.append(f"{case.name} {req.label}: HTTP {status}")
        warm = rss_mb(pid)
        requests_sent = sum(len(c.requests) for c in cases)
        seconds = time.perf_counter() - start
    result = {
        "scale": args.scale,
        "started_mb": started.get("VmRSS"),
        "warm_mb": warm.get("VmRSS"),
        "peak_mb": warm.get("VmHWM"),
        "requests": requests_sent,
        "seconds": seconds,
        "failures": failures,
    }
    print(result)
    write_result(f"memory-{args.scale}", result)


if __name__ == "__main__":
    main()
