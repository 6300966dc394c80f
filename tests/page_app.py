"""The dashboard's pages in the test process, for tests that call a page's layout or callback
directly or through Flask's test client. Dash refuses `register_page` before an app with
use_pages exists, so a page module can only be imported after `pages_app()`.

The app is named "app" like the real one (app.py), so Dash names the page modules
`dashboard.pages.…` and an import in a test finds the very module Dash registered."""

import functools
import json
from typing import Any

import dash
from dash_requests import DashClient

from dashboard import context
from indicators.paths import PROJECT_ROOT
from indicators.store.store import Store

DASHBOARD_DIR = PROJECT_ROOT / "dashboard"


@functools.cache
def _app() -> dash.Dash:
    app = dash.Dash(
        "app",
        use_pages=True,
        pages_folder=str(DASHBOARD_DIR / "pages"),
        assets_folder=str(DASHBOARD_DIR / "assets"),
        serve_locally=True,
        suppress_callback_exceptions=True,
    )
    app.layout = dash.page_container
    return app


def pages_app(store: Store) -> dash.Dash:
    """The app, reading from `store` (the dashboard holds one store per process)."""
    context.set_store(store)
    return _app()


def run_callback(
    app: dash.Dash, first_output: str, values: dict[str, Any], trigger: str | None = None
) -> dict:
    """The response of one callback, requested as the browser requests it: `trigger` None is
    the call Dash makes when the page is first drawn."""
    client = DashClient("")
    http = app.server.test_client()
    client._deps = http.get("/_dash-dependencies").get_json()
    body = client.payload(first_output, values, trigger or "")
    for output in body["outputs"] if isinstance(body["outputs"], list) else [body["outputs"]]:
        if output["id"].startswith("{"):  # a dict id, such as a download bar's store
            output["id"] = json.loads(output["id"])
    if trigger is None:
        body["changedPropIds"] = []
    response = http.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]
