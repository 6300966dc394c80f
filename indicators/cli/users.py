"""`python -m indicators users add|list|set-role|disable|enable|set-password`: built-in accounts.

Passwords are read with a hidden prompt, or from standard input with --password-stdin for
scripts; never from the command line, where they would land in the shell history."""

import argparse
import getpass
import sys

from indicators.catalogue import CatalogueError
from indicators.settings import get_settings
from indicators.store.store import Store
from indicators.vocabulary.domain import Role
from indicators.vocabulary.formatting import format_date
from indicators.writes.accounts import AccountError, add_user, list_users, set_active, set_password
from indicators.writes.accounts import set_role as change_role
from indicators.writes.bootstrap import prepare_store

ROLE_CHOICES = [r.value for r in Role]


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    users = sub.add_parser("users", help="hantera inbyggda konton och deras roller")
    actions = users.add_subparsers(dest="users_command", required=True)
    add = actions.add_parser("add", help="skapa ett konto")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLE_CHOICES, default=Role.LASARE.value)
    add.add_argument("--name", default="", help="namnet som visas, t.ex. 'Anna Berg'")
    add.add_argument(
        "--password-stdin", action="store_true", help="läs lösenordet från standard in"
    )
    add.add_argument(
        "--sso-only",
        action="store_true",
        help="inget lösenord: kontot loggar bara in via inloggningsproxyn",
    )
    actions.add_parser("list", help="lista kontona")
    role = actions.add_parser("set-role", help="byt roll på ett konto")
    role.add_argument("username")
    role.add_argument("role", choices=ROLE_CHOICES)
    disable = actions.add_parser("disable", help="stäng av ett konto (det kan inte logga in)")
    disable.add_argument("username")
    enable = actions.add_parser("enable", help="återaktivera ett avstängt konto")
    enable.add_argument("username")
    password = actions.add_parser("set-password", help="sätt ett nytt lösenord")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")


def _actor() -> str:
    try:
        login = getpass.getuser()  # LOGNAME, USER, then the password database
    except (KeyError, OSError):
        login = "okänd"
    return f"kommandorad ({login})"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Lösenord: ")
    if getpass.getpass("Lösenord igen: ") != first:
        raise AccountError("Lösenorden var inte lika.")
    return first


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        prepare_store(settings.model_copy(update={"seed_demo": False}))
    except CatalogueError as error:
        print(error, file=sys.stderr)
        return 1
    store = Store.from_settings(settings)
    command = args.users_command
    try:
        if command == "list":
            _print_users(store)
        elif command == "add":
            password = None if args.sso_only else _read_password(args.password_stdin)
            user = add_user(
                store,
                args.username,
                password,
                Role(args.role),
                actor=_actor(),
                display_name=args.name,
            )
            print(f"Kontot {user.username} är skapat med rollen {user.role.value}.")
        elif command == "set-role":
            user = change_role(store, args.username, Role(args.role), actor=_actor())
            print(f"{user.username} har nu rollen {user.role.value}.")
        elif command in ("disable", "enable"):
            user = set_active(store, args.username, command == "enable", actor=_actor())
            state = "aktivt" if user.active else "avstängt"
            print(f"Kontot {user.username} är {state}.")
        elif command == "set-password":
            set_password(store, args.username, _read_password(args.password_stdin), actor=_actor())
            print(f"Nytt lösenord är satt för {args.username}.")
    except AccountError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def _print_users(store: Store) -> None:
    users = list_users(store)
    if not users:
        print("Inga konton finns. Skapa ett med: python -m indicators users add NAMN --role ...")
        return
    for u in users:
        state = "aktivt" if u.active else "avstängt"
        print(
            f"{u.username:<24} {u.role.value:<14} {state:<9} {format_date(u.created_at.date())}"
            f"  {u.display_name}"
        )
