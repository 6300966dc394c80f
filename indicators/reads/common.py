"""The small reads many queries share, each written once: the labels of coded answers, the
areas' names, whether any value is Exempeldata and when values were last imported. They take
the caller's session, so a query reads them in its own transaction."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indicators.store import models as m


def code_labels(s: Session, indicator_ids: Iterable[str]) -> dict[str, dict[int, str]]:
    """Per coded indicator, its answer codes and their words (1 → "Ja")."""
    labels: dict[str, dict[int, str]] = {}
    for ind, code, label in s.execute(
        select(m.IndicatorCode.indicator_id, m.IndicatorCode.code, m.IndicatorCode.label).where(
            m.IndicatorCode.indicator_id.in_(list(indicator_ids))
        )
    ):
        labels.setdefault(ind, {})[code] = label
    return labels


def area_names(s: Session) -> dict[str, str]:
    """Every area's name by its code."""
    return {code: name for code, name in s.execute(select(m.Area.code, m.Area.name))}


def has_demo_data(s: Session) -> bool:
    """Whether any stored value comes from the demo generator."""
    demo = s.scalar(
        select(m.Observation.id)
        .join(m.ImportBatch, m.Observation.batch_id == m.ImportBatch.id)
        .where(m.ImportBatch.is_demo.is_(True))
        .limit(1)
    )
    return demo is not None


def last_import(s: Session) -> datetime | None:
    """When the newest batch was imported (UTC), or None in an empty store."""
    return s.scalar(select(func.max(m.ImportBatch.imported_at)))
