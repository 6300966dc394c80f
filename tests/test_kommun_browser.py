"""Kommun, Jämförelse and Sedan förra mötet in a real headless Chromium against `python app.py`
over the demo store: reached from the navigation, selections in the URL, numbers equal to the
store's, deep links and back, axe clean, and no request off the machine."""

import re
from datetime import date, timedelta

import pytest
from browser_helpers import serious_axe_violations, wait_for_dash
from playwright.sync_api import expect
from sqlalchemy import select

from indicators.reads.followup.kommun import kommun_view
from indicators.reads.followup.since import since_meeting
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.vocabulary.formatting import format_number, format_value

pytestmark = pytest.mark.browser


def _stored(store, indicator_id: str, area: str, year: int) -> float | None:
    with session_scope(store.url) as s:
        return s.scalar(
            select(m.Observation.value).where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.area_code == area,
                m.Observation.gender == "T",
                m.Observation.status == "ok",
                m.Observation.period_start == date(year, 1, 1),
            )
        )


def test_kommun_page_from_the_navigation_shows_the_stores_values(visit, demo_store):
    page = visit("/")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Kommuner").click()
    expect(page).to_have_url(re.compile(r"/kommun$"))
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Region Jönköpings län")

    switch = page.get_by_role("navigation", name="Välj kommun eller regionen")
    switch.get_by_role("link", name="Jönköping", exact=True).click()
    expect(page).to_have_url(re.compile(r"/kommun/0680$"))
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Jönköping")
    expect(switch.get_by_role("link", name="Jönköping", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    view = kommun_view(demo_store, "0680")
    expect(page.locator("#kommun-sammanfattning")).to_have_text(view.summary_text)

    row = page.locator("tr[data-indicator='U23401']").first
    year = int(row.locator("td.latest .period").inner_text())
    value = _stored(demo_store, "U23401", "0680", year)
    # "dagar" is said once under the indicator's name, not after every number of the row.
    expect(row.locator("td.latest")).to_have_text(f"{format_value(value, 0, '')}{year}")
    expect(row.locator(".ind-meta")).to_contain_text("dagar")
    expect(row.locator("td.baseline")).to_have_text(
        format_value(_stored(demo_store, "U23401", "0680", 2020), 0, "")
    )
    expected = next(r for r in view.rows() if r.indicator.id == "U23401")
    expect(row.locator("td.change")).to_contain_text(expected.change.label)
    expect(row.locator("td.rank")).to_have_text(expected.rank_text)
    assert serious_axe_violations(page) == []

    page.go_back()
    wait_for_dash(page)
    expect(page).to_have_url(re.compile(r"/kommun$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Region Jönköpings län")


def test_jamforelse_selection_lives_in_the_url(visit, live_server, demo_store):
    page = visit("/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Jämförelse").click()
    expect(page).to_have_url(re.compile(r"/jamforelse$"))
    wait_for_dash(page)
    expect(page.locator(".js-plotly-plot")).to_be_visible()

    page.get_by_label("Strategi", exact=True).select_option("2")
    expect(page).to_have_url(re.compile(r"/jamforelse\?strategi=2$"))
    expect(page.locator("#jamforelse-val")).to_contain_text("(Strategi 2)")
    # the cell in U23401's row under Aneby's column (the header carries the kommun's code)
    table = page.locator("#jamforelse-datatabell")
    column = table.locator("thead th").evaluate_all(
        "ths => ths.findIndex(th => th.dataset.area === '0604')"
    )
    assert column > 0
    cell = table.locator(f"tr[data-indicator='U23401'] > :nth-child({column + 1})")
    expect(cell).to_have_attribute("title", re.compile(r"^\d{4}: "))
    year = int(cell.get_attribute("title")[:4])
    value = _stored(demo_store, "U23401", "0604", year)
    expect(cell).to_contain_text(format_number(value, 0))

    page.get_by_label("Avstånd till målet").check()
    expect(page).to_have_url(re.compile(r"strategi=2&farg=mal$"))
    expect(page.locator("#jamforelse-val")).to_contain_text("Inga mål är satta")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/jamforelse\?strategi=2$"))
    expect(page.get_by_label("Förändring sedan basåret")).to_be_checked()
    assert serious_axe_violations(page) == []

    page.goto(f"{live_server}/jamforelse?strategi=2&strategigrupp=aldre&farg=mal")
    wait_for_dash(page)
    expect(page.get_by_label("Strategigrupp")).to_have_value("aldre")
    expect(page.get_by_label("Strategi", exact=True)).to_have_value("2")
    expect(page.get_by_label("Avstånd till målet")).to_be_checked()
    expect(page.locator("#jamforelse-val")).to_contain_text("Strategi 2, strategigrupp Äldre")


def test_sedan_forra_motet_is_honest_about_demo_data(visit, live_server, demo_store):
    page = visit("/")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Sedan förra mötet").click()
    expect(page).to_have_url(re.compile(r"/sedan-forra-motet$"))
    wait_for_dash(page)
    default = (date.today() - timedelta(days=30)).isoformat()
    expect(page.get_by_label("Förra mötet")).to_have_value(default)
    expect(page.locator("#sedan-inga-importer")).to_contain_text("Inget har lästs in sedan")
    expect(page.locator("#sedan-bara-exempeldata")).to_be_visible()

    field = page.get_by_label("Förra mötet")
    field.fill("2025-12-01")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"\?datum=2025-12-01$"))
    expect(page.locator("#sedan-importtabell tbody tr")).to_have_count(1)
    expect(page.locator("#sedan-importtabell tbody")).to_contain_text("Exempeldata")
    result = since_meeting(demo_store, date(2025, 12, 1))
    expect(page.locator("section.since-area")).to_have_count(len(result.by_area()))
    mv = next(mv for mv in result.movements if mv.area_code == "0680")
    row = page.locator(
        f"section.since-area[data-area='0680'] tr[data-indicator='{mv.indicator.id}']"
    )
    expect(row.locator("td.latest")).to_contain_text(mv.latest_text)
    assert serious_axe_violations(page) == []

    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/indikator/{mv.indicator.id}$"))
    wait_for_dash(page)
    page.go_back()
    wait_for_dash(page)
    expect(page).to_have_url(re.compile(r"\?datum=2025-12-01$"))
    expect(page.get_by_label("Förra mötet")).to_have_value("2025-12-01")

    page.goto(f"{live_server}/sedan-forra-motet?datum=2026-01-01")
    wait_for_dash(page)
    expect(page.get_by_label("Förra mötet")).to_have_value("2026-01-01")
    expect(page.locator("#sedan-importtabell tbody tr")).to_have_count(1)
