"""Changing a strategigrupp's handlingsplan: add, change and remove activities, or replace the
whole plan from a file. Every change runs under the store's write lock and writes its entry in
the audit log in the same transaction; reading the plans: indicators.reads.plans."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.reads.models import ActivityFields
from indicators.store import models as m
from indicators.store.engine import write_session
from indicators.store.store import Store
from indicators.vocabulary.domain import ActivityStatus, AuditAction
from indicators.vocabulary.text_safety import contains_personal_number
from indicators.writes import audit

MAX_TITLE = 200
MAX_OWNER = 200
MAX_DESCRIPTION = 2000
FIELD_LABELS = {
    "title": "Aktivitet",
    "owner": "Ansvarig",
    "start_date": "Start",
    "end_date": "Slut",
    "status": "Status",
    "description": "Beskrivning",
    "indicator_ids": "Indikatorer",
}


class PlanError(ValueError):
    """Invalid input for a plan; `messages` are Swedish and name the field."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def check_activity(fields: ActivityFields, known_indicators: set[str]) -> list[str]:
    """Swedish problems with one activity, each starting with the field's label."""
    label = FIELD_LABELS
    problems: list[str] = []
    if not fields.title:
        problems.append(f"{label['title']}: skriv vad aktiviteten heter.")
    elif len(fields.title) > MAX_TITLE:
        problems.append(f"{label['title']}: högst {MAX_TITLE} tecken (nu {len(fields.title)}).")
    if not fields.owner:
        problems.append(f"{label['owner']}: ange vilken organisation som ansvarar.")
    elif len(fields.owner) > MAX_OWNER:
        problems.append(f"{label['owner']}: högst {MAX_OWNER} tecken (nu {len(fields.owner)}).")
    if fields.start_date is None:
        problems.append(f"{label['start_date']}: ange ett datum (ÅÅÅÅ-MM-DD).")
    if (
        fields.start_date is not None
        and fields.end_date is not None
        and fields.end_date < fields.start_date
    ):
        problems.append(f"{label['end_date']}: slutet ({fields.end_date}) ligger före starten.")
    if fields.status is None:
        choices = ", ".join(s.value for s in ActivityStatus)
        problems.append(f"{label['status']}: välj en av {choices}.")
    if len(fields.description) > MAX_DESCRIPTION:
        problems.append(
            f"{label['description']}: högst {MAX_DESCRIPTION} tecken "
            f"(nu {len(fields.description)})."
        )
    for name in ("title", "owner", "description"):
        if contains_personal_number(getattr(fields, name)):
            # Aggregated statistics only: a personnummer is never stored, not even in a plan.
            problems.append(
                f"{label[name]}: texten innehåller något som liknar ett personnummer. "
                "Planen får inte innehålla personuppgifter."
            )
    unknown = [i for i in fields.indicator_ids if i not in known_indicators]
    if unknown:
        problems.append(f"{label['indicator_ids']}: finns inte i katalogen: {', '.join(unknown)}.")
    return problems


def add_activity(store: Store, group_id: str, fields: ActivityFields, actor: str) -> int:
    """Save a new activity; its id. Raises PlanError with Swedish messages on invalid input."""
    fields = fields.cleaned()
    with write_session(store.url) as s:
        _require_group(s, group_id)
        _raise_problems(check_activity(fields, _indicator_ids(s)))
        activity = m.Activity(strategigrupp_id=group_id)
        _fill(s, activity, fields, actor)
        s.add(activity)
        s.flush()
        _record(s, actor, AuditAction.ACTIVITY_ADDED, activity, after=_state(activity))
        return activity.id


def update_activity(store: Store, activity_id: int, fields: ActivityFields, actor: str) -> None:
    fields = fields.cleaned()
    with write_session(store.url) as s:
        activity = s.get(m.Activity, activity_id)
        if activity is None:
            raise PlanError([f"Aktiviteten {activity_id} finns inte (längre)."])
        _raise_problems(check_activity(fields, _indicator_ids(s)))
        before = _state(activity)
        _fill(s, activity, fields, actor)
        s.flush()
        after = _state(activity)
        if before != after:
            _record(s, actor, AuditAction.ACTIVITY_CHANGED, activity, before=before, after=after)


def delete_activity(store: Store, activity_id: int, actor: str) -> bool:
    """Remove one activity; False when there was none."""
    with write_session(store.url) as s:
        activity = s.get(m.Activity, activity_id)
        if activity is None:
            return False
        before = _state(activity)
        _record(s, actor, AuditAction.ACTIVITY_REMOVED, activity, before=before)
        s.delete(activity)
        return True


def replace_plan(
    store: Store, group_id: str, activities: Sequence[ActivityFields], actor: str, source: str
) -> int:
    """The group's whole plan becomes `activities` (an imported file): all or nothing, one entry
    in the audit log with the plan before and after. Returns the number of activities."""
    cleaned = [a.cleaned() for a in activities]
    with write_session(store.url) as s:
        _require_group(s, group_id)
        known = _indicator_ids(s)
        problems = [
            f"Aktivitet {n}: {p}"
            for n, a in enumerate(cleaned, start=1)
            for p in check_activity(a, known)
        ]
        _raise_problems(problems)
        old = s.scalars(select(m.Activity).where(m.Activity.strategigrupp_id == group_id)).all()
        before = [_state(a) for a in old]
        for activity in old:
            s.delete(activity)
        s.flush()
        new = []
        for fields in cleaned:
            activity = m.Activity(strategigrupp_id=group_id)
            _fill(s, activity, fields, actor)
            s.add(activity)
            new.append(activity)
        s.flush()
        audit.record(
            s,
            actor,
            AuditAction.PLAN_IMPORTED,
            f"handlingsplan {group_id} från {source}"[:300],
            before=before,
            after=[_state(a) for a in new],
        )
        return len(new)


def seed_demo_plans(session: Session, plans: dict[str, list[ActivityFields]]) -> None:
    """Exempeldata's activities (marked is_demo), written in the seed's own transaction."""
    known = _indicator_ids(session)
    for group_id, activities in plans.items():
        if session.get(m.Strategigrupp, group_id) is None:
            continue
        for fields in activities:
            kept = tuple(i for i in fields.indicator_ids if i in known)
            activity = m.Activity(strategigrupp_id=group_id, is_demo=True)
            _fill(
                session,
                activity,
                ActivityFields(**{**fields.__dict__, "indicator_ids": kept}),
                "system (exempeldata)",
            )
            session.add(activity)
    session.flush()


def _require_group(s: Session, group_id: str) -> None:
    if s.get(m.Strategigrupp, group_id) is None:
        raise PlanError([f"Strategigruppen {group_id!r} finns inte."])


def _raise_problems(problems: list[str]) -> None:
    if problems:
        raise PlanError(problems)


def _indicator_ids(s: Session) -> set[str]:
    return set(s.scalars(select(m.Indicator.id)))


def _fill(s: Session, activity: m.Activity, fields: ActivityFields, actor: str) -> None:
    assert fields.start_date is not None and fields.status is not None  # checked before
    activity.title = fields.title
    activity.owner = fields.owner
    activity.start_date = fields.start_date
    activity.end_date = fields.end_date
    activity.status = fields.status
    activity.description = fields.description
    activity.changed_by = (actor or "okänd")[:120]
    activity.changed_at = datetime.now(UTC)
    ids = list(fields.indicator_ids)
    found = s.scalars(select(m.Indicator).where(m.Indicator.id.in_(ids))).all() if ids else []
    by_id = {i.id: i for i in found}
    activity.indicators = [by_id[i] for i in ids if i in by_id]


def _state(activity: m.Activity) -> dict[str, Any]:
    return {
        "id": activity.id,
        "aktivitet": activity.title,
        "ansvarig": activity.owner,
        "start": activity.start_date,
        "slut": activity.end_date,
        "status": ActivityStatus(activity.status).value,
        "beskrivning": activity.description,
        "indikatorer": sorted(i.id for i in activity.indicators),
    }


def _record(
    s: Session,
    actor: str,
    action: AuditAction,
    activity: m.Activity,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    audit.record(
        s,
        actor,
        action,
        f"aktivitet i handlingsplan {activity.strategigrupp_id}: {activity.title}"[:300],
        before=before,
        after=after,
    )
