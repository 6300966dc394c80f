"""How people are identified, decided once when the app starts.

- lokal: served on 127.0.0.1 (or ::1) with no accounts: one person at their own machine, no
  sign-in. The address judged is the one the server actually binds (gunicorn's final `bind`).
- konton: built-in accounts sign in with a password.
- proxy: a single-sign-on proxy in front names the user in a header; only its addresses are trusted.
Anything else served beyond this machine is refused, so the app is never open by mistake."""

import ipaddress
from collections.abc import Iterable
from enum import StrEnum

from indicators.catalogue import CatalogueError
from indicators.reads.queries import Store
from indicators.settings import LOOPBACK_HOSTS, Settings
from indicators.writes.accounts import active_account_count
from indicators.writes.bootstrap import StoreBusy, existing_accounts, prepare_store


class AuthMode(StrEnum):
    LOCAL = "lokal"
    ACCOUNTS = "konton"
    PROXY = "proxy"


class StartupRefused(RuntimeError):
    """The app must not serve with these settings; the message says what to change, in Swedish."""


def decide_mode(settings: Settings, accounts: int) -> AuthMode:
    if settings.debug and not settings.is_local:
        raise StartupRefused(
            "INDIKATOR_DEBUG=true är bara till för utveckling på den egna datorn: felsökningsläget "
            "visar programkod och kan köra kod. Ta bort inställningen när appen nås av andra."
        )
    if settings.trusted_proxies:
        mode = AuthMode.PROXY
    elif accounts:
        mode = AuthMode.ACCOUNTS
    elif settings.is_local:
        return AuthMode.LOCAL
    else:
        raise StartupRefused(
            f"Appen ska nås från andra datorer (adressen {settings.host}) men inga konton "
            "finns. Skapa ett administratörskonto med `python -m indicators users add NAMN "
            "--role administratör`, eller ange INDIKATOR_TRUSTED_PROXIES för inloggning via "
            "en inloggningsproxy."
        )
    if not settings.secret_key and not settings.is_local:
        raise StartupRefused(
            "SECRET_KEY saknas i miljön. Den signerar inloggningskakan och måste vara en lång "
            "slumpmässig hemlighet, samma för alla arbetare, till exempel från "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    return mode


def startup_mode(settings: Settings) -> AuthMode:
    """Raises StartupRefused; call it after the store is migrated."""
    return decide_mode(settings, active_account_count(Store.from_settings(settings)))


def prepare_to_serve(settings: Settings) -> AuthMode:
    """What a server does before it starts any thread or worker, in an order that writes
    nothing when it must refuse: the settings are judged first, with the accounts read from the
    store as it stands (none when it does not exist yet); then one connection migrates and
    syncs the store; then the mode is decided on the prepared store. Raises StartupRefused
    with the Swedish reason, also for a catalogue error or a store that stays locked."""
    decide_mode(settings, existing_accounts(settings))
    try:
        prepare_store(settings)
    except (CatalogueError, StoreBusy) as error:
        # An analyst's edit of data/katalog.toml (every problem listed), or a store another
        # process kept locked past the busy timeout: said in Swedish, never a traceback.
        raise StartupRefused(str(error)) from None
    return startup_mode(settings)


def bound_host(binds: Iterable[str]) -> str:
    """The address that decides the mode, from gunicorn's final `bind` list ("HOST:PORT",
    "[::1]:PORT", "unix:PATH", "fd://N"): the first that is not loopback, else the first.
    A unix socket or an inherited descriptor may be reached through anything, so it counts as
    beyond this machine."""
    hosts = [_host_of(bind) for bind in binds] or ["127.0.0.1"]
    return next((host for host in hosts if host not in LOOPBACK_HOSTS), hosts[0])


def _host_of(bind: str) -> str:
    if bind.startswith(("unix:", "fd://")) or "/" in bind:
        return bind
    if bind.startswith("["):
        return bind[1 : bind.index("]")] if "]" in bind else bind
    try:
        return str(ipaddress.ip_address(bind))  # a bare IPv6 address, no port
    except ValueError:
        pass
    host = bind.rsplit(":", 1)[0] if ":" in bind else bind
    # gunicorn binds an empty host as every address.
    return host or "0.0.0.0"
