"""The import as the upload page and the CLI use it: preview (a dry run) and save, both over a
list of files, and undo of a saved batch.

Decisions, so callers can rely on them:
- Every file is parsed, validated and compared with the store first. If ANY file in the call
  has an error, NOTHING is saved: the erroneous files are "rejected", the others "held" (they
  could be saved, but the analyst fixes the rejected file and uploads the set again, so a set
  of files that belong together never lands half).
- A file that yields no values at all is an error (a wrong format chosen, an empty export): it
  is never "saved" with nothing in it.
- Files of one call that give different values for the same key (indicator, area, period,
  gender) are all rejected, each naming the others' rows; the same value twice is saved once,
  with a warning.
- Otherwise each file is saved in its own transaction as its own batch, in the order given,
  in a write session (indicators.store.engine.write_session: the store's writers one at a
  time), compared with what is stored at that moment. A file whose every value is already
  stored unchanged adds no batch (UNCHANGED). A database failure in one file rolls that file
  back completely, marks it rejected with a problem, and holds the files after it; files
  before it stay saved. Another writer holding the store past its busy timeout is such a
  failure, with its own Swedish message (StoreBusy).
- preview() writes nothing at all, not even confirmed Kolada indicators.
- Each file's result lists what it changes, old → new, with plausibility warnings beside the
  values (indicators.imports.changes). A change to a published value beyond the indicator's
  limit must be confirmed: save() takes `confirmed`, either CONFIRM_ALL or the preview's
  ImportResult.confirmation. Without it (or when the changes found at the save are not the
  ones confirmed) every file with such changes is rejected and nothing is saved; the check is
  made again under the write lock, so changes that appear between preview and save are never
  written unconfirmed. (When nothing was written in between, the store still at the data
  version the review read, the first file's review is that check: save.Reviewed.)
- Statuses are English keys with Swedish labels (FileStatus.label)."""

import hashlib
import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from indicators.imports.changes import (
    CONFIRM_ALL,
    Review,
    UnconfirmedChanges,
    ValueChange,
    confirmation_of,
)
from indicators.imports.formats import FORMATS, parse_upload
from indicators.imports.formats.mall import EXAMPLE_NOTE
from indicators.imports.records import ParsedFile, Problem, Severity, UploadedFile
from indicators.imports.save import (
    Reviewed,
    UndoResult,
    load_catalogue_view,
    review_at_version,
    undo,
    write_file,
)
from indicators.imports.validate import (
    CatalogueView,
    ValidatedFile,
    check_across_files,
    validate,
)
from indicators.imports.values import AreaResolver
from indicators.settings import get_settings
from indicators.store.engine import StoreBusy, session_scope, write_session
from indicators.store.store import Store

log = logging.getLogger(__name__)

__all__ = [
    "CONFIRM_ALL",
    "FileResult",
    "FileStatus",
    "ImportResult",
    "UndoResult",
    "ValueChange",
    "preview",
    "preview_parsed",
    "save",
    "save_parsed",
    "undo_batch",
]


class FileStatus(StrEnum):
    SAVED = "saved"
    UNCHANGED = "unchanged"  # saved in the sense that nothing was to be written: no batch
    READY = "ready"  # no errors; would be saved (preview)
    HELD = "held"  # no errors, but not saved because another file in the call has errors
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {
            FileStatus.SAVED: "sparad",
            FileStatus.UNCHANGED: "inga ändringar – ingen import sparades",
            FileStatus.READY: "kan sparas",
            FileStatus.HELD: "inte sparad – en annan fil har fel",
            FileStatus.REJECTED: "avvisad",
        }[self]


@dataclass
class FileResult:
    name: str  # the client's file name, text only
    sha256: str
    format: str  # FORMATS key, "" when no format could be recognised
    format_label: str
    status: FileStatus
    rows_read: int = 0  # values read: new + changed + unchanged + rejected
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    unknown_kolada_ids: list[str] = field(default_factory=list)  # addable with the flag
    added_indicators: list[str] = field(default_factory=list)  # created from Kolada on save
    batch_id: int | None = None
    # Changed values (and new ones with a warning), old → new; at most changes.MAX_LISTED.
    changes: list[ValueChange] = field(default_factory=list)
    changes_total: int = 0  # how many there were to list
    confirmable: tuple[str, ...] = ()  # changes to published values that must be confirmed
    unconfirmed: bool = False  # rejected only because those changes were not confirmed

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "sha256": self.sha256,
            "format": self.format,
            "format_label": self.format_label,
            "status": self.status.value,
            "status_label": self.status.label,
            "rows_read": self.rows_read,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": self.errors,
            "warnings": self.warnings,
            "unknown_kolada_ids": list(self.unknown_kolada_ids),
            "added_indicators": list(self.added_indicators),
            "batch_id": self.batch_id,
            "needs_confirmation": len(self.confirmable),
            "changes_total": self.changes_total,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass
class ImportResult:
    # SAVED (at least one batch), UNCHANGED (every file already stored as it is), READY (dry
    # run, nothing wrong) or REJECTED.
    status: FileStatus
    dry_run: bool
    files: list[FileResult]

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def ok(self) -> bool:
        return self.status is not FileStatus.REJECTED

    @property
    def confirmation(self) -> str | None:
        """What save(confirmed=…) must be given to write these files' changes to published
        values; None when there is none to confirm."""
        return confirmation_of([f.confirmable for f in self.files])

    @property
    def needs_confirmation(self) -> int:
        return sum(len(f.confirmable) for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "status_label": self.status.label,
            "dry_run": self.dry_run,
            "needs_confirmation": self.needs_confirmation,
            "confirmation": self.confirmation,
            "files": [f.to_json() for f in self.files],
            "problems": [problem_json(p) for p in self.problems],
        }


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "sheet": problem.sheet,
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "message": problem.message,
        "severity": problem.severity.value,
    }


def format_label(key: str) -> str:
    return FORMATS.get(key, key)


def _parse_all(
    store: Store,
    files: list[UploadedFile],
    *,
    format: str | None,
    indicator_id: str | None,
    max_bytes: int | None = None,
) -> list[tuple[UploadedFile, ParsedFile]]:
    limit = max_bytes or get_settings().max_upload_mb * 1024 * 1024
    areas = AreaResolver.from_store(store)
    return [
        (
            f,
            parse_upload(f, areas=areas, format=format, max_bytes=limit, indicator_id=indicator_id),
        )
        for f in files
    ]


def preview(
    store: Store,
    files: list[UploadedFile],
    *,
    format: str | None = None,
    indicator_id: str | None = None,
    add_kolada_indicators: bool = False,
) -> ImportResult:
    """Parse, validate and compare with the store; nothing is written."""
    parsed = _parse_all(store, files, format=format, indicator_id=indicator_id)
    return preview_parsed(store, parsed, add_kolada_indicators=add_kolada_indicators)


def save(
    store: Store,
    files: list[UploadedFile],
    *,
    user: str,
    format: str | None = None,
    indicator_id: str | None = None,
    add_kolada_indicators: bool = False,
    confirmed: str | None = None,
) -> ImportResult:
    """preview(), then, when no file has an error and every change to a published value is
    confirmed (`confirmed`: CONFIRM_ALL or the preview's ImportResult.confirmation), each file
    saved in its own transaction."""
    parsed = _parse_all(store, files, format=format, indicator_id=indicator_id)
    return save_parsed(
        store,
        parsed,
        user=user,
        add_kolada_indicators=add_kolada_indicators,
        confirmed=confirmed,
    )


def preview_parsed(
    store: Store,
    files: list[tuple[UploadedFile, ParsedFile]],
    *,
    add_kolada_indicators: bool = False,
) -> ImportResult:
    """The second half of preview(), for files already parsed (preview() parses, then calls this;
    tests and benchmarks hand in ParsedFile directly): validate each file against the catalogue,
    refuse a file with no value to save, check the files against each other and count new,
    changed and unchanged values. Nothing is written. The upload page does not call it: it
    previews and saves the staged bytes, which are parsed again at the save."""
    return _run(store, files, user=None, add_kolada_indicators=add_kolada_indicators)


def save_parsed(
    store: Store,
    files: list[tuple[UploadedFile, ParsedFile]],
    *,
    user: str,
    add_kolada_indicators: bool = False,
    confirmed: str | None = None,
) -> ImportResult:
    return _run(
        store,
        files,
        user=user,
        add_kolada_indicators=add_kolada_indicators,
        confirmed=confirmed,
    )


def undo_batch(store: Store, batch_id: int, *, user: str) -> UndoResult:
    """Undo one saved batch in one transaction, or refuse (UndoResult.undone False, message in
    Swedish) without changing anything."""
    try:
        with write_session(store.url) as session:
            return undo(session, batch_id, user=user)
    except StoreBusy as busy:
        return UndoResult(batch_id, False, str(busy))


def _run(
    store: Store,
    files: list[tuple[UploadedFile, ParsedFile]],
    *,
    user: str | None,
    add_kolada_indicators: bool,
    confirmed: str | None = None,
) -> ImportResult:
    dry_run = user is None
    checked: list[tuple[FileResult, ValidatedFile]] = []
    reviews: list[Reviewed | None] = []
    with session_scope(store.url) as session:
        view: CatalogueView = load_catalogue_view(session)
        validated_files = [
            validate(parsed, view, add_kolada_indicators=add_kolada_indicators)
            for _upload, parsed in files
        ]
        _refuse_empty(validated_files)
        check_across_files(validated_files)
        for (upload, parsed), validated in zip(files, validated_files, strict=True):
            result = FileResult(
                name=upload.name,
                sha256=hashlib.sha256(upload.content).hexdigest(),
                format=parsed.format,
                format_label=format_label(parsed.format),
                status=FileStatus.REJECTED if validated.has_errors else FileStatus.READY,
                rows_read=validated.values_read,
                rejected=validated.rejected,
                problems=validated.problems,
                unknown_kolada_ids=validated.unknown_kolada_ids,
            )
            checked.append((result, validated))
        results = [r for r, _ in checked]
        rejected = not results or any(r.status is FileStatus.REJECTED for r in results)
        if dry_run or rejected or confirmed != CONFIRM_ALL:
            # Counts, changes and warnings for the analyst, and the changes to published values
            # that must be confirmed before anything is saved. A save compares again inside
            # each file's own transaction, under the store's write lock, where the comparison
            # is the one that is written (and the confirmation is checked once more) — unless
            # the store is still at the data version this review read (save.Reviewed).
            for result, validated in checked:
                found = _review(session, result, validated, view)
                # Kept for the first file only: each saved batch moves the data version, so a
                # later file's review would be read again anyway, and a million-row diff held
                # per file would only cost memory.
                if not reviews:
                    reviews.append(found)
        # Nothing here may be written, not even by accident.
        session.rollback()
    if not dry_run and not rejected:
        rejected = _refuse_unconfirmed(results, confirmed)
    if rejected:
        for r in results:
            if r.status is FileStatus.READY and not dry_run:
                r.status = FileStatus.HELD
        return ImportResult(FileStatus.REJECTED, dry_run, results)
    if dry_run:
        return ImportResult(FileStatus.READY, True, results)
    status = _save_each(
        store,
        checked,
        user=user or "",
        view=view,
        confirmed=confirmed,
        first_review=reviews[0] if reviews else None,
    )
    return ImportResult(status, False, results)


def _refuse_empty(files: list[ValidatedFile]) -> None:
    """A file that gives no value to save is refused: saved, it would only say "sparad" about
    nothing (a JSON read as the wrong format, an empty export, a header without rows). The one
    exception is the empty last page of a Kolada query among the query's other pages."""
    others_have_values = any(not f.records.empty for f in files)
    for validated in files:
        if not validated.records.empty or validated.has_errors:
            continue
        parsed = validated.parsed
        if parsed.declared_empty and others_have_values:
            continue
        how = f" när den läses som {format_label(parsed.format)}" if parsed.format else ""
        message = (
            f"Filen '{parsed.name}' innehåller bara mallens exempelrad, som aldrig läses in: "
            "fyll i era egna rader. Inget sparades och inget ändrades."
            if any(p.message == EXAMPLE_NOTE for p in parsed.problems)
            else f"Filen '{parsed.name}' innehåller inga värden att spara{how}. "
            "Kontrollera att det är rätt fil och rätt format; inget sparades."
        )
        validated.problems.insert(0, Problem(file=parsed.name, message=message))


def _review(
    session: Session, result: FileResult, validated: ValidatedFile, view: CatalogueView
) -> Reviewed | None:
    change, found, reviewed = review_at_version(session, validated, view)
    result.new, result.changed, result.unchanged = (
        len(change.new),
        len(change.changed),
        change.unchanged + validated.repeated,
    )
    _take_review(result, validated, found)
    return reviewed


def _take_review(result: FileResult, validated: ValidatedFile, found: Review) -> None:
    result.changes = found.changes
    result.changes_total = found.listable
    result.confirmable = found.confirmable
    result.problems = [*validated.problems, *found.problems]


def _refuse_unconfirmed(results: list[FileResult], confirmed: str | None) -> bool:
    """True (and each file with changes to published values rejected, naming why) when those
    changes are not confirmed as they stand now."""
    if confirmed == CONFIRM_ALL:
        return False
    expected = confirmation_of([r.confirmable for r in results])
    if expected is None or expected == confirmed:
        return False
    for result in results:
        if not result.confirmable:
            continue
        count = len(result.confirmable)
        message = (
            f"{count} ändring(ar) av publicerade värden måste bekräftas innan något sparas: "
            "granska dem i listan över ändringar och bekräfta (i kommandoraden: "
            "--bekrafta-andringar). Inget sparades."
            if confirmed is None
            else "Ändringarna av publicerade värden är inte längre de som bekräftades (lagret "
            "har ändrats sedan granskningen). Granska filerna igen; inget sparades."
        )
        result.status = FileStatus.REJECTED
        result.unconfirmed = not result.errors
        result.problems = [*result.problems, Problem(file=result.name, message=message)]
    return True


def _save_each(
    store: Store,
    checked: list[tuple[FileResult, ValidatedFile]],
    *,
    user: str,
    view: CatalogueView,
    confirmed: str | None,
    first_review: Reviewed | None = None,
) -> FileStatus:
    """`first_review`: the first file's review from before the lock, taken under it as it is
    while the store is still at the data version it read (save.write_file)."""
    failed = False
    for index, (result, validated) in enumerate(checked):
        if failed:
            result.status = FileStatus.HELD
            continue
        # Under the lock, each file's changes to published values must be the very ones the
        # check above found (and the analyst confirmed), or the file is not written.
        expected = (
            CONFIRM_ALL if confirmed == CONFIRM_ALL else confirmation_of([result.confirmable])
        )
        try:
            with write_session(store.url) as session:
                counts = write_file(
                    session,
                    validated,
                    sha256=result.sha256,
                    user=user,
                    view=view,
                    confirmed=expected,
                    reviewed=first_review if index == 0 else None,
                )
        except UnconfirmedChanges as changed:
            failed = True
            _take_review(result, validated, changed.review)
            result.status = FileStatus.REJECTED
            message = (
                "Lagret har ändrats sedan granskningen: filens ändringar av publicerade värden "
                "är inte längre de som bekräftades. Inget från filen sparades; granska igen."
            )
            result.problems = [*result.problems, Problem(file=result.name, message=message)]
            continue
        except SQLAlchemyError as error:
            if isinstance(error, StoreBusy):
                message = str(error)  # Swedish: another writer held the store too long
            else:
                log.exception("Import av %s misslyckades", result.name)
                message = (
                    "Filen kunde inte sparas på grund av ett fel i databasen; "
                    "inget från filen sparades."
                )
            failed = True
            result.status = FileStatus.REJECTED
            result.problems = [*result.problems, Problem(file=result.name, message=message)]
            continue
        result.status = FileStatus.SAVED if counts.batch_id is not None else FileStatus.UNCHANGED
        result.batch_id = counts.batch_id
        result.new, result.changed, result.unchanged = (
            counts.new,
            counts.changed,
            counts.unchanged,
        )
        result.added_indicators = counts.added_indicators
        _take_review(result, validated, counts.review)
    if failed:
        return FileStatus.REJECTED
    if all(r.status is FileStatus.UNCHANGED for r, _ in checked):
        return FileStatus.UNCHANGED
    return FileStatus.SAVED
