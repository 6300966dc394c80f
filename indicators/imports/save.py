"""Saving validated records, and undoing a saved batch. Bulk paths throughout: one query loads
what the store holds for the file's indicators and areas, the diff is computed in pandas, and
rows are written in bulk straight through the driver — COPY on PostgreSQL, executemany
elsewhere — never ORM objects per row, so a million-value file stays a matter of seconds.

Every write of a key leaves an ObservationRevision with the key's state just before the write
(previous_status NULL: the key did not exist). Unchanged values are not written at all. The
revisions are the whole history of a value and what `undo` restores."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import overload

import numpy as np
import pandas as pd
from sqlalchemy import (
    and_,
    func,
    insert,
    select,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Session, aliased

from indicators.catalogue import CatalogueError, load_catalogue
from indicators.imports.changes import CONFIRM_ALL, Review, UnconfirmedChanges, review
from indicators.imports.validate import (
    KEY,
    CatalogueView,
    IndicatorRules,
    NewKoladaIndicator,
    ValidatedFile,
    same_values,
)

# Imported for its refresher: the hidden cells are rewritten in the transaction of every write.
from indicators.reads import derived  # noqa: F401
from indicators.settings import get_settings
from indicators.store import bulk
from indicators.store import models as m
from indicators.store.dml import inserted_id
from indicators.store.version import current_version
from indicators.vocabulary.domain import (
    OBSERVATION_NUMBERS,
    OBSERVATION_TEXT_KEY,
    OBSERVATION_VALUES,
    AuditAction,
    Direction,
    PeriodType,
    ValueKind,
)
from indicators.vocabulary.formatting import format_moment
from indicators.writes import audit

PARTITION = 200_000
NUMBERS = list(OBSERVATION_NUMBERS)


# Reads name the plain tables (stored text, no per-value processing); writes the mapped ones.
_OBS = bulk.plain_table(bulk.OBSERVATIONS)
_REV = bulk.plain_table(bulk.REVISIONS)
_BATCH = m.ImportBatch.__table__


def source_name(name: str) -> str:
    """The client's file name as plain text for the batch: the last path segment (browsers may
    send "C:\\fakepath\\…"), no control characters, at most 300 characters."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in last if ch.isprintable()).strip()
    return (text or "namnlös fil")[:300]


def now_utc() -> datetime:
    return datetime.now(UTC)


@overload
def as_utc(moment: datetime) -> datetime: ...
@overload
def as_utc(moment: None) -> None: ...
def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_catalogue_view(session: Session) -> CatalogueView:
    codes: dict[str, set[int]] = {}
    for indicator_id, code in session.execute(
        select(m.IndicatorCode.indicator_id, m.IndicatorCode.code)
    ):
        codes.setdefault(indicator_id, set()).add(code)
    indicators = {
        row.id: IndicatorRules(
            id=row.id,
            title=row.title,
            value_kind=ValueKind(row.value_kind),
            unit=row.unit,
            period_type=PeriodType(row.period_type),
            by_gender=bool(row.by_gender),
            codes=frozenset(codes.get(row.id, ())),
        )
        for row in session.execute(
            select(
                m.Indicator.id,
                m.Indicator.title,
                m.Indicator.value_kind,
                m.Indicator.unit,
                m.Indicator.period_type,
                m.Indicator.by_gender,
            )
        )
    }
    names = {code: name for code, name in session.execute(select(m.Area.code, m.Area.name))}
    return CatalogueView(
        indicators=indicators,
        area_codes=frozenset(names),
        suppression_threshold=get_settings().suppression_threshold,
        area_names=names,
        revision_limits=_revision_limits(),
    )


def _revision_limits() -> dict[str, float]:
    """katalog.toml's revision_limit per indicator. The file, not the store: it is the same on
    every host, and the store could not have been prepared from a catalogue that does not load."""
    try:
        catalogue = load_catalogue()
    except CatalogueError:
        return {}
    return {i.id: i.revision_limit for i in catalogue.indicators if i.revision_limit is not None}


def frame_of(rows: Sequence[Sequence[object]], columns: list[str]) -> pd.DataFrame:
    """Rows from a query as a frame, built column by column: handing pandas the Row objects
    themselves makes it probe every row for attributes, which costs seconds per 100 000."""
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return pd.DataFrame(
        {c: pd.Series(list(v), dtype=object) for c, v in zip(columns, values, strict=True)}
    )


def existing_observations(session: Session, records: pd.DataFrame) -> pd.DataFrame:
    """What the store holds for the records' indicators and areas, in one query."""
    columns = ["id", *KEY, *OBSERVATION_VALUES, "batch_id"]
    if records.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    ids = sorted(records["indicator_id"].astype(str).unique().tolist())
    areas = sorted(records["area_code"].astype(str).unique().tolist())
    # _OBS holds the enum and date columns as plain text: the diff compares text.
    query = select(
        _OBS.c.id,
        _OBS.c.indicator_id,
        _OBS.c.area_code,
        _OBS.c.period_type,
        _OBS.c.period_start,
        _OBS.c.gender,
        _OBS.c.value,
        _OBS.c.numerator,
        _OBS.c.denominator,
        _OBS.c.status,
        _OBS.c.status_reason,
        _OBS.c.batch_id,
    ).where(_OBS.c.indicator_id.in_(ids), _OBS.c.area_code.in_(areas))
    # In partitions, each turned into compact columns at once, so a store of millions of
    # values never sits in memory as Python row objects.
    result = session.execute(query.execution_options(yield_per=PARTITION))
    types: dict[str, type[float | str]] = {
        "value": float,
        "numerator": float,
        "denominator": float,
        "id": float,
    }
    types |= {c: str for c in (*OBSERVATION_TEXT_KEY, "status")}
    frames = [frame_of(part, columns).astype(types) for part in result.partitions()]
    if not frames:
        return frame_of([], columns).astype(types)
    return pd.concat(frames, ignore_index=True)


@dataclass
class Diff:
    # Both carry each record's `position` in the records handed in.
    new: pd.DataFrame  # records whose key the store does not hold
    changed: pd.DataFrame  # records with the stored row's id and previous state (*_old)
    unchanged: int


def diff(records: pd.DataFrame, existing: pd.DataFrame) -> Diff:
    # Only what is compared and written: provenance columns would be copied for nothing.
    left = _normalised(records[[*KEY, *OBSERVATION_VALUES]]).assign(
        position=np.arange(len(records))
    )
    right = _normalised(existing).rename(
        columns={c: f"{c}_old" for c in existing.columns if c not in KEY}
    )
    merged = left.merge(right, on=KEY, how="left")
    is_new = merged["id_old"].isna().to_numpy()
    old = merged[~is_new]
    previous = old[[f"{c}_old" for c in OBSERVATION_VALUES]]
    previous.columns = list(OBSERVATION_VALUES)
    same = same_values(old, previous)
    return Diff(
        new=merged[is_new].reset_index(drop=True),
        changed=old[~same].reset_index(drop=True),
        unchanged=int(same.sum()),
    )


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in (*OBSERVATION_TEXT_KEY, "status"):
        if name in out:
            out[name] = out[name].astype(str)
    if "status_reason" in out:
        out["status_reason"] = out["status_reason"].fillna("").astype(str)
    # One representation of a date on both sides, so the merge matches.
    out["period_start"] = pd.to_datetime(out["period_start"]).dt.date
    return out.astype({c: float for c in NUMBERS})


_RECORD_VALUES = list(OBSERVATION_VALUES)


@dataclass(frozen=True)
class WriteCounts:
    batch_id: int | None  # None: the file changed nothing, so no batch was written
    new: int
    changed: int
    unchanged: int
    added_indicators: list[str]
    review: Review = field(default_factory=Review)


def add_kolada_indicators(session: Session, indicators: list[NewKoladaIndicator]) -> list[str]:
    """Create the confirmed Kolada indicators the store does not hold yet; returns their ids."""
    wanted = [i for i in indicators if session.get(m.Indicator, i.id) is None]
    if not wanted:
        return []
    session.execute(insert(m.Indicator.__table__), [i.row() for i in wanted])
    codes = [
        {"indicator_id": i.id, "code": code, "label": label}
        for i in wanted
        for code, label in i.codes
    ]
    if codes:
        session.execute(insert(m.IndicatorCode.__table__), codes)
    return [i.id for i in wanted]


def review_file(
    session: Session, validated: ValidatedFile, view: CatalogueView
) -> tuple[Diff, Review]:
    """The file compared with what the store holds now: the diff that would be written and
    the review of it (changes old → new, plausibility warnings, changes to confirm)."""
    existing = existing_observations(session, validated.records)
    change = diff(validated.records, existing)
    return change, review(validated, change.new, change.changed, existing, view)


@dataclass(frozen=True)
class Reviewed:
    """A file's diff and review as read at data version `version`. Every write to the data moves
    the version in its own transaction (writes.audit.record), so while the store is still at
    that version they are what review_file would find again: write_file then takes them as
    they are instead of reading and judging the whole store a second time."""

    version: int
    diff: Diff
    review: Review


def review_at_version(
    session: Session, validated: ValidatedFile, view: CatalogueView
) -> tuple[Diff, Review, Reviewed | None]:
    """review_file, with the data version it saw when nothing was written while it read: the
    version is read before and after (outside a write session each statement may see a newer
    store), and only when both agree is the diff known to be that version's. None otherwise."""
    before = current_version(session)
    change, found = review_file(session, validated, view)
    same = current_version(session) == before
    return change, found, Reviewed(before, change, found) if same else None


def write_file(
    session: Session,
    validated: ValidatedFile,
    *,
    sha256: str,
    user: str,
    when: datetime | None = None,
    view: CatalogueView | None = None,
    confirmed: str | None = CONFIRM_ALL,
    reviewed: Reviewed | None = None,
) -> WriteCounts:
    """One file as one batch, inside the caller's transaction: the caller commits or rolls back
    the whole of it. The session must be a write session (`store.engine.write_session`): it
    holds the store's write lock from its first statement, so the comparison below is made with
    what is stored now, and no other import or undo writes between it and this batch's writes.

    `confirmed` is what the analyst confirmed of the changes to published values: CONFIRM_ALL,
    or the digest of exactly the changes found now (Review.confirmation; None: there must be
    none). Anything else raises UnconfirmedChanges before a row is written.

    A file whose every value is already stored as it is writes nothing: no batch, no audit
    entry (batch_id None), so the history lists only imports that changed something.

    `reviewed`: this file's review made before the lock was taken (review_at_version), with the
    same `view`. It is used only when the store is still at its data version, read here under
    the lock; otherwise the file is compared again with what is stored now."""
    if reviewed is not None and current_version(session) == reviewed.version:
        change, checked = reviewed.diff, reviewed.review
    else:
        change, checked = review_file(session, validated, view or load_catalogue_view(session))
    if confirmed != CONFIRM_ALL and checked.confirmation != confirmed:
        raise UnconfirmedChanges(checked)
    if change.new.empty and change.changed.empty:
        return WriteCounts(None, 0, 0, change.unchanged + validated.repeated, [], checked)
    added = add_kolada_indicators(session, validated.new_indicators)
    batch_id = inserted_id(
        session.execute(
            insert(_BATCH).values(
                source_name=source_name(validated.parsed.name),
                sha256=sha256,
                format=validated.parsed.format[:40],
                imported_by=user[:120],
                imported_at=when or now_utc(),
                is_demo=False,
                rows_read=validated.values_read,
                rows_new=len(change.new),
                rows_changed=len(change.changed),
                rows_unchanged=change.unchanged + validated.repeated,
                rows_rejected=validated.rejected,
            )
        )
    )
    obs_columns = [*KEY, *_RECORD_VALUES, "batch_id"]
    bulk.write_rows(
        session, bulk.insert(bulk.OBSERVATIONS, obs_columns), change.new.assign(batch_id=batch_id)
    )
    # Revisions before the changed values are overwritten: first the new keys', then the
    # changed keys' (the order their ids have always had).
    _write_revisions(session, change, batch_id)
    bulk.write_rows(
        session,
        bulk.update(bulk.OBSERVATIONS, [*_RECORD_VALUES, "batch_id"], ["id"]),
        change.changed.assign(batch_id=batch_id),
        [*_RECORD_VALUES, "batch_id", "id_old"],
    )
    counts = WriteCounts(
        batch_id,
        len(change.new),
        len(change.changed),
        change.unchanged + validated.repeated,
        added,
        checked,
    )
    _record_import(session, validated, counts, sha256=sha256, user=user)
    return counts


def _record_import(
    session: Session, validated: ValidatedFile, counts: WriteCounts, *, sha256: str, user: str
) -> None:
    """The batch and the Kolada indicators it created, in the audit log, in the batch's own
    transaction. A file that changed nothing is logged too: the import happened."""
    for indicator in validated.new_indicators:
        if indicator.id in counts.added_indicators:
            audit.record(
                session,
                user,
                AuditAction.INDICATOR_ADDED,
                f"indikator {indicator.id}: {indicator.title}",
                after={
                    "id": indicator.id,
                    "titel": indicator.title,
                    "typ": ValueKind(indicator.value_kind).label,
                    "riktning": Direction(indicator.direction).label,
                    "källa": f"Kolada, via import {counts.batch_id}",
                },
            )
    name = source_name(validated.parsed.name)
    records = validated.records
    touched = sorted(records["indicator_id"].astype(str).unique().tolist()) if len(records) else []
    audit.record(
        session,
        user,
        AuditAction.IMPORT,
        f"import {counts.batch_id}: {name}",
        after={
            "import": counts.batch_id,
            "fil": name,
            "sha256": sha256,
            "format": validated.parsed.format,
            "nya": counts.new,
            "ändrade": counts.changed,
            "oförändrade": counts.unchanged,
            "avvisade": validated.rejected,
            "indikatorer": touched,
        },
    )


_REVISION_COLUMNS = [
    *KEY,
    "batch_id",
    *(f"previous_{c}" for c in OBSERVATION_VALUES),
    "previous_batch_id",
]


def _write_revisions(session: Session, change: Diff, batch_id: int) -> None:
    """One revision per key the batch writes. Called after the batch's new observations are
    inserted and before its changed ones are updated, so the observations holding this
    batch_id are exactly its new keys: their revisions (nothing before them) are copied
    inside the database, in the order the observations were inserted, instead of sending
    every key through the driver a second time."""
    if len(change.new):
        key = ", ".join(KEY)
        session.execute(
            sql_text(
                f"INSERT INTO {_REV.name} (batch_id, {key}, previous_status_reason) "
                f"SELECT batch_id, {key}, '' FROM {_OBS.name} WHERE batch_id = :batch "
                "ORDER BY id"
            ),
            {"batch": batch_id},
        )
    changed = change.changed.rename(
        columns={
            "value_old": "previous_value",
            "numerator_old": "previous_numerator",
            "denominator_old": "previous_denominator",
            "status_old": "previous_status",
            "status_reason_old": "previous_status_reason",
            "batch_id_old": "previous_batch_id",
        }
    ).assign(batch_id=batch_id)
    bulk.write_rows(session, bulk.insert(bulk.REVISIONS, _REVISION_COLUMNS), changed)


# ---------------------------------------------------------------------------------------------
# Undo


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    undone: bool
    message: str  # Swedish, for the analyst
    restored: int = 0  # keys set back to an earlier value
    removed: int = 0  # keys the batch had added, now deleted
    blocking_batch_id: int | None = None


def _batch_name(session: Session, batch_id: int) -> str:
    row = session.execute(
        select(_BATCH.c.source_name, _BATCH.c.imported_at).where(_BATCH.c.id == batch_id)
    ).one()
    return f"import {batch_id} ({row.source_name}, {format_moment(as_utc(row.imported_at))})"


def later_writer(session: Session, batch_id: int) -> int | None:
    """The first later batch, not undone, that wrote a key this batch wrote."""
    mine, later = aliased(m.ObservationRevision), aliased(m.ObservationRevision)
    return session.scalar(
        select(func.min(later.batch_id))
        .select_from(mine)
        .join(
            later,
            and_(*(getattr(later, c) == getattr(mine, c) for c in KEY), later.batch_id > batch_id),
        )
        .join(m.ImportBatch, m.ImportBatch.id == later.batch_id)
        .where(mine.batch_id == batch_id, m.ImportBatch.undone_at.is_(None))
    )


def undo(session: Session, batch_id: int, *, user: str) -> UndoResult:
    """Restore every key the batch wrote to its state before, inside the caller's transaction,
    or refuse without changing anything. In a write session (`store.engine.write_session`),
    so "a later batch wrote these keys" is decided on what is committed now and stays true
    until the restore."""
    batch = session.get(m.ImportBatch, batch_id)
    if batch is None:
        return UndoResult(batch_id, False, f"Det finns ingen import med nummer {batch_id}.")
    if batch.is_demo:
        return UndoResult(batch_id, False, "Exempeldata är ingen import och kan inte ångras här.")
    if batch.undone_at is not None:
        return UndoResult(
            batch_id,
            False,
            f"Import {batch_id} ångrades redan {format_moment(as_utc(batch.undone_at))} "
            f"av {batch.undone_by}.",
        )
    blocker = later_writer(session, batch_id)
    if blocker is not None:
        return UndoResult(
            batch_id,
            False,
            f"Import {batch_id} kan inte ångras: {_batch_name(session, blocker)} har senare "
            "skrivit några av samma värden. Ångra den först.",
            blocking_batch_id=blocker,
        )
    revisions = frame_of(
        session.execute(
            select(
                _REV.c.indicator_id,
                _REV.c.area_code,
                _REV.c.period_type,
                _REV.c.period_start,
                _REV.c.gender,
                _REV.c.previous_value,
                _REV.c.previous_numerator,
                _REV.c.previous_denominator,
                _REV.c.previous_status,
                _REV.c.previous_status_reason,
                _REV.c.previous_batch_id,
            ).where(_REV.c.batch_id == batch_id)
        ).all(),
        columns=[
            *KEY,
            "previous_value",
            "previous_numerator",
            "previous_denominator",
            "previous_status",
            "previous_status_reason",
            "previous_batch_id",
        ],
    )
    added = revisions["previous_status"].isna().to_numpy()
    bulk.write_rows(session, bulk.delete(bulk.OBSERVATIONS, KEY), revisions[added])
    restored_values = [
        "previous_value",
        "previous_numerator",
        "previous_denominator",
        "previous_status",
        "previous_status_reason",
        "previous_batch_id",
    ]
    bulk.write_rows(
        session,
        bulk.update(bulk.OBSERVATIONS, [*_RECORD_VALUES, "batch_id"], KEY),
        # A callable, not the column: assigning a Series to an empty frame adopts the Series'
        # index, which turned "nothing to restore" into rows of NULL keys.
        revisions[~added].assign(
            previous_status_reason=lambda f: f["previous_status_reason"].fillna("")
        ),
        [*restored_values, *KEY],
    )
    batch.undone_at = now_utc()
    batch.undone_by = user[:120]
    removed, restored = int(added.sum()), int((~added).sum())
    audit.record(
        session,
        user,
        AuditAction.UNDO,
        f"import {batch_id}: {batch.source_name}",
        before={
            "läge": "sparad",
            "nya": batch.rows_new,
            "ändrade": batch.rows_changed,
            "oförändrade": batch.rows_unchanged,
            "avvisade": batch.rows_rejected,
        },
        after={
            "läge": "ångrad",
            "återställda": restored,
            "borttagna": removed,
            "ångrad av": batch.undone_by,
        },
    )
    return UndoResult(
        batch_id,
        True,
        f"Import {batch_id} ({batch.source_name}) är ångrad: {restored} värden återställda, "
        f"{removed} borttagna.",
        restored=restored,
        removed=removed,
    )
