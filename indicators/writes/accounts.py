"""Built-in accounts: who may sign in, and with which role. Passwords are kept only as salted
hashes (werkzeug's scrypt), and every change to an account is written to the audit log.

Signing in is braked in the database: after too many failures for one name, or from one
address, within a window, no password is checked until the window has moved on. Every worker
and every host reads the same failures. Sign-ins and failures are in the audit log."""

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import QueryableAttribute, Session
from werkzeug.security import check_password_hash, generate_password_hash

from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import AuditAction, Role
from indicators.writes import audit

MIN_PASSWORD = 12
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,120}$")
# Checked when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("ingen-sådan-användare")

BRAKE_WINDOW = timedelta(minutes=15)
# Per name: a password guesser gets ten tries a quarter. Per address: higher, since a whole
# office may sign in through one address, but it stops one machine trying many names.
MAX_FAILURES_PER_ACCOUNT = 10
MAX_FAILURES_PER_ADDRESS = 40


class AccountError(ValueError):
    """A change to an account that cannot be made; the message is Swedish and says why."""


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    active: bool
    created_at: datetime
    session_generation: int = 0

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
        session_generation=row.session_generation or 0,
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
            if not active:
                _end_sessions(row)
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
        _end_sessions(row)
        # The hashes themselves never go into the log.
        audit.record(s, actor, AuditAction.PASSWORD_CHANGED, f"konto {username}")


def _end_sessions(row: m.AppUser) -> None:
    row.session_generation = (row.session_generation or 0) + 1


def end_sessions(store: Store, username: str) -> None:
    """Signs the account out everywhere: every sign-in cookie made so far stops working."""
    with session_scope(store.url) as s:
        s.execute(
            update(m.AppUser)
            .where(m.AppUser.username == username)
            .values(session_generation=m.AppUser.session_generation + 1)
        )


def authenticate(store: Store, username: str, password: str) -> UserInfo | None:
    """The account when the name and password match an active account; otherwise None."""
    with session_scope(store.url) as s:
        row = s.scalars(select(m.AppUser).where(m.AppUser.username == username)).one_or_none()
        stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
        matches = check_password_hash(stored, password)
        if row is None or not row.active or not row.password_hash or not matches:
            return None
        return _info(row)


@dataclass(frozen=True)
class Braked:
    """Too many failed sign-ins; the next try is heard in `minutes` minutes at the latest."""

    minutes: int


def _wait(
    s: Session, column: QueryableAttribute[str], value: str, limit: int, now: datetime
) -> timedelta:
    """How long until fewer than `limit` failures for `value` lie within the window; 0 if so
    already. The limit-th newest failure is the one that must age out."""
    since = now - BRAKE_WINDOW
    row = m.SignInFailure
    blocking = s.scalar(
        select(row.occurred_at)
        .where(column == value, row.occurred_at > since)
        .order_by(row.occurred_at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    if blocking is None:
        return timedelta(0)
    if blocking.tzinfo is None:  # SQLite hands back naive UTC
        blocking = blocking.replace(tzinfo=UTC)
    return blocking + BRAKE_WINDOW - now


def brake(store: Store, username: str, address: str) -> Braked | None:
    """Braked when the name or the address has failed too often lately; the same for names
    that exist and names that do not, so the answer tells nothing about the accounts."""
    now = datetime.now(UTC)
    with session_scope(store.url) as s:
        wait = max(
            _wait(s, m.SignInFailure.username, username, MAX_FAILURES_PER_ACCOUNT, now),
            _wait(s, m.SignInFailure.address, address, MAX_FAILURES_PER_ADDRESS, now),
        )
    if wait <= timedelta(0):
        return None
    return Braked(max(1, math.ceil(wait.total_seconds() / 60)))


def sign_in(store: Store, username: str, password: str, address: str) -> UserInfo | Braked | None:
    """The account when name and password match an active account and no brake is on; Braked
    (without looking at the password) when one is; otherwise None. Written to the audit log,
    and a failure also to the brake."""
    username = username[:120]
    address = (address or "okänd")[:64]
    braked = brake(store, username, address)
    if braked is not None:
        return braked
    account = authenticate(store, username, password)
    now = datetime.now(UTC)
    # Only writes in this transaction: on SQLite it takes the write lock at once and waits its
    # turn, instead of failing to upgrade a read snapshot another worker has moved past.
    with session_scope(store.url) as s:
        failures = m.SignInFailure
        if account is None:
            s.execute(delete(failures).where(failures.occurred_at <= now - BRAKE_WINDOW))
            s.add(failures(occurred_at=now, username=username, address=address))
            audit.record(
                s,
                "okänd",
                AuditAction.SIGN_IN_FAILED,
                f"konto {username}",
                after={"adress": address},
                changes_data=False,
            )
        else:
            s.execute(delete(failures).where(failures.username == username))
            audit.record(
                s,
                account.name,
                AuditAction.SIGNED_IN,
                f"konto {username}",
                after={"adress": address},
                changes_data=False,
            )
    return account
