"""What a page shows someone whose role does not reach it, and who is signed in."""

from dash import html

from dashboard.auth import AuthMode, SignedIn
from dashboard.ids import Shell
from indicators.vocabulary.domain import Role


def access_denied(needed: Role, what: str) -> html.Div:
    return html.Div(
        [
            html.H1("Behörighet saknas"),
            html.P(
                f"Du behöver rollen {needed.value} för att {what}. "
                "Kontakta den som administrerar uppföljningen hos er om du ska ha den."
            ),
        ],
        className="access-denied",
        role="alert",
    )


def signed_in_corner(user: SignedIn) -> html.Div:
    if user.mode is AuthMode.LOCAL:
        return html.Div(
            [
                html.Span(
                    "Lokalt enanvändarläge",
                    className="local-mode",
                    title="Ingen inloggning: appen nås bara från den här datorn, "
                    "och du har alla behörigheter.",
                ),
                html.Span(user.name),
            ],
            className="signed-in",
            id=Shell.SIGNED_IN,
        )
    parts: list = [
        html.Span(user.name, className="user-name"),
        html.Span(user.role.value, className="role"),
    ]
    if user.mode is AuthMode.ACCOUNTS:
        parts.append(
            html.Form(html.Button("Logga ut", type="submit"), method="POST", action="/logga-ut")
        )
    return html.Div(parts, className="signed-in", id=Shell.SIGNED_IN)


def may_see(page: dict, user: SignedIn | None) -> bool:
    """Pages register the role they need as `role=...`; without one, every signed-in user may."""
    needed = page.get("role")
    return needed is None or (user is not None and user.may(Role(needed)))
