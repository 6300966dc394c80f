"""Strategi and Strategigrupp pages in a real headless Chromium against `python app.py` over the
demo store: reached from the navigation, selections in the URL, numbers equal to the store's,
axe clean, printable on A4, and no request off the machine."""

import re

import pytest
from browser_helpers import serious_axe_violations, wait_for_dash
from playwright.sync_api import Page, expect

from indicators.reads.followup.strategy import strategigrupp_view, strategy_view
from indicators.vocabulary.domain import COUNTY_CODE
from indicators.vocabulary.formatting import format_number, format_value

pytestmark = pytest.mark.browser


def _check_block(page: Page, block) -> None:
    ind = block.indicator
    shown = page.locator(f"article.indicator-block[data-indicator='{ind.id}']").first
    expect(shown.locator(".county-value .value")).to_have_text(
        format_value(block.county.value, ind.decimals, ind.unit)
    )
    summary = shown.locator(".spread-summary")
    s = block.spread
    expect(summary.locator(".spread-min strong")).to_have_text(
        format_value(s.minimum, ind.decimals, ind.unit)
    )
    expect(summary.locator(".spread-median strong")).to_have_text(
        format_value(s.median, ind.decimals, ind.unit)
    )
    expect(summary.locator(".spread-max strong")).to_have_text(
        format_value(s.maximum, ind.decimals, ind.unit)
    )
    expect(summary.locator(".spread-min")).to_contain_text(", ".join(s.lowest))
    expect(shown.locator(".js-plotly-plot")).to_have_count(1)
    expect(shown.locator(".source-note")).to_contain_text("Källa: Kolada")


def test_strategier_from_the_navigation_switch_strategy_and_deep_link(
    visit, live_server, demo_store
):
    page = visit("/")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Strategier").click()
    expect(page).to_have_url(re.compile(r"/strategi$"))
    wait_for_dash(page)
    expect(nav.get_by_role("link", name="Strategier")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Strategigrupper")).not_to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_role("link", name=re.compile(r"^Strategi 1:")).click()
    expect(page).to_have_url(re.compile(r"/strategi/1$"))
    wait_for_dash(page)
    one = strategy_view(demo_store, 1)
    expect(page.get_by_role("heading", level=1)).to_contain_text(one.title)

    switch = page.get_by_role("navigation", name="Välj strategi")
    switch.get_by_role("link", name="Strategi 2").click()
    expect(page).to_have_url(re.compile(r"/strategi/2$"))
    wait_for_dash(page)
    two = strategy_view(demo_store, 2)
    expect(page.get_by_role("heading", level=1)).to_contain_text(two.title)
    expect(switch.get_by_role("link", name="Strategi 2")).to_have_attribute("aria-current", "page")
    expect(page.locator("section.strategy-matomrade")).to_have_count(len(two.matomraden))
    for k in two.koppling_till_malbild:
        expect(page.locator(".malbild")).to_contain_text(k)
    block = next(b for ma in two.matomraden for b in ma.indicators if b.indicator.id == "U23401")
    _check_block(page, block)

    page.go_back()
    wait_for_dash(page)
    expect(page).to_have_url(re.compile(r"/strategi/1$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(one.title)

    page.goto(f"{live_server}/strategi/2")
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(two.title)
    _check_block(page, block)


def test_strategigrupp_from_the_navigation_baseline_in_the_url(visit, live_server, demo_store):
    page = visit("/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Strategigrupper"
    ).click()
    expect(page).to_have_url(re.compile(r"/strategigrupp$"))
    wait_for_dash(page)
    page.get_by_role("link", name="Äldre").click()
    expect(page).to_have_url(re.compile(r"/strategigrupp/aldre$"))
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategigrupp Äldre")

    def check(view) -> None:
        cell = view.cell("U23401", "0604")
        shown = page.locator(
            "#strategigrupp-matris tr[data-indicator='U23401'] td[data-area='0604']"
        )
        expect(shown).to_have_class(re.compile(rf"\b{cell.change.value}\b"))
        values = f"{format_number(cell.base_value, 0)} → {format_number(cell.latest_value, 0)}"
        # The word on the first line, the values on the second (one element per cell).
        expect(shown).to_have_text(f"{cell.change.label}\n{values}")
        for area in (COUNTY_CODE, "0680"):
            for change, n in view.counts[area].items():
                total = page.locator(
                    f"#strategigrupp-sammanfattning td[data-area='{area}']"
                    f"[data-change='{change.value}']"
                )
                if n:
                    expect(total).to_have_text(str(n))

    check(strategigrupp_view(demo_store, "aldre", 2020))
    page.get_by_role("navigation", name="Välj basår").get_by_role("link", name="2022").click()
    expect(page).to_have_url(re.compile(r"/strategigrupp/aldre\?basar=2022$"))
    wait_for_dash(page)
    later = strategigrupp_view(demo_store, "aldre", 2022)
    check(later)

    page.go_back()
    wait_for_dash(page)
    expect(page).to_have_url(re.compile(r"/strategigrupp/aldre$"))
    page.goto(f"{live_server}/strategigrupp/aldre?basar=2022")
    wait_for_dash(page)
    check(later)


@pytest.mark.parametrize(
    "path", ["/strategi", "/strategi/2", "/strategi/3", "/strategigrupp/psykiatri-och-missbruk"]
)
def test_followup_pages_have_no_serious_axe_violation(visit, path):
    page = visit(path)
    for role in ("banner", "navigation", "main"):
        assert page.get_by_role(role).count() >= 1, role
    assert serious_axe_violations(page) == []


def test_strategy_page_prints_as_a_clean_a4_report(visit):
    page = visit("/strategi/2")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()
    expect(page.get_by_role("button", name="Skriv ut (A4)")).to_be_hidden()
    expect(page.locator(".download-bar")).to_be_hidden()
    expect(page.locator("#strategi-utskriftsinfo")).to_contain_text("/strategi/2")
    expect(page.locator("#strategi-utskriftsinfo")).to_be_visible()
    footer = page.locator("style#utskrift-sidfot").text_content()
    assert "@bottom-left" in footer and "/strategi/2" in footer and "counter(pages)" in footer
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages > 0
