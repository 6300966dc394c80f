"""Wires sign-in, the gate, cookie settings and error pages into the Flask server."""

import secrets
from datetime import timedelta

import dash
from dash.exceptions import DependencyException
from werkzeug.exceptions import HTTPException

from dashboard.auth.gate import error_response, gate, missing_component_file, server_error
from dashboard.auth.login import register_login
from indicators.settings import Settings


def init_auth(app: dash.Dash, settings: Settings) -> None:
    server = app.server
    server.config.update(
        INDIKATOR_SETTINGS=settings,
        # Only on this machine may a key be made up: one process, sessions lost on restart.
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookies_secure,
        SESSION_COOKIE_NAME="uppfoljning_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.cookies_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        PROPAGATE_EXCEPTIONS=False,
    )
    server.json.ensure_ascii = False  # type: ignore[attr-defined]  # on Flask's default provider only
    server.extensions["indikator_dash"] = app
    register_login(server)
    # First of all hooks: Dash's own first-request setup already builds the layout, which asks
    # who is signed in.
    server.before_request_funcs.setdefault(None, []).insert(0, gate)
    server.register_error_handler(HTTPException, error_response)
    server.register_error_handler(DependencyException, missing_component_file)
    server.register_error_handler(Exception, server_error)
