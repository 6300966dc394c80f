"""Saving validated records, and undoing a saved batch. Bulk paths throughout: one query loads
what the store holds for the file's indicators and areas, the diff is computed in pandas, and
rows are written with executemany (Core insert/update with lists of dicts), never ORM objects
per row, so a million-value file stays a matter of seconds.

Every write of a key leaves an ObservationRevision with the key's state just before the write
(previous_status NULL: the key did not exist). Unchanged values are not written at all. The
revisions are the whole history of a value and what `undo` restores."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    Enum,
    MetaData,
    String,
    Table,
    and_,
    func,
    insert,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from indicators.domain import PeriodType, ValueKind
from indicators.imports.validate import (
    KEY,
    CatalogueView,
    IndicatorRules,
    NewKoladaIndicator,
    ValidatedFile,
    same_values,
)
from indicators.settings import get_settings
from indicators.store import models as m

CHUNK = 20_000
PARTITION = 200_000
NUMBERS = ["value", "numerator", "denominator"]


def _plain(table: Table) -> Table:
    """The table with plain column types: the mapped Enum and Date types process every value
    in Python on the way in and out, which dominates a bulk write. Values are passed as the
    stored text instead (enum values, ISO dates), which the CHECK constraints still guard."""
    columns = []
    for column in table.columns:
        kind = String() if isinstance(column.type, Enum | Date) else column.type
        columns.append(Column(column.name, kind, primary_key=column.primary_key))
    return Table(table.name, MetaData(), *columns)


_OBS = _plain(m.Observation.__table__)
_REV = _plain(m.ObservationRevision.__table__)
_BATCH = m.ImportBatch.__table__


def source_name(name: str) -> str:
    """The client's file name as plain text for the batch: the last path segment (browsers may
    send "C:\\fakepath\\…"), no control characters, at most 300 characters."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in last if ch.isprintable()).strip()
    return (text or "namnlös fil")[:300]


def now_utc() -> datetime:
    return datetime.now(UTC)


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
    areas = frozenset(session.scalars(select(m.Area.code)))
    return CatalogueView(
        indicators=indicators,
        area_codes=areas,
        suppression_threshold=get_settings().suppression_threshold,
    )


def frame_of(rows: Sequence[Sequence[object]], columns: list[str]) -> pd.DataFrame:
    """Rows from a query as a frame, built column by column: handing pandas the Row objects
    themselves makes it probe every row for attributes, which costs seconds per 100 000."""
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return pd.DataFrame(
        {c: pd.Series(list(v), dtype=object) for c, v in zip(columns, values, strict=True)}
    )


def existing_observations(session: Session, records: pd.DataFrame) -> pd.DataFrame:
    """What the store holds for the records' indicators and areas, in one query."""
    columns = ["id", *KEY, *NUMBERS, "status", "status_reason", "batch_id"]
    if records.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    ids = sorted(records["indicator_id"].astype(str).unique().tolist())
    areas = sorted(records["area_code"].astype(str).unique().tolist())
    # Raw strings for the enum columns: the diff compares plain text.
    query = select(
        _OBS.c.id,
        _OBS.c.indicator_id,
        _OBS.c.area_code,
        type_coerce(_OBS.c.period_type, String).label("period_type"),
        _OBS.c.period_start,
        type_coerce(_OBS.c.gender, String).label("gender"),
        _OBS.c.value,
        _OBS.c.numerator,
        _OBS.c.denominator,
        type_coerce(_OBS.c.status, String).label("status"),
        _OBS.c.status_reason,
        _OBS.c.batch_id,
    ).where(_OBS.c.indicator_id.in_(ids), _OBS.c.area_code.in_(areas))
    # In partitions, each turned into compact columns at once, so a store of millions of
    # values never sits in memory as Python row objects.
    result = session.execute(query.execution_options(yield_per=PARTITION))
    types = {"value": float, "numerator": float, "denominator": float, "id": float}
    types |= {c: str for c in ("indicator_id", "area_code", "period_type", "gender", "status")}
    frames = [frame_of(part, columns).astype(types) for part in result.partitions()]
    if not frames:
        return frame_of([], columns).astype(types)
    return pd.concat(frames, ignore_index=True)


@dataclass
class Diff:
    new: pd.DataFrame  # records whose key the store does not hold
    changed: pd.DataFrame  # records with the stored row's id and previous state (*_old)
    unchanged: int


def diff(records: pd.DataFrame, existing: pd.DataFrame) -> Diff:
    # Only what is compared and written: provenance columns would be copied for nothing.
    left = _normalised(records[[*KEY, *NUMBERS, "status", "status_reason"]])
    right = _normalised(existing).rename(
        columns={c: f"{c}_old" for c in existing.columns if c not in KEY}
    )
    merged = left.merge(right, on=KEY, how="left")
    is_new = merged["id_old"].isna().to_numpy()
    old = merged[~is_new]
    previous = old[[f"{c}_old" for c in [*NUMBERS, "status", "status_reason"]]]
    previous.columns = [*NUMBERS, "status", "status_reason"]
    same = same_values(old, previous)
    return Diff(
        new=merged[is_new].reset_index(drop=True),
        changed=old[~same].reset_index(drop=True),
        unchanged=int(same.sum()),
    )


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in ("indicator_id", "area_code", "period_type", "gender", "status"):
        if name in out:
            out[name] = out[name].astype(str)
    if "status_reason" in out:
        out["status_reason"] = out["status_reason"].fillna("").astype(str)
    # One representation of a date on both sides, so the merge matches.
    out["period_start"] = pd.to_datetime(out["period_start"]).dt.date
    return out.astype({c: float for c in NUMBERS})


INTEGERS = {"id_old", "batch_id", "batch_id_old", "previous_batch_id"}
_PREVIOUS_NUMBERS = {"previous_value", "previous_numerator", "previous_denominator"}
_RECORD_VALUES = ["value", "numerator", "denominator", "status", "status_reason"]


def _python(frame: pd.DataFrame, names: list[str]) -> list[list[object]]:
    """Columns as Python lists of what the driver stores: NaN as None (NaN would be stored as a
    number, not NULL), dates as ISO text, ids as int."""
    columns = []
    for name in names:
        series = frame[name]
        if name == "period_start":
            dates = pd.to_datetime(series.to_numpy(dtype=object))
            columns.append(list(dates.strftime("%Y-%m-%d")))
        elif name in NUMBERS or name in INTEGERS or name in _PREVIOUS_NUMBERS:
            arr = series.to_numpy(dtype=float)
            nan = np.isnan(arr)
            if name in INTEGERS:
                out = np.where(nan, 0, arr).astype(np.int64).astype(object)
            else:
                out = arr.astype(object)
            out[nan] = None
            columns.append(out.tolist())
        else:
            # Vectorised: iterating an Arrow-backed string column value by value is slow.
            values = series.astype(object)
            columns.append(values.where(values.notna(), None).tolist())
    return columns


def _many(session: Session, sql: str, frame: pd.DataFrame, columns: list[str]) -> None:
    """Run `sql` (with "?" placeholders, in the order of `columns`) for every row of frame,
    in chunks, through the driver's executemany. Per-row parameter processing in SQLAlchemy
    costs more than the database itself at a million rows, so the statement goes straight
    to the driver; values are already what the columns store (see _python)."""
    connection = session.connection()
    style = connection.dialect.paramstyle
    if style not in ("qmark", "format", "pyformat"):
        raise NotImplementedError(f"parameterstil {style} stöds inte")
    statement = sql if style == "qmark" else sql.replace("?", "%s")
    for start in range(0, len(frame), CHUNK):
        chunk = frame.iloc[start : start + CHUNK]
        rows = list(zip(*_python(chunk, columns), strict=True))
        connection.exec_driver_sql(statement, rows)


def _insert_sql(table: Table, columns: list[str]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"


def _update_sql(table: Table, values: list[str], where: list[str]) -> str:
    assignments = ", ".join(f"{c} = ?" for c in values)
    conditions = " AND ".join(f"{c} = ?" for c in where)
    return f"UPDATE {table.name} SET {assignments} WHERE {conditions}"


def _delete_sql(table: Table, where: list[str]) -> str:
    return f"DELETE FROM {table.name} WHERE {' AND '.join(f'{c} = ?' for c in where)}"


@dataclass(frozen=True)
class WriteCounts:
    batch_id: int
    new: int
    changed: int
    unchanged: int
    added_indicators: list[str]


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


def write_file(
    session: Session,
    validated: ValidatedFile,
    *,
    sha256: str,
    user: str,
    when: datetime | None = None,
) -> WriteCounts:
    """One file as one batch, inside the caller's transaction: the caller commits or rolls back
    the whole of it."""
    added = add_kolada_indicators(session, validated.new_indicators)
    records = validated.records
    change = diff(records, existing_observations(session, records))
    batch_id = session.execute(
        insert(_BATCH).values(
            source_name=source_name(validated.parsed.name),
            sha256=sha256,
            format=validated.parsed.format[:40],
            imported_by=user[:120],
            imported_at=when or now_utc(),
            is_demo=False,
            rows_read=validated.parsed.rows_read,
            rows_new=len(change.new),
            rows_changed=len(change.changed),
            rows_unchanged=change.unchanged,
            rows_rejected=validated.rejected,
        )
    ).inserted_primary_key[0]
    _write_revisions(session, change, batch_id)
    obs_columns = [*KEY, *_RECORD_VALUES, "batch_id"]
    _many(
        session, _insert_sql(_OBS, obs_columns), change.new.assign(batch_id=batch_id), obs_columns
    )
    _many(
        session,
        _update_sql(_OBS, [*_RECORD_VALUES, "batch_id"], ["id"]),
        change.changed.assign(batch_id=batch_id),
        [*_RECORD_VALUES, "batch_id", "id_old"],
    )
    return WriteCounts(batch_id, len(change.new), len(change.changed), change.unchanged, added)


_REVISION_COLUMNS = [
    *KEY,
    "batch_id",
    "previous_value",
    "previous_numerator",
    "previous_denominator",
    "previous_status",
    "previous_status_reason",
    "previous_batch_id",
]


def _write_revisions(session: Session, change: Diff, batch_id: int) -> None:
    sql = _insert_sql(_REV, _REVISION_COLUMNS)
    new = change.new[KEY].assign(
        batch_id=batch_id,
        previous_value=np.nan,
        previous_numerator=np.nan,
        previous_denominator=np.nan,
        previous_status=None,
        previous_status_reason="",
        previous_batch_id=np.nan,
    )
    _many(session, sql, new, _REVISION_COLUMNS)
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
    _many(session, sql, changed, _REVISION_COLUMNS)


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
    when = as_utc(row.imported_at)
    return f"import {batch_id} ({row.source_name}, {when:%Y-%m-%d %H:%M} UTC)"


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
    or refuse without changing anything."""
    batch = session.get(m.ImportBatch, batch_id)
    if batch is None:
        return UndoResult(batch_id, False, f"Det finns ingen import med nummer {batch_id}.")
    if batch.is_demo:
        return UndoResult(batch_id, False, "Exempeldata är ingen import och kan inte ångras här.")
    if batch.undone_at is not None:
        return UndoResult(
            batch_id,
            False,
            f"Import {batch_id} ångrades redan {as_utc(batch.undone_at):%Y-%m-%d %H:%M} UTC "
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
                type_coerce(_REV.c.period_type, String).label("period_type"),
                _REV.c.period_start,
                type_coerce(_REV.c.gender, String).label("gender"),
                _REV.c.previous_value,
                _REV.c.previous_numerator,
                _REV.c.previous_denominator,
                type_coerce(_REV.c.previous_status, String).label("previous_status"),
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
    _many(session, _delete_sql(_OBS, KEY), revisions[added], KEY)
    restored_values = [
        "previous_value",
        "previous_numerator",
        "previous_denominator",
        "previous_status",
        "previous_status_reason",
        "previous_batch_id",
    ]
    _many(
        session,
        _update_sql(_OBS, [*_RECORD_VALUES, "batch_id"], KEY),
        revisions[~added].assign(
            previous_status_reason=revisions["previous_status_reason"].fillna("")
        ),
        [*restored_values, *KEY],
    )
    batch.undone_at = now_utc()
    batch.undone_by = user[:120]
    removed, restored = int(added.sum()), int((~added).sum())
    return UndoResult(
        batch_id,
        True,
        f"Import {batch_id} ({batch.source_name}) är ångrad: {restored} värden återställda, "
        f"{removed} borttagna.",
        restored=restored,
        removed=removed,
    )
