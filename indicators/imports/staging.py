"""Uploaded files wait here between the preview and the analyst's confirmation.

The browser keeps only an opaque token, so a 25 MB file crosses the network once, and what is
saved is byte for byte what was previewed. File names from the client are never used as paths:
each file is stored under its position in the upload, and its name travels in a manifest.

A staged upload belongs to the account that previewed it (the manifest names it): only that
account may confirm or discard it, so nobody saves, under their own name, files someone else
previewed, nor throws another's preview away. Only files that may be saved are staged at all;
a refused upload is never written here."""

import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from indicators.imports.records import UploadedFile

STAGING_DIR = Path(tempfile.gettempdir()) / "indikator-uppladdningar"
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


def stage(files: list[UploadedFile], *, owner: str, root: Path = STAGING_DIR) -> str:
    """Keep the files for `owner` (the account's user name); returns the token."""
    _remove_expired(root)
    token = secrets.token_hex(_TOKEN_BYTES)
    folder = root / token
    folder.mkdir(parents=True, mode=0o700)
    for index, file in enumerate(files):
        (folder / f"{index}.bin").write_bytes(file.content)
    manifest = {"owner": owner, "names": [f.name for f in files]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return token


def load(token: str, *, owner: str, root: Path = STAGING_DIR) -> list[UploadedFile]:
    """The files staged under `token`, for their owner only (NotYours otherwise)."""
    folder = _folder(token, root)
    names = _manifest(folder, owner)["names"]
    try:
        return [
            UploadedFile(name=name, content=(folder / f"{i}.bin").read_bytes())
            for i, name in enumerate(names)
        ]
    except OSError as exc:
        raise StagingError(GONE) from exc


def discard(token: str, *, owner: str, root: Path = STAGING_DIR) -> None:
    """Remove the staged files, if they are `owner`'s (NotYours otherwise); gone is fine."""
    folder = _folder(token, root)
    try:
        _manifest(folder, owner)
    except NotYours:
        raise
    except StagingError:
        pass
    shutil.rmtree(folder, ignore_errors=True)


def _manifest(folder: Path, owner: str) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StagingError(GONE) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("names"), list):
        raise StagingError(GONE)  # staged before owners were kept: to be uploaded again
    stored = manifest.get("owner")
    if not owner or not isinstance(stored, str):
        raise NotYours(NOT_YOURS)
    if not secrets.compare_digest(stored.encode(), owner.encode()):
        raise NotYours(NOT_YOURS)
    return manifest


def _folder(token: str, root: Path) -> Path:
    # The token comes back from the browser: accept only what stage() could have made.
    if len(token) != 2 * _TOKEN_BYTES or any(c not in "0123456789abcdef" for c in token):
        raise StagingError("Ogiltig uppladdning. Ladda upp filerna igen.")
    return root / token


def _remove_expired(root: Path) -> None:
    if not root.exists():
        return
    cutoff = time.time() - MAX_AGE_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
