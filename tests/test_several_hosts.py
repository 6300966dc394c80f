"""Several hosts behind one address: two `gunicorn app:server` instances (two workers each, a
temporary folder each) on one PostgreSQL, behind a round-robin proxy. Whatever one host does is
seen by the other, because nothing that decides behaviour is kept on one machine: a preview made
on one host is confirmed on the other, a sign-in holds on both, an undo and a CLI import are read
back at once from both."""

import http.client
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import PostgresServer, served
from dash_requests import DashClient
from import_requests import post_confirm, post_preview
from import_samples import template_csv

from dashboard.ids import Importera, Importhistorik
from indicators.imports.history import import_batches
from indicators.paths import PROJECT_ROOT
from indicators.reads.queries import Store
from indicators.settings import Settings
from indicators.vocabulary.domain import Role
from indicators.writes.accounts import add_user
from indicators.writes.bootstrap import prepare_store

ADMIN = ("adm", "administratörens-lösen-1")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"}


@dataclass
class RoundRobin:
    """A load balancer at its simplest: each request goes to the next host in turn, the Host
    header as the client sent it (as nginx's `proxy_set_header Host $host`)."""

    backends: list[str]
    served_by: list[tuple[str, str, int]] = field(default_factory=list)
    _turn: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_backend(self, method: str, path: str) -> int:
        with self._lock:
            index = self._turn % len(self.backends)
            self._turn += 1
            self.served_by.append((method, path, index))
            return index

    def serve(self) -> ThreadingHTTPServer:
        balancer = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                backend = urlsplit(
                    balancer.backends[balancer.next_backend(self.command, self.path)]
                )
                connection = http.client.HTTPConnection(backend.hostname, backend.port, timeout=120)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                connection.request(self.command, self.path, body=body or None, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
                connection.close()

            do_GET = do_POST = _forward

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


@dataclass(frozen=True)
class Hosts:
    url: str  # the proxy's
    hosts: list[str]
    store: Store
    balancer: RoundRobin
    tmp_dirs: list[Path]

    def admin(self) -> DashClient:
        client = DashClient(self.url)
        response = client.sign_in(*ADMIN)
        assert response.status_code == 302, response.text
        return client


@pytest.fixture(scope="module")
def hosts(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hosts]:
    folder = tmp_path_factory.mktemp("flera-vardar")
    name = postgres_server.create()
    url = postgres_server.url_of(name)
    try:
        prepare_store(Settings(database_url=url, seed_demo=False))
        store = Store(url)
        add_user(store, ADMIN[0], ADMIN[1], Role.ADMINISTRATOR, actor="test", display_name="Åsa")
        with ExitStack() as stack:
            urls, tmp_dirs = [], []
            for host in ("a", "b"):
                (folder / host / "tmp").mkdir(parents=True)
                tmp_dirs.append(folder / host / "tmp")
                urls.append(
                    stack.enter_context(
                        served(
                            url,
                            folder / host,
                            gunicorn=True,
                            # One secret for every host: a session cookie is good on all.
                            SECRET_KEY="testnyckel-" + "h" * 40,
                            INDIKATOR_WORKERS="2",
                            INDIKATOR_SEED_DEMO="false",
                            TMPDIR=str(folder / host / "tmp"),
                        )
                    )
                )
            balancer = RoundRobin(urls)
            proxy = balancer.serve()
            stack.callback(proxy.shutdown)
            yield Hosts(
                f"http://127.0.0.1:{proxy.server_address[1]}", urls, store, balancer, tmp_dirs
            )
    finally:
        postgres_server.drop(name)


def values_on(host: str, client: DashClient, area: str) -> list[float | None]:
    """The stored values of N21497 in `area`, 2023, read from one host directly."""
    response = client.http.get(
        f"{host}/api/v1/observations",
        params={"indicator": "N21497", "area": area, "from": 2023, "to": 2023},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return [row["value"] for row in response.json()["data"] if row["gender"] == "T"]


def backend_of(hosts: Hosts, method: str, path: str) -> int:
    return next(i for m, p, i in reversed(hosts.balancer.served_by) if (m, p) == (method, path))


def test_a_preview_on_one_host_is_confirmed_on_the_other_and_undone(hosts: Hosts) -> None:
    client = hosts.admin()
    preview = post_preview(client, {"sävsjö.csv": template_csv("N21497;0684;2023;T;75,0;30;40;")})
    assert preview.status_code == 200, preview.text
    previewed_on = backend_of(hosts, "POST", "/_dash-update-component")
    token = preview.json()["response"][Importera.TOKEN]["data"]
    assert token

    confirm = post_confirm(client, token)
    assert confirm.status_code == 200, confirm.text
    assert backend_of(hosts, "POST", "/_dash-update-component") != previewed_on
    assert "Sparat: 1 nya" in confirm.text, confirm.text
    # Neither host kept the upload in its own temporary folder.
    assert [list(d.rglob("*.bin")) for d in hosts.tmp_dirs] == [[], []]
    assert [values_on(h, client, "0684") for h in hosts.hosts] == [[75.0], [75.0]]

    batch = import_batches(hosts.store)[0]
    undo = client.call(
        Importhistorik.MESSAGE,
        {
            f"{Importhistorik.CONFIRM_UNDO}.n_clicks": 1,
            f"{Importhistorik.PENDING}.data": batch.id,
        },
        f"{Importhistorik.CONFIRM_UNDO}.n_clicks",
    )
    assert undo.status_code == 200, undo.text
    assert import_batches(hosts.store)[0].undone
    assert [values_on(h, client, "0684") for h in hosts.hosts] == [[], []]


def test_an_import_through_the_cli_is_seen_by_both_hosts_at_once(
    hosts: Hosts, tmp_path: Path
) -> None:
    client = hosts.admin()
    # Both hosts have read (and cached) the area before the import.
    assert [values_on(h, client, "0680") for h in hosts.hosts] == [[], []]
    upload = tmp_path / "jönköping.csv"
    upload.write_bytes(template_csv("N21497;0680;2023;T;87,5;35;40;"))
    done = subprocess.run(
        [sys.executable, "-m", "indicators", "import", str(upload)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": hosts.store.url, "INDIKATOR_SEED_DEMO": "false"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [values_on(h, client, "0680") for h in hosts.hosts] == [[87.5], [87.5]]


def test_a_sign_in_through_the_proxy_holds_on_both_hosts(hosts: Hosts) -> None:
    client = hosts.admin()
    for host in hosts.hosts:
        response = client.http.get(f"{host}/api/v1/indicators", timeout=60)
        assert response.status_code == 200, response.text
    anonymous = requests.get(f"{hosts.hosts[1]}/api/v1/indicators", timeout=60)
    assert anonymous.status_code == 401
