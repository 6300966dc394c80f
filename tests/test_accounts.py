"""Built-in accounts: created, listed, given roles and disabled, in the store and through
`python -m indicators users`; passwords only as hashes; every change in the audit log."""

import subprocess
import sys

import pytest
from sqlalchemy import select

from indicators.paths import PROJECT_ROOT
from indicators.reads.audit import audit_events
from indicators.reads.queries import Store
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.vocabulary.domain import AuditAction, Role
from indicators.writes.accounts import (
    AccountError,
    active_account_count,
    add_user,
    authenticate,
    list_users,
    set_active,
    set_password,
    set_role,
)

PASSWORD = "ett-tillräckligt-långt-lösen"


@pytest.fixture
def store(prepared_store_url: str) -> Store:
    return Store(prepared_store_url)


def test_an_account_signs_in_with_its_password_only(store: Store):
    add_user(store, "anna.berg", PASSWORD, Role.ANALYTIKER, actor="test", display_name="Anna Berg")
    signed = authenticate(store, "anna.berg", PASSWORD)
    assert signed is not None and signed.role is Role.ANALYTIKER and signed.name == "Anna Berg"
    assert authenticate(store, "anna.berg", PASSWORD + "x") is None
    assert authenticate(store, "ingen", PASSWORD) is None


def test_only_a_salted_hash_is_stored(store: Store):
    add_user(store, "a1", PASSWORD, Role.LASARE, actor="test")
    add_user(store, "a2", PASSWORD, Role.LASARE, actor="test")
    with session_scope(store.url) as s:
        hashes = list(s.scalars(select(m.AppUser.password_hash)))
    assert all(PASSWORD not in h for h in hashes)
    assert hashes[0] != hashes[1]


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("x", PASSWORD, "Användarnamnet 'x' går inte"),
        ("har mellanslag", PASSWORD, "går inte"),
        ("kort", "kort", "minst 12 tecken"),
    ],
)
def test_bad_accounts_are_refused_in_swedish(store: Store, username, password, message):
    with pytest.raises(AccountError, match=message):
        add_user(store, username, password, Role.LASARE, actor="test")
    assert list_users(store) == []


def test_a_name_is_taken_once(store: Store):
    add_user(store, "anna", PASSWORD, Role.LASARE, actor="test")
    with pytest.raises(AccountError, match="finns redan"):
        add_user(store, "anna", PASSWORD, Role.ADMINISTRATOR, actor="test")


def test_role_changes_and_disabling_are_logged_with_before_and_after(store: Store):
    add_user(store, "anna", PASSWORD, Role.LASARE, actor="Åsa")
    set_role(store, "anna", Role.ANALYTIKER, actor="Åsa")
    set_role(store, "anna", Role.ANALYTIKER, actor="Åsa")  # no change, no entry
    set_active(store, "anna", False, actor="Åsa")
    set_password(store, "anna", PASSWORD + "2", actor="Åsa")
    actions = [e.action for e in audit_events(store) if e.subject == "konto anna"]
    assert actions == [
        AuditAction.PASSWORD_CHANGED,
        AuditAction.USER_DISABLED,
        AuditAction.ROLE_CHANGED,
        AuditAction.USER_ADDED,
    ]
    role_change = audit_events(store, action=AuditAction.ROLE_CHANGED)[0]
    assert (role_change.before, role_change.after) == ({"roll": "läsare"}, {"roll": "analytiker"})
    assert all(PASSWORD not in str(e.after) for e in audit_events(store))
    assert authenticate(store, "anna", PASSWORD + "2") is None  # disabled
    assert active_account_count(store) == 0


def test_an_unmigrated_store_has_no_accounts(store_url: str):
    assert active_account_count(Store(store_url)) == 0


def _users(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indicators", "users", *args],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_users_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'lager.sqlite'}"
    added = _users(
        url,
        "add",
        "anna",
        "--role",
        "analytiker",
        "--name",
        "Anna Berg",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert "Kontot anna är skapat med rollen analytiker." in added.stdout
    assert _users(url, "set-role", "anna", "administratör").returncode == 0
    assert _users(url, "disable", "anna").returncode == 0
    listed = _users(url, "list")
    assert "anna" in listed.stdout and "administratör" in listed.stdout
    assert "avstängt" in listed.stdout
    refused = _users(url, "add", "bo", "--password-stdin", stdin="kort\n")
    assert refused.returncode == 1
    assert "minst 12 tecken" in refused.stderr
    unknown = _users(url, "set-role", "ingen", "läsare")
    assert unknown.returncode == 1 and "finns inte" in unknown.stderr
