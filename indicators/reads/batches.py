"""The import batches as readers see them: every batch, and the imports since a moment."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import Session

from indicators.reads.models import BatchSummary
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store

_BATCH = m.ImportBatch.__table__


def _format_label(key: str) -> str:
    # Imported here: the format names come from the import's format modules, which load slowly.
    from indicators.imports.pipeline import format_label

    if key == "exempeldata":
        return "Exempeldata"
    return format_label(key)


def _summary(row: Row[Any]) -> BatchSummary:
    # The columns are UtcDateTime: moments come back aware (UTC) on every backend.
    return BatchSummary(
        id=row.id,
        source_name=row.source_name,
        sha256=row.sha256,
        format=row.format,
        format_label=_format_label(row.format),
        imported_by=row.imported_by,
        imported_at=row.imported_at,
        is_demo=bool(row.is_demo),
        rows_read=row.rows_read,
        rows_new=row.rows_new,
        rows_changed=row.rows_changed,
        rows_unchanged=row.rows_unchanged,
        rows_rejected=row.rows_rejected,
        undone_at=row.undone_at,
        undone_by=row.undone_by,
    )


def batch_summaries(session: Session, *conditions: ColumnElement[bool]) -> list[BatchSummary]:
    """The batches matching `conditions`, newest first."""
    rows = session.execute(
        select(_BATCH).where(*conditions).order_by(_BATCH.c.imported_at.desc(), _BATCH.c.id.desc())
    ).all()
    return [_summary(r) for r in rows]


def import_batches(store: Store) -> list[BatchSummary]:
    """Every batch, newest first, the demo batch and undone batches included."""
    with session_scope(store.url) as session:
        return batch_summaries(session)


def imported_since(store: Store, when: datetime) -> list[BatchSummary]:
    """Imports (not the demo data) made at or after `when`, newest first, undone ones included
    so a page can say that they were undone."""
    moment = when if when.tzinfo else when.replace(tzinfo=UTC)
    with session_scope(store.url) as session:
        return batch_summaries(
            session,
            _BATCH.c.imported_at >= moment.astimezone(UTC),
            _BATCH.c.is_demo.is_(False),
        )
