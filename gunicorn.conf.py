"""gunicorn's settings, read from the same environment as the app: `gunicorn app:server` in this
folder picks this file up by itself.

The master judges the address gunicorn really binds (its final `bind`, after `-b` and
GUNICORN_CMD_ARGS), checks the sign-in settings on it and prepares the store on one connection,
all before any worker starts, so a refused configuration never serves a request. Workers learn
the judged address through INDIKATOR_HOST, set before they fork, and each starts its cache
warmer once it has loaded the app."""

import ipaddress
import os
import secrets
import socket
from typing import Any

from gunicorn import systemd

from dashboard.auth.mode import StartupRefused, bound_host, prepare_to_serve
from indicators.settings import LOOPBACK_HOSTS, get_settings
from indicators.store.engine import close_all_connections

_settings = get_settings()

# The default only: `-b` and GUNICORN_CMD_ARGS override it, and on_starting judges the result.
bind = f"{_settings.host}:{_settings.port}"
workers = _settings.workers
# Threads let one worker answer the small callbacks of a page while another callback is slow.
worker_class = "gthread"
threads = 4
# A large import is saved inside one request.
timeout = 180
graceful_timeout = 30
# Longer than the 2 s default, so a browser rarely reuses a connection gunicorn is closing.
keepalive = 5
accesslog = "-"
errorlog = "-"
control_socket_disable = True
# A proxy trusted to name the client also names the scheme it was reached by (X-Forwarded-Proto).
forwarded_allow_ips = ",".join([*_settings.trusted_proxies, *_settings.forwarded_by]) or "127.0.0.1"


def _refuse(reason: object) -> SystemExit:
    return SystemExit(f"Appen startar inte: {reason}")


def on_starting(server: Any) -> None:
    # Sockets handed over by systemd may be bound anywhere: judged as beyond this machine.
    inherited = systemd.listen_fds(unset_environment=False)
    host = "fd://systemd" if inherited else bound_host(server.cfg.bind)
    # Inherited by the workers, which decide the mode and the cookies' Secure flag from it.
    os.environ["INDIKATOR_HOST"] = host
    get_settings.cache_clear()
    if host in LOOPBACK_HOSTS and not get_settings().secret_key:
        # Workers must share one signing key or a sign-in made in one is unknown to the next.
        # Only on this machine may it be made up here; elsewhere the start is refused without.
        os.environ["SECRET_KEY"] = secrets.token_hex(32)
        get_settings.cache_clear()
    try:
        mode = prepare_to_serve(get_settings())
    except StartupRefused as refused:
        raise _refuse(refused) from None
    # The master never reads the store again; workers open connections of their own.
    close_all_connections()
    server.log.info("Lagret är förberett; adress %s, inloggningsläge %s", host, mode.value)


def when_ready(server: Any) -> None:
    """The sockets are bound now: should one lie beyond this machine although the address was
    judged local, stop before any worker starts."""
    if get_settings().host not in LOOPBACK_HOSTS:
        return
    for listener in server.LISTENERS:
        if (
            listener.family == socket.AF_UNIX
            or not ipaddress.ip_address(listener.getsockname()[0]).is_loopback
        ):
            raise _refuse(
                f"gunicorn lyssnar på {listener} men inställningarna bedömdes för 127.0.0.1."
            )


def post_worker_init(worker: Any) -> None:
    # Only now: the store is prepared and this worker has forked and loaded the app.
    from app import start_cache_warmer

    if start_cache_warmer(get_settings()) is not None:
        worker.log.info("Cachen förvärms i arbetare %s", worker.pid)
