"""Mötesläge in a real headless Chromium at 1920 × 1080: chosen from the composer, stepped with
the keyboard, the county's numbers as stored, large type, axe clean, Esc leaves. And a download
of what a page shows."""

import io
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from conftest import served
from playwright.sync_api import Page, expect
from sqlalchemy import select

from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, ObservationStatus
from indicators.vocabulary.formatting import format_value
from indicators.writes.analyses import add_analysis

pytestmark = pytest.mark.browser

INDICATORS = ("U23401", "N21497")


def _county_latest(store, indicator_id: str) -> tuple[int, float]:
    with session_scope(store.url) as s:
        start, value = s.execute(
            select(m.Observation.period_start, m.Observation.value)
            .where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.area_code == COUNTY_CODE,
                m.Observation.gender == "T",
                m.Observation.status == ObservationStatus.OK,
            )
            .order_by(m.Observation.period_start.desc())
            .limit(1)
        ).one()
    assert isinstance(start, date)
    return start.year, value


def _deck_at(page: Page, step: int) -> None:
    """The address says `step` and the server has rendered that slide (slow on a busy machine)."""
    no_step_means_first = r"|^(?!.*[?&]steg=)" if step == 1 else ""
    expect(page).to_have_url(
        re.compile(rf"[?&]steg={step}(&|$){no_step_means_first}"), timeout=30_000
    )
    expect(page.locator(f"#moteslage[data-steg='{step}']")).to_be_visible(timeout=30_000)
    wait_for_dash(page)


def _smallest_text_px(page: Page) -> float:
    """The smallest computed font size of any visible element in the deck that holds text."""
    return page.evaluate(
        """() => {
            const sizes = [];
            for (const el of document.querySelectorAll('#moteslage *')) {
                const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (!own || !el.getClientRects().length || el.closest('svg, details:not([open])')) {
                    continue;
                }
                sizes.push(parseFloat(getComputedStyle(el).fontSize));
            }
            return Math.min(...sizes);
        }"""
    )


def test_a_meeting_starts_from_a_preset_is_reordered_with_the_keyboard_and_is_one_address(
    visit, catalogue
):
    page = visit("/indikatorer")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mötesläge").click()
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mötesläge")
    # No wall of check boxes: presets for a strategy, a strategigrupp, a kommun, since a date.
    expect(page.locator("input[type=checkbox]")).to_have_count(0)
    page.get_by_role("link", name=f"Strategi 2: {catalogue.strategies[1].title}").click()
    wait_for_dash(page)
    chosen = page.locator(".chosen-view")
    views = [v.get_attribute("data-vy") for v in chosen.all()]
    areas = {ma.id for ma in catalogue.matomraden if ma.strategy == 2}
    headlines = [i.id for i in catalogue.indicators if i.headline and areas & set(i.matomraden)]
    assert views[0] == "strategi-2" and set(views[1:]) == set(headlines)

    # The last view moves up by keyboard alone, and the focus stays on its button.
    last = views[-1]
    page.get_by_role("link", name=re.compile(r"^Flytta upp: ")).last.focus()
    page.keyboard.press("Enter")
    expect(chosen.nth(len(views) - 2)).to_have_attribute("data-vy", last)
    expect(page.locator(":focus")).to_have_attribute("data-plats", f"Flytta upp-{len(views) - 2}")
    page.keyboard.press("Enter")
    expect(chosen.nth(len(views) - 3)).to_have_attribute("data-vy", last)
    views = [v.get_attribute("data-vy") for v in chosen.all()]

    # One more view from the list, then a kommun's preset replaces them all.
    page.get_by_label("Lägg till en vy").select_option("grupp-aldre")
    page.get_by_role("button", name="Lägg till").click()
    wait_for_dash(page)
    expect(chosen.last).to_have_attribute("data-vy", "grupp-aldre")
    views.append("grupp-aldre")
    page.get_by_role("link", name=re.compile(r"^Ta bort: Strategigrupp")).click()
    wait_for_dash(page)
    views.pop()
    expect(page.locator(".deck-address")).to_contain_text(f"vyer={','.join(views)}")

    page.get_by_role("button", name="Starta mötesläget").click()
    _deck_at(page, 1)
    assert page.url.split("?")[1].replace("%2C", ",").startswith(f"vyer={','.join(views)}")

    page.goto(page.url.split("/moteslage")[0] + "/moteslage")
    wait_for_dash(page)
    page.get_by_label("Kommun eller regionen").select_option(label="Aneby")
    page.get_by_role("button", name="Välj kommunen").click()
    wait_for_dash(page)
    expect(chosen).to_have_count(1)
    expect(chosen.first).to_have_attribute("data-vy", "kommun-0604")
    assert serious_axe_violations(page) == []


def test_moteslage_is_stepped_with_keys_shows_the_stores_values_and_esc_leaves(
    visit, demo_store, catalogue
):
    page = visit(f"/moteslage?vyer=strategi-2,{','.join(INDICATORS)}")
    _deck_at(page, 1)
    count = int(page.locator("#moteslage").get_attribute("data-antal") or 0)

    # No chrome, large type, AA contrast: axe and the computed styles say so.
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_contain_text(catalogue.strategies[1].title)
    expect(page.locator(".slide-source")).to_contain_text("Källor:")
    assert _smallest_text_px(page) >= 24
    assert serious_axe_violations(page) == []

    # The last slide is the handlingsplaner's activities aiming at N21497 (Exempeldata's plan
    # for Äldre), after the two indicator slides.
    page.keyboard.press("End")
    _deck_at(page, count)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aktiviteter som syftar till att påverka indikatorn"
    )
    page.keyboard.press("ArrowLeft")
    _deck_at(page, count - 1)
    page.keyboard.press("ArrowLeft")
    _deck_at(page, count - 2)
    for step, ind_id in ((count - 2, "U23401"), (count - 1, "N21497")):
        if step == count - 1:
            page.keyboard.press("PageDown")
            _deck_at(page, count - 1)
        ind = catalogue.indicator(ind_id)
        year, value = _county_latest(demo_store, ind_id)
        expect(page.get_by_role("heading", level=1)).to_have_text(ind.title)
        headline = page.locator(".slide-county-value")
        expect(headline).to_have_text(format_value(value, ind.decimals, ind.unit))
        expect(headline).to_have_attribute("data-year", str(year))
        expect(page.locator(".slide-source")).to_contain_text(f"Källa: {ind.source}")
        # plotly.js loads and draws after the page; on a busy machine that takes a while.
        expect(page.locator("#moteslage-diagram .js-plotly-plot")).to_be_visible(timeout=30_000)
        expect(page.locator("#moteslage-meddelande")).to_contain_text(f"Bild {step} av {count}")
    assert _smallest_text_px(page) >= 24
    assert serious_axe_violations(page) == []

    page.keyboard.press("End")
    _deck_at(page, count)
    page.keyboard.press("ArrowRight")  # already at the last slide: stays
    page.keyboard.press("ArrowLeft")
    _deck_at(page, count - 1)
    page.keyboard.press("Home")
    _deck_at(page, 1)
    page.go_back()
    _deck_at(page, count - 1)

    # Opened by its address, the deck has nowhere to go back to: Esc leads to the start page.
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/$"))
    wait_for_dash(page)
    expect(page.locator(".site-header")).to_be_visible()


def test_a_deep_link_advances_by_itself_pauses_and_esc_goes_back_where_it_came_from(
    visit, live_server
):
    page = visit("/indikatorer")
    page.goto(f"{live_server}/moteslage?vyer=U23401,FINNS-INTE&auto=5")
    _deck_at(page, 1)
    expect(page.get_by_role("button", name="Pausa")).to_be_visible()
    _deck_at(page, 2)  # after five seconds, by itself
    expect(page.get_by_role("heading", level=1)).to_have_text("Vyn finns inte")
    page.keyboard.press("p")
    expect(page.get_by_role("button", name="Fortsätt")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("ArrowLeft")
    _deck_at(page, 1)
    expect(page.get_by_role("button", name="Fortsätt")).to_be_visible()  # still paused
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/indikatorer$"))
    wait_for_dash(page)
    expect(page.locator(".site-header")).to_be_visible()


def test_oversikt_csv_download_has_the_numbers_shown(visit, catalogue):
    page = visit("/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner CSV").first.click()
    download = info.value
    assert download.suggested_filename == "oversikt-rubrikindikatorer.csv"
    raw = download.path().read_bytes()
    frame = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    checked = 0
    for ind_id, value in frame[["Id", "Länet, värde"]].itertuples(index=False):
        if pd.isna(value):
            continue
        ind = catalogue.indicator(ind_id)
        cell = page.locator(f"tr[data-indicator='{ind_id}'] td.county-value .value").first
        expect(cell).to_have_text(format_value(value, ind.decimals, ind.unit))
        checked += 1
    assert checked >= 10


def test_the_analysts_county_analysis_is_on_the_slide_as_plain_text(
    page: Page, demo_store: Store, tmp_path: Path
):
    copy = tmp_path / "kopia.sqlite"
    shutil.copy(demo_store.url.removeprefix("sqlite:///"), copy)
    store = Store(f"sqlite:///{copy}")
    year, _ = _county_latest(store, "U23401")
    words = "<b>Väntetiden</b> ökade mest i de små kommunerna."
    add_analysis(store, "U23401", str(year), words, "Analytiker")
    add_analysis(store, "U23401", str(year), "Gäller bara Aneby.", "Analytiker", area_code="0604")
    add_analysis(store, "U23401", str(year - 1), "Ett år tidigare.", "Analytiker")
    requests = record_requests(page)
    with served(store.url, tmp_path) as url:
        page.goto(f"{url}/moteslage?vyer=U23401&steg=2")
        wait_for_dash(page)
        expect(page.locator("#moteslage")).to_have_attribute("data-antal", "2")
        analysis = page.locator(".slide-analysis")
        expect(analysis).to_have_count(1)
        expect(analysis.get_by_role("heading")).to_have_text(f"Analys {year}")
        expect(analysis.locator(".analysis-text")).to_have_text(words)
        expect(analysis).to_contain_text("Analytiker")
        assert _smallest_text_px(page) >= 24
    assert off_machine(requests) == []


def test_a_slides_table_is_fetched_when_opened_by_keyboard(visit, demo_store, catalogue):
    """The table behind a slide travels only when it is opened: Enter on its summary fetches
    it, with the county's value as stored."""
    ind = catalogue.indicator("U23401")
    page = visit("/moteslage?vyer=U23401")
    _deck_at(page, 1)
    summary = page.get_by_text("Visa som tabell")
    expect(page.locator(".slide-table .data-table")).to_have_count(0)  # not sent closed
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator(".slide-table .data-table")
    expect(table).to_be_visible()
    year, value = _county_latest(demo_store, "U23401")
    county = table.locator(f"tr[data-area='{COUNTY_CODE}']")
    expect(table.locator("thead th").last).to_have_text(str(year))
    expect(county.locator("td").last).to_have_text(format_value(value, ind.decimals, ""))
