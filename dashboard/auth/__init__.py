"""Sign-in, roles and the request gate. Pages ask `current_user()`; callbacks that change data
carry `@requires(Role.X)`."""

from dashboard.auth.guards import require_role, requires, role_required
from dashboard.auth.identity import SignedIn, current_user, signed_in
from dashboard.auth.mode import AuthMode, StartupRefused

__all__ = [
    "AuthMode",
    "SignedIn",
    "StartupRefused",
    "current_user",
    "require_role",
    "requires",
    "role_required",
    "signed_in",
]
