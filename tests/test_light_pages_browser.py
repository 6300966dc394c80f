"""Light pages in the browser (issue 16): Jämförelse's download is built on the server at the
click (the page carries the selection, not the matrix) and is the file of the matrix shown; a
strategy's table alternatives are fetched when opened."""

import base64

import pandas as pd
from playwright.sync_api import Page, expect

from dashboard.components.interactive.downloads import download_file, frame_payload
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.followup.strategy import strategy_view
from indicators.vocabulary.domain import ValueKind
from indicators.vocabulary.formatting import format_value


def test_jamforelse_csv_is_built_at_the_click_with_the_matrix_shown(visit, demo_store, page: Page):
    visit("/jamforelse?strategi=2")
    expect(page.locator("#jamforelse-val")).to_contain_text("(Strategi 2)")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner CSV").click()
    download = info.value
    assert download.suggested_filename == "jamforelse-2.csv"
    expected = download_file(
        frame_payload(comparison_matrix(demo_store, strategy=2, colour_by="change").frame()),
        "csv",
        "x",
    )
    assert download.path().read_bytes() == base64.b64decode(expected["content"])
    frame = pd.read_csv(download.path(), sep=";", decimal=",", encoding="utf-8-sig")
    assert len(frame) == len(comparison_matrix(demo_store, strategy=2).frame())


def test_a_strategy_tables_alternative_is_fetched_when_opened(visit, demo_store, page: Page):
    """By mouse and by keyboard: the table is not in the page until its summary is opened."""
    visit("/strategi/1")
    view = strategy_view(demo_store, 1)
    blocks = [
        (ma.id, b)
        for ma in view.matomraden
        for b in ma.indicators
        if b.spread and b.spread.reported and b.indicator.value_kind != ValueKind.CODED
    ]
    assert len(blocks) >= 2
    expect(page.locator("table.kommun-values")).to_have_count(0)
    for n, (matomrade, b) in enumerate(blocks[:2]):
        article = page.locator(f"#{matomrade} article[data-indicator='{b.indicator.id}']")
        summary = article.get_by_text("Tabell: värden per kommun")
        if n == 0:
            summary.click()
        else:
            summary.focus()
            page.keyboard.press("Enter")
        table = article.locator("table.kommun-values")
        expect(table.locator("tbody tr")).to_have_count(
            len(b.spread.kommuner) + (1 if b.county else 0)
        )
        if b.county is not None and b.county.value is not None:
            expect(table.locator(f"tr[data-area='{b.county.code}'] td")).to_have_text(
                format_value(b.county.value, b.indicator.decimals, b.indicator.unit)
            )
    expect(page.locator("table.kommun-values")).to_have_count(2)
