"""The sign-in and request gate as an attacker meets it: real `gunicorn app:server` processes
over real HTTP, on a SQLite file and on PostgreSQL. Two servers share one store, as two hosts
behind a load balancer would: the sign-in brake and the end of a session hold across both.

Covered: Host names (DNS rebinding), the address after sign-in (open redirect), sign-out and a
new password ending every session of the account, the brake on failed sign-ins and their audit
entries, which routes anonymous visitors reach, and how much body a request may carry before
its role is known (with the server's peak memory read from /proc)."""

import http.client
import ipaddress
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import StoreTemplates, _prepare_without_demo, served
from dash_requests import DashClient

from dashboard.ids import Importera
from indicators.paths import PROJECT_ROOT
from indicators.reads.audit import audit_events
from indicators.reads.queries import Store
from indicators.store import models as m
from indicators.store.engine import engine_for, session_scope
from indicators.store.version import data_version
from indicators.vocabulary.domain import AuditAction, Role
from indicators.writes.accounts import (
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    add_user,
    set_active,
)

ACCOUNTS = {
    "lasa": ("Lena Läsare", Role.LASARE, "läsarens-lösenord-1"),
    "ana": ("Ali Analytiker", Role.ANALYTIKER, "analytikerns-lösenord-1"),
    "adm": ("Åsa Administratör", Role.ADMINISTRATOR, "administratörens-lösen-1"),
    "byter": ("Bo Byter", Role.LASARE, "första-lösenordet-1"),
    "sparr": ("Siv Spärr", Role.LASARE, "spärrens-lösenord-1"),
    "finns": ("Frida Finns", Role.LASARE, "fridas-lösenord-123"),
    "stangs": ("Sten Stängs", Role.LASARE, "stängs-snart-lösen-1"),
}
SITE_NAME = "uppfoljning.example.se"
MB = 1_048_576


@dataclass(frozen=True)
class Site:
    url: str  # gunicorn with two workers
    other: str  # a second gunicorn (one worker) on the same store: another host
    store: Store

    def client(self, username: str | None = None, base: str | None = None) -> DashClient:
        client = DashClient(base or self.url)
        if username:
            response = client.sign_in(username, ACCOUNTS[username][2])
            assert response.status_code == 302, response.text
        return client


@pytest.fixture(scope="module")
def site(
    store_templates: StoreTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    url, name = store_templates.copy(store_templates.template("prepared", _prepare_without_demo))
    store = Store(url)
    for username, (display, role, password) in ACCOUNTS.items():
        add_user(store, username, password, role, actor="test", display_name=display)
    folder = tmp_path_factory.mktemp(f"webbskydd-{store_templates.backend}")
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    env = {
        "SECRET_KEY": "testnyckel-" + "w" * 40,
        "INDIKATOR_SEED_DEMO": "false",
        "INDIKATOR_ALLOWED_HOSTS": SITE_NAME,
    }
    try:
        with ExitStack() as servers:
            first = servers.enter_context(
                served(url, folder / "a", gunicorn=True, INDIKATOR_WORKERS="2", **env)
            )
            second = servers.enter_context(
                served(url, folder / "b", gunicorn=True, INDIKATOR_WORKERS="1", **env)
            )
            yield Site(first, second, store)
    finally:
        engine_for(url).dispose()
        if store_templates.server is not None and name:
            store_templates.server.drop(name)


@pytest.fixture(scope="module")
def local_site(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """No accounts, on 127.0.0.1: the local single-user mode, where everyone is administratör."""
    folder = tmp_path_factory.mktemp("lokalt")
    with served(demo_store.url, folder, gunicorn=True, INDIKATOR_WORKERS="1") as url:
        yield url


def raw_request(
    base: str, path: str, *, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """Sends the path exactly as written (requests would tidy away `..` and encodings)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest(method, path, skip_host="Host" in (headers or {}))
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        return response.status, dict(response.getheaders()), body
    finally:
        conn.close()


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "Exception" not in text


# --- 2. Host names ----------------------------------------------------------------------------


def test_local_mode_answers_only_to_loopback_names(local_site: str):
    port = port_of(local_site)
    for host in ("evil.example", f"evil.example:{port}", "rebind.attacker.test", "127.0.0.2"):
        for path in ("/", "/_dash-layout", "/importera", "/api/v1/indicators", "/assets/app.css"):
            status, _, body = raw_request(local_site, path, headers={"Host": host})
            assert status == 400, (host, path, status)
            assert "hör inte till den här tjänsten" in body
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
        status, _, body = raw_request(local_site, "/_dash-layout", headers={"Host": host})
        assert status == 200, (host, body[:200])
    # A callback, the way a rebinding page would post it from the browser of the person at
    # the machine, with its own name as Origin.
    rebound = requests.post(
        f"{local_site}/_dash-update-component",
        json={"output": "finns-inte.children", "inputs": []},
        headers={"Host": "evil.example", "Origin": "http://evil.example"},
        timeout=30,
    )
    assert rebound.status_code == 400
    assert "INDIKATOR_ALLOWED_HOSTS" in rebound.json()["fel"]


def test_with_accounts_only_the_configured_names_are_answered(site: Site):
    port = port_of(site.url)
    status, _, body = raw_request(site.url, "/logga-in", headers={"Host": "evil.example"})
    assert status == 400 and "Host" in body
    status, _, _ = raw_request(site.url, "/", headers={"Host": f"evil.example:{port}"})
    assert status == 400
    for host in (SITE_NAME, f"{SITE_NAME}:{port}", SITE_NAME.upper(), f"localhost:{port}"):
        status, headers, _ = raw_request(site.url, "/strategi/2", headers={"Host": host})
        assert status == 302 and "/logga-in" in headers["Location"], host
    # Load balancers ask for /healthz by address; it tells nothing but "the database answers".
    status, _, _ = raw_request(site.url, "/healthz", headers={"Host": "10.0.0.7:8050"})
    assert status == 200


# --- 3. The address after sign-in -------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example",
    "//evil.example/",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%255C%255Cevil.example",
    "/%252F/evil.example",
    "https://evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/./%2Fevil.example",
    "/.//evil.example",
    "/../evil.example",
    "/\u200b/evil.example",
    "/\u3000/evil.example",
    "/\x00/evil.example",
    "",
]
KEPT_NEXT = ["/strategi/2", "/indikator/N21497?omrade=0680&kon=T", "/kommun/j%C3%B6nk%C3%B6ping"]


def _sign_in_to(site: Site, target: str) -> str:
    response = requests.post(
        f"{site.url}/logga-in",
        data={"username": "lasa", "password": ACCOUNTS["lasa"][2], "next": target},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_sends_the_user_to_another_site(site: Site, target: str):
    assert _sign_in_to(site, target) in ("/", f"{site.url}/")


def test_the_percent_encoded_tab_from_the_address_bar_is_refused(site: Site):
    """`/logga-in?next=/%09/evil.example` puts a tab in the form; posted as the browser would."""
    page = requests.get(f"{site.url}/logga-in?next=/%09/evil.example", timeout=30)
    assert 'name="next" value="/"' in page.text
    body = "username=lasa&password=" + requests.utils.quote(ACCOUNTS["lasa"][2])
    for raw in ("/%09/evil.example", "/%2509/evil.example", "%2F%2Fevil.example"):
        response = requests.post(
            f"{site.url}/logga-in",
            data=f"{body}&next={raw}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            timeout=30,
        )
        assert response.headers["Location"] in ("/", f"{site.url}/"), raw


@pytest.mark.parametrize("target", KEPT_NEXT)
def test_a_path_on_this_site_is_kept(site: Site, target: str):
    assert _sign_in_to(site, target) == target


# --- 4. Ending sessions -----------------------------------------------------------------------


def _copy_of(client: DashClient, site: Site) -> DashClient:
    """A second client holding the very cookie the first one has, as a thief would."""
    thief = DashClient(site.url)
    thief.http.cookies.update(client.http.cookies)
    return thief


def _signed_in(client: DashClient, site: Site, base: str | None = None) -> bool:
    response = client.http.get(f"{base or site.url}/_dash-layout", timeout=30)
    assert response.status_code in (200, 401), response.text
    return response.status_code == 200


def test_signing_out_ends_every_session_of_the_account(site: Site):
    client = site.client("lasa")
    elsewhere = site.client("lasa")  # the same person on another computer
    thief = _copy_of(client, site)
    assert _signed_in(thief, site) and _signed_in(elsewhere, site)
    out = client.http.post(
        f"{site.url}/logga-ut", headers={"Origin": site.url}, allow_redirects=False, timeout=30
    )
    assert out.status_code == 302
    for old in (thief, elsewhere):
        for base in (site.url, site.other):
            assert not _signed_in(old, site, base)
        page = old.http.get(f"{site.url}/strategi/2", allow_redirects=False, timeout=30)
        assert page.status_code == 302
        assert page.headers["Location"].startswith("/logga-in")
    assert _signed_in(site.client("lasa"), site)  # signing in again works


def _users_command(site: Site, *args: str, stdin: str = "") -> None:
    done = subprocess.run(
        [sys.executable, "-m", "indicators", "users", *args],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": site.store.url, "PATH": "/usr/bin:/bin", "INDIKATOR_SEED_DEMO": "0"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_new_password_from_the_command_line_ends_every_session(site: Site):
    client = site.client("byter")
    thief = _copy_of(client, site)
    assert _signed_in(thief, site)
    _users_command(site, "set-password", "byter", "--password-stdin", stdin="andra-lösenordet-2\n")
    assert not _signed_in(thief, site) and not _signed_in(client, site, site.other)
    assert client.sign_in("byter", ACCOUNTS["byter"][2]).status_code == 401
    assert client.sign_in("byter", "andra-lösenordet-2").status_code == 302
    assert _signed_in(client, site)


def test_disabling_ends_every_session_for_good(site: Site):
    client = site.client("stangs")
    thief = _copy_of(client, site)
    # What `users disable` and `users enable` call.
    set_active(site.store, "stangs", False, actor="test")
    set_active(site.store, "stangs", True, actor="test")
    # Enabled again, the account signs in anew; the cookies from before stay worthless.
    assert not _signed_in(thief, site) and not _signed_in(client, site)
    assert _signed_in(site.client("stangs"), site)


# --- 5. The brake on failed sign-ins ----------------------------------------------------------


def _try(site: Site, base: str, username: str, password: str, address: str) -> requests.Response:
    return requests.post(
        f"{base}/logga-in",
        data={"username": username, "password": password, "next": "/"},
        # The servers sit on 127.0.0.1, where a reverse proxy on the machine names the client.
        headers={"X-Forwarded-For": address},
        allow_redirects=False,
        timeout=30,
    )


def test_failures_on_every_worker_and_host_count_towards_one_brake(site: Site):
    address = "198.51.100.10"
    version = data_version(site.store.url)
    for attempt in range(MAX_FAILURES_PER_ACCOUNT):
        base = (site.url, site.other)[attempt % 2]
        wrong = _try(site, base, "sparr", f"fel-{attempt}", address)
        assert wrong.status_code == 401, (attempt, wrong.text)
        assert "Fel användarnamn eller lösenord." in wrong.text
    for base in (site.url, site.other):
        # Even the right password is not checked while the brake is on.
        braked = _try(site, base, "sparr", ACCOUNTS["sparr"][2], "198.51.100.11")
        assert braked.status_code == 429
        assert "För många misslyckade inloggningar" in braked.text
        assert "försök igen om 15 minuter" in braked.text.lower()
    # Another account from the same address is not held back by this one's brake.
    assert _try(site, site.url, "lasa", ACCOUNTS["lasa"][2], address).status_code == 302
    failed = audit_events(site.store, action=AuditAction.SIGN_IN_FAILED)
    mine = [e for e in failed if e.subject == "konto sparr"]
    assert len(mine) == MAX_FAILURES_PER_ACCOUNT
    assert {e.after["adress"] for e in mine} == {address}
    signed_in = audit_events(site.store, action=AuditAction.SIGNED_IN)
    assert signed_in[0].actor == "Lena Läsare" and signed_in[0].subject == "konto lasa"
    # A sign-in changes no data, so no worker's query cache is emptied by one.
    assert data_version(site.store.url) == version


def _earlier_failures(site: Site, count: int, *, username: str = "", address: str = "") -> None:
    """Failures an earlier round left, as any worker or host would have written them."""
    now = datetime.now(UTC)
    with session_scope(site.store.url) as s:
        s.add_all(
            m.SignInFailure(
                occurred_at=now,
                username=username or f"gissning-{n}",
                address=address or f"192.0.2.{n}",
            )
            for n in range(count)
        )


def test_a_name_that_does_not_exist_brakes_the_same_way(site: Site):
    answers = []
    for name in ("finns", "finns-inte-alls"):
        _earlier_failures(site, MAX_FAILURES_PER_ACCOUNT - 1, username=name)
        last = _try(site, site.url, name, "fel-igen", "198.51.100.20")
        assert last.status_code == 401
        braked = _try(site, site.url, name, "vad-som-helst", "198.51.100.99")
        answers.append((braked.status_code, braked.text.replace(name, "NAMN")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


def test_one_address_trying_many_names_is_braked(site: Site):
    address = "203.0.113.7"
    _earlier_failures(site, MAX_FAILURES_PER_ADDRESS - 1, address=address)
    assert _try(site, site.other, "ännu-en-gissning", "fel", address).status_code == 401
    braked = _try(site, site.url, "lasa", ACCOUNTS["lasa"][2], address)
    assert braked.status_code == 429
    assert "Försök igen om 15 minuter." in braked.text
    assert _try(site, site.url, "lasa", ACCOUNTS["lasa"][2], "203.0.113.8").status_code == 302


def _own_outside_address() -> str:
    """This machine's address on its way out: connecting to it comes from a peer that is not
    loopback, as a proxy on another host (or container) would be."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: only the route is looked up
        except OSError:
            pytest.skip("Datorn har ingen adress utanför loopback.")
        address = probe.getsockname()[0]
    if ipaddress.ip_address(address).is_loopback:
        pytest.skip("Datorn har ingen adress utanför loopback.")
    return address


@dataclass(frozen=True)
class ProxiedSites:
    peer: str  # the address requests arrive from
    believed: str  # INDIKATOR_FORWARDED_BY names the peer's network
    not_believed: str  # INDIKATOR_FORWARDED_BY names another network only


@pytest.fixture(scope="module")
def proxied(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxiedSites]:
    """Two more hosts on the same store, listening beyond loopback and reached at this machine's
    outside address, so the peer is neither loopback nor a sign-in proxy."""
    peer = _own_outside_address()
    folder = tmp_path_factory.mktemp("vidarebefordrat")
    env = {
        "SECRET_KEY": "testnyckel-" + "w" * 40,
        "INDIKATOR_SEED_DEMO": "false",
        "INDIKATOR_ALLOWED_HOSTS": SITE_NAME,
        "INDIKATOR_HOST": "0.0.0.0",
        "INDIKATOR_WORKERS": "1",
    }
    network = str(ipaddress.ip_network(f"{peer}/24", strict=False))
    (folder / "tror").mkdir()
    (folder / "tror-inte").mkdir()
    with ExitStack() as servers:
        urls = [
            servers.enter_context(
                served(site.store.url, folder / name, gunicorn=True, **env, **extra)
            )
            for name, extra in (
                ("tror", {"INDIKATOR_FORWARDED_BY": f"198.18.0.1,{network}"}),
                ("tror-inte", {"INDIKATOR_FORWARDED_BY": "198.18.0.0/15"}),
            )
        ]
        outside = [url.replace("127.0.0.1", peer) for url in urls]
        yield ProxiedSites(peer, *outside)


def _from_proxy(base: str, username: str, password: str, forwarded: str) -> requests.Response:
    return requests.post(
        f"{base}/logga-in",
        data={"username": username, "password": password, "next": "/"},
        headers={"Host": SITE_NAME, "X-Forwarded-For": f"10.0.0.1, {forwarded}"},
        allow_redirects=False,
        timeout=30,
    )


def test_a_proxy_named_in_forwarded_by_gets_each_client_braked_on_its_own(proxied: ProxiedSites):
    braked_client, other_client = "198.51.100.40", "198.51.100.41"
    for attempt in range(MAX_FAILURES_PER_ADDRESS):
        wrong = _from_proxy(proxied.believed, f"gissning-{attempt}", "fel", braked_client)
        assert wrong.status_code == 401, (attempt, wrong.text)
    braked = _from_proxy(proxied.believed, "lasa", ACCOUNTS["lasa"][2], braked_client)
    assert braked.status_code == 429
    assert "Försök igen om 15 minuter." in braked.text
    # Another client behind the same proxy is not held back by the first one's failures.
    assert (
        _from_proxy(proxied.believed, "lasa", ACCOUNTS["lasa"][2], other_client).status_code == 302
    )


def test_a_peer_not_named_in_forwarded_by_cannot_choose_its_address(
    site: Site, proxied: ProxiedSites
):
    _earlier_failures(site, MAX_FAILURES_PER_ADDRESS, address=proxied.peer)
    # Whatever it claims, the peer is the address counted, and that one is braked.
    for claimed in ("198.51.100.50", "198.51.100.51"):
        braked = _from_proxy(proxied.not_believed, "lasa", ACCOUNTS["lasa"][2], claimed)
        assert braked.status_code == 429, braked.text
    # The believed proxy, at the same peer address, names its client instead.
    assert (
        _from_proxy(proxied.believed, "lasa", ACCOUNTS["lasa"][2], "198.51.100.50").status_code
        == 302
    )


def test_forwarded_by_does_not_make_the_user_header_trusted(proxied: ProxiedSites):
    response = requests.get(
        f"{proxied.believed}/",
        headers={"Host": SITE_NAME, "X-Remote-User": "adm", "X-Forwarded-For": "198.51.100.60"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code in (302, 303)
    assert "/logga-in" in response.headers["Location"]


def test_the_audit_log_page_lists_sign_ins(site: Site):
    client = site.client("adm")
    for action in ("inloggning", "misslyckad inloggning"):
        download = client.http.get(
            f"{site.url}/granskningslogg.csv", params={"vad": action}, timeout=30
        )
        assert download.status_code == 200
        rows = download.content.decode("utf-8-sig").splitlines()[1:]
        assert rows and all(f";{action};" in row for row in rows), rows[:3]


# --- 6. What anonymous visitors reach ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/logga-inXYZ",
        "/logga-in/",
        "/logga-in/foo",
        "/logga-in/../strategi/2",
        "/healthz/",
        "/healthz/../",
        "/healthzX",
        "/healthz/../importera",
        "/_dash-component-suites/x",
        "/_dash-component-suites/",
        "/assets",
        "/favicon.ico",
    ],
)
def test_paths_that_only_begin_like_public_ones_need_sign_in(site: Site, path: str):
    status, headers, body = raw_request(site.url, path)
    assert status in (302, 401, 404), (status, body[:200])
    assert "_dash-renderer" not in body and "dash_renderer" not in body
    if status == 302:
        assert headers["Location"].startswith("/logga-in?next=")


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/garbage.js",
        "/_dash-component-suites/finns-inte/x.js",
        "/_dash-component-suites/dash/dcc/x.v9m9.js",
        "/_dash-component-suites/dash/..%2F..%2Fapp.py",
        "/_dash-component-suites/dash/../../../../etc/passwd",
        "/_dash-component-suites/plotly/%00.js",
    ],
)
def test_a_bad_component_path_is_not_found_without_a_traceback(site: Site, path: str):
    for cookies in ({}, site.client("lasa").http.cookies.get_dict()):
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        status, _, body = raw_request(site.url, path, headers={"Cookie": cookie} if cookie else {})
        assert status in (400, 404), (status, body[:300])
        assert_no_traceback(body)


def test_the_component_files_the_app_uses_are_still_served(site: Site):
    page = site.client("lasa").http.get(f"{site.url}/", timeout=30)
    scripts = [
        part.split('"')[0]
        for part in page.text.split('src="')[1:]
        if part.startswith("/_dash-component-suites/")
    ]
    assert scripts
    for script in scripts[:3]:
        assert requests.get(f"{site.url}{script}", timeout=30).status_code == 200


# --- 15 (and the Swedish 413). How much body a request may carry ------------------------------


class RepeatedBody:
    """A request body of `size` bytes built from a prefix, one repeated unit and a suffix,
    produced as it is sent: the test holds no copy of it."""

    def __init__(self, prefix: bytes, unit: bytes, size: int, suffix: bytes) -> None:
        self.parts = [prefix, suffix]
        self.repeats = (size - len(prefix) - len(suffix)) // len(unit)
        self.unit = unit
        self.length = len(prefix) + self.repeats * len(unit) + len(suffix)

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[bytes]:
        yield self.parts[0]
        block = self.unit * (MB // len(self.unit))
        whole, rest = divmod(self.repeats * len(self.unit), len(block))
        for _ in range(whole):
            yield block
        yield self.unit * (rest // len(self.unit))
        yield self.parts[1]


class Reader:
    """File-like view of a RepeatedBody, so requests sends it with a Content-Length."""

    def __init__(self, body: RepeatedBody) -> None:
        self.body, self.chunks, self.buffer = body, iter(body), b""

    def __len__(self) -> int:
        return len(self.body)

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.buffer += chunk
        if size < 0:
            size = len(self.buffer)
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out


def upload_body(client: DashClient, size: int) -> RepeatedBody:
    """The upload preview callback exactly as the page sends it, carrying one file of `size`
    bytes of base64 in total."""
    payload = client.payload(
        Importera.PREVIEW,
        {
            f"{Importera.UPLOAD}.contents": ["data:text/csv;base64,@@FIL@@"],
            f"{Importera.UPLOAD}.filename": ["stor.csv"],
            f"{Importera.FORMAT}.value": "auto",
            f"{Importera.INDICATOR}.value": "auto",
            f"{Importera.ADD_KOLADA}.value": False,
        },
        f"{Importera.UPLOAD}.contents",
    )
    prefix, suffix = json.dumps(payload).split("@@FIL@@")
    return RepeatedBody(prefix.encode(), b"eHh4", size, suffix.encode())  # "xxx" in base64


def server_processes(url: str) -> list[int]:
    """The gunicorn workers serving `url`: the processes started with its port, less the
    master (the one whose parent is not among them)."""
    mark = f"INDIKATOR_PORT={port_of(url)}".encode()
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            if b"gunicorn" not in (entry / "cmdline").read_bytes():
                continue
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        found[int(entry.name)] = parent
    workers = [pid for pid, parent in found.items() if parent in found]
    assert workers, "hittade inga gunicorn-arbetare"
    return workers


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(field)


def peak_growth_mb(workers: list[int], send: object) -> tuple[float, object]:
    """Resets every worker's peak resident memory, runs `send()`, and gives the largest rise of
    the peak above what the worker held before, in MB, with what `send` returned."""
    before = {}
    for pid in workers:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # peak := current
        before[pid] = _status_kb(pid, "VmRSS")
    result = send()  # type: ignore[operator]
    growth = max(_status_kb(pid, "VmHWM") - before[pid] for pid in workers)
    return growth / 1024, result


BIG = 154 * MB


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_lasare_cannot_make_the_server_read_a_large_upload(site: Site, framing: str):
    client = site.client("lasa")
    body = upload_body(client, BIG)
    workers = server_processes(site.url)

    def send() -> requests.Response:
        data = Reader(body) if framing == "content-length" else iter(body)
        return client.http.post(
            f"{site.url}/_dash-update-component",
            data=data,
            headers={"Origin": site.url, "Content-Type": "application/json"},
            timeout=120,
        )

    growth, response = peak_growth_mb(workers, send)
    assert isinstance(response, requests.Response)
    assert growth < 50, f"arbetarens minne växte med {growth:.0f} MB"
    assert response.status_code in (403, 413), response.text[:300]
    assert "för stor" in response.json()["fel"]


def test_an_analytiker_still_sends_a_file_larger_than_a_lasare_may(site: Site):
    client = site.client("ana")
    body = upload_body(client, 6 * MB)
    response = client.http.post(
        f"{site.url}/_dash-update-component",
        data=Reader(body),
        headers={"Origin": site.url, "Content-Type": "application/json"},
        timeout=120,
    )
    assert response.status_code == 200, response.text[:300]
    # The same body from a läsare is refused before it is read.
    lasare = site.client("lasa")
    refused = lasare.http.post(
        f"{site.url}/_dash-update-component",
        data=Reader(body),
        headers={"Origin": site.url, "Content-Type": "application/json"},
        timeout=120,
    )
    assert refused.status_code == 413
    assert refused.json()["fel"] == "Begäran är för stor: här tas högst 4 MB emot."


def test_a_large_sign_in_form_gets_a_swedish_413(site: Site):
    response = requests.post(
        f"{site.url}/logga-in",
        data={"username": "lasa", "password": "x" * (200 * 1024)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 413
    assert "Begäran är för stor" in response.text
    assert_no_traceback(response.text)
