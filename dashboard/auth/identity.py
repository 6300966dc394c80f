"""Who is asking: the signed-in person of the current request, as the gate identified them."""

from dataclasses import dataclass

from flask import abort, g, has_request_context

from dashboard.auth.mode import AuthMode
from indicators.vocabulary.domain import Role


@dataclass(frozen=True)
class SignedIn:
    username: str
    name: str
    role: Role
    mode: AuthMode

    def may(self, needed: Role) -> bool:
        return self.role.allows(needed)


def signed_in() -> SignedIn | None:
    """None on requests the gate lets through unidentified (sign-in page, assets, health)."""
    return g.get("user") if has_request_context() else None


def current_user() -> SignedIn:
    """The request's user. Outside a request, or where the gate let an anonymous request through
    (the sign-in page, assets), there is none and asking is a programming error answered 401."""
    user = signed_in()
    if user is None:
        abort(401)
    return user
