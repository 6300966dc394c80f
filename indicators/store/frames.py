"""Query results as DataFrames without SQLAlchemy's per-value type processing.

The mapped Enum and Date types convert every value in Python on the way out, which costs more
than the query itself for the thousands of observations a view reads. Such columns are read as
their stored text instead (enum values as text, which is what the frames hold anyway) and dates
are parsed in one vectorised pass."""

from collections.abc import Sequence
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
    # Plain tuples: pandas inspects Row objects one attribute at a time.
    rows = [tuple(row) for row in session.execute(statement)]
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    for name in dates:
        frame[name] = pd.to_datetime(frame[name]).dt.date if len(frame) else frame[name]
    for name in OBSERVATION_NUMBERS:
        if name in frame.columns:
            frame[name] = frame[name].astype("float64")
    return frame
