"""How the app decides who may do what: local single-user mode, accounts, a trusted sign-on
proxy, and the settings it refuses to serve with."""

import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests
from conftest import served

from dashboard.auth.mode import AuthMode, StartupRefused, decide_mode
from indicators.accounts import add_user, set_active
from indicators.bootstrap import prepare_store
from indicators.domain import Role
from indicators.paths import PROJECT_ROOT
from indicators.queries import Store
from indicators.settings import Settings

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
