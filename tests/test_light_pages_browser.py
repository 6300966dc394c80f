"""Jämförelse's download is built on the server at the click (issue 16: the page carries the
selection, not the matrix) and is the file of the matrix shown."""

import base64

import pandas as pd
from playwright.sync_api import Page, expect

from dashboard.components.interactive.downloads import download_file, frame_payload
from indicators.reads.followup.comparison import comparison_matrix


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
