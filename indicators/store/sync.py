"""Write the catalogue file and the Kolada area list into the store. Idempotent: a second run
with the same input changes nothing and reports zero changes."""

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.catalogue.models import Catalogue
from indicators.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, NATION_CODE, AreaKind
from indicators.paths import KOLADA_AREAS_FILE
from indicators.store import models as m


@dataclass
class SyncReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return sum(self.added.values()) + sum(self.updated.values())

    def count(self, table: str, *, added: bool) -> None:
        target = self.added if added else self.updated
        target[table] = target.get(table, 0) + 1


def _upsert(
    session: Session, model: type, key: Any, values: dict[str, Any], report: SyncReport
) -> Any:
    row = session.get(model, key)
    if row is None:
        row = model(**values)
        session.add(row)
        report.count(model.__tablename__, added=True)
        return row
    if any(getattr(row, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(row, k, v)
        report.count(model.__tablename__, added=False)
    return row


def sync_catalogue(session: Session, catalogue: Catalogue) -> SyncReport:
    report = SyncReport()
    groups = {}
    for order, g in enumerate(catalogue.strategigrupper):
        groups[g.id] = _upsert(
            session,
            m.Strategigrupp,
            g.id,
            {
                "id": g.id,
                "name": g.name,
                "description": g.description,
                "sort_order": order,
            },
            report,
        )
    for s in catalogue.strategies:
        _upsert(
            session,
            m.Strategy,
            s.number,
            {
                "number": s.number,
                "title": s.title,
                "aim": s.aim,
                "koppling_till_malbild": list(s.koppling_till_malbild),
                "utvecklingsomraden": list(s.utvecklingsomraden),
                "followed_up_by": s.followed_up_by,
            },
            report,
        )
    session.flush()
    for order, a in enumerate(catalogue.matomraden):
        row = _upsert(
            session,
            m.Matomrade,
            a.id,
            {
                "id": a.id,
                "strategy_number": a.strategy,
                "title": a.title,
                "description": a.description,
                "sort_order": order,
            },
            report,
        )
        _set_groups(row, [groups[g] for g in a.strategigrupper], report)
    session.flush()
    for order, i in enumerate(catalogue.indicators):
        row = _upsert(
            session,
            m.Indicator,
            i.id,
            {
                "id": i.id,
                "title": i.title,
                "short_title": i.short_title,
                "description": i.description,
                "unit": i.unit,
                "value_kind": i.value_kind,
                "direction": i.direction,
                "decimals": i.decimals,
                "source": i.source,
                "source_id": i.source_id,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "period_type": i.period_type,
                "by_gender": i.by_gender,
                "area_level": i.area_level,
                "headline": i.headline,
                "sort_order": order,
            },
            report,
        )
        _set_groups(row, [groups[g] for g in i.strategigrupper], report)
        _set_codes(row, {c.code: c.label for c in i.codes}, report)
        _set_links(session, row, i.matomraden, report)
    session.flush()
    return report


def _set_groups(row: Any, wanted: list[m.Strategigrupp], report: SyncReport) -> None:
    if [g.id for g in row.strategigrupper] != [g.id for g in wanted]:
        row.strategigrupper = wanted
        report.count(f"{row.__tablename__}_strategigrupp", added=False)


def _set_codes(row: m.Indicator, wanted: dict[int, str], report: SyncReport) -> None:
    if {c.code: c.label for c in row.codes} != wanted:
        row.codes = [m.IndicatorCode(code=code, label=label) for code, label in wanted.items()]
        report.count("indicator_code", added=False)


def _set_links(
    session: Session, row: m.Indicator, matomraden: list[str], report: SyncReport
) -> None:
    existing = {link.matomrade_id: link.sort_order for link in row.links}
    wanted = {mid: row.sort_order for mid in matomraden}
    if existing != wanted:
        row.links = [
            m.IndicatorMatomrade(matomrade_id=mid, sort_order=order)
            for mid, order in wanted.items()
        ]
        report.count("indicator_matomrade", added=False)


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    kind: AreaKind
    parent_code: str | None
    sort_order: int


def read_kolada_areas(path: Path = KOLADA_AREAS_FILE) -> list[AreaRow]:
    """Riket, the 21 regioner and the 290 kommuner; the county and its kommuner sort first."""
    with path.open(encoding="utf-8", newline="") as f:
        raw = list(csv.DictReader(f))
    focus = [NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES]
    rows = []
    for r in raw:
        code = r["id"].strip()
        if code == NATION_CODE:
            kind, parent = AreaKind.NATION, None
        elif r["type"] == "L":
            kind, parent = AreaKind.REGION, NATION_CODE
        else:
            kind, parent = AreaKind.KOMMUN, f"00{code[:2]}"
        order = focus.index(code) if code in focus else len(focus) + 1
        rows.append(AreaRow(code, r["title"].strip(), kind, parent, order))
    return sorted(rows, key=lambda a: (a.sort_order, a.name))


def sync_areas(session: Session, areas: list[AreaRow]) -> SyncReport:
    report = SyncReport()
    # Loading every area once fills the identity map, so _upsert's lookups need no queries.
    session.scalars(select(m.Area)).all()
    for kind in (AreaKind.NATION, AreaKind.REGION, AreaKind.KOMMUN, AreaKind.UNIT):
        for a in (a for a in areas if a.kind is kind):
            values = {
                "code": a.code,
                "name": a.name,
                "kind": a.kind,
                "parent_code": a.parent_code,
                "sort_order": a.sort_order,
            }
            _upsert(session, m.Area, a.code, values, report)
        # Parents are flushed before their children, so foreign keys always resolve.
        session.flush()
    return report


def store_is_empty(session: Session) -> bool:
    return session.scalar(select(m.Observation.id).limit(1)) is None
