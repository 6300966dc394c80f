"""What the tests of the stored summaries (hidden cells, follow-up totals, series updates) share:
a store with Exempeldata for Riket, the county and its kommuner 2021–2023, built once per
backend, and import files in the template's layout."""

from indicators.imports.records import UploadedFile
from indicators.settings import Settings
from indicators.store.engine import session_scope
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, NATION_CODE
from indicators.writes.bootstrap import prepare_store
from indicators.writes.seed import seed_demo

TEMPLATE_NAME = "county-summaries"
USER = "Anna Analytiker"
RATE = "U01405"  # a rate with numerator and denominator in the demo


def prepare_county(url: str) -> None:
    prepare_store(Settings(database_url=url, seed_demo=False))
    with session_scope(url) as session:
        seed_demo(
            session,
            years=range(2021, 2024),
            area_codes=[NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES],
        )


def template(*lines: str) -> UploadedFile:
    header = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status"
    text = "\r\n".join([header, *lines]) + "\r\n"
    return UploadedFile("mall.csv", "\ufeff".encode() + text.encode("utf-8"))
