"""The one check every request passes before anything else runs: is it from this site, who is
asking, and may they run what they ask for. Dash callbacks all arrive at one URL, so the callback's
required role is looked up from the exact callback Dash would run for the request."""

import ipaddress
from typing import Any

import dash
from flask import Response, current_app, g, jsonify, redirect, request, url_for
from flask_login import current_user as login_user_proxy
from werkzeug.exceptions import HTTPException

from dashboard.auth.guards import REQUIRED_ROLE
from dashboard.auth.identity import SignedIn
from dashboard.auth.mode import AuthMode, StartupRefused, startup_mode
from indicators.accounts import find_user
from indicators.domain import Role
from indicators.queries import Store
from indicators.settings import Settings

PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/logga-in", "/healthz")
PUBLIC_PATHS = {"/_favicon.ico", "/favicon.ico"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
LOCAL_USERNAME = "lokal"


def settings() -> Settings:
    return current_app.config["INDIKATOR_SETTINGS"]


def auth_mode() -> AuthMode:
    """Decided on the first request and kept: adding the first account takes a restart."""
    mode = current_app.extensions.get("indikator_auth_mode")
    if mode is None:
        mode = startup_mode(settings())
        current_app.extensions["indikator_auth_mode"] = mode
    return mode


def refuse(status: int, message: str) -> Response:
    if _wants_json():
        response = jsonify({"fel": message, "status": status})
    else:
        response = Response(message, mimetype="text/plain; charset=utf-8")
    response.status_code = status
    return response


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/_dash-"))


def _cross_site() -> bool:
    """A browser names the page a request came from; another site's page may not change data.
    Clients that send no Origin (scripts, curl) are not browsers acting for a signed-in user."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin == "null"
    return origin.split("://", 1)[-1].rstrip("/") != request.host


def _from_trusted_proxy(config: Settings) -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in config.trusted_proxies)


def identify(mode: AuthMode) -> SignedIn | None:
    config = settings()
    if mode is AuthMode.LOCAL:
        return SignedIn(LOCAL_USERNAME, config.user, Role.ADMINISTRATOR, mode)
    if mode is AuthMode.PROXY:
        username = request.headers.get(config.proxy_user_header, "").strip()
        if not username or not _from_trusted_proxy(config):
            return None
        account = find_user(Store.from_settings(config), username)
        if account is None:
            return SignedIn(username, username, config.proxy_default_role, mode)
        if not account.active:
            return None
        return SignedIn(username, account.name, account.role, mode)
    if login_user_proxy.is_authenticated:
        account = login_user_proxy.account
        return SignedIn(account.username, account.name, account.role, mode)
    return None


class UnknownCallback(LookupError):
    """The request names no server callback of this app (or a clientside one)."""


def callback_role(body: Any) -> Role | None:
    """The role the requested callback needs; UnknownCallback when there is none to run."""
    output = body.get("output") if isinstance(body, dict) else None
    app: dash.Dash = current_app.extensions["indikator_dash"]
    entry = (
        app.callback_map.get(output) or dash._callback.GLOBAL_CALLBACK_MAP.get(output)
        if isinstance(output, str)
        else None
    )
    # Clientside callbacks are registered too, but have no server function to run.
    if not entry or "callback" not in entry:
        raise UnknownCallback(output)
    return getattr(entry["callback"], REQUIRED_ROLE, None)


def gate() -> Response | None:
    if request.method in UNSAFE_METHODS and _cross_site():
        return refuse(403, "Begäran kom från en annan webbplats och avvisades.")
    if request.path in PUBLIC_PATHS or request.path.startswith(PUBLIC_PREFIXES):
        return None
    try:
        mode = auth_mode()
    except StartupRefused as refused:
        return refuse(503, str(refused))
    user = identify(mode)
    if user is None:
        if mode is AuthMode.PROXY:
            return refuse(403, "Tjänsten nås bara genom organisationens inloggning.")
        if request.method == "GET" and not _wants_json():
            return redirect(url_for("logga_in", next=request.full_path.rstrip("?")))
        return refuse(401, "Du är inte inloggad. Logga in på /logga-in.")
    g.user = user
    if request.path == "/_dash-update-component" and request.method == "POST":
        try:
            needed = callback_role(request.get_json(silent=True))
        except UnknownCallback:
            return refuse(400, "Begäran anger ingen callback som finns.")
        if needed is not None and not user.may(needed):
            return refuse(403, f"Rollen {needed.value} krävs för det här.")
    return None


def error_response(error: HTTPException) -> Response:
    """Errors as short Swedish text, never a traceback or a framework page."""
    messages = {
        400: "Felaktig begäran.",
        401: "Du är inte inloggad.",
        403: "Du har inte behörighet till det här.",
        404: "Sidan finns inte.",
        405: "Metoden är inte tillåten här.",
        413: "Filen är för stor.",
    }
    status = error.code or 500
    description = error.description if status in (403, 413) and error.description else None
    message = description or messages.get(status, "Något gick fel på servern.")
    if status == 403 and not description:
        message = messages[403]
    return refuse(status, message)


def server_error(_error: Exception) -> Response:
    current_app.logger.exception("Oväntat fel")
    return refuse(500, "Något gick fel på servern. Felet är loggat.")
