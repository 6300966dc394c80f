"""What one import wrote to each value.

A revision row keeps only what a batch replaced, so what a batch wrote is what the next write
replaced — or what the store holds while the batch is still the value's last writer (the
page reads that from `history.batch_detail`)."""

from datetime import date

from sqlalchemy import String, and_, select, type_coerce
from sqlalchemy.orm import aliased

from indicators.imports.history import ValueState, value_state
from indicators.imports.save import as_utc
from indicators.imports.validate import KEY
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store

ValueKey = tuple[str, str, str, date, str]  # indicator_id, area_code, period_type, start, gender


def written_later(store: Store, batch_id: int) -> dict[ValueKey, ValueState | None]:
    """For each value the batch wrote that a later import wrote again: what this batch had
    written. None when the batch was undone before anyone wrote over it (nothing kept it)."""
    mine, later = aliased(m.ObservationRevision), aliased(m.ObservationRevision)
    with session_scope(store.url) as session:
        batch = session.get(m.ImportBatch, batch_id)
        if batch is None:
            return {}
        undone_at = as_utc(batch.undone_at)
        rows = session.execute(
            select(
                mine.indicator_id,
                mine.area_code,
                type_coerce(mine.period_type, String),
                mine.period_start,
                type_coerce(mine.gender, String),
                m.ImportBatch.imported_at,
                later.previous_value,
                later.previous_numerator,
                later.previous_denominator,
                type_coerce(later.previous_status, String),
                later.previous_status_reason,
            )
            .select_from(mine)
            .join(
                later,
                and_(
                    *(getattr(later, c) == getattr(mine, c) for c in KEY),
                    later.batch_id > batch_id,
                ),
            )
            .join(m.ImportBatch, m.ImportBatch.id == later.batch_id)
            .where(mine.batch_id == batch_id)
            .order_by(later.batch_id)
        ).all()
    found: dict[ValueKey, ValueState | None] = {}
    for row in rows:
        key: ValueKey = (row[0], row[1], row[2], row[3], row[4])
        if key in found:
            continue  # the first later write is the one that replaced this batch's value
        if undone_at is not None and as_utc(row[5]) >= undone_at:
            found[key] = None  # written after the undo: it replaced the restored value
        else:
            found[key] = None if row[9] is None else value_state(*row[6:])
    return found
