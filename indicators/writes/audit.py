"""The audit log: who changed what, when, and the state before and after.

`record` is called inside the transaction that makes the change, so a change and its log entry
are saved together or not at all. It also moves the data version forward, which is what tells
every worker's query cache that what it holds is stale."""

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from indicators.store import models as m
from indicators.store.version import bump_data_version
from indicators.vocabulary.domain import AuditAction


def _json(state: Any) -> str | None:
    if state is None:
        return None
    # Keys keep the order the change wrote them in, which is the order they read best in.
    return json.dumps(state, ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def record(
    session: Session,
    actor: str,
    action: AuditAction,
    subject: str,
    *,
    before: Any = None,
    after: Any = None,
    changes_data: bool = True,
) -> None:
    """`changes_data=False` for what leaves the data as it was (a sign-in): moving the data version
    would empty every worker's query cache for nothing."""
    session.add(
        m.AuditEvent(
            occurred_at=datetime.now(UTC),
            actor=(actor or "okänd")[:120],
            action=action,
            subject=subject[:300],
            before=_json(before),
            after=_json(after),
        )
    )
    if changes_data:
        bump_data_version(session)
