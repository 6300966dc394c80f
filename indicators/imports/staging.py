"""Uploaded files wait here between the preview and the analyst's confirmation.

The browser keeps only an opaque token, so a 25 MB file crosses the network once, and what is
saved is byte for byte what was previewed. The files wait in the database (store.staged), not
on the host that previewed them: behind a load balancer the confirmation may reach another host.
Their size is bounded by the upload limit, and they are removed when saved, discarded or past
MAX_AGE_SECONDS (on every stage, and by `prepare`).

A staged upload belongs to the account that previewed it: only that account may confirm or
discard it, so nobody saves, under their own name, files someone else previewed, nor throws
another's preview away. Only files that may be saved are staged at all; a refused upload is
never written here."""

import secrets
from datetime import timedelta

from indicators.imports.records import UploadedFile
from indicators.store import staged
from indicators.store.store import Store

MAX_AGE_SECONDS = 6 * 3600
_TOKEN_BYTES = 16


class StagingError(Exception):
    """The staged upload is gone (expired, already saved, or never existed)."""


class NotYours(StagingError):
    """The staged upload belongs to another account."""


GONE = "Filerna från förhandsgranskningen finns inte längre. Ladda upp dem igen."
NOT_YOURS = (
    "Förhandsgranskningen gjordes av en annan användare och kan bara bekräftas av den som "
    "laddade upp filerna. Ladda upp filerna själv för att spara dem."
)


def stage(files: list[UploadedFile], *, owner: str, store: Store | None = None) -> str:
    """Keep the files for `owner` (the account's user name); returns the token."""
    token = secrets.token_hex(_TOKEN_BYTES)
    expires_at = staged.now() + timedelta(seconds=MAX_AGE_SECONDS)
    staged.put_files(_url(store), token, owner, [(f.name, f.content) for f in files], expires_at)
    return token


def load(token: str, *, owner: str, store: Store | None = None) -> list[UploadedFile]:
    """The files staged under `token`, for their owner only (NotYours otherwise)."""
    url = _url(store)
    staged.remove_expired(url)
    _check_owner(url, token, owner)
    files = staged.files_of(url, token)
    if files is None:
        raise StagingError(GONE)
    return [UploadedFile(name=name, content=content) for name, content in files]


def discard(token: str, *, owner: str, store: Store | None = None) -> None:
    """Remove the staged files, if they are `owner`'s (NotYours otherwise); gone is fine."""
    url = _url(store)
    try:
        _check_owner(url, token, owner)
    except NotYours:
        raise
    except StagingError:
        return
    staged.remove(url, token)


def remove_expired(store: Store | None = None) -> int:
    """Drop every staged upload past its age; returns how many files went."""
    return staged.remove_expired(_url(store))


def _check_owner(url: str, token: str, owner: str) -> None:
    # The token comes back from the browser: accept only what stage() could have made.
    if len(token) != 2 * _TOKEN_BYTES or any(c not in "0123456789abcdef" for c in token):
        raise StagingError("Ogiltig uppladdning. Ladda upp filerna igen.")
    stored = staged.owner_of(url, token)
    if stored is None:
        raise StagingError(GONE)
    if not owner or not secrets.compare_digest(stored.encode(), owner.encode()):
        raise NotYours(NOT_YOURS)


def _url(store: Store | None) -> str:
    return (store or Store.from_settings()).url
