"""gunicorn's settings, read from the same environment as the app: `gunicorn app:server` in this
folder picks this file up by itself. The master prepares the store and checks the sign-in
settings once, before any worker starts, so a refused configuration never serves a request."""

import os
import secrets
from typing import Any

from dashboard.auth.mode import StartupRefused, startup_mode
from indicators.bootstrap import prepare_store
from indicators.catalogue import CatalogueError
from indicators.settings import LOOPBACK_HOSTS, get_settings

# Workers must share one signing key or a sign-in made in one is unknown to the next. Only on
# this machine may it be made up here; elsewhere startup_mode refuses without SECRET_KEY.
if not os.environ.get("SECRET_KEY") and os.environ.get("INDIKATOR_HOST", "127.0.0.1") in (
    LOOPBACK_HOSTS
):
    os.environ["SECRET_KEY"] = secrets.token_hex(32)

_settings = get_settings()

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
forwarded_allow_ips = ",".join(_settings.trusted_proxies) or "127.0.0.1"


def on_starting(_server: Any) -> None:
    try:
        prepare_store(_settings)
        startup_mode(_settings)
    except (StartupRefused, CatalogueError) as refused:
        raise SystemExit(f"Appen startar inte: {refused}") from None
