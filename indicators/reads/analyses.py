"""Analyser: an analyst's short written analysis of an indicator for one period, optionally
for one kommun. Stored as plain text (never rendered as HTML or Markdown), at most MAX_TEXT
characters."""

from sqlalchemy import select

from indicators.reads.common import area_names
from indicators.reads.models import AnalysisInfo
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, PeriodType
from indicators.vocabulary.periods import parse_period, period_label

COUNTY_LABEL = "hela länet"


def analysis_info(a: m.Analysis, names: dict[str, str]) -> AnalysisInfo:
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
        return [analysis_info(a, names) for a in rows]
