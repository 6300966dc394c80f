"""Writing and removing analyses, each with its entry in the audit log; reading them:
indicators.reads.analyses."""

from datetime import UTC, datetime

from indicators.reads.analyses import analysis_info
from indicators.reads.models import AnalysisInfo
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, AuditAction
from indicators.vocabulary.periods import parse_period
from indicators.writes import audit

MAX_TEXT = 2000


class AnalysisError(ValueError):
    """Invalid input for an analysis; `messages` are Swedish and name the field."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


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
        info = analysis_info(analysis, names)
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
        info = analysis_info(analysis, {area: s.get_one(m.Area, area).name} if area else {})
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
