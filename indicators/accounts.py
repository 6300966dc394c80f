"""Built-in accounts: who may sign in, and with which role. Passwords are kept only as salted
hashes (werkzeug's scrypt), and every change to an account is written to the audit log."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from indicators import audit
from indicators.domain import AuditAction, Role
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store

MIN_PASSWORD = 12
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,120}$")
# Checked when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("ingen-sådan-användare")


class AccountError(ValueError):
    """A change to an account that cannot be made; the message is Swedish and says why."""


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    active: bool
    created_at: datetime

    @property
    def name(self) -> str:
        return self.display_name or self.username


def _info(row: m.AppUser) -> UserInfo:
    return UserInfo(
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        active=row.active,
        created_at=row.created_at,
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Lösenordet måste ha minst {MIN_PASSWORD} tecken.")


def _get(s: Session, username: str) -> m.AppUser:
    row = s.scalars(select(m.AppUser).where(m.AppUser.username == username)).one_or_none()
    if row is None:
        raise AccountError(f"Kontot '{username}' finns inte.")
    return row


def add_user(
    store: Store,
    username: str,
    password: str | None,
    role: Role,
    *,
    actor: str,
    display_name: str = "",
) -> UserInfo:
    """A password of None makes an account that signs in only through the single-sign-on proxy."""
    if not USERNAME.match(username):
        raise AccountError(
            f"Användarnamnet '{username}' går inte: 2–120 tecken av bokstäver a–z, siffror "
            "och . _ @ -."
        )
    if password is not None:
        _check_password(password)
    with session_scope(store.url) as s:
        if s.scalars(select(m.AppUser.id).where(m.AppUser.username == username)).first():
            raise AccountError(f"Kontot '{username}' finns redan.")
        row = m.AppUser(
            username=username,
            display_name=display_name.strip()[:200],
            password_hash=generate_password_hash(password) if password is not None else None,
            role=role,
            active=True,
            created_at=datetime.now(UTC),
        )
        s.add(row)
        audit.record(
            s,
            actor,
            AuditAction.USER_ADDED,
            f"konto {username}",
            after={"roll": role.value, "namn": row.display_name},
        )
        s.flush()
        return _info(row)


def list_users(store: Store) -> list[UserInfo]:
    with session_scope(store.url) as s:
        return [_info(r) for r in s.scalars(select(m.AppUser).order_by(m.AppUser.username))]


def find_user(store: Store, username: str) -> UserInfo | None:
    with session_scope(store.url) as s:
        row = s.scalars(select(m.AppUser).where(m.AppUser.username == username)).one_or_none()
        return _info(row) if row is not None else None


def active_account_count(store: Store) -> int:
    """0 also when the store has not been migrated yet: there are no accounts to sign in with."""
    try:
        with session_scope(store.url) as s:
            return s.scalar(select(func.count()).where(m.AppUser.active.is_(True))) or 0
    except (OperationalError, ProgrammingError):
        return 0


def set_role(store: Store, username: str, role: Role, *, actor: str) -> UserInfo:
    with session_scope(store.url) as s:
        row = _get(s, username)
        before = Role(row.role)
        if before != role:
            row.role = role
            audit.record(
                s,
                actor,
                AuditAction.ROLE_CHANGED,
                f"konto {username}",
                before={"roll": before.value},
                after={"roll": role.value},
            )
        return _info(row)


def set_active(store: Store, username: str, active: bool, *, actor: str) -> UserInfo:
    with session_scope(store.url) as s:
        row = _get(s, username)
        if row.active != active:
            row.active = active
            audit.record(
                s,
                actor,
                AuditAction.USER_ENABLED if active else AuditAction.USER_DISABLED,
                f"konto {username}",
                before={"aktivt": not active},
                after={"aktivt": active},
            )
        return _info(row)


def set_password(store: Store, username: str, password: str, *, actor: str) -> None:
    _check_password(password)
    with session_scope(store.url) as s:
        row = _get(s, username)
        row.password_hash = generate_password_hash(password)
        # The hashes themselves never go into the log.
        audit.record(s, actor, AuditAction.PASSWORD_CHANGED, f"konto {username}")


def authenticate(store: Store, username: str, password: str) -> UserInfo | None:
    """The account when the name and password match an active account; otherwise None."""
    with session_scope(store.url) as s:
        row = s.scalars(select(m.AppUser).where(m.AppUser.username == username)).one_or_none()
        stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
        matches = check_password_hash(stored, password)
        if row is None or not row.active or not row.password_hash or not matches:
            return None
        return _info(row)
