"""The app served over HTTP for the browser and memory benchmarks: `python app.py` on a store,
127.0.0.1 and a free port (local single-user mode), stopped again by its own process id."""

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from bench.common import PY, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(url: str, log: Path) -> Iterator[tuple[str, int]]:
    """(base URL, server pid) while the block runs."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "INDIKATOR_HOST": "127.0.0.1",
        "INDIKATOR_PORT": str(port),
        "INDIKATOR_SEED_DEMO": "false",
        "PYTHONPATH": str(ROOT),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen([PY, "app.py"], cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if proc.poll() is not None:
                raise RuntimeError(f"servern startade inte: {log.read_text()[-2000:]}")
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code in (200, 503):
                    break
            except requests.RequestException:
                time.sleep(0.5)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of one process, in MB."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


class HttpClient:
    """Just enough of Flask's test client over HTTP for bench.dash_calls.InProcessDash."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()

    def get(self, path: str) -> "_Response":
        return _Response(self.http.get(self.base + path, timeout=300))

    def post(self, path: str, json: dict) -> "_Response":
        return _Response(
            self.http.post(self.base + path, json=json, headers={"Origin": self.base}, timeout=300)
        )


class _Response:
    def __init__(self, response: requests.Response) -> None:
        self.status_code = response.status_code
        self._response = response

    def get_json(self) -> object:
        return self._response.json()

    def get_data(self) -> bytes:
        return self._response.content
