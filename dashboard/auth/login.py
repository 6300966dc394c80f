"""The sign-in page: a plain server-rendered form, so it works before any Dash code loads."""

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import (
    Flask,
    Response,
    current_app,
    redirect,
    render_template_string,
    request,
    session,
)
from flask_login import LoginManager, UserMixin, login_user, logout_user
from flask_login import current_user as login_user_proxy

from dashboard.auth.gate import auth_mode, client_address, settings
from dashboard.auth.mode import AuthMode, StartupRefused
from indicators.reads.queries import Store
from indicators.writes.accounts import Braked, UserInfo, end_sessions, find_user, sign_in


class LoginUser(UserMixin):
    def __init__(self, account: UserInfo) -> None:
        self.account = account

    def get_id(self) -> str:
        # The generation makes a cookie from before a sign-out or a new password worthless.
        return f"{self.account.username}:{self.account.session_generation}"


def _load_user(user_id: str) -> LoginUser | None:
    username, _, generation = user_id.rpartition(":")
    if not username or not generation.isdigit():
        return None
    account = find_user(Store.from_settings(settings()), username)
    if account is None or not account.active or account.session_generation != int(generation):
        return None
    return LoginUser(account)


PAGE = """<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Logga in – Tillsammans 2021–2030</title>
<link rel="stylesheet" href="/assets/app.css">
<link rel="stylesheet" href="/assets/login.css">
</head>
<body>
<header class="site-header"><div class="brand"><span class="brand-link">
<span class="brand-title">Tillsammans 2021–2030</span>
<span class="brand-sub">Uppföljning · 13 kommuner och Region Jönköpings län</span>
</span></div></header>
<main id="innehall">
<h1>Logga in</h1>
{% if message %}<p class="login-message" role="alert">{{ message }}</p>{% endif %}
<form method="post" class="login-form" action="/logga-in">
<input type="hidden" name="next" value="{{ next }}">
<label for="username">Användarnamn</label>
<input id="username" name="username" autocomplete="username" required autofocus
 value="{{ username }}">
<label for="password">Lösenord</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Logga in</button>
</form>
<p class="login-help">Saknar du konto? Kontakta den som administrerar uppföljningen hos er.</p>
</main>
</body>
</html>"""


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an address that sends the user elsewhere after sign-in.
    Browsers drop tabs and line breaks from an address and read a backslash as a slash, and a
    percent-encoded address may be decoded again on its way, so every decoding is judged."""
    if not target or len(target) > 2000:
        return "/"
    text = target
    for _ in range(4):
        if not _same_site_path(text):
            return "/"
        decoded = unquote(text)
        if decoded == text:
            return target
        text = decoded
    return "/"  # encoded more deeply than any address of this site


def _same_site_path(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    # Control, format and separator characters (tab, newline, zero-width, spaces).
    if any(unicodedata.category(ch)[0] in "CZ" for ch in text):
        return False
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return False
    return not any(segment in (".", "..") for segment in parts.path.split("/"))


def _page(message: str = "", username: str = "", status: int = 200) -> Response:
    body = render_template_string(
        PAGE, message=message, username=username, next=_safe_next(request.values.get("next"))
    )
    return Response(body, status=status, mimetype="text/html")


def _braked_message(braked: Braked) -> str:
    unit = "minut" if braked.minutes == 1 else "minuter"
    return (
        "För många misslyckade inloggningar för det här kontot eller från den här adressen. "
        f"Försök igen om {braked.minutes} {unit}."
    )


def logga_in() -> Response:
    try:
        mode = auth_mode()
    except StartupRefused as refused:
        return Response(str(refused), status=503, mimetype="text/plain")
    if mode is not AuthMode.ACCOUNTS:
        return redirect("/")
    if request.method == "GET":
        return _page()
    username = request.form.get("username", "").strip()[:120]
    address = client_address()
    result = sign_in(
        Store.from_settings(settings()), username, request.form.get("password", ""), address
    )
    if isinstance(result, Braked):
        current_app.logger.warning("Inloggning spärrad för %r från %s", username, address)
        return _page(_braked_message(result), username, 429)
    if result is None:
        current_app.logger.warning("Misslyckad inloggning för %r från %s", username, address)
        return _page("Fel användarnamn eller lösenord.", username, 401)
    session.clear()
    session.permanent = True  # expires after INDIKATOR_SESSION_HOURS, not at browser close
    login_user(LoginUser(result))
    return redirect(_safe_next(request.form.get("next")))


def logga_ut() -> Response:
    if login_user_proxy.is_authenticated:
        # Every session of the account ends, also a copy of this cookie kept elsewhere.
        end_sessions(Store.from_settings(settings()), login_user_proxy.account.username)
    logout_user()
    session.clear()
    return redirect("/logga-in" if auth_mode() is AuthMode.ACCOUNTS else "/")


def register_login(server: Flask) -> None:
    manager = LoginManager()
    manager.user_loader(_load_user)
    manager.session_protection = "basic"
    manager.init_app(server)
    server.add_url_rule("/logga-in", "logga_in", logga_in, methods=["GET", "POST"])
    server.add_url_rule("/logga-ut", "logga_ut", logga_ut, methods=["POST"])
