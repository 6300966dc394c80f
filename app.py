"""Entry point: `python app.py` serves the dashboard; `gunicorn app:server` in production.

Importing this module builds the app and touches no store and starts no thread: the store is
prepared by `main()` (or gunicorn's master, gunicorn.conf.py) before anything else runs, and
the cache warmer starts after that (here, or in each gunicorn worker once it has forked)."""

import gc
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
from flask import Response

from dashboard import context
from dashboard.auth.gate import refuse
from dashboard.auth.mode import StartupRefused, prepare_to_serve
from dashboard.auth.setup import init_auth
from dashboard.components.figures.base import warm_up
from dashboard.routes import register_routes
from dashboard.shell import INDEX_STRING, shell
from indicators.reads.queries import Store
from indicators.reads.warmup import REQUESTS, CacheWarmer
from indicators.settings import Settings, get_settings
from indicators.store.version import one_read_per_request
from indicators.writes.bootstrap import StoreBusy

DASHBOARD_DIR = Path(__file__).resolve().parent / "dashboard"

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> dash.Dash:
    settings = settings or get_settings()
    context.set_store(Store.from_settings(settings))
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(DASHBOARD_DIR / "pages"),
        assets_folder=str(DASHBOARD_DIR / "assets"),
        title="Tillsammans 2021–2030 – uppföljning",
        update_title=None,
        serve_locally=True,
        # Page layouts depend on their URL, so callback ids cannot all be checked up front;
        # the ids enum and the browser tests guard them instead.
        suppress_callback_exceptions=True,
    )
    app.index_string = INDEX_STRING
    app.layout = shell
    init_auth(app, settings)
    app.server.register_error_handler(StoreBusy, _store_busy)
    register_routes(app.server)
    # The cache warmer gives way while any request is in flight (indicators.reads.warmup).
    app.server.wsgi_app = _counted(app.server.wsgi_app)
    warm_up()
    # Uploads arrive base64-encoded (4/3 of the bytes) and several files may come at once.
    app.server.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 1_048_576 * 4 // 3 * 5
    # What is built by now (modules, Dash's registry, the figure template) lives as long as the
    # process: kept out of the cyclic collector's full passes, which otherwise scanned it again
    # during each cold view that allocates many objects (30–60 ms of a 150–300 ms view at
    # national scale, bench/notes.md).
    gc.collect()
    gc.freeze()
    return app


def _counted(wsgi_app: Callable[..., Any]) -> Callable[..., Any]:
    """Each request counted while it is answered (the warmer gives way), and the data version
    read once in it (the query cache asks for it at every call)."""

    def answer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with REQUESTS.answering(), one_read_per_request():
            return wsgi_app(environ, start_response)

    return answer


def _store_busy(error: StoreBusy) -> Response:
    # Another writer (an import, say) held the store past the busy timeout: nothing was saved,
    # and the user is told so in Swedish rather than shown a traceback.
    return refuse(503, str(error))


def start_cache_warmer(settings: Settings) -> CacheWarmer | None:
    """Only once the store is prepared: the warmer reads it from its own thread."""
    if not settings.warm_cache:
        return None
    return CacheWarmer(Store.from_settings(settings)).start()


app = create_app()
server = app.server


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    try:
        prepare_to_serve(settings)
    except StartupRefused as refused:
        raise SystemExit(f"Appen startar inte: {refused}") from None
    # With debug on, Werkzeug's reloader runs this again in a child that serves; the parent
    # only watches files and needs no warm cache.
    if not settings.debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        start_cache_warmer(settings)
    app.run(host=settings.host, port=settings.port, debug=settings.debug)


if __name__ == "__main__":
    main()
