"""The store on a real SQLite file and a real PostgreSQL database: keys and constraints,
idempotent catalogue sync. Migrations both ways: test_migrations.py."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.vocabulary.domain import (
    COUNTY_KOMMUN_CODES,
    AreaKind,
    Gender,
    ObservationStatus,
    PeriodType,
)
from indicators.writes.catalogue_sync import read_kolada_areas, sync_areas, sync_catalogue


@pytest.fixture
def synced_url(prepared_store_url):
    """Migrated, catalogue and areas synced: on SQLite and on PostgreSQL."""
    return prepared_store_url


def test_areas_are_riket_the_regions_and_all_kommuner(synced_url):
    with session_scope(synced_url) as s:
        kinds = dict(s.execute(select(m.Area.kind, func.count()).group_by(m.Area.kind)).all())
        assert kinds == {AreaKind.NATION: 1, AreaKind.REGION: 21, AreaKind.KOMMUN: 290}
        county = s.get(m.Area, "0006")
        assert county.name == "Region Jönköpings län"
        assert county.parent_code == "0000"
        for code in COUNTY_KOMMUN_CODES:
            assert s.get(m.Area, code).parent_code == "0006"
        assert s.get(m.Area, "0680").name == "Jönköping"


def test_catalogue_sync_is_idempotent(synced_url, catalogue):
    with session_scope(synced_url) as s:
        again = sync_catalogue(s, catalogue)
        areas = sync_areas(s, read_kolada_areas())
        assert again.changes == 0
        assert areas.changes == 0
        assert s.scalar(select(func.count()).select_from(m.Indicator)) == len(catalogue.indicators)
        coded = s.get(m.Indicator, "U21340")
        assert {c.code: c.label for c in coded.codes} == {
            0: "Nej",
            1: "Testverksamhet",
            2: "Breddinfört",
        }


def test_catalogue_sync_applies_an_edit(synced_url, catalogue):
    edited = catalogue.model_copy(
        update={
            "indicators": [
                i.model_copy(update={"short_title": "Ny kort titel"}) if i.id == "U23401" else i
                for i in catalogue.indicators
            ]
        }
    )
    with session_scope(synced_url) as s:
        report = sync_catalogue(s, edited)
        assert report.updated == {"indicator": 1}
    with session_scope(synced_url) as s:
        assert s.get(m.Indicator, "U23401").short_title == "Ny kort titel"


def _batch(s) -> m.ImportBatch:
    batch = m.ImportBatch(
        source_name="test.csv",
        sha256="0" * 64,
        format="test",
        imported_by="test",
        imported_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    s.add(batch)
    s.flush()
    return batch


def _observation(batch_id: int, **overrides) -> m.Observation:
    values = dict(
        indicator_id="U23431",
        area_code="0680",
        period_type=PeriodType.YEAR,
        period_start=date(2023, 1, 1),
        gender=Gender.TOTAL,
        value=12.5,
        status=ObservationStatus.OK,
        batch_id=batch_id,
    )
    return m.Observation(**{**values, **overrides})


def test_one_observation_per_indicator_area_period_and_gender(synced_url):
    with pytest.raises(IntegrityError), session_scope(synced_url) as s:
        batch = _batch(s)
        s.add(_observation(batch.id))
        s.add(_observation(batch.id, value=13.0))
    with session_scope(synced_url) as s:
        # the failed transaction left nothing behind: all or nothing
        assert s.scalar(select(func.count()).select_from(m.ImportBatch)) == 0
        batch = _batch(s)
        s.add(_observation(batch.id))
        s.add(_observation(batch.id, gender=Gender.WOMEN))
        s.add(_observation(batch.id, period_start=date(2024, 1, 1)))
    with session_scope(synced_url) as s:
        assert s.scalar(select(func.count()).select_from(m.Observation)) == 3


def test_a_suppressed_observation_cannot_carry_a_value(synced_url):
    with pytest.raises(IntegrityError), session_scope(synced_url) as s:
        batch = _batch(s)
        s.add(_observation(batch.id, status=ObservationStatus.SUPPRESSED, value=0.0))


def test_observations_need_a_known_area(synced_url):
    with pytest.raises(IntegrityError), session_scope(synced_url) as s:
        batch = _batch(s)
        s.add(_observation(batch.id, area_code="680"))


def test_one_county_wide_target_per_indicator_and_year(synced_url):
    target = dict(
        indicator_id="U23431", period_type=PeriodType.YEAR, period_start=date(2030, 1, 1), value=5.0
    )
    with session_scope(synced_url) as s:
        s.add(m.Target(**target, area_code=None))
        s.add(m.Target(**target, area_code="0680"))
    with pytest.raises(IntegrityError), session_scope(synced_url) as s:
        s.add(m.Target(**target, area_code=None))


def test_what_leaves_the_catalogue_leaves_the_store_but_values_stay(synced_url, catalogue):
    with session_scope(synced_url) as s:
        batch = _batch(s)
        s.add(_observation(batch.id, indicator_id="U23431"))
    removed_area = next(a for a in catalogue.matomraden if a.id == "s1-strategi-for-halsa")
    smaller = catalogue.model_copy(
        update={
            "indicators": [
                i.model_copy(
                    update={"matomraden": [x for x in i.matomraden if x != removed_area.id]}
                )
                for i in catalogue.indicators
                if i.id not in ("U23401", "U23431") and i.matomraden != [removed_area.id]
            ],
            "matomraden": [a for a in catalogue.matomraden if a.id != removed_area.id],
        }
    )
    with session_scope(synced_url) as s:
        report = sync_catalogue(s, smaller)
        assert report.removed["matomrade"] == 1
        assert report.removed["indicator"] >= 1
    with session_scope(synced_url) as s:
        assert s.get(m.Matomrade, removed_area.id) is None
        assert s.get(m.Indicator, "U23401") is None  # no values: gone
        kept = s.get(m.Indicator, "U23431")  # has a value: kept, but in no mätområde
        assert kept is not None and kept.links == [] and kept.strategigrupper == []
        assert s.scalar(select(func.count()).select_from(m.Observation)) == 1
        assert sync_catalogue(s, smaller).changes == 0
    with session_scope(synced_url) as s:
        assert sync_catalogue(s, catalogue).added["matomrade"] == 1
