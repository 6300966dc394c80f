"""Uploaded files wait here between the preview and the analyst's confirmation.

The browser keeps only an opaque token, so a 25 MB file crosses the network once, and what is
saved is byte for byte what was previewed. File names from the client are never used as paths:
each file is stored under its position in the upload, and its name travels in a manifest."""

import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from indicators.imports.records import UploadedFile

STAGING_DIR = Path(tempfile.gettempdir()) / "indikator-uppladdningar"
MAX_AGE_SECONDS = 6 * 3600
_TOKEN_BYTES = 16


class StagingError(Exception):
    """The staged upload is gone (expired, already saved, or never existed)."""


def stage(files: list[UploadedFile], root: Path = STAGING_DIR) -> str:
    _remove_expired(root)
    token = secrets.token_hex(_TOKEN_BYTES)
    folder = root / token
    folder.mkdir(parents=True, mode=0o700)
    for index, file in enumerate(files):
        (folder / f"{index}.bin").write_bytes(file.content)
    (folder / "manifest.json").write_text(
        json.dumps([f.name for f in files], ensure_ascii=False), encoding="utf-8"
    )
    return token


def load(token: str, root: Path = STAGING_DIR) -> list[UploadedFile]:
    folder = _folder(token, root)
    try:
        names = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return [
            UploadedFile(name=name, content=(folder / f"{i}.bin").read_bytes())
            for i, name in enumerate(names)
        ]
    except (OSError, ValueError) as exc:
        raise StagingError(
            "Filerna från förhandsgranskningen finns inte längre. Ladda upp dem igen."
        ) from exc


def discard(token: str, root: Path = STAGING_DIR) -> None:
    shutil.rmtree(_folder(token, root), ignore_errors=True)


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
