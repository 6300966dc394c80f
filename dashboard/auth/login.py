"""The sign-in page: a plain server-rendered form, so it works before any Dash code loads."""

import time
from collections import defaultdict, deque

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

from dashboard.auth.gate import auth_mode, settings
from dashboard.auth.mode import AuthMode, StartupRefused
from indicators.accounts import UserInfo, authenticate, find_user
from indicators.queries import Store

# Failed attempts per name within a window; per worker, so a rough brake, not a wall.
MAX_FAILURES = 10
FAILURE_WINDOW_S = 15 * 60
_failures: dict[str, deque[float]] = defaultdict(deque)


class LoginUser(UserMixin):
    def __init__(self, account: UserInfo) -> None:
        self.account = account

    def get_id(self) -> str:
        return self.account.username


def _load_user(username: str) -> LoginUser | None:
    account = find_user(Store.from_settings(settings()), username)
    return LoginUser(account) if account is not None and account.active else None


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
    """Only a path on this site: never an address that sends the user elsewhere after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _page(message: str = "", username: str = "", status: int = 200) -> Response:
    body = render_template_string(
        PAGE, message=message, username=username, next=_safe_next(request.values.get("next"))
    )
    return Response(body, status=status, mimetype="text/html")


def _too_many(username: str) -> bool:
    now = time.monotonic()
    attempts = _failures[username]
    while attempts and now - attempts[0] > FAILURE_WINDOW_S:
        attempts.popleft()
    return len(attempts) >= MAX_FAILURES


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
    if _too_many(username):
        return _page("För många misslyckade försök. Vänta en stund och försök igen.", username, 429)
    account = authenticate(
        Store.from_settings(settings()), username, request.form.get("password", "")
    )
    if account is None:
        _failures[username].append(time.monotonic())
        current_app.logger.warning("Misslyckad inloggning för %r", username)
        return _page("Fel användarnamn eller lösenord.", username, 401)
    _failures.pop(username, None)
    session.permanent = True  # expires after INDIKATOR_SESSION_HOURS, not at browser close
    login_user(LoginUser(account))
    return redirect(_safe_next(request.form.get("next")))


def logga_ut() -> Response:
    logout_user()
    return redirect("/logga-in" if auth_mode() is AuthMode.ACCOUNTS else "/")


def register_login(server: Flask) -> None:
    manager = LoginManager()
    manager.user_loader(_load_user)
    manager.session_protection = "basic"
    manager.init_app(server)
    server.add_url_rule("/logga-in", "logga_in", logga_in, methods=["GET", "POST"])
    server.add_url_rule("/logga-ut", "logga_ut", logga_ut, methods=["POST"])
