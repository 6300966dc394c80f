"""The one bulk writer: rows of a DataFrame inserted, updated or deleted in one statement per
chunk, straight through the driver — COPY on PostgreSQL, executemany elsewhere — never ORM
objects or SQLAlchemy's per-value parameter processing, so a million rows stay a matter of
seconds. The import's save and undo and the demo seed write through it."""

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import Column, Date, Enum, Float, Integer, MetaData, String, Table
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from indicators.store import summaries
from indicators.store.engine import copy_rows, is_postgresql
from indicators.store.models import Base, Observation, ObservationRevision

CHUNK = 20_000


def mapped_table(model: type[Base]) -> Table:
    """The Table a model is mapped to: its column types say what the driver is handed."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} är inte mappad på en tabell")
    return table


OBSERVATIONS = mapped_table(Observation)
REVISIONS = mapped_table(ObservationRevision)


def plain_table(table: Table) -> Table:
    """The table with plain column types: the mapped Enum and Date types process every value
    in Python on the way in and out, which dominates a bulk read or write. Values are passed
    as the stored text instead (enum values, ISO dates), which the CHECK constraints still
    guard."""
    columns = []
    for column in table.columns:
        kind = String() if isinstance(column.type, Enum | Date) else column.type
        columns.append(Column(column.name, kind, primary_key=column.primary_key))
    return Table(table.name, MetaData(), *columns)


Kind = Literal["insert", "update", "delete"]


@dataclass(frozen=True)
class Write:
    """One bulk statement over the rows of a frame: insert `values`, update `values` where the
    `where` columns match, or delete where they match. The frame's columns are given in that
    order (values, then where) when the statement runs."""

    kind: Kind
    table: Table
    values: tuple[str, ...] = ()
    where: tuple[str, ...] = ()

    @property
    def targets(self) -> tuple[str, ...]:
        return (*self.values, *self.where)

    def sql(self) -> str:
        """The statement for executemany, with "?" placeholders."""
        name = self.table.name
        conditions = " AND ".join(f"{c} = ?" for c in self.where)
        if self.kind == "insert":
            marks = ", ".join("?" for _ in self.values)
            return f"INSERT INTO {name} ({', '.join(self.values)}) VALUES ({marks})"
        if self.kind == "update":
            assignments = ", ".join(f"{c} = ?" for c in self.values)
            return f"UPDATE {name} SET {assignments} WHERE {conditions}"
        return f"DELETE FROM {name} WHERE {conditions}"


def insert(table: Table, columns: Sequence[str]) -> Write:
    return Write("insert", table, tuple(columns))


def update(table: Table, values: Sequence[str], where: Sequence[str]) -> Write:
    return Write("update", table, tuple(values), tuple(where))


def delete(table: Table, where: Sequence[str]) -> Write:
    return Write("delete", table, (), tuple(where))


def write_rows(
    session: Session, write: Write, frame: pd.DataFrame, columns: Sequence[str] | None = None
) -> None:
    """Run `write` for every row of frame, taking its values from `columns` in order (by
    default the columns named as the write's targets).

    Per-row parameter processing in SQLAlchemy costs more than the database itself at a
    million rows, so rows go straight to the driver, already what the columns store (see
    driver_columns). On PostgreSQL through COPY, its own bulk path (several times faster than
    executemany there); elsewhere through the driver's executemany, in chunks."""
    if frame.empty:
        return
    if write.table.name == OBSERVATIONS.name:
        # The derived tables follow in this transaction (store.summaries); a write that does
        # not say which indicators it touched leaves them incomplete until they are rebuilt.
        if "indicator_id" in frame.columns:
            summaries.touched(session, frame["indicator_id"].astype(str).unique().tolist())
        else:
            summaries.mark_incomplete(session)
    names = list(write.targets if columns is None else columns)
    connection = session.connection()
    if is_postgresql(connection):
        _copy_write(connection, write, frame, names)
        return
    style = connection.dialect.paramstyle
    if style not in ("qmark", "format", "pyformat"):
        raise NotImplementedError(f"parameterstil {style} stöds inte")
    sql = write.sql()
    statement = sql if style == "qmark" else sql.replace("?", "%s")
    for start in range(0, len(frame), CHUNK):
        chunk = frame.iloc[start : start + CHUNK]
        rows = list(zip(*driver_columns(chunk, names, write), strict=True))
        connection.exec_driver_sql(statement, rows)


def driver_columns(frame: pd.DataFrame, names: Sequence[str], write: Write) -> list[list[object]]:
    """The frame's columns `names` as Python lists of what the write's target columns store:
    NaN as None (NaN would be stored as a number, not NULL), dates as ISO text, integers as
    int."""
    out: list[list[object]] = []
    for name, target in zip(names, write.targets, strict=True):
        series = frame[name]
        kind = write.table.c[target].type
        if isinstance(kind, Date):
            out.append(_iso_dates(series))
        elif isinstance(kind, Integer | Float):
            arr = series.to_numpy(dtype=float)
            nan = np.isnan(arr)
            if isinstance(kind, Integer):
                values = np.where(nan, 0, arr).astype(np.int64).astype(object)
            else:
                values = arr.astype(object)
            values[nan] = None
            out.append(values.tolist())
        else:
            # Vectorised: iterating an Arrow-backed string column value by value is slow.
            texts = series.astype(object)
            out.append(texts.where(texts.notna(), None).tolist())
    return out


def _iso_dates(series: pd.Series) -> list[object]:
    """Dates as ISO text; the few distinct periods of a batch are formatted once each."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    if (codes == -1).any() or not all(isinstance(u, date) for u in uniques):
        dates = pd.to_datetime(series.to_numpy(dtype=object))
        return list(dates.strftime("%Y-%m-%d"))
    texts = np.array([f"{u.year:04d}-{u.month:02d}-{u.day:02d}" for u in uniques], dtype=object)
    return list(texts[codes].tolist())


def _copy_rows(
    connection: Connection,
    write: Write,
    table: str,
    frame: pd.DataFrame,
    columns: Sequence[str],
) -> None:
    """COPY the frame's `columns` into `table`'s columns named as the write's targets,
    converted a chunk at a time so memory stays flat at millions of rows."""

    def rows() -> Iterator[tuple[object, ...]]:
        for start in range(0, len(frame), CHUNK):
            chunk = frame.iloc[start : start + CHUNK]
            yield from zip(*driver_columns(chunk, columns, write), strict=True)

    copy_rows(connection, table, list(write.targets), rows())


def _copy_write(
    connection: Connection, write: Write, frame: pd.DataFrame, columns: Sequence[str]
) -> None:
    """PostgreSQL: inserts are a COPY into the table; updates and deletes COPY the rows into a
    temporary table of the same column types and join it in one statement."""
    name = write.table.name
    if write.kind == "insert":
        _copy_rows(connection, write, name, frame, columns)
        return
    staged = f"staged_{name}_{next(_STAGED)}"
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS "
        f"SELECT {', '.join(write.targets)} FROM {name} WITH NO DATA"
    )
    _copy_rows(connection, write, staged, frame, columns)
    connection.exec_driver_sql(f"ANALYZE {staged}")
    match = " AND ".join(f"t.{c} = s.{c}" for c in write.where)
    if write.kind == "update":
        assignments = ", ".join(f"{c} = s.{c}" for c in write.values)
        connection.exec_driver_sql(
            f"UPDATE {name} AS t SET {assignments} FROM {staged} AS s WHERE {match}"
        )
    else:
        connection.exec_driver_sql(f"DELETE FROM {name} AS t USING {staged} AS s WHERE {match}")
    connection.exec_driver_sql(f"DROP TABLE {staged}")


_STAGED = itertools.count()
