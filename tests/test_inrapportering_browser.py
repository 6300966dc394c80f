"""Inrapportering in headless Chromium, served from SQLite and from PostgreSQL: the matrix with
its legend and summaries, filters in the URL, the grid fitting the screen, the Excel download
read back with openpyxl, and what is late on Sedan förra mötet.

The store is a production install with one real import (tests/delivery_samples.py) of the
newest period whose due date has passed today, so the page judges lateness on the real clock."""

import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from conftest import StoreTemplates, served
from delivery_samples import DELIVERED, HIDDEN_VALUE, SIP, deliver
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from dashboard.ids import Inrapportering as Ids
from dashboard.ids import Sedan
from indicators.catalogue import load_catalogue
from indicators.reads.batches import import_batches
from indicators.reads.completeness import latest_due_period
from indicators.reads.models import IndicatorSummary
from indicators.settings import Settings
from indicators.store.store import Store
from indicators.vocabulary.deadlines import swedish_today
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, Deliverer
from indicators.vocabulary.formatting import format_date
from indicators.writes.bootstrap import prepare_store


def _due_period() -> str:
    sip = next(i for i in load_catalogue().indicators if i.id == SIP)
    summary = IndicatorSummary(
        id=sip.id,
        title=sip.title,
        short_title=sip.short_title,
        unit=sip.unit,
        value_kind=sip.value_kind,
        direction=sip.direction,
        decimals=sip.decimals,
        source=sip.source,
        area_level=sip.area_level,
        headline=sip.headline,
        strategigrupper=(),
        delivered_by=sip.delivered_by,
        due_rule=sip.due,
    )
    period = latest_due_period(summary, swedish_today())
    assert period is not None
    return period


PERIOD = _due_period()
LATE = [c for c in COUNTY_KOMMUN_CODES if c not in DELIVERED]
STORES: dict[str, Store] = {}  # each served app's store, by its address


@pytest.fixture(scope="module")
def delivery_url(
    backend: str, store_templates: StoreTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    def build(url: str) -> None:
        prepare_store(Settings(database_url=url, seed_demo=False))
        deliver(Store(url), int(PERIOD))

    template = store_templates.template(f"inrapportering-{PERIOD}", build)
    url, name = store_templates.copy(template)
    folder: Path = tmp_path_factory.mktemp(f"inrapportering-{backend}")
    try:
        with served(url, folder, INDIKATOR_SEED_DEMO="false") as base:
            STORES[base] = Store(url)
            yield base
    finally:
        if name and store_templates.server is not None:
            store_templates.server.drop(name)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_dash(page)
    page.wait_for_selector(f"#{Ids.MATRIX}")


def _state(page: Page, indicator: str, area: str) -> str | None:
    return page.locator(
        f"#{Ids.MATRIX} tr[data-indicator='{indicator}'] td[data-area='{area}']"
    ).get_attribute("data-state")


def test_the_matrix_says_who_delivered_what(page: Page, delivery_url: str):
    requests = record_requests(page)
    page.goto(delivery_url + "/")
    wait_for_dash(page)
    page.get_by_role("navigation").get_by_role("link", name="Inrapportering", exact=True).click()
    expect(page).to_have_url(re.compile(r"/inrapportering$"))
    wait_for_dash(page)

    _open(page, f"{delivery_url}/inrapportering?period={PERIOD}&lamnas_av=kommunerna")
    assert page.locator(f"#{Ids.PERIOD}").input_value() == PERIOD
    assert page.locator(f"#{Ids.DELIVERER}").input_value() == Deliverer.KOMMUNER.value
    assert _state(page, SIP, "0604") == "delivered"
    assert _state(page, SIP, "0617") == "suppressed"  # 3 people: hidden, as everywhere
    assert _state(page, SIP, COUNTY_CODE) == "not-expected"
    assert {_state(page, SIP, c) for c in LATE} == {"late"}
    # A symbol to see and a word to hear in every cell, never colour alone.
    cell = page.locator(f"#{Ids.MATRIX} tr[data-indicator='{SIP}'] td[data-area='0680']")
    assert cell.inner_text().strip().startswith("!")
    assert cell.locator(".visually-hidden").inner_text() == "försenad"
    assert HIDDEN_VALUE not in page.locator("main").inner_text()

    legend = page.locator(f"#{Ids.LEGEND} li")
    assert legend.count() == 6
    words = legend.all_inner_texts()
    for word in ("inlämnad", "sekretess", "försenad", "väntas", "saknas", "ej förväntad"):
        assert any(word in w for w in words), words
    colours = page.locator(f"#{Ids.LEGEND} .delivery-swatch").evaluate_all(
        "spans => spans.map(s => getComputedStyle(s).backgroundColor)"
    )
    assert len(set(colours)) == 6, colours

    late = page.locator(f"#{Ids.LATE}")
    expect(late).to_contain_text("SIP: upplevd delaktighet")
    expect(late).to_contain_text("Jönköping")
    summary = page.locator(f"#{Ids.SUMMARY} li[data-area='0604']")
    expect(summary).to_contain_text(f"Aneby: 1 av 2 förväntade mått inlämnade för {PERIOD}")
    expect(summary).to_contain_text("1 försenade")

    # The grid fits a wide screen and a laptop without scrolling sideways.
    for width in (1920, 1280):
        page.set_viewport_size({"width": width, "height": 1000})
        fits = page.evaluate(
            f"""() => {{
                const table = document.getElementById('{Ids.MATRIX}');
                return table.scrollWidth <= table.parentElement.clientWidth;
            }}"""
        )
        assert fits, width
    page.set_viewport_size({"width": 1920, "height": 1080})

    # A choice writes the URL; the URL is a link that opens the same view.
    previous = str(int(PERIOD) - 1)
    page.select_option(f"#{Ids.PERIOD}", previous)
    expect(page).to_have_url(re.compile(rf"period={previous}"))
    expect(page).to_have_url(re.compile(r"lamnas_av=kommunerna"))
    expect(page.locator(f"#{Ids.MATRIX_HEADING}")).to_contain_text(previous)
    assert {_state(page, SIP, c) for c in COUNTY_KOMMUN_CODES} == {"late"}
    page.select_option(f"#{Ids.STRATEGY}", "1")
    expect(page.locator(f"#{Ids.CONTENT}")).to_contain_text("Inga indikatorer matchar valet")

    _open(page, f"{delivery_url}/inrapportering?period={PERIOD}&strategi=2")
    assert page.locator(f"#{Ids.STRATEGY}").input_value() == "2"
    assert page.locator(f"#{Ids.MATRIX} tr[data-indicator='U01405']").count() == 0
    assert _state(page, SIP, "0604") == "delivered"
    assert serious_axe_violations(page) == []
    assert off_machine(requests) == []


def test_the_excel_download_lists_what_to_remind_about(page: Page, delivery_url: str, tmp_path):
    _open(page, f"{delivery_url}/inrapportering?period={PERIOD}")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner Excel").click()
    download = info.value
    assert download.suggested_filename == f"inrapportering-{PERIOD}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Matris", "Per område", "Att påminna om", "Celler"]

    def rows(sheet: str) -> list[dict]:
        values = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]

    sip = next(r for r in rows("Matris") if r["Indikator"] == SIP)
    assert (sip["Aneby"], sip["Gnosjö"], sip["Jönköping"]) == ("inlämnad", "sekretess", "försenad")
    assert sip["Region Jönköpings län"] == "ej förväntad"
    assert sip["Inlämnade"] == "4 av 13"
    aneby = next(r for r in rows("Per område") if r["Områdeskod"] == "0604")
    # SIP delivered; the SÄBO index (kommunerna) and two of the region's measures are late.
    assert aneby["Försenade"] == 3 and aneby["Varav sekretess"] == 0
    reminders = [r for r in rows("Att påminna om") if r["Indikator"] == SIP]
    assert {r["Områdeskod"] for r in reminders} == set(LATE)
    assert {r["Läge"] for r in reminders} == {"försenad"}
    assert {r["Sista inlämningsdag"] for r in reminders} == {f"{int(PERIOD) + 1}-03-31"}
    aneby_sip = next(
        r for r in rows("Celler") if r["Områdeskod"] == "0604" and r["Indikator"] == SIP
    )
    assert aneby_sip["Läge"] == "inlämnad"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", aneby_sip["Senast inläst (svensk tid)"])
    every = {
        str(v) for s in book.sheetnames for row in book[s].iter_rows(values_only=True) for v in row
    }
    assert HIDDEN_VALUE not in every and "7.5" not in every


def test_sedan_forra_motet_says_what_is_late(page: Page, delivery_url: str):
    page.goto(f"{delivery_url}/sedan-forra-motet")
    wait_for_dash(page)
    late = page.locator(f"#{Sedan.LATE}")
    expect(late).to_contain_text("SIP: upplevd delaktighet")
    item = late.locator(f"li[data-indicator='{SIP}']")
    expect(item).to_have_attribute("data-period", PERIOD)
    expect(item).to_contain_text(f"sista dag 31 mars {int(PERIOD) + 1}")
    for name in ("Gislaved", "Jönköping", "Tranås"):
        expect(item).to_contain_text(name)
    assert "Aneby" not in item.inner_text()
    expect(page.locator(f"#{Sedan.LATE_HEADING}")).to_have_text("Försenad inrapportering")
    # The import's moment in Swedish time, as every date on the page (the store keeps UTC).
    (batch,) = [b for b in import_batches(STORES[delivery_url]) if not b.is_demo]
    local = batch.imported_at.astimezone(ZoneInfo("Europe/Stockholm"))
    row = page.locator(f"#{Sedan.IMPORT_TABLE} tr[data-batch='{batch.id}']")
    expect(row).to_contain_text(f"{format_date(local)} {local:%H:%M}")
