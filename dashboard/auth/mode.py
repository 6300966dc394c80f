"""How people are identified, decided once when the app starts.

- lokal: served on 127.0.0.1 with no accounts: one person at their own machine, no sign-in.
- konton: built-in accounts sign in with a password.
- proxy: a single-sign-on proxy in front names the user in a header; only its addresses are trusted.
Anything else served beyond this machine is refused, so the app is never open by mistake."""

from enum import StrEnum

from indicators.accounts import active_account_count
from indicators.queries import Store
from indicators.settings import Settings


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
            f"Appen ska nås från andra datorer (INDIKATOR_HOST={settings.host}) men inga konton "
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
