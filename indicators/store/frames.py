"""Query results as DataFrames without SQLAlchemy's per-value type processing.

The mapped Enum and Date types convert every value in Python on the way out, which costs more
than the query itself for the thousands of observations a view reads. Such columns are read as
their stored text instead (enum values as text, which is what the frames hold anyway) and dates
are parsed in one vectorised pass."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Date, Enum, Select, String, type_coerce
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from indicators.store import models as m
from indicators.vocabulary.domain import OBSERVATION_COLUMNS, OBSERVATION_NUMBERS

# One value per indicator, area and period: what the follow-up views read.
VALUE_COLUMNS = [c for c in OBSERVATION_COLUMNS if c not in ("period_type", "status_reason")]
# What a view reads of each observation after its indicator and area (the reason comes from
# suppression, not from the store).
OBSERVATION_READ = ("period_type", "period_start", "gender", *OBSERVATION_NUMBERS, "status")


def plain(column: QueryableAttribute[Any]) -> ColumnElement[Any] | QueryableAttribute[Any]:
    """The column as stored: enum and date columns come back as text (dates as date objects on
    PostgreSQL, whose driver parses them itself), everything else unchanged."""
    if isinstance(column.type, Enum | Date):
        return type_coerce(column, String).label(column.key)
    return column


def observation_columns(names: Sequence[str]) -> list[ColumnElement[Any] | QueryableAttribute[Any]]:
    """The observation table's columns of these names, `plain`, in this order."""
    return [plain(getattr(m.Observation, name)) for name in names]


def read_frame(
    session: Session, statement: Select[Any], columns: Sequence[str], *, dates: Sequence[str] = ()
) -> pd.DataFrame:
    """Run `statement` (built with `plain` columns) into a frame named `columns`; the `dates`
    columns become datetime.date objects. Float columns stay float64 even when all are NULL."""
    # Executed as Core, not through the ORM's result machinery, which wraps every row once more
    # (a third of the time of reading 9 000 observations); the rows are plain tuples anyway.
    rows = session.connection().execute(statement).fetchall()
    names = list(columns)
    values = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    frame = pd.DataFrame({name: list(column) for name, column in zip(names, values, strict=True)})
    for name in dates:
        if len(frame):
            # A view's rows share a few dozen periods: each distinct value is parsed once. From
            # the rows as read: iterating a text column of the frame goes value by value
            # through pyarrow.
            column = values[names.index(name)]
            parsed = {v: as_date(v) for v in set(column)}
            frame[name] = [parsed[v] for v in column]
    for name in OBSERVATION_NUMBERS:
        if name in frame.columns:
            frame[name] = frame[name].astype("float64")
    return frame


def as_date(value: Any) -> Any:
    """A stored date as datetime.date: SQLite hands ISO text, PostgreSQL's driver a date."""
    if value is None:
        return pd.NaT
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
