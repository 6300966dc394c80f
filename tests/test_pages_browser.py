"""Walk the pages in a real headless Chromium against `python app.py`, as a user would, and
compare what is shown with what the store holds."""

import re
from datetime import date

import pytest
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    ObservationStatus,
)
from indicators.vocabulary.formatting import format_number, format_value

pytestmark = pytest.mark.browser


def _stored(store, indicator_id: str, area: str, year: int, gender: str = "T"):
    with session_scope(store.url) as s:
        return s.execute(
            select(m.Observation.value, m.Observation.status).where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.area_code == area,
                m.Observation.gender == gender,
                m.Observation.period_start == date(year, 1, 1),
            )
        ).one_or_none()


def _latest_year(store, indicator_id: str) -> int:
    with session_scope(store.url) as s:
        latest = s.scalar(
            select(func.max(m.Observation.period_start)).where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.area_code.in_([COUNTY_CODE, *COUNTY_KOMMUN_CODES]),
                m.Observation.status == ObservationStatus.OK,
                m.Observation.gender == "T",
            )
        )
    return latest.year


def test_oversikt_shows_the_four_strategies_and_the_stores_county_values(
    visit, demo_store, catalogue
):
    page = visit("/indikatorer")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Indikatorer")).to_have_attribute("aria-current", "page")
    nav.get_by_role("link", name="Översikt").click()
    expect(page).to_have_url(re.compile(r"/$"))
    wait_for_dash(page)
    expect(nav.get_by_role("link", name="Översikt")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    expect(page.locator("#exempeldata")).to_be_visible()
    expect(page.locator("section.strategy")).to_have_count(4)
    for s in catalogue.strategies:
        expect(page.locator(f"#strategi-{s.number}-rubrik")).to_contain_text(s.title)

    rows = page.locator("tr[data-indicator]")
    assert rows.count() >= 11
    checked = 0
    for ind in catalogue.indicators:
        if not ind.headline or ind.value_kind == "coded":
            continue
        row = page.locator(f"tr[data-indicator='{ind.id}']").first
        year = _latest_year(demo_store, ind.id)
        value, status = _stored(demo_store, ind.id, COUNTY_CODE, year)
        cell = row.locator("td.county-value")
        if status == ObservationStatus.OK:
            expect(cell.locator(".value")).to_have_text(format_value(value, ind.decimals, ind.unit))
            expect(cell.locator(".period")).to_have_text(str(year))
            checked += 1
    assert checked >= 10


def test_oversikt_counts_kommuner_as_the_strategigrupp_page_does(visit):
    """Väntetid till särskilt boende read 6 improved / 7 worsened on Översikt and 9 / 4 on
    Strategigrupp, Kommun and Jämförelse: one rule now, the same counts on both pages."""
    page = visit("/")
    cell = page.locator("tr[data-indicator='U23401'] td.kommun-change").first
    counts = {}
    for change in ("improved", "unchanged", "worsened"):
        text = cell.locator(f"li.{change}").inner_text()
        counts[change] = int(text.split()[1])
    expect(cell.locator(".period")).to_contain_text("2020–")
    page = visit("/strategigrupp/aldre")
    row = page.locator("#strategigrupp-matris tr[data-indicator='U23401']")
    expect(row).to_have_count(1)
    for change, n in counts.items():
        kommun_cells = row.locator(f"td.{change}:not([data-area='0006'])")
        expect(kommun_cells).to_have_count(n)
    assert counts["improved"] + counts["worsened"] > 0


def test_indikator_page_from_oversikt_shows_definition_and_the_stores_values(
    visit, demo_store, catalogue
):
    page = visit("/")
    ind = catalogue.indicator("U23401")
    page.locator("tr[data-indicator='U23401'] a.ind-link").first.click()
    expect(page).to_have_url(re.compile(r"/indikator/U23401$"))
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(ind.short_title)
    expect(page.locator(".indicator-full-title")).to_have_text(ind.title)
    definition = page.locator("section.definition")
    expect(definition).to_contain_text(ind.unit)
    expect(definition).to_contain_text("Kolada (U23401)")
    expect(definition).to_contain_text("Lägre värde är bättre")
    expect(page.locator("#exempeldata")).to_be_visible()
    expect(page.locator("#indikator-diagram .js-plotly-plot")).to_be_visible(timeout=30_000)

    table = page.locator("#indikator-datatabell")
    expect(table.locator("tbody tr")).to_have_count(2 + len(COUNTY_KOMMUN_CODES))
    for area in (NATION_CODE, COUNTY_CODE, "0680", "0604"):
        for year in (2015, 2020, 2025):
            stored = _stored(demo_store, ind.id, area, year)
            if stored is None:
                continue
            cell = _series_cell(page, area, year)
            value, status = stored
            expected = (
                format_number(value, ind.decimals)
                if status == ObservationStatus.OK
                else ObservationStatus(status).label
            )
            expect(cell).to_have_text(expected)


def test_choosing_kommuner_changes_the_url_and_a_deep_link_restores_it(visit, live_server):
    page = visit("/indikator/U23401")
    page.get_by_role("button", name="Inga").click()
    expect(page.locator(".kommun-checklist input:checked")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"\?kommuner=ingen$"))
    page.get_by_label("Jönköping").check()
    page.get_by_label("Aneby").check()
    expect(page).to_have_url(re.compile(r"\?kommuner=0604,0680$"))
    table = page.locator("#indikator-datatabell tbody tr")
    expect(table).to_have_count(4)

    page.goto(f"{live_server}/indikator/U23401?kommuner=0680")
    wait_for_dash(page)
    expect(page.locator(".kommun-checklist input:checked")).to_have_count(1)
    expect(page.get_by_label("Jönköping")).to_be_checked()
    expect(page.locator("#indikator-datatabell tbody th")).to_have_text(
        ["Riket", "Region Jönköpings län", "Jönköping"]
    )
    page.go_back()
    wait_for_dash(page)
    expect(page.locator(".kommun-checklist input:checked")).to_have_count(2)


# Every answer to a callback arrives this long after the server sent it, so a click lands while
# the answer to the click before it is still on its way.
_SLOW_ANSWERS = """
const fetched = window.fetch;
window.fetch = async (...args) => {
    const response = await fetched(...args);
    if (String(args[0]).includes("_dash-update-component")) {
        await new Promise(resolve => setTimeout(resolve, 700));
    }
    return response;
};
"""


def test_a_kommun_checked_while_the_last_answer_travels_is_kept(visit, page: Page):
    # Checking two kommuner quickly lost the second one: it waited for the first call's
    # answer, which Dash dropped (issue 16's closing notes, session 6).
    page.add_init_script(_SLOW_ANSWERS)
    page = visit("/indikator/U23401")
    page.get_by_role("button", name="Inga").click()
    expect(page).to_have_url(re.compile(r"\?kommuner=ingen$"), timeout=10_000)
    # Every call the address set off has answered: Jönköping's call then runs at once, and
    # Aneby is checked while its answer travels.
    page.wait_for_timeout(2_500)
    page.get_by_label("Jönköping").check()
    page.get_by_label("Aneby").check()
    expect(page).to_have_url(re.compile(r"\?kommuner=0604,0680$"), timeout=10_000)
    expect(page.get_by_label("Jönköping")).to_be_checked()
    expect(page.get_by_label("Aneby")).to_be_checked()
    expect(page.locator("#indikator-datatabell tbody tr")).to_have_count(4, timeout=10_000)


def _series_cell(page: Page, area: str, year: int) -> Locator:
    """The Indikator table's cell of an area (its row's data-area) and a year (its column's
    header's data-period)."""
    table = page.locator("#indikator-datatabell")
    expect(table.locator(f"thead th[data-period='{year}']")).to_have_count(1)
    columns = table.locator("thead th").evaluate_all("ths => ths.map(th => th.dataset.period)")
    return table.locator(f"tr[data-area='{area}'] > :nth-child({columns.index(str(year)) + 1})")


def test_gender_split_shows_the_stores_values_for_women(visit, demo_store, catalogue):
    ind = next(
        i
        for i in catalogue.indicators
        if i.by_gender and i.value_kind == "rate" and i.area_level == "kommun"
    )
    page = visit(f"/indikator/{ind.id}?kon=K")
    expect(page.get_by_label("Kvinnor")).to_be_checked()
    year = _latest_year(demo_store, ind.id)
    value, status = _stored(demo_store, ind.id, "0680", year, gender="K")
    cell = _series_cell(page, "0680", year)
    expected = (
        format_number(value, ind.decimals) if status == "ok" else ObservationStatus(status).label
    )
    expect(cell).to_have_text(expected)


def test_coded_indicator_is_shown_as_categories(visit, catalogue):
    ind = next(i for i in catalogue.indicators if i.value_kind == "coded")
    page = visit(f"/indikator/{ind.id}")
    labels = {c.label for c in ind.codes} | {"saknas", "sekretess"}
    cells = page.locator("#indikator-datatabell td").all_inner_texts()
    assert cells and set(cells) <= labels
    expect(page.locator("#indikator-diagram .js-plotly-plot .heatmaplayer")).to_have_count(1)


def test_unknown_indicator_gets_a_swedish_message(visit):
    page = visit("/indikator/FINNS-INTE")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indikatorn finns inte")


@pytest.mark.parametrize("path", ["/", "/indikatorer", "/indikator/U23401", "/indikator/U21340"])
def test_pages_have_landmarks_swedish_language_and_no_serious_axe_violation(visit, path):
    page = visit(path)
    assert page.locator("html").get_attribute("lang") == "sv"
    for role in ("banner", "navigation", "main"):
        assert page.get_by_role(role).count() >= 1, role
    assert serious_axe_violations(page) == []


def test_region_level_indicator_offers_no_kommun_choice(visit, catalogue):
    ind = next(i for i in catalogue.indicators if i.area_level == "region")
    page = visit(f"/indikator/{ind.id}")
    expect(page.get_by_text("redovisas för regioner och riket, inte per kommun")).to_be_visible()
    expect(page.get_by_role("group", name="Kommuner i diagrammet")).to_be_hidden()
    expect(page.locator("#indikator-datatabell tbody th")).to_have_text(
        ["Riket", "Region Jönköpings län"]
    )


def test_keyboard_reaches_the_content_and_the_kommun_choice(visit):
    page = visit("/indikator/U23401")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#huvudinnehall$"))
    page.get_by_label("Aneby").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Aneby")).not_to_be_checked()
    expect(page).to_have_url(re.compile(r"\?kommuner=(?!.*0604)"))
    expect(page.locator("#indikator-datatabell tr[data-area='0604']")).to_have_count(0)


def test_indikatorer_narrows_by_strategigrupp_and_search(visit, catalogue):
    page = visit("/indikatorer")
    total = len(catalogue.indicators)
    expect(page.locator("#indikatorer-antal")).to_have_text(
        f"Visar {total} av {total} indikatorer."
    )
    page.get_by_role("link", name="Äldre", exact=True).click()
    wait_for_dash(page)
    expect(page).to_have_url(re.compile(r"/indikatorer\?strategigrupp=aldre$"))
    aldre = {i.id for i in catalogue.indicators if "aldre" in i.strategigrupper}
    shown = set(
        page.locator("li[data-indicator]").evaluate_all(
            "items => items.map(li => li.dataset.indicator)"
        )
    )
    assert shown == aldre
    page.get_by_label("Sök indikator").fill("väntetid")
    page.get_by_role("button", name="Sök").click()
    wait_for_dash(page)
    expect(page).to_have_url(re.compile(r"strategigrupp=aldre"))
    expect(page).to_have_url(re.compile(r"q=v%C3%A4ntetid"))
    expected = {i for i in aldre if "väntetid" in catalogue.indicator(i).title.lower()}
    assert expected
    expect(page.locator("li[data-indicator]")).to_have_count(len(expected))


def test_back_and_forward_restore_the_selection_after_the_first_change(visit):
    page = visit("/indikator/N21497")
    page.get_by_label("Aneby").uncheck()
    expect(page).to_have_url(re.compile(r"\?kommuner="))
    page.get_by_label("Kvinnor").check()
    expect(page).to_have_url(re.compile(r"&kon=K$"))
    page.go_back()
    expect(page.get_by_label("Totalt")).to_be_checked()
    expect(page.get_by_label("Aneby")).not_to_be_checked()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/indikator/N21497$"))
    expect(page.get_by_label("Aneby")).to_be_checked()
    expect(page.locator("#indikator-datatabell tbody tr")).to_have_count(
        2 + len(COUNTY_KOMMUN_CODES)
    )
    page.go_forward()
    expect(page.get_by_label("Aneby")).not_to_be_checked()
    expect(page.locator("#indikator-datatabell tr[data-area='0604']")).to_have_count(0)


def test_chart_toolbar_is_swedish_and_cannot_send_data_away(visit):
    page = visit("/indikator/U23401")
    page.locator("#indikator-diagram .js-plotly-plot").hover()
    titles = page.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.dataset.title)")
    assert "Ladda ner diagram som PNG" in titles
    assert not [t for t in titles if "Cloud" in t or "Chart Studio" in t or "Plotly" in t]


def test_an_empty_store_says_so_instead_of_drawing_zeros(page, empty_live_server):
    requests = record_requests(page)
    page.goto(empty_live_server + "/")
    wait_for_dash(page)
    expect(page.locator("#exempeldata")).to_have_count(0)
    row = page.locator("tr[data-indicator='U23401']").first
    expect(row.locator("td.county-value")).to_have_text("Inga värden")
    expect(row.locator("td.kommun-change")).to_have_text("Inga värden inlästa")
    page.goto(empty_live_server + "/indikator/U23401")
    wait_for_dash(page)
    expect(page.locator("section.definition")).to_contain_text("Inga värden inlästa ännu")
    expect(page.locator("#indikator-tabell")).to_have_text(
        "Inga värden är inlästa för indikatorn och de valda områdena."
    )
    assert off_machine(requests) == []
