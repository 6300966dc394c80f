"""The data version: one counter that every write to the data moves forward."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from indicators.store import models as m
from indicators.store.dml import rows_matched
from indicators.store.engine import engine_for


def bump_data_version(session: Session) -> None:
    """Inside the writing transaction, so readers see the new version and the new data together."""
    moved = rows_matched(
        session.execute(
            update(m.DataVersion)
            .where(m.DataVersion.id == 1)
            .values(version=m.DataVersion.version + 1)
        )
    )
    if not moved:
        session.add(m.DataVersion(id=1, version=1))
        session.flush()


def data_version(url: str) -> int:
    with engine_for(url).connect() as conn:
        return (
            conn.execute(select(m.DataVersion.version).where(m.DataVersion.id == 1)).scalar() or 0
        )
