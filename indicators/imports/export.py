"""Stored observations in the long template layout, so analysts can take data to Excel and bring
it back: importing an export again changes nothing."""

import json
from datetime import date

import pandas as pd
from sqlalchemy import case, select

from indicators.imports.formats.mall import TEMPLATE_COLUMNS
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import Gender, ObservationStatus, PeriodType
from indicators.vocabulary.periods import period_label

_GENDER_ORDER = {Gender.TOTAL.value: 0, Gender.WOMEN.value: 1, Gender.MEN.value: 2}
_NUMBER_COLUMNS = ("Värde", "Täljare", "Nämnare")


def status_text(status: ObservationStatus, reason: str) -> str:
    """The template's Status cell: empty when the value exists, otherwise the source's own
    marker and meaning as stored (e.g. "..: sekretess"), or the status word."""
    if status is ObservationStatus.OK:
        return ""
    return reason or status.label


def export_observations(
    store: Store, *, indicator_ids: list[str] | None, area_codes: list[str] | None
) -> pd.DataFrame:
    """Every stored observation (optionally of some indicators and areas) as template rows,
    ordered by indicator, area, period and gender. None means no filter."""
    query = select(
        m.Observation.indicator_id,
        m.Observation.area_code,
        m.Observation.period_type,
        m.Observation.period_start,
        m.Observation.gender,
        m.Observation.value,
        m.Observation.numerator,
        m.Observation.denominator,
        m.Observation.status,
        m.Observation.status_reason,
    )
    if indicator_ids is not None:
        query = query.where(m.Observation.indicator_id.in_(indicator_ids))
    if area_codes is not None:
        query = query.where(m.Observation.area_code.in_(area_codes))
    query = query.order_by(
        m.Observation.indicator_id,
        m.Observation.area_code,
        m.Observation.period_start,
        m.Observation.period_type,
        case(_GENDER_ORDER, value=m.Observation.gender, else_=len(_GENDER_ORDER)),
    )
    with session_scope(store.url) as session:
        rows = session.execute(query).all()
    labels: dict[tuple[str, date], str] = {}
    statuses = {s.value: s for s in ObservationStatus}

    def label(ptype: str, start: date) -> str:
        # A whole store has a few hundred distinct periods among hundreds of thousands of rows.
        key = (str(ptype), start)
        if key not in labels:
            labels[key] = period_label(PeriodType(ptype), start)
        return labels[key]

    records = [
        (
            ind,
            area,
            label(ptype, start),
            str(gender),
            value,
            numerator,
            denominator,
            status_text(statuses[str(status)], reason or ""),
        )
        for ind, area, ptype, start, gender, value, numerator, denominator, status, reason in rows
    ]
    frame = pd.DataFrame(records, columns=TEMPLATE_COLUMNS)
    return frame.astype({c: "float64" for c in _NUMBER_COLUMNS})


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    """Template rows as a JSON list of objects; missing numbers are null. Floats keep every
    digit (pandas' own to_json rounds to 10 significant digits)."""
    records = [
        {c: _json_value(v) for c, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _json_value(value: object) -> object:
    if isinstance(value, float):
        return None if pd.isna(value) else float(value)
    return value
