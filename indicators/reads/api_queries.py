"""What the read API (`/api/v1`) asks of the store, as plain data ready for JSON or CSV.

Values come through `queries.indicator_series`, the very function the pages read with, so the
API hides exactly what the pages hide (indicators.reads.suppression: small numbers and the cells
that would give them away). A value that is not "ok" is never returned, nor its numerator or
denominator."""

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from indicators.reads.api_params import ObservationQuery, parse_observation_query
from indicators.reads.queries import has_demo_data, indicator_series
from indicators.reads.suppression import REASON_COLUMN
from indicators.settings import get_settings
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaKind,
    Direction,
    Gender,
    ObservationStatus,
    PeriodType,
    ValueKind,
)
from indicators.vocabulary.periods import parse_period, period_order

COUNTY_AREA_CODES: tuple[str, ...] = (NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES)
AREA_LEVELS = {AreaKind.NATION: 0, AreaKind.REGION: 1, AreaKind.KOMMUN: 2, AreaKind.UNIT: 3}


def status_label(status: ObservationStatus) -> str:
    """The status in a Swedish word; "ok" has none on the pages (the value speaks)."""
    return status.label or "värde finns"


# The shapes below document the API (OpenAPI schemas are built from them) and the tests check
# every returned row against them.


class Placement(BaseModel):
    strategy: int = Field(description="Strateginummer 1–5.")
    matomrade_id: str
    matomrade: str = Field(description="Mätområdets rubrik.")


class NamedRef(BaseModel):
    id: str
    name: str


class IndicatorOut(BaseModel):
    id: str
    title: str
    short_title: str
    description: str
    unit: str
    value_kind: str = Field(description="rate, ratio, mean, median, index, count eller coded.")
    value_kind_label: str
    direction: str = Field(description="higher_better, lower_better eller neither.")
    direction_label: str
    decimals: int
    period_type: str
    by_gender: bool
    area_level: str = Field(description="kommun, region eller all.")
    source: str
    source_id: str
    origin: str = Field(description="katalog (strategins katalog) eller kolada (tillagd).")
    headline: bool
    strategies: list[int]
    matomraden: list[Placement]
    strategigrupper: list[NamedRef]
    codes: list[dict[str, Any]] = Field(
        description="Kodade indikatorer: [{code, label}]; annars tom."
    )


class AreaOut(BaseModel):
    code: str
    name: str
    kind: str = Field(description="riket, region, kommun eller unit.")
    level: int = Field(description="0 riket, 1 region (län), 2 kommun, 3 enhet.")
    parent: str | None = Field(description="Koden för området ovanför, om något.")
    in_county: bool = Field(description="Riket, Region Jönköpings län och länets kommuner.")


class ObservationOut(BaseModel):
    indicator: str
    area: str
    area_name: str
    period: str = Field(description="2021, 2021H1, 2021Q3 eller 2021M04.")
    period_type: str
    period_start: str = Field(description="Periodens första dag, ÅÅÅÅ-MM-DD.")
    gender: str = Field(description="T, K eller M.")
    value: float | None = Field(description="Null när status inte är ok.")
    status: str = Field(description="ok, missing, suppressed, not_applicable eller uncertain.")
    status_label: str = Field(description="Status i ord: värde finns, saknas, sekretess …")
    status_reason: str = Field(
        description="Varför ett värde döljs (t.ex. 'färre än 5'), annars källans egen "
        "anmärkning: dess markering för en lucka ('..: sekretess') eller en flagga på ett "
        "värde som visas ('e Uppskattat värde')."
    )
    numerator: float | None = Field(description="Täljare; bara när status är ok.")
    denominator: float | None = Field(description="Nämnare; bara när status är ok.")


OBSERVATION_FIELDS = list(ObservationOut.model_fields)


@dataclass(frozen=True)
class Observations:
    """The rows (columns OBSERVATION_FIELDS) and what the meta block says about them."""

    frame: pd.DataFrame
    query: ObservationQuery
    areas: tuple[str, ...]
    demo_data: bool


def indicator_list(store: Store) -> list[IndicatorOut]:
    """Every indicator, the catalogue's first in catalogue order, then those added from Kolada."""
    with session_scope(store.url) as s:
        rows = s.scalars(
            select(m.Indicator)
            .order_by((m.Indicator.origin != "katalog"), m.Indicator.sort_order, m.Indicator.id)
            .options(
                selectinload(m.Indicator.codes),
                selectinload(m.Indicator.strategigrupper),
                selectinload(m.Indicator.links).selectinload(m.IndicatorMatomrade.matomrade),
            )
        ).all()
        return [_indicator(i) for i in rows]


def _indicator(i: m.Indicator) -> IndicatorOut:
    placements = sorted(
        (link.matomrade.strategy_number, link.matomrade.sort_order, link.matomrade)
        for link in i.links
    )
    return IndicatorOut(
        id=i.id,
        title=i.title,
        short_title=i.short_title,
        description=i.description,
        unit=i.unit,
        value_kind=str(i.value_kind),
        value_kind_label=ValueKind(i.value_kind).label,
        direction=str(i.direction),
        direction_label=Direction(i.direction).label,
        decimals=i.decimals,
        period_type=str(i.period_type),
        by_gender=i.by_gender,
        area_level=str(i.area_level),
        source=i.source,
        source_id=i.source_id,
        origin=i.origin,
        headline=i.headline,
        strategies=sorted({n for n, _, _ in placements}),
        matomraden=[
            Placement(strategy=n, matomrade_id=ma.id, matomrade=ma.title) for n, _, ma in placements
        ],
        strategigrupper=[NamedRef(id=g.id, name=g.name) for g in i.strategigrupper],
        codes=[{"code": c.code, "label": c.label} for c in i.codes],
    )


def area_list(store: Store) -> list[AreaOut]:
    """Every stored area: Riket, the regions and the kommuner, in display order."""
    with session_scope(store.url) as s:
        rows = s.execute(
            select(m.Area.code, m.Area.name, m.Area.kind, m.Area.parent_code).order_by(
                m.Area.sort_order, m.Area.name
            )
        ).all()
    return [
        AreaOut(
            code=code,
            name=name,
            kind=str(kind),
            level=AREA_LEVELS[AreaKind(kind)],
            parent=parent,
            in_county=code in COUNTY_AREA_CODES,
        )
        for code, name, kind, parent in rows
    ]


def check_observation_query(store: Store, raw: dict[str, Any]) -> ObservationQuery:
    """The query string checked against the ids and codes in the store (ApiQueryError if not)."""
    with session_scope(store.url) as s:
        indicator_ids = s.scalars(select(m.Indicator.id)).all()
        area_codes = s.scalars(select(m.Area.code)).all()
    return parse_observation_query(
        raw, indicators=indicator_ids, areas=area_codes, default_areas=COUNTY_AREA_CODES
    )


def observations(store: Store, query: ObservationQuery) -> Observations:
    """The values asked for, suppressed exactly as on the pages: one `indicator_series` per
    indicator over every gender (secondary suppression must see K, M and T together), then
    narrowed to the years and genders asked for."""
    areas = query.area or COUNTY_AREA_CODES
    parts = []
    for indicator_id in query.indicator:
        series = indicator_series(store, indicator_id, list(areas), gender=None)
        if series.empty:
            continue
        years = pd.Series([d.year for d in series["period_start"]], index=series.index)
        keep = series["gender"].astype(str).isin([str(g) for g in query.gender])
        if query.year_from is not None:
            keep &= years >= query.year_from
        if query.year_to is not None:
            keep &= years <= query.year_to
        part = series[keep]
        parts.append(_rows(indicator_id, part))
    frame = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OBSERVATION_FIELDS)
    )
    return Observations(frame, query, tuple(areas), has_demo_data(store))


def _rows(indicator_id: str, part: pd.DataFrame) -> pd.DataFrame:
    status = [ObservationStatus(s) for s in part["status"]]
    ok = pd.Series([s is ObservationStatus.OK for s in status], index=part.index)
    frame = pd.DataFrame(
        {
            "indicator": indicator_id,
            "area": part["area_code"].astype(str),
            "area_name": part["area_name"].astype(str),
            "period": part["period"].astype(str),
            "period_type": [_period_type(p) for p in part["period"]],
            "period_start": [d.isoformat() for d in part["period_start"]],
            "gender": part["gender"].astype(str),
            # Belt and braces: whatever is not ok carries no number, whatever the source held.
            "value": part["value"].where(ok),
            "status": [str(s) for s in status],
            "status_label": [status_label(s) for s in status],
            "status_reason": part[REASON_COLUMN].astype(str),
            "numerator": part["numerator"].where(ok),
            "denominator": part["denominator"].where(ok),
        },
        index=part.index,
    )
    # indicator_series gives the areas in display order; keep it, then period, then T, K, M.
    frame["_area"] = pd.factorize(frame["area"])[0]
    frame["_gender"] = frame["gender"].map({str(g): n for n, g in enumerate(Gender)})
    frame["_period"] = [_period_order(p) for p in frame["period"]]
    frame = frame.sort_values(["_area", "_period", "_gender"], kind="stable")
    return frame[OBSERVATION_FIELDS].reset_index(drop=True)


def _period_order(label: str) -> tuple[date, int]:
    parsed = parse_period(label)
    return period_order(*parsed) if parsed is not None else (date.min, 0)


def _period_type(label: str) -> str:
    parsed = parse_period(label)
    return parsed[0].value if parsed is not None else PeriodType.YEAR.value


def observation_records(frame: pd.DataFrame) -> list[dict[Hashable, Any]]:
    """Rows as JSON-ready dicts: numbers as floats, NaN as None."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict(orient="records")


def observations_meta(result: Observations) -> dict[str, Any]:
    q = result.query
    return {
        **base_meta(len(result.frame), result.demo_data),
        "query": {
            "indicator": list(q.indicator),
            "area": list(result.areas),
            "from": q.year_from,
            "to": q.year_to,
            "gender": [str(g) for g in q.gender],
        },
    }


def base_meta(count: int, demo_data: bool) -> dict[str, Any]:
    threshold = get_settings().suppression_threshold
    note = (
        f"Värden som bygger på färre än {threshold} personer visas inte (status suppressed, "
        "sekretess), inte heller uppgifter som skulle avslöja dem. Samma uppgifter som "
        "instrumentpanelen visar."
    )
    if demo_data:
        note += " Lagret innehåller Exempeldata: påhittade värden, inte verkliga uppgifter."
    return {
        "count": count,
        "suppression_threshold": threshold,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "demo_data": demo_data,
        "source": note,
    }
