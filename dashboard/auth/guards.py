"""Role checks for callbacks and routes that change data. The gate refuses a callback request
before it runs (see gate.py); these checks inside the functions are the second lock."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort

from dashboard.auth.identity import current_user
from indicators.vocabulary.domain import Role

P = ParamSpec("P")
R = TypeVar("R")

# The gate reads this attribute from the function Dash registered (functools.wraps copies it).
REQUIRED_ROLE = "required_role"


def require_role(needed: Role) -> None:
    if not current_user().may(needed):
        abort(403, description=f"Rollen {needed.value} krävs för det här.")


def requires(needed: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Put below `@callback(...)`: the callback runs only for users with the role, and the gate
    refuses a request for it with 403 before any of its code runs."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @wraps(func)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            require_role(needed)
            return func(*args, **kwargs)

        setattr(checked, REQUIRED_ROLE, needed)
        return checked

    return decorate


# The same check for plain Flask views (downloads and the like).
role_required = requires
