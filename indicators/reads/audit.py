"""Reading the audit log: the page and the downloads ask these, never SQL. Entries are written by
indicators.writes.audit."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVarTuple

import pandas as pd
from sqlalchemy import Select, func, select

from indicators.spreadsheets import to_csv_bytes, to_xlsx_bytes
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import AuditAction
from indicators.vocabulary.formatting import STOCKHOLM, format_timestamp


@dataclass(frozen=True)
class AuditEntry:
    id: int
    occurred_at: datetime
    actor: str
    action: AuditAction
    subject: str
    before: Any
    after: Any


def _entry(row: m.AuditEvent) -> AuditEntry:
    occurred = row.occurred_at
    # SQLite gives naive datetimes back; they were written in UTC.
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=UTC)
    return AuditEntry(
        id=row.id,
        occurred_at=occurred,
        actor=row.actor,
        action=AuditAction(row.action),
        subject=row.subject,
        before=json.loads(row.before) if row.before else None,
        after=json.loads(row.after) if row.after else None,
    )


EXPORT_COLUMNS = ["Nr", "Tid (svensk tid)", "Vem", "Vad", "Avser", "Före", "Efter"]


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show. Days are calendar days in Sweden, both ends included."""

    action: AuditAction | None = None
    actor: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str | None]) -> "AuditFilter":
        """From the words the page's address and the download links use (vad, vem, från,
        till); anything unreadable is no filter at all. Days given the wrong way round are
        turned."""
        try:
            action = AuditAction(query.get("vad") or "")
        except ValueError:
            action = None
        since, until = _day(query.get("fran")), _day(query.get("till"))
        if since and until and since > until:
            since, until = until, since
        return cls(action, (query.get("vem") or "").strip() or None, since, until)

    def to_query(self) -> dict[str, str]:
        words = {
            "vad": self.action.value if self.action else None,
            "vem": self.actor,
            "fran": self.since.isoformat() if self.since else None,
            "till": self.until.isoformat() if self.until else None,
        }
        return {k: v for k, v in words.items() if v}

    def kwargs(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "actor": self.actor,
            "since": self.since,
            "until": self.until,
        }


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _day_start(day: date) -> datetime:
    """The UTC moment a Swedish calendar day begins (summer time included)."""
    return datetime.combine(day, time(), tzinfo=STOCKHOLM).astimezone(UTC)


# The selected columns pass through untouched: rows of events, or their count.
Columns = TypeVarTuple("Columns")


def _filtered(query: Select[*Columns], chosen: AuditFilter) -> Select[*Columns]:
    event = m.AuditEvent
    if chosen.action is not None:
        query = query.where(event.action == chosen.action)
    if chosen.actor:
        query = query.where(event.actor == chosen.actor)
    if chosen.since is not None:
        query = query.where(event.occurred_at >= _day_start(chosen.since))
    if chosen.until is not None:
        query = query.where(event.occurred_at < _day_start(chosen.until + timedelta(days=1)))
    return query


def audit_events(
    store: Store,
    *,
    action: AuditAction | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[AuditEntry]:
    """Newest first."""
    chosen = AuditFilter(action, actor, since, until)
    query = _filtered(select(m.AuditEvent), chosen).order_by(
        m.AuditEvent.occurred_at.desc(), m.AuditEvent.id.desc()
    )
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with session_scope(store.url) as s:
        return [_entry(row) for row in s.scalars(query)]


def audit_count(
    store: Store,
    *,
    action: AuditAction | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> int:
    chosen = AuditFilter(action, actor, since, until)
    with session_scope(store.url) as s:
        return s.scalar(_filtered(select(func.count(m.AuditEvent.id)), chosen)) or 0


def audit_actors(store: Store) -> list[str]:
    """Everyone who has changed anything, for the filter by person."""
    with session_scope(store.url) as s:
        return sorted(s.scalars(select(m.AuditEvent.actor).distinct()), key=str.casefold)


def local_time(moment: datetime) -> str:
    """'2026-11-27 11:02:03' in Swedish time: ISO order, as Swedish dates are written, and it
    sorts as text."""
    return format_timestamp(moment)


def describe(state: Any) -> str:
    """A state as one readable line, 'nyckel: värde; nyckel: värde'; '' for nothing."""
    if state is None:
        return ""
    if isinstance(state, dict):
        return "; ".join(f"{key}: {_part(value)}" for key, value in state.items())
    return _part(state)


def _part(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k}: {_part(v)}" for k, v in value.items()) + ")" if value else "–"
    if isinstance(value, list):
        return ", ".join(_part(v) for v in value) if value else "–"
    return str(value)


def audit_table(
    store: Store,
    *,
    action: AuditAction | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The entries as flat text rows (EXPORT_COLUMNS), newest first: for the page and the
    downloads alike, so both say the same."""
    entries = audit_events(store, action=action, actor=actor, since=since, until=until, limit=limit)
    rows = [
        (
            e.id,
            local_time(e.occurred_at),
            e.actor,
            e.action.value,
            e.subject,
            describe(e.before),
            describe(e.after),
        )
        for e in entries
    ]
    frame = pd.DataFrame(rows, columns=EXPORT_COLUMNS)
    return frame.astype({"Nr": "int64"}) if not frame.empty else frame


def audit_csv(store: Store, *, swedish: bool = True, **chosen: Any) -> bytes:
    """The filtered log as CSV (see audit_table for the filters), every text cell made safe
    for a spreadsheet program."""
    return to_csv_bytes(audit_table(store, **chosen), swedish=swedish)


def audit_xlsx(store: Store, **chosen: Any) -> bytes:
    return to_xlsx_bytes({"Granskningslogg": audit_table(store, **chosen)})
