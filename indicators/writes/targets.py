"""Setting and removing targets (målvärden), each with its entry in the audit log. What a
target is and how a value stands against it: indicators.reads.targets."""

import math
import re
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.reads.audit import local_time
from indicators.reads.models import TargetInfo
from indicators.reads.targets import target_info
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, AuditAction, PeriodType, ValueKind
from indicators.writes import audit

MIN_YEAR, MAX_YEAR = 2000, 2050
MAX_NOTE = 500


class TargetError(ValueError):
    """Invalid input for a target; `messages` are Swedish and name the field."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


_NUMBER = re.compile(r"^[+\-\u2212]?\d+(?:[.,]\d+)?$")


def parse_number(text: object) -> float | None:
    """A number as a Swedish user types it: '90', '90,5', '1 000', '−2'. None when empty or not
    a number."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text) if math.isfinite(float(text)) else None
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text)).replace("\u2212", "-")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(",", "."))


def _validate(
    s: Session, indicator_id: str, area_code: str | None, year: object, value: object, note: str
) -> tuple[m.Indicator, str | None, int, float]:
    errors: list[str] = []
    indicator = s.get(m.Indicator, indicator_id)
    if indicator is None:
        raise TargetError([f"Indikatorn {indicator_id} finns inte."])
    if area_code in ("", COUNTY_CODE):
        area_code = None
    if area_code is not None and s.get(m.Area, area_code) is None:
        errors.append(f"Kommun: området {area_code} finns inte.")
    try:
        year_int = int(str(year).strip())
    except ValueError:
        year_int = 0
    if not MIN_YEAR <= year_int <= MAX_YEAR:
        errors.append(f"År: ange ett år mellan {MIN_YEAR} och {MAX_YEAR}.")
    number = parse_number(value)
    if number is None:
        errors.append("Målvärde: ange ett tal, till exempel 90 eller 12,5.")
    else:
        errors.extend(_range_errors(indicator, number))
    if len(note) > MAX_NOTE:
        errors.append(f"Kommentar: högst {MAX_NOTE} tecken (nu {len(note)}).")
    if errors:
        raise TargetError(errors)
    assert number is not None
    return indicator, area_code, year_int, number


def _range_errors(indicator: m.Indicator, number: float) -> list[str]:
    kind = ValueKind(indicator.value_kind)
    if kind is ValueKind.RATE and not 0 <= number <= 100:
        return ["Målvärde: en andel ska ligga mellan 0 och 100 %."]
    if kind is ValueKind.CODED:
        codes = {c.code: c.label for c in indicator.codes}
        if number not in codes:
            allowed = ", ".join(f"{k} ({v})" for k, v in sorted(codes.items()))
            return [f"Målvärde: ange en av koderna {allowed}."]
        return []
    bounds = _UNIT_RANGE.search(indicator.unit)
    if bounds:
        low, high = (float(b.replace(",", ".")) for b in bounds.groups())
        if not low <= number <= high:
            return [f"Målvärde: ska ligga mellan {bounds[1]} och {bounds[2]} ({indicator.unit})."]
    if number < 0:
        return [f"Målvärde: {kind.label.lower()} kan inte vara negativ."]
    return []


# units such as "index (0–1)" or "poäng (0–100)" carry their own range
_UNIT_RANGE = re.compile(r"\((\d+(?:,\d+)?)\s*[–-]\s*(\d+(?:,\d+)?)\)")


def set_target(
    store: Store,
    indicator_id: str,
    area_code: str | None,
    year: int | str,
    value: float | str,
    note: str = "",
    user: str = "",
) -> TargetInfo:
    """Create or replace the target for (indicator, area or whole county, year). `user` is who
    sets it, as the audit log names them.

    Raises TargetError with Swedish messages naming the field on invalid input."""
    note = (note or "").strip()
    with session_scope(store.url) as s:
        indicator, area_code, year_int, number = _validate(
            s, indicator_id, area_code, year, value, note
        )
        target = _find(s, indicator.id, area_code, year_int)
        before = None if target is None else _state(target)
        if target is None:
            target = m.Target(
                indicator_id=indicator.id,
                area_code=area_code,
                period_type=PeriodType.YEAR,
                period_start=date(year_int, 1, 1),
            )
            s.add(target)
        target.value = number
        target.note = note
        target.set_by = user[:120]  # the column's width: PostgreSQL refuses longer text
        target.set_at = datetime.now(UTC)
        s.flush()
        names = {area_code: s.get_one(m.Area, area_code).name} if area_code else {}
        info = target_info(target, names)
        audit.record(
            s,
            user,
            AuditAction.TARGET_SET,
            _subject(info),
            before=before,
            after=_state(target),
        )
        return info


def delete_target(
    store: Store, indicator_id: str, area_code: str | None, year: int, *, actor: str = ""
) -> bool:
    """Remove one target; False when there was none. `actor` is who removes it (audit log)."""
    if area_code == COUNTY_CODE:
        area_code = None
    with session_scope(store.url) as s:
        target = _find(s, indicator_id, area_code, int(year))
        if target is None:
            return False
        names = {area_code: s.get_one(m.Area, area_code).name} if area_code else {}
        info = target_info(target, names)
        before = _state(target)
        s.delete(target)
        audit.record(s, actor, AuditAction.TARGET_REMOVED, _subject(info), before=before)
        return True


def _find(s: Session, indicator_id: str, area_code: str | None, year: int) -> m.Target | None:
    return s.scalar(
        select(m.Target).where(
            m.Target.indicator_id == indicator_id,
            m.Target.area_code.is_(None) if area_code is None else m.Target.area_code == area_code,
            m.Target.period_type == PeriodType.YEAR,
            m.Target.period_start == date(year, 1, 1),
        )
    )


def _subject(info: TargetInfo) -> str:
    return f"målvärde {info.indicator_id}, {info.area_name}, {info.year}"


def _state(target: m.Target) -> dict[str, object]:
    return {
        "värde": target.value,
        "kommentar": target.note,
        "satt av": target.set_by,
        "satt": _when(target.set_at),
    }


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    # SQLite hands back naive datetimes; every stored time is UTC.
    return local_time(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
