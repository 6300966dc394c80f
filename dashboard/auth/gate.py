"""The one check every request passes before anything else runs: is it addressed to this site
and from it, who is asking, and may they run what they ask for. Dash callbacks all arrive at one
URL, so the callback's required role is looked up from the exact callback Dash would run for the
request. How much body a request may carry follows from who sent it, and is settled before any of
it is read."""

import ipaddress
from typing import Any

import dash
from flask import Response, current_app, g, jsonify, redirect, request, url_for
from flask_login import current_user as login_user_proxy
from werkzeug.exceptions import HTTPException

from dashboard.auth.guards import REQUIRED_ROLE
from dashboard.auth.identity import SignedIn
from dashboard.auth.mode import AuthMode, StartupRefused, startup_mode
from indicators.reads.queries import Store
from indicators.settings import LOOPBACK_HOSTS, Settings
from indicators.vocabulary.domain import Role
from indicators.writes.accounts import find_user

# Routes (not path prefixes) anyone may reach: "/logga-inXYZ" is Dash's catch-all route, which
# serves the app, and so is for the signed-in only.
PUBLIC_RULES = {"/logga-in", "/healthz", "/_favicon.ico"}
PUBLIC_RULE_PREFIXES = ("/assets/", "/_dash-component-suites/")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
LOCAL_USERNAME = "lokal"
CALLBACK_PATH = "/_dash-update-component"
# Bodies: the sign-in form and the like; any callback a läsare may send (the largest carry a
# view's download table back, a few thousand rows at most, well under 1 MB); and uploads, which
# only this role sends (pages/importera.py), up to the app's MAX_CONTENT_LENGTH. A JSON body
# takes about three times its size in memory once parsed.
FORM_BODY_LIMIT = 64 * 1024
CALLBACK_BODY_LIMIT = 4 * 1_048_576
UPLOAD_ROLE = Role.ANALYTIKER


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


def _peer_in(networks: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def _from_trusted_proxy(config: Settings) -> bool:
    return _peer_in(config.trusted_proxies)


def client_address() -> str:
    """The address a request came from. Behind a reverse proxy on this machine, a sign-in
    proxy, or one named in INDIKATOR_FORWARDED_BY (which vouches for addresses only, never for
    the user header) that is the last X-Forwarded-For entry, the one the proxy itself added."""
    peer = request.remote_addr or ""
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
    config = settings()
    try:
        behind_proxy = (
            ipaddress.ip_address(peer).is_loopback
            or _from_trusted_proxy(config)
            or _peer_in(config.forwarded_by)
        )
        ipaddress.ip_address(forwarded)
    except ValueError:
        return peer or "okänd"
    return forwarded if behind_proxy else peer


def _host_name(host: str) -> str:
    """The name in a Host header, without port and brackets, in lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        return host.partition(":")[0]
    return host


def _wrong_host(mode: AuthMode | None) -> bool:
    """A page that answers to any name can be reached by DNS rebinding: another site's name
    pointed at this machine. Names come from INDIKATOR_ALLOWED_HOSTS (loopback names always
    pass); without that list only the local mode, where everyone is administratör, is held to
    the loopback names."""
    config = settings()
    allowed = set(config.allowed_hosts)
    if not allowed and mode is not AuthMode.LOCAL:
        return False
    return _host_name(request.host) not in LOOPBACK_HOSTS | allowed


def _public() -> bool:
    rule = request.url_rule
    if rule is None:
        return False
    return rule.rule in PUBLIC_RULES or rule.rule.startswith(PUBLIC_RULE_PREFIXES)


def _body_limit(user: SignedIn) -> int:
    if request.path != CALLBACK_PATH:
        return FORM_BODY_LIMIT
    if user.may(UPLOAD_ROLE):
        return current_app.config.get("MAX_CONTENT_LENGTH") or CALLBACK_BODY_LIMIT
    return CALLBACK_BODY_LIMIT


def _too_large(limit: int) -> Response:
    return refuse(413, f"Begäran är för stor: här tas högst {_megabytes(limit)} emot.")


def _megabytes(size: int) -> str:
    if size < 1_048_576:
        return f"{size // 1024} kB"
    return f"{size / 1_048_576:.0f} MB"


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
    # Nothing reads the body before this hook; from here on it is read only up to the limit,
    # Content-Length or not (chunked).
    request.max_content_length = FORM_BODY_LIMIT
    # A load balancer asks by address, whatever names the site has.
    if request.url_rule is not None and request.url_rule.rule == "/healthz":
        return None
    try:
        mode: AuthMode | None = auth_mode()
        refused = None
    except StartupRefused as error:
        mode, refused = None, error
    if _wrong_host(mode):
        return refuse(
            400,
            "Adressen i begäran (Host) hör inte till den här tjänsten. Öppna den via en adress "
            "den är inställd för, eller lägg till namnet i INDIKATOR_ALLOWED_HOSTS.",
        )
    if request.method in UNSAFE_METHODS and _cross_site():
        return refuse(403, "Begäran kom från en annan webbplats och avvisades.")
    if _public():
        if (request.content_length or 0) > FORM_BODY_LIMIT:
            return _too_large(FORM_BODY_LIMIT)
        return None
    if mode is None:
        return refuse(503, str(refused))
    user = identify(mode)
    if user is None:
        if mode is AuthMode.PROXY:
            return refuse(403, "Tjänsten nås bara genom organisationens inloggning.")
        if request.method == "GET" and not _wants_json():
            return redirect(url_for("logga_in", next=request.full_path.rstrip("?")))
        return refuse(401, "Du är inte inloggad. Logga in på /logga-in.")
    g.user = user
    limit = _body_limit(user)
    request.max_content_length = limit
    if (request.content_length or 0) > limit:
        return _too_large(limit)
    if request.path == CALLBACK_PATH and request.method == "POST":
        # A chunked body is read up to the limit and no further; one that reaches it is cut
        # short, not a callback to parse.
        if request.content_length is None and len(request.get_data(cache=True)) >= limit:
            return _too_large(limit)
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
        413: "Begäran är för stor för att tas emot.",
        429: "För många försök. Vänta en stund och försök igen.",
    }
    status = error.code or 500
    # Only the role checks (guards.py) describe a refusal themselves, in Swedish; werkzeug's
    # own descriptions are English.
    own = error.description != type(error).description
    description = error.description if status == 403 and own else None
    return refuse(status, description or messages.get(status, "Något gick fel på servern."))


def missing_component_file(_error: Exception) -> Response:
    """Dash raises on a component file it does not know; that is a missing file, not a fault."""
    return refuse(404, "Filen finns inte.")


def server_error(_error: Exception) -> Response:
    current_app.logger.exception("Oväntat fel")
    return refuse(500, "Något gick fel på servern. Felet är loggat.")
