"""Write the catalogue file and the Kolada area list into the store. Idempotent: a second run
with the same input changes nothing and reports zero changes."""

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Column, delete, exists, select
from sqlalchemy.orm import Session

from indicators.catalogue.models import Catalogue
from indicators.catalogue.similar_groups import SimilarGroupDef
from indicators.paths import KOLADA_AREAS_FILE
from indicators.store import bulk
from indicators.store import models as m
from indicators.store.dml import rows_matched
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaKind,
    AuditAction,
)
from indicators.writes import audit

Model = TypeVar("Model", bound=m.Base)


@dataclass
class SyncReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return sum(self.added.values()) + sum(self.updated.values()) + sum(self.removed.values())

    def count(self, table: str, *, added: bool, n: int = 1) -> None:
        target = self.added if added else self.updated
        target[table] = target.get(table, 0) + n

    def count_removed(self, table: str, n: int) -> None:
        if n:
            self.removed[table] = self.removed.get(table, 0) + n

    def summary(self) -> dict[str, dict[str, int]]:
        """What changed, in Swedish words, for the audit log."""
        words = (("tillagda", self.added), ("ändrade", self.updated), ("borttagna", self.removed))
        return {
            word: {_TABLE_WORDS.get(t, t): n for t, n in sorted(counts.items())}
            for word, counts in words
            if counts
        }


_TABLE_WORDS = {
    "strategigrupp": "strategigrupper",
    "strategy": "strategier",
    "matomrade": "mätområden",
    "indicator": "indikatorer",
    "indicator_code": "indikatorkoder",
    "indicator_matomrade": "kopplingar indikator–mätområde",
    "indicator_strategigrupp": "kopplingar indikator–strategigrupp",
    "matomrade_strategigrupp": "kopplingar mätområde–strategigrupp",
    "area": "områden",
    "similar_group": "grupper av liknande kommuner",
    "similar_group_member": "medlemmar i grupper av liknande kommuner",
}
CATALOGUE_ACTOR = "system (katalog.toml)"
AREAS_ACTOR = "system (Koladas områdeslista)"
GROUPS_ACTOR = "system (Koladas grupper av liknande kommuner)"


def _record(session: Session, report: SyncReport, actor: str, subject: str) -> None:
    """One entry per sync that changed something; a sync that changed nothing leaves none, so
    the start of every worker does not fill the log."""
    if report.changes:
        audit.record(session, actor, AuditAction.CATALOGUE, subject, after=report.summary())


def _upsert(
    session: Session, model: type[Model], key: object, values: dict[str, Any], report: SyncReport
) -> Model:
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


def sync_catalogue(
    session: Session, catalogue: Catalogue, *, actor: str = CATALOGUE_ACTOR
) -> SyncReport:
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
        area = _upsert(
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
        _set_groups(area, [groups[g] for g in a.strategigrupper], report)
    session.flush()
    for order, i in enumerate(catalogue.indicators):
        indicator = _upsert(
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
                "delivered_by": i.delivered_by.value,
                "due_rule": i.due,
                "discontinued_from": i.discontinued_start,
                "similar_kind": catalogue.similar_kind(i),
            },
            report,
        )
        _set_groups(indicator, [groups[g] for g in i.strategigrupper], report)
        _set_codes(indicator, {c.code: c.label for c in i.codes}, report)
        _set_links(session, indicator, i.matomraden, report)
    session.flush()
    _remove_what_left_the_file(session, catalogue, report)
    _record(session, report, actor, "katalogen")
    return report


def _remove_what_left_the_file(session: Session, catalogue: Catalogue, report: SyncReport) -> None:
    """The file is the whole truth about the structure, so what an analyst deletes from it
    leaves the store. An indicator with stored values or targets is only unlinked from its
    mätområden and strategigrupper: no figure is ever deleted as a side effect of an edit."""
    indicators = [i.id for i in catalogue.indicators]
    areas = [a.id for a in catalogue.matomraden]
    groups = [g.id for g in catalogue.strategigrupper]
    strategies = [s.number for s in catalogue.strategies]
    link, area_group, ind_group = (
        m.IndicatorMatomrade.__table__,
        m.matomrade_strategigrupp,
        m.indicator_strategigrupp,
    )
    # Link tables first, then the rows they point at, so no foreign key is left dangling.
    kept: list[tuple[Column[Any], Sequence[str | int]]] = [
        (link.c.indicator_id, indicators),
        (link.c.matomrade_id, areas),
        (ind_group.c.indicator_id, indicators),
        (ind_group.c.strategigrupp_id, groups),
        (area_group.c.matomrade_id, areas),
        (area_group.c.strategigrupp_id, groups),
        (m.Matomrade.__table__.c.id, areas),
        (m.Strategy.__table__.c.number, strategies),
        (m.Strategigrupp.__table__.c.id, groups),
    ]
    for column, keep in kept:
        result = session.execute(delete(column.table).where(column.not_in(keep)))
        report.count_removed(column.table.name, rows_matched(result))
    unused = (
        select(m.Indicator.id)
        .where(m.Indicator.id.not_in(indicators))
        .where(m.Indicator.origin == "katalog")
        .where(~exists().where(m.Observation.indicator_id == m.Indicator.id))
        .where(~exists().where(m.Target.indicator_id == m.Indicator.id))
    )
    codes = m.IndicatorCode.__table__
    session.execute(delete(codes).where(codes.c.indicator_id.in_(unused)))
    gone = session.execute(delete(m.Indicator.__table__).where(m.Indicator.id.in_(unused)))
    report.count_removed("indicator", rows_matched(gone))
    # Core deletes bypass the identity map; loaded rows must not be trusted after them.
    session.expire_all()


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


def sync_areas(session: Session, areas: list[AreaRow], *, actor: str = AREAS_ACTOR) -> SyncReport:
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
    _record(session, report, actor, "områdena (län och kommuner)")
    return report


def sync_similar_groups(
    session: Session, groups: Sequence[SimilarGroupDef], *, actor: str = GROUPS_ACTOR
) -> SyncReport:
    """Kolada's groups of similar kommuner as the shipped file has them. Groups and members are
    compared with the store's as plain rows (two reads), and only the difference is written,
    the inserts through the bulk writer: the first sync writes about 24 000 members, every
    later start nothing. Groups of a kommun missing from the area table, and members missing
    from it, are left out (the foreign keys would refuse them)."""
    report = SyncReport()
    known = set(session.scalars(select(m.Area.code)))
    wanted = {
        g.id: (str(g.kind), g.area_code, g.title, g.year) for g in groups if g.area_code in known
    }
    wanted_members = {
        (g.id, code) for g in groups if g.id in wanted for code in g.members if code in known
    }
    group_table, member_table = m.SimilarGroup.__table__, m.SimilarGroupMember.__table__
    # fetched in one go (.all()): iterating a result row by row costs more than the read
    stored = {
        gid: (str(kind), area, title, year)
        for gid, kind, area, title, year in session.execute(
            select(
                group_table.c.id,
                group_table.c.kind,
                group_table.c.area_code,
                group_table.c.title,
                group_table.c.year,
            )
        ).all()
    }
    stored_members = {
        (gid, area)
        for gid, area in session.execute(
            select(member_table.c.group_id, member_table.c.area_code)
        ).all()
    }
    gone_members = stored_members - wanted_members
    if gone_members:
        frame = pd.DataFrame(sorted(gone_members), columns=["group_id", "area_code"])
        bulk.write_rows(session, bulk.delete(member_table, ["group_id", "area_code"]), frame)
        report.count_removed("similar_group_member", len(gone_members))
    gone = sorted(set(stored) - set(wanted))
    if gone:
        result = session.execute(delete(group_table).where(group_table.c.id.in_(gone)))
        report.count_removed("similar_group", rows_matched(result))
    columns = ["id", "kind", "area_code", "title", "year"]
    # A kind and kommun may move to a new group id when Kolada renews its groups: the old row
    # goes first (above), so the unique (kind, area_code) never sees both.
    changed = [(gid, *row) for gid, row in wanted.items() if gid in stored and stored[gid] != row]
    if changed:
        frame = pd.DataFrame(changed, columns=columns)
        write = bulk.update(group_table, columns[1:], ["id"])
        bulk.write_rows(session, write, frame, [*columns[1:], "id"])
        report.count("similar_group", added=False, n=len(changed))
    new = [(gid, *row) for gid, row in wanted.items() if gid not in stored]
    if new:
        frame = pd.DataFrame(new, columns=columns)
        bulk.write_rows(session, bulk.insert(group_table, columns), frame)
        report.count("similar_group", added=True, n=len(new))
    new_members = sorted(wanted_members - stored_members)
    if new_members:
        frame = pd.DataFrame(new_members, columns=["group_id", "area_code"])
        bulk.write_rows(session, bulk.insert(member_table, ["group_id", "area_code"]), frame)
        report.count("similar_group_member", added=True, n=len(new_members))
    _record(session, report, actor, "grupperna av liknande kommuner")
    return report


def store_is_empty(session: Session) -> bool:
    return session.scalar(select(m.Observation.id).limit(1)) is None
