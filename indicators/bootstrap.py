"""Bring a store to a usable state: latest migration, current catalogue and areas, and the demo
data when the store holds no observations yet. Safe to run on every start."""

import logging
from dataclasses import dataclass

from indicators.catalogue import load_catalogue
from indicators.catalogue.sync import read_kolada_areas, store_is_empty, sync_areas, sync_catalogue
from indicators.seed import seed_demo
from indicators.settings import Settings
from indicators.store.engine import session_scope
from indicators.store.migrate import upgrade_to_head

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrepareReport:
    catalogue_changes: int
    area_changes: int
    demo_observations: int


def prepare_store(settings: Settings) -> PrepareReport:
    url = settings.database_url
    upgrade_to_head(url)
    catalogue = load_catalogue()
    with session_scope(url) as session:
        areas = sync_areas(session, read_kolada_areas())
        cat = sync_catalogue(session, catalogue)
        seeded = 0
        if settings.seed_demo and store_is_empty(session):
            seeded = seed_demo(session).observations
    report = PrepareReport(cat.changes, areas.changes, seeded)
    log.info(
        "Lagret klart: %s katalogändringar, %s områdesändringar, %s observationer Exempeldata",
        report.catalogue_changes,
        report.area_changes,
        report.demo_observations,
    )
    return report
