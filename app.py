"""Entry point: `python app.py` serves the dashboard; `gunicorn app:server` in production."""

import logging
from pathlib import Path

import dash

from dashboard import context
from dashboard.auth.mode import StartupRefused, startup_mode
from dashboard.auth.setup import init_auth
from dashboard.components.figures.base import warm_up
from dashboard.routes import register_routes
from dashboard.shell import INDEX_STRING, shell
from indicators.bootstrap import prepare_store
from indicators.catalogue import CatalogueError
from indicators.queries import Store
from indicators.settings import Settings, get_settings
from indicators.warmup import CacheWarmer

DASHBOARD_DIR = Path(__file__).resolve().parent / "dashboard"


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
    register_routes(app.server)
    warm_up()
    if settings.warm_cache:
        CacheWarmer(Store.from_settings(settings)).start()
    # Uploads arrive base64-encoded (4/3 of the bytes) and several files may come at once.
    app.server.config["MAX_CONTENT_LENGTH"] = settings.max_upload_mb * 1_048_576 * 4 // 3 * 5
    return app


app = create_app()
server = app.server


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    try:
        prepare_store(settings)
    except CatalogueError as error:
        # An analyst's edit of data/katalog.toml: list every problem, not a traceback.
        raise SystemExit(str(error)) from None
    try:
        startup_mode(settings)
    except StartupRefused as refused:
        raise SystemExit(f"Appen startar inte: {refused}") from None
    app.run(host=settings.host, port=settings.port, debug=settings.debug)


if __name__ == "__main__":
    main()
