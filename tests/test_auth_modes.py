"""How the app decides who may do what: local single-user mode, accounts, a trusted sign-on
proxy, and the settings it refuses to serve with."""

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from conftest import _free_port, served

from dashboard.auth.mode import AuthMode, StartupRefused, bound_host, decide_mode
from indicators.paths import PROJECT_ROOT
from indicators.reads.queries import Store
from indicators.settings import Settings
from indicators.vocabulary.domain import Role
from indicators.writes.accounts import add_user, set_active
from indicators.writes.bootstrap import prepare_store

KEY = "k" * 64


def settings(**values: object) -> Settings:
    return Settings(database_url="sqlite://", **values)


def test_local_without_accounts_is_single_user_mode():
    assert decide_mode(settings(), accounts=0) is AuthMode.LOCAL


def test_accounts_switch_sign_in_on_even_locally():
    assert decide_mode(settings(), accounts=1) is AuthMode.ACCOUNTS


def test_served_beyond_this_machine_without_accounts_is_refused():
    with pytest.raises(StartupRefused, match="inga konton"):
        decide_mode(settings(host="0.0.0.0", secret_key=KEY), accounts=0)


def test_served_beyond_this_machine_without_a_secret_key_is_refused():
    with pytest.raises(StartupRefused, match="SECRET_KEY"):
        decide_mode(settings(host="0.0.0.0"), accounts=3)
    assert decide_mode(settings(host="0.0.0.0", secret_key=KEY), accounts=3) is AuthMode.ACCOUNTS


def test_debug_is_refused_beyond_this_machine():
    with pytest.raises(StartupRefused, match="INDIKATOR_DEBUG"):
        decide_mode(settings(host="0.0.0.0", secret_key=KEY, debug=True), accounts=1)


def test_a_trusted_proxy_is_enough_without_accounts():
    proxied = settings(host="0.0.0.0", secret_key=KEY, trusted_proxies="10.0.0.5")
    assert decide_mode(proxied, accounts=0) is AuthMode.PROXY


@pytest.mark.parametrize(
    ("binds", "judged"),
    [
        (["127.0.0.1:8050"], "127.0.0.1"),
        (["[::1]:8050"], "::1"),
        (["localhost:8050"], "localhost"),
        (["0.0.0.0:8050"], "0.0.0.0"),
        (["[::]:8050"], "::"),
        ([":8050"], "0.0.0.0"),
        (["10.1.2.3"], "10.1.2.3"),
        (["127.0.0.1:8050", "0.0.0.0:8051"], "0.0.0.0"),
        (["unix:/run/uppfoljning.sock"], "unix:/run/uppfoljning.sock"),
        (["fd://3"], "fd://3"),
    ],
)
def test_the_bound_address_is_judged_by_every_bind(binds: list[str], judged: str):
    assert bound_host(binds) == judged


def test_a_malformed_proxy_address_is_a_settings_error():
    with pytest.raises(ValueError):
        settings(trusted_proxies="inte-en-adress")


@pytest.mark.parametrize("program", [["app.py"], ["-m", "gunicorn", "app:server"]])
def test_the_app_refuses_to_start_open_to_the_network(program: list[str], tmp_path):
    """Both start commands stop at once with the reason, before serving anything."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lager.sqlite'}",
        "INDIKATOR_HOST": "0.0.0.0",
        "INDIKATOR_PORT": "8999",
        "INDIKATOR_SEED_DEMO": "false",
    }
    done = subprocess.run(
        [sys.executable, *program],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode != 0
    assert "inga konton" in done.stdout + done.stderr


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Behind a sign-on proxy at 127.0.0.1 (where the tests' requests come from)."""
    folder = tmp_path_factory.mktemp("proxy")
    url = f"sqlite:///{folder / 'lager.sqlite'}"
    prepare_store(Settings(database_url=url, seed_demo=False))
    add_user(Store(url), "chef", None, Role.ADMINISTRATOR, actor="test", display_name="Cia Chef")
    add_user(Store(url), "avstangd", None, Role.ANALYTIKER, actor="test")
    set_active(Store(url), "avstangd", False, actor="test")
    with served(
        url,
        folder,
        SECRET_KEY=KEY,
        INDIKATOR_TRUSTED_PROXIES="127.0.0.1",
        INDIKATOR_SEED_DEMO="false",
    ) as base:
        yield base


def _layout(base: str, user: str | None) -> requests.Response:
    headers = {"X-Remote-User": user} if user else {}
    return requests.get(f"{base}/_dash-layout", headers=headers, timeout=30)


def test_the_proxy_names_the_user_and_the_account_gives_the_role(proxied_server: str):
    known = _layout(proxied_server, "chef")
    assert known.status_code == 200
    assert "Cia Chef" in str(known.json()) and "administratör" in str(known.json())
    stranger = _layout(proxied_server, "okand.person")
    assert stranger.status_code == 200
    assert "läsare" in str(stranger.json())


def test_without_the_proxy_header_or_with_a_disabled_account_there_is_no_entry(
    proxied_server: str,
):
    assert _layout(proxied_server, None).status_code == 403
    assert _layout(proxied_server, "avstangd").status_code == 403


def test_a_user_header_from_an_untrusted_address_is_ignored(tmp_path):
    url = f"sqlite:///{tmp_path / 'lager.sqlite'}"
    with served(
        url,
        tmp_path,
        SECRET_KEY=KEY,
        INDIKATOR_TRUSTED_PROXIES="10.9.9.9",
        INDIKATOR_SEED_DEMO="false",
    ) as base:
        assert _layout(base, "chef").status_code == 403


# --- gunicorn judges the address it really binds (issue 11, item 1) -------------------------


def _gunicorn(database: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """gunicorn as an operator would start it, INDIKATOR_HOST left at its loopback default."""
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "app:server", *args],
        cwd=PROJECT_ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": database,
            "INDIKATOR_SEED_DEMO": "false",
            "INDIKATOR_WORKERS": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=180,
    )


def _with_accounts(folder: Path) -> str:
    url = f"sqlite:///{folder / 'lager.sqlite'}"
    prepare_store(Settings(database_url=url, seed_demo=False))
    add_user(Store(url), "chef", "ett-långt-lösenord", Role.ADMINISTRATOR, actor="test")
    return url


@pytest.mark.parametrize("given_by", ["-b", "GUNICORN_CMD_ARGS"])
def test_gunicorn_on_the_network_without_accounts_refuses(given_by: str, tmp_path):
    """`gunicorn app:server -b 0.0.0.0:PORT` used to start in local single-user mode, everyone an
    administratör, because only INDIKATOR_HOST was judged."""
    database = tmp_path / "lager.sqlite"
    bind = f"0.0.0.0:{_free_port()}"
    if given_by == "-b":
        done = _gunicorn(f"sqlite:///{database}", "-b", bind)
    else:
        done = _gunicorn(f"sqlite:///{database}", GUNICORN_CMD_ARGS=f"--bind {bind}")
    assert done.returncode != 0
    assert "Appen startar inte" in done.stderr and "inga konton" in done.stderr
    assert "0.0.0.0" in done.stderr
    assert not database.exists()


def test_gunicorn_on_the_network_with_accounts_still_needs_a_secret_key(tmp_path):
    """The master used to make a key up because INDIKATOR_HOST said 127.0.0.1."""
    done = _gunicorn(_with_accounts(tmp_path), "-b", f"0.0.0.0:{_free_port()}")
    assert done.returncode != 0
    assert "Appen startar inte" in done.stderr and "SECRET_KEY" in done.stderr


def test_gunicorn_on_the_network_refuses_debug_also_with_accounts(tmp_path):
    done = _gunicorn(
        _with_accounts(tmp_path),
        "-b",
        f"0.0.0.0:{_free_port()}",
        SECRET_KEY=KEY,
        INDIKATOR_DEBUG="true",
    )
    assert done.returncode != 0
    assert "Appen startar inte" in done.stderr and "INDIKATOR_DEBUG" in done.stderr


@contextmanager
def _gunicorn_served(database: str, host: str, folder: Path, **env: str) -> Iterator[str]:
    port = _free_port()
    log = folder / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "app:server", "-b", f"{host}:{port}"],
            cwd=PROJECT_ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database,
                "INDIKATOR_SEED_DEMO": "false",
                "INDIKATOR_WORKERS": "1",
                **env,
            },
            stdout=out,
            stderr=out,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn startade inte:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize(("host", "secure"), [("0.0.0.0", True), ("127.0.0.1", False)])
def test_the_sign_in_cookie_is_secure_whenever_gunicorn_binds_beyond_loopback(
    host: str, secure: bool, tmp_path
):
    with _gunicorn_served(_with_accounts(tmp_path), host, tmp_path, SECRET_KEY=KEY) as base:
        signed_in = requests.post(
            f"{base}/logga-in",
            data={"username": "chef", "password": "ett-långt-lösenord", "next": "/"},
            allow_redirects=False,
            timeout=30,
        )
    assert signed_in.status_code == 302, signed_in.text
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert ("Secure" in cookie) is secure, cookie
    # The worker started its cache warmer after the master had prepared the store.
    assert "Cachen förvärms i arbetare" in (tmp_path / "gunicorn.log").read_text()
