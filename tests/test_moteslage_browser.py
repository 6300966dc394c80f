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


def test_moteslage_is_chosen_stepped_with_keys_shows_the_stores_values_and_esc_leaves(
    visit, demo_store, catalogue
):
    page = visit("/indikatorer")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mötesläge").click()
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mötesläge")
    for ind in INDICATORS:
        page.get_by_label(re.compile(rf"\({ind}\)$")).check()
    page.get_by_label("Sammanfattning av strategi 2").check()
    start = page.get_by_role("link", name="Starta mötesläget")
    expect(start).to_have_attribute("href", re.compile(r"vyer=strategi-2,U23401,N21497"))
    start.click()
    _deck_at(page, 1)

    # No chrome, large type, AA contrast: axe and the computed styles say so.
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_contain_text(catalogue.strategies[1].title)
    expect(page.locator(".slide-source")).to_contain_text("Källor:")
    assert _smallest_text_px(page) >= 24
    assert serious_axe_violations(page) == []

    page.keyboard.press("ArrowRight")
    _deck_at(page, 2)
    for step, ind_id in ((2, "U23401"), (3, "N21497")):
        if step == 3:
            page.keyboard.press("PageDown")
            _deck_at(page, 3)
        ind = catalogue.indicator(ind_id)
        year, value = _county_latest(demo_store, ind_id)
        expect(page.get_by_role("heading", level=1)).to_have_text(ind.title)
        headline = page.locator(".slide-county-value")
        expect(headline).to_have_text(format_value(value, ind.decimals, ind.unit))
        expect(headline).to_have_attribute("data-year", str(year))
        expect(page.locator(".slide-source")).to_contain_text(f"Källa: {ind.source}")
        # plotly.js loads and draws after the page; on a busy machine that takes a while.
        expect(page.locator("#moteslage-diagram .js-plotly-plot")).to_be_visible(timeout=30_000)
        expect(page.locator("#moteslage-meddelande")).to_contain_text(f"Bild {step} av 3")
    assert _smallest_text_px(page) >= 24
    assert serious_axe_violations(page) == []

    page.keyboard.press("ArrowRight")  # already at the last slide: stays
    page.keyboard.press("ArrowLeft")
    _deck_at(page, 2)
    page.keyboard.press("Home")
    _deck_at(page, 1)
    page.go_back()
    _deck_at(page, 2)

    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/moteslage$"))
    wait_for_dash(page)
    expect(page.locator(".site-header")).to_be_visible()


def test_a_deep_link_advances_by_itself_pauses_and_esc_goes_back_where_it_came_from(
    visit, live_server
):
    page = visit("/indikatorer")
    page.goto(f"{live_server}/moteslage?vyer=strategi-1,FINNS-INTE&auto=5")
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
        page.goto(f"{url}/moteslage?vyer=U23401")
        wait_for_dash(page)
        analysis = page.locator(".slide-analysis")
        expect(analysis).to_have_count(1)
        expect(analysis.get_by_role("heading")).to_have_text(f"Analys {year}")
        expect(analysis.locator(".analysis-text")).to_have_text(words)
        expect(analysis).to_contain_text("Analytiker")
        assert _smallest_text_px(page) >= 24
    assert off_machine(requests) == []
