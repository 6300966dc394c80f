"""A bounded load run: N simulated people for T seconds over pages and the read API.

    .venv/bin/python bench/load_run.py http://127.0.0.1:8050 [--users 20] [--seconds 60]
        [--username NAME --password PW] [--payloads bench/dash_payloads.json]
        [--out bench/RESULTS-load.md]

Each simulated person signs in (when a username is given: POST /logga-in with the form's own
fields), then until time is up opens a page as a browser does — the HTML, `/_dash-layout`,
`/_dash-dependencies` and the Dash callbacks that page's first render really sends (recorded by
bench/capture_payloads.py) — or asks the API for indicators, areas or observations (JSON or CSV),
with a short pause between actions as a reader has. Only threads and requests: no locust.

Counts every request, every error (a status other than 200/204, a refused connection, a
timeout, a body that is not what the endpoint gives), and p50/p95/max latency per group; prints
the table and writes it with the run's settings to the --out file. Exit code 1 on any error."""

import argparse
import json
import os
import platform
import random
import re
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent
DEFAULT_PAYLOADS = HERE / "dash_payloads.json"
DEFAULT_OUT = HERE / "RESULTS-load.md"
ASSET_LINK = re.compile(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"')
TIMEOUT_S = 60
THINK_S = (0.5, 2.0)  # a reader's pause between two actions
# Observation queries people make: one indicator for the county, several indicators for a few
# kommuner, a CSV for Excel; ids are those of the shipped catalogue.
API_QUERIES = [
    ("api:observations", {"indicator": "U01405"}),
    ("api:observations", {"indicator": "U01405,N01452,U70445", "area": "0680,0604,0006"}),
    ("api:observations", {"indicator": "U01405", "gender": "T,K,M", "from": "2018"}),
    ("api:observations-csv", {"indicator": "U01405,N01452", "format": "csv", "sep": "sv"}),
]


@dataclass
class Tally:
    """Latencies and errors per group, shared by every simulated person."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    retries: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def retry(self, group: str) -> None:
        with self.lock:
            self.retries[group] += 1

    def add(self, group: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[group].append(seconds)
            if error:
                self.errors[group].append(error)


class Person:
    def __init__(self, base: str, payloads: dict[str, list[dict]], tally: Tally, seed: int) -> None:
        self.base = base
        self.payloads = payloads
        self.tally = tally
        self.random = random.Random(seed)
        self.http = requests.Session()
        # Browsers name their origin on every POST; the app refuses cross-site changes.
        self.http.headers.update({"Origin": base, "User-Agent": "indikator-load-run/1"})

    def call(
        self, group: str, method: str, path: str, check: str = "", **kwargs: Any
    ) -> requests.Response | None:
        started = time.perf_counter()
        error = None
        response = None
        try:
            response = self._send(group, method, path, **kwargs)
            if response.status_code not in (200, 204):
                error = f"{method} {path}: {response.status_code} {response.text[:200]!r}"
            elif response.status_code == 200 and check and check not in response.text[:2000]:
                error = f"{method} {path}: svaret saknar {check!r}"
        except requests.RequestException as failure:
            error = f"{method} {path}: {type(failure).__name__}: {failure}"
        self.tally.add(group, time.perf_counter() - started, error)
        return response

    def _send(self, group: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.http.request(method, self.base + path, timeout=TIMEOUT_S, **kwargs)
        except requests.ConnectionError:
            # A kept-alive connection the server closed just as the request went out (gunicorn
            # drops idle ones after its keepalive). Browsers resend a GET once on that; so do
            # we, and count it. A second failure, or any POST, is an error.
            if method != "GET":
                raise
            self.tally.retry(group)
            return self.http.request(method, self.base + path, timeout=TIMEOUT_S, **kwargs)

    def sign_in(self, username: str, password: str) -> None:
        form = self.call("login", "GET", "/logga-in")
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.text))
        fields.update({"username": username, "password": password})
        response = self.call("login", "POST", "/logga-in", data=fields, allow_redirects=False)
        if response is not None and response.status_code not in (302, 303):
            self.tally.add("login", 0.0, f"inloggningen gick inte: {response.status_code}")

    def open_assets(self) -> None:
        """A browser's first visit: the scripts and styles the page names (then cached)."""
        page = self.call("page", "GET", "/", check="<!DOCTYPE html>")
        if page is None:
            return
        for src in re.findall(
            r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"', page.text
        ):
            self.call("assets", "GET", urljoin("/", src))

    def open_page(self, path: str) -> None:
        self.call("page", "GET", path, check="<!DOCTYPE html>")
        self.call("dash-layout", "GET", "/_dash-layout", check="{")
        self.call("dash-layout", "GET", "/_dash-dependencies", check="[")
        group = f"callback {path.split('?')[0]}"
        for body in self.payloads[path]:
            self.call(
                group,
                "POST",
                "/_dash-update-component",
                json=body,
                check="response",
            )

    def ask_api(self) -> None:
        action = self.random.randrange(6)
        if action == 0:
            self.call("api:indicators", "GET", "/api/v1/indicators", check='"data"')
        elif action == 1:
            self.call("api:areas", "GET", "/api/v1/areas", check='"data"')
        else:
            group, params = API_QUERIES[action - 2]
            check = "indicator" if params.get("format") == "csv" else '"data"'
            self.call(group, "GET", "/api/v1/observations", check=check, params=params)

    def run(self, until: float, credentials: tuple[str, str] | None) -> None:
        if credentials:
            self.sign_in(*credentials)
        self.open_assets()
        pages = sorted(self.payloads)
        while time.monotonic() < until:
            # Two of three actions open a page, one asks the API.
            if self.random.random() < 2 / 3:
                self.open_page(self.random.choice(pages))
            else:
                self.ask_api()
            time.sleep(min(self.random.uniform(*THINK_S), max(0.0, until - time.monotonic())))


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def table(tally: Tally) -> list[str]:
    lines = [
        "| Grupp | Anrop | Fel | Omförsök | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    every: list[float] = []
    for group in sorted(tally.latencies):
        values = tally.latencies[group]
        every += values
        lines.append(
            f"| {group} | {len(values)} | {len(tally.errors[group])} | {tally.retries[group]} | "
            f"{percentile(values, 50) * 1000:.0f} | {percentile(values, 95) * 1000:.0f} | "
            f"{max(values) * 1000:.0f} |"
        )
    errors = sum(len(e) for e in tally.errors.values())
    retries = sum(tally.retries.values())
    if every:
        lines.append(
            f"| **alla** | **{len(every)}** | **{errors}** | **{retries}** | "
            f"**{percentile(every, 50) * 1000:.0f}** | **{percentile(every, 95) * 1000:.0f}** | "
            f"**{max(every) * 1000:.0f}** |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="t.ex. http://127.0.0.1:8050")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--payloads", type=Path, default=DEFAULT_PAYLOADS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--note", default="", help="en rad om serverns uppsättning")
    args = parser.parse_args(argv)
    base = args.base.rstrip("/")
    payloads = json.loads(args.payloads.read_text(encoding="utf-8"))
    credentials = (args.username, args.password or "") if args.username else None

    load_before = os.getloadavg()[0]
    tally = Tally()
    started = time.monotonic()
    until = started + args.seconds
    people = [
        threading.Thread(
            target=Person(base, payloads, tally, seed=n).run, args=(until, credentials)
        )
        for n in range(args.users)
    ]
    for person in people:
        person.start()
    for person in people:
        person.join()
    elapsed = time.monotonic() - started

    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(len(v) for v in tally.errors.values())
    report = [
        "# Lastkörning",
        "",
        f"- När: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Mot: {base} {args.note}".rstrip(),
        f"- {args.users} samtidiga användare i {args.seconds:.0f} s (klart efter {elapsed:.1f} s), "
        f"paus {THINK_S[0]}–{THINK_S[1]} s mellan åtgärder; "
        f"{'inloggade som ' + args.username if credentials else 'lokalt enanvändarläge'}",
        f"- Sidor med inspelade Dash-anrop: {', '.join(sorted(payloads))}",
        f"- Maskin: {platform.machine()}, {_cores()} kärnor, Python {platform.python_version()}; "
        f"belastning (load average 1 min) före {load_before:.1f}, efter {os.getloadavg()[0]:.1f}",
        f"- Totalt {total} anrop, {errors} fel, {total / elapsed:.1f} anrop/s; "
        f"{sum(tally.retries.values())} GET skickade en andra gång på en ny anslutning "
        "(servern hade just stängt den återanvända; webbläsare gör likadant)",
        "",
        *table(tally),
        "",
    ]
    if errors:
        report += ["## Fel (de första 20)", ""]
        report += [f"- {e}" for group in tally.errors.values() for e in group][:20]
        report.append("")
    text = "\n".join(report)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 1 if errors else 0


def _cores() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main())
