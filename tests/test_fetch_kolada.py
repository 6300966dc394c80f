"""fetch-kolada against recorded Kolada v3 responses served over real sockets on 127.0.0.1.

The server is a real ThreadingHTTPServer; the client is the product's own requests session with
its urllib3 retries. Nothing is mocked."""

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from indicators.cli.main import main
from indicators.imports.kolada_api import (
    USER_AGENT,
    KoladaApiError,
    data_url,
    fetch_pages,
    kolada_session,
)
from indicators.paths import PROJECT_ROOT
from indicators.store import models as m
from indicators.store.engine import session_scope

FIXTURES = Path(__file__).parent / "fixtures" / "kolada_api"

N21497_FIRST = "/v3/data/kpi/N21497/municipality/0680,0687/year/2022,2023?per_page=5000"
N21497_SECOND = "/v3/data/kpi/N21497/municipality/0680,0687/year/2022,2023?page=2&per_page=5000"
U21401_FIRST = "/v3/data/kpi/U21401/municipality/0680/year/2023?per_page=5000"
N20509_OU = "/v3/oudata/kpi/N20509/ou/V15E068000101/year/2023?per_page=5000"
ALWAYS_BUSY = "/v3/data/kpi/N00000/municipality/0680/year/2023?per_page=5000"
LOOPING = "/v3/data/kpi/N99999/municipality/0680/year/2023?per_page=5000"
ELSEWHERE = "/v3/data/kpi/N88888/municipality/0680/year/2023?per_page=5000"


@dataclass
class KoladaDouble:
    """What the recorded-response server saw, and its base URL."""

    base: str = ""
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, User-Agent)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)


def _fixture(name: str, base: str) -> bytes:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{BASE}", base).encode()


def _handler(double: KoladaDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
            pass

        def _send(self, status: int, body: bytes, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            with double.lock:
                double.requests.append((self.path, self.headers.get("User-Agent", "")))
                seen = sum(1 for p, _ in double.requests if p == self.path)
            pages = {
                N21497_FIRST: "n21497-page1.json",
                N21497_SECOND: "n21497-page2.json",
                N20509_OU: "n20509-ou-page1.json",
            }
            if self.path in pages:
                self._send(200, _fixture(pages[self.path], double.base))
            elif self.path == U21401_FIRST:
                # Busy once, as Kolada is under load: 503 with Retry-After, then the data.
                if seen == 1:
                    self._send(503, b'{"error": "Service Unavailable"}', Retry_After="1")
                else:
                    self._send(200, _fixture("u21401-page1.json", double.base))
            elif self.path == ALWAYS_BUSY:
                self._send(503, b'{"error": "Service Unavailable"}')
            elif self.path == LOOPING:
                body = {"count": 0, "values": [], "next_url": double.base + LOOPING[3:]}
                self._send(200, json.dumps(body).encode())
            elif self.path == ELSEWHERE:
                body = {"count": 0, "values": [], "next_url": "http://example.org/v3/data"}
                self._send(200, json.dumps(body).encode())
            else:
                self._send(404, b'{"error": "Not Found"}')

    return Handler


@pytest.fixture
def kolada() -> Iterator[KoladaDouble]:
    double = KoladaDouble()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(double))
    double.base = f"http://127.0.0.1:{server.server_address[1]}/v3"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _fetch(*args: str, base: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", "fetch-kolada", *args, "--base-url", base],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_follows_next_url_and_writes_each_page(kolada, tmp_path):
    out = tmp_path / "hämtat"
    result = _fetch(
        "--kpi", "N21497", "--area", "0680,0687", "--from", "2022", "--to", "2023",
        "--output", str(out), base=kolada.base, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["kolada-N21497-1.json", "kolada-N21497-2.json"]
    first = json.loads((out / "kolada-N21497-1.json").read_text(encoding="utf-8"))
    second = json.loads((out / "kolada-N21497-2.json").read_text(encoding="utf-8"))
    assert first == json.loads(_fixture("n21497-page1.json", kolada.base))
    assert second == json.loads(_fixture("n21497-page2.json", kolada.base))
    assert second["next_url"] is None
    assert [p for p, _ in kolada.requests] == [N21497_FIRST, N21497_SECOND]
    assert {agent for _, agent in kolada.requests} == {USER_AGENT}
    assert "2 sidor hämtade" in result.stderr


def test_retries_after_503_then_gets_the_data(kolada, tmp_path):
    result = _fetch(
        "--kpi", "U21401", "--area", "0680", "--from", "2023", "--to", "2023",
        "--output", str(tmp_path), base=kolada.base, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert kolada.hits(U21401_FIRST) == 2
    page = json.loads((tmp_path / "kolada-U21401-1.json").read_text(encoding="utf-8"))
    assert page["values"][0]["values"][0]["value"] == 15.3


def test_units_use_oudata(kolada, tmp_path):
    result = _fetch(
        "--kpi", "N20509", "--area", "V15E068000101", "--from", "2023", "--to", "2023", "--ou",
        "--output", str(tmp_path), base=kolada.base, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = json.loads((tmp_path / "kolada-N20509-1.json").read_text(encoding="utf-8"))
    assert page["values"][0]["ou"] == "V15E068000101"


def test_404_is_a_clear_swedish_error(kolada, tmp_path):
    out = tmp_path / "hämtat"
    result = _fetch(
        "--kpi", "X12345", "--area", "0680", "--from", "2023", "--to", "2023",
        "--output", str(out), base=kolada.base, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Kolada hittade inget" in result.stderr
    assert "HTTP 404" in result.stderr
    assert "Kontrollera KPI-id" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "680", "--from", "2023"], "fyra siffror"),
        (["--area", "0680", "--from", "2023", "--to", "2021"], "senare än --to"),
        (["--area", "0680", "--from", "1899"], "Åren måste ligga mellan"),
        (["--area", ",", "--from", "2023"], "minst ett område"),
    ],
)
def test_usage_errors_exit_2(kolada, args, message, capsys):
    # Decided before any request: in-process, so the suite does not start four interpreters.
    code = main(["fetch-kolada", "--kpi", "N21497", *args, "--base-url", kolada.base])
    assert code == 2
    assert message in capsys.readouterr().err
    assert kolada.requests == []


def test_gives_up_on_a_server_that_stays_busy(kolada):
    url = data_url(kolada.base, "N00000", ["0680"], [2023])
    session = kolada_session(retries=2, backoff_factor=0)
    with session, pytest.raises(KoladaApiError, match="HTTP 503"):
        list(fetch_pages(url, "N00000", session=session))
    assert kolada.hits(ALWAYS_BUSY) == 3


def test_refuses_looping_pages_and_foreign_hosts(kolada):
    with pytest.raises(KoladaApiError, match="slinga"):
        list(fetch_pages(data_url(kolada.base, "N99999", ["0680"], [2023]), "N99999"))
    with pytest.raises(KoladaApiError, match="annan server"):
        list(fetch_pages(data_url(kolada.base, "N88888", ["0680"], [2023]), "N88888"))


def test_unreachable_server_is_a_swedish_error(tmp_path):
    # A port nothing listens on: bind, note the port, close.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    session = kolada_session(retries=0)
    with session, pytest.raises(KoladaApiError, match="Kunde inte nå Kolada"):
        list(
            fetch_pages(
                f"http://127.0.0.1:{port}/v3/data/kpi/N1/municipality/0680", "N1", session=session
            )
        )


def test_save_imports_the_fetched_pages(kolada, tmp_path, empty_store_url):
    args = ["--kpi", "N21497", "--area", "0680,0687", "--from", "2022", "--to", "2023"]
    env = {**os.environ, "DATABASE_URL": empty_store_url, "PYTHONPATH": str(PROJECT_ROOT)}
    command = [sys.executable, "-m", "indicators", "fetch-kolada", *args, "--base-url", kolada.base]
    first = subprocess.run(
        [*command, "--save", "--output", str(tmp_path / "a")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    # 12 values: 6 per page; the isdeleted row is dropped, ".." kept as sekretess.
    assert "kolada-N21497-1.json: sparad – 6 nya" in first.stderr
    assert "kolada-N21497-2.json: sparad – 6 nya" in first.stderr
    with session_scope(empty_store_url) as s:
        rows = s.execute(
            select(m.Observation.area_code, m.Observation.status).where(
                m.Observation.indicator_id == "N21497"
            )
        ).all()
    assert len(rows) == 12
    assert sorted(st for a, st in rows if st != "ok") == ["suppressed", "suppressed"]
    again = subprocess.run(
        [*command, "--save", "--output", str(tmp_path / "b")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "0 nya, 0 ändrade, 6 oförändrade" in again.stderr
