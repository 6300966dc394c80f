"""The Indikator page in a real Chromium: the period lives in the URL, the ranking shows the
store's numbers, and an analyst sets a target and writes an analysis (on a copy of the store)."""

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from conftest import served
from playwright.sync_api import Page, Request, expect
from sqlalchemy import select
from sqlalchemy.engine import make_url

from indicators.reads.targets import target_status, targets_for
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, ObservationStatus
from indicators.vocabulary.formatting import format_number

pytestmark = pytest.mark.browser

RATE = "N21497"  # andel med täljare och nämnare, högre är bättre, per kön
# A page redraws four charts after a change; on a shared, busy test machine that can take longer
# than Playwright's default five seconds. This is patience, not a timing assertion.
PATIENCE = 30_000


def _stored_year(store: Store, indicator_id: str, year: int) -> dict[str, tuple]:
    with session_scope(store.url) as s:
        rows = s.execute(
            select(m.Observation.area_code, m.Observation.value, m.Observation.status).where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.gender == "T",
                m.Observation.period_start == date(year, 1, 1),
            )
        ).all()
    return {code: (value, status) for code, value, status in rows}


def _latest_year(store: Store, indicator_id: str) -> int:
    with session_scope(store.url) as s:
        starts = s.scalars(
            select(m.Observation.period_start).where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.status == ObservationStatus.OK,
            )
        ).all()
    return max(starts).year


def _copy(store: Store, folder: Path) -> Store:
    """A consistent copy of the SQLite store (WAL included), for a test that writes."""
    target = folder / "kopia.sqlite"
    source = sqlite3.connect(make_url(store.url).database)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    return Store(f"sqlite:///{target}")


def test_period_choice_lives_in_the_url_and_the_ranking_shows_the_stores_values(
    page: Page, live_server: str, demo_store: Store, catalogue
):
    requests = record_requests(page)
    decimals = catalogue.indicator(RATE).decimals
    latest = _latest_year(demo_store, RATE)
    page.goto(f"{live_server}/indikator/{RATE}")
    wait_for_dash(page)
    period = page.get_by_label("Jämför kommunerna år")
    expect(period).to_have_value(str(latest), timeout=PATIENCE)

    earlier = latest - 3
    period.select_option(str(earlier))
    expect(page).to_have_url(re.compile(rf"/indikator/{RATE}\?period={earlier}$"))
    table = page.locator("#indikator-rangordning-tabell-data")
    expect(table.locator("caption")).to_contain_text(str(earlier), timeout=PATIENCE)
    stored = _stored_year(demo_store, RATE, earlier)
    for code in COUNTY_KOMMUN_CODES:
        value, status = stored[code]
        expected = (
            format_number(value, decimals)
            if status == ObservationStatus.OK
            else ObservationStatus(status).label
        )
        expect(table.locator(f"tr[data-area='{code}'] td.value")).to_have_text(expected)
    expect(page.locator("#indikator-rangordning")).to_contain_text("kommunerna " + str(earlier))
    expect(page.locator("#indikator-karta")).to_contain_text("kommunerna " + str(earlier))

    page.go_back()
    expect(page).to_have_url(re.compile(rf"/indikator/{RATE}$"))
    expect(period).to_have_value(str(latest), timeout=PATIENCE)
    expect(table.locator("caption")).to_contain_text(str(latest), timeout=PATIENCE)
    page.go_forward()
    expect(period).to_have_value(str(earlier), timeout=PATIENCE)

    page.goto(f"{live_server}/indikator/{RATE}?period={earlier}&kommuner=0680")
    wait_for_dash(page)
    expect(period).to_have_value(str(earlier))
    expect(page.get_by_label("Jönköping")).to_be_checked()
    # the ranking always shows all 13, whatever the time series shows
    expect(table.locator("tbody tr[data-area]")).to_have_count(
        len(COUNTY_KOMMUN_CODES), timeout=PATIENCE
    )
    assert serious_axe_violations(page) == []
    assert off_machine(requests) == []


def test_an_analyst_sets_a_target_and_writes_an_analysis(
    page: Page, demo_store: Store, catalogue, tmp_path: Path
):
    ind = catalogue.indicator(RATE)
    store = _copy(demo_store, tmp_path)
    latest = _latest_year(store, RATE)
    county_value = _stored_year(store, RATE, latest)[COUNTY_CODE][0]
    requests = record_requests(page)
    with served(store.url, tmp_path) as url:
        page.goto(f"{url}/indikator/{RATE}")
        wait_for_dash(page)
        expect(page.locator("#indikator-malstatus")).to_contain_text(
            "Inget målvärde är satt", timeout=PATIENCE
        )

        page.get_by_text("Sätt ett målvärde").click()
        page.locator("#indikator-mal-varde").fill("120")
        page.get_by_role("button", name="Spara målvärde").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "Målvärde: en andel ska ligga mellan 0 och 100 %.", timeout=PATIENCE
        )
        page.locator("#indikator-mal-varde").fill("75")
        page.locator("#indikator-mal-ar").fill("2030")
        page.locator("#indikator-mal-kommentar").fill("Beslutat av ReKo")
        page.get_by_role("button", name="Spara målvärde").click()
        expect(page.locator("#indikator-mal-meddelande")).to_contain_text(
            "Sparat: Mål 2030: 75,0", timeout=PATIENCE
        )
        status = target_status(county_value, 75.0, ind.direction, ind.decimals)
        summary = page.locator("#indikator-malstatus")
        expect(summary).to_contain_text(re.compile(r"Mål 2030: 75,0\s%"), timeout=PATIENCE)
        expect(summary).to_contain_text(status.label)
        expect(page.locator("#indikator-diagram")).to_contain_text(
            re.compile(r"Mål 2030: 75,0"), timeout=PATIENCE
        )
        expect(page.locator("#indikator-mal-lista tr[data-year='2030']")).to_contain_text(
            "Beslutat av ReKo"
        )

        page.get_by_text("Skriv en analys för vald period").click()
        page.locator("#indikator-analys-text").fill("Länet ligger under målet.\nSe Aneby.")
        page.locator("#indikator-analys-omrade").select_option("0604")
        page.get_by_role("button", name="Spara analys").click()
        article = page.locator("#indikator-analyser article")
        expect(article).to_have_count(1, timeout=PATIENCE)
        expect(article).to_contain_text(f"{latest} – Aneby")
        expect(article).to_contain_text("Länet ligger under målet.")
        assert serious_axe_violations(page) == []

    (target,) = targets_for(store, RATE)
    assert (target.area_code, target.year, target.value) == (None, 2030, 75.0)
    assert target.note == "Beslutat av ReKo"
    assert off_machine(requests) == []


def test_the_page_opens_with_its_chart_and_asks_for_the_period_views_at_once(
    page: Page, live_server: str
):
    """The chart over time and its table come with the page, for the address it was opened at:
    update_view is not asked as the page opens, so the period views and the similar kommuner,
    which take its outputs as inputs, are not held back until its answer has been drawn. A
    change of the selection still redraws the chart through it."""
    asked: list[str] = []

    def record(request: Request) -> None:
        if "/_dash-update-component" in request.url and request.post_data:
            asked.append(request.post_data_json["output"])

    page.on("request", record)
    page.goto(f"{live_server}/indikator/{RATE}?kommuner=0680")
    wait_for_dash(page)
    expect(page.locator("#indikator-diagram .main-svg").first).to_be_visible(timeout=PATIENCE)
    expect(page.locator("#indikator-diagram")).to_contain_text("Jönköping")
    expect(page.locator("#indikator-tabell table")).to_contain_text("Jönköping")
    assert not [o for o in asked if "indikator-diagram.figure" in o]
    assert [o for o in asked if "indikator-rangordning.figure" in o]
    assert [o for o in asked if "indikator-liknande-diagram.figure" in o]

    page.get_by_label("Värnamo").check()
    expect(page).to_have_url(re.compile(rf"/indikator/{RATE}\?kommuner=0680(%2C|,)0683$"))
    expect(page.locator("#indikator-tabell table")).to_contain_text("Värnamo", timeout=PATIENCE)
    expect(page.locator("#indikator-diagram")).to_contain_text("Värnamo", timeout=PATIENCE)
    assert [o for o in asked if "indikator-diagram.figure" in o]
