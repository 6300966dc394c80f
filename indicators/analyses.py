"""Analyser: an analyst's short written analysis of an indicator for one period, optionally
for one kommun. Stored as plain text (never rendered as HTML or Markdown), at most MAX_TEXT
characters."""

import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from indicators import audit
from indicators.domain import COUNTY_CODE, AuditAction, PeriodType
from indicators.periods import period_label
from indicators.reads.common import area_names
from indicators.reads.models import AnalysisInfo
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store

MAX_TEXT = 2000
COUNTY_LABEL = "hela länet"


class AnalysisError(ValueError):
    """Invalid input for an analysis; `messages` are Swedish and name the field."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


_PERIOD = re.compile(r"^(\d{4})(?:([HQM])(\d{1,2}))?$")


def parse_period(label: str) -> tuple[PeriodType, date] | None:
    """The canonical labels of indicators.periods back to (type, start); None if not one."""
    match = _PERIOD.match(label.strip().upper())
    if not match:
        return None
    year, kind, number = int(match[1]), match[2], int(match[3] or 0)
    if kind is None:
        return PeriodType.YEAR, date(year, 1, 1)
    if kind == "H" and number in (1, 2):
        return PeriodType.HALF_YEAR, date(year, 1 + 6 * (number - 1), 1)
    if kind == "Q" and 1 <= number <= 4:
        return PeriodType.QUARTER, date(year, 1 + 3 * (number - 1), 1)
    if kind == "M" and 1 <= number <= 12:
        return PeriodType.MONTH, date(year, number, 1)
    return None


def _info(a: m.Analysis, names: dict[str, str]) -> AnalysisInfo:
    pt = PeriodType(a.period_type)
    return AnalysisInfo(
        id=a.id,
        indicator_id=a.indicator_id,
        area_code=a.area_code,
        area_name=COUNTY_LABEL if a.area_code is None else names.get(a.area_code, a.area_code),
        period=period_label(pt, a.period_start),
        period_type=pt,
        period_start=a.period_start,
        text=a.text,
        written_by=a.written_by,
        written_at=a.written_at,
    )


def analyses_for(
    store: Store, indicator_id: str, area_code: str | None = None, period: str | None = None
) -> list[AnalysisInfo]:
    """Analyses of one indicator, newest period first, then newest written first.

    With area_code, that kommun's analyses and the county-wide ones; without, all of them.
    With period (a label such as "2024"), only that period's."""
    with session_scope(store.url) as s:
        query = select(m.Analysis).where(m.Analysis.indicator_id == indicator_id)
        if area_code is not None and area_code != COUNTY_CODE:
            query = query.where(
                (m.Analysis.area_code == area_code) | m.Analysis.area_code.is_(None)
            )
        if period is not None:
            parsed = parse_period(period)
            if parsed is None:
                return []
            query = query.where(
                m.Analysis.period_type == parsed[0], m.Analysis.period_start == parsed[1]
            )
        rows = s.scalars(
            query.order_by(
                m.Analysis.period_start.desc(), m.Analysis.written_at.desc(), m.Analysis.id.desc()
            )
        ).all()
        names = area_names(s)
        return [_info(a, names) for a in rows]


def add_analysis(
    store: Store,
    indicator_id: str,
    period: str,
    text: str,
    user: str,
    area_code: str | None = None,
) -> AnalysisInfo:
    """Save a new analysis. Raises AnalysisError with Swedish messages on invalid input."""
    text = (text or "").strip()
    if area_code in ("", COUNTY_CODE):
        area_code = None
    errors: list[str] = []
    parsed = parse_period(period or "")
    if parsed is None:
        errors.append(f"Period: '{period}' är ingen period (till exempel 2024 eller 2024Q1).")
    if not text:
        errors.append("Analys: skriv en text.")
    elif len(text) > MAX_TEXT:
        errors.append(f"Analys: högst {MAX_TEXT} tecken (nu {len(text)}).")
    with session_scope(store.url) as s:
        if s.get(m.Indicator, indicator_id) is None:
            raise AnalysisError([f"Indikatorn {indicator_id} finns inte."])
        if area_code is not None and s.get(m.Area, area_code) is None:
            errors.append(f"Kommun: området {area_code} finns inte.")
        if errors:
            raise AnalysisError(errors)
        assert parsed is not None
        analysis = m.Analysis(
            indicator_id=indicator_id,
            area_code=area_code,
            period_type=parsed[0],
            period_start=parsed[1],
            text=text,
            written_by=user[:120],  # the column's width: PostgreSQL refuses longer text
            written_at=datetime.now(UTC),
        )
        s.add(analysis)
        s.flush()
        names = {area_code: s.get_one(m.Area, area_code).name} if area_code else {}
        info = _info(analysis, names)
        audit.record(
            s,
            user,
            AuditAction.ANALYSIS_ADDED,
            _subject(info),
            after={"id": info.id, **_state(info)},
        )
        return info


def delete_analysis(store: Store, analysis_id: int, *, actor: str = "") -> bool:
    """Remove one analysis; False when there was none. `actor` is who removes it (audit log)."""
    with session_scope(store.url) as s:
        analysis = s.get(m.Analysis, analysis_id)
        if analysis is None:
            return False
        area = analysis.area_code
        info = _info(analysis, {area: s.get_one(m.Area, area).name} if area else {})
        s.delete(analysis)
        audit.record(
            s,
            actor,
            AuditAction.ANALYSIS_REMOVED,
            _subject(info),
            before={"id": info.id, **_state(info), "skriven av": info.written_by},
        )
        return True


def _subject(info: AnalysisInfo) -> str:
    return f"analys {info.indicator_id}, {info.area_name}, {info.period}"


def _state(info: AnalysisInfo) -> dict[str, object]:
    return {"period": info.period, "område": info.area_name, "text": info.text}
