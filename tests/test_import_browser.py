"""The upload and history pages as an analyst uses them, in a real browser against a served app
on its own store (the shared demo store is never written to)."""

import hashlib
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import (
    off_machine,
    record_requests,
    serious_axe_violations,
    wait_for_dash,
)
from conftest import served
from playwright.sync_api import Page, expect

from indicators.imports.pipeline import CONFIRM_ALL, preview, save
from indicators.imports.records import UploadedFile
from indicators.reads.queries import indicator_series
from indicators.store.store import Store
from indicators.vocabulary.domain import Gender

pytestmark = pytest.mark.browser

HEADER = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status\n"
GOOD = HEADER + "N21497;0680;2023;T;87,5;35;40;\nN21497;Eksjö kommun;2024;T;12,5;;;\n"
PAYLOAD = '<img src=x onerror="document.title=1">'
BAD = HEADER + (
    "N21497;0680;2023;T;87,5;35;40;\nN21497;Jönköping;2024;T;120;;;\nN21497;9999;2024;T;5;;;\n"
    f"{PAYLOAD};0680;2024;T;5;;;\n"
)


@pytest.fixture(scope="module")
def import_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    folder = tmp_path_factory.mktemp("import-server")
    url = f"sqlite:///{folder / 'import.sqlite'}"
    with served(url, folder, INDIKATOR_SEED_DEMO="false") as base:
        yield base, Store(url)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def _county_kommun_value(store: Store, area: str, year: str) -> float | None:
    frame = indicator_series(store, "N21497", [area], Gender.TOTAL)
    row = frame[frame["period"] == year]
    return None if row.empty else float(row["value"].iloc[0])


def test_upload_preview_save_and_undo(import_server, page: Page, tmp_path: Path):
    base, store = import_server
    requests = record_requests(page)
    page.goto(base + "/")
    wait_for_dash(page)
    page.get_by_role("link", name="Importera", exact=True).click()
    expect(page).to_have_url(base + "/importera")
    wait_for_dash(page)
    assert serious_axe_violations(page) == []

    # A file with errors: every problem is listed, nothing can be saved.
    page.set_input_files("#importera-filer input[type=file]", str(_write(tmp_path, "fel.csv", BAD)))
    expect(page.locator("#importera-granskning")).to_contain_text("kan inte sparas")
    grid = page.locator("#importera-problem")
    expect(grid).to_contain_text("Områdeskoden '9999' är okänd")
    expect(grid).to_contain_text("mellan 0 och 100")
    # Markup in a file is shown as the text it is, never run.
    expect(grid).to_contain_text(PAYLOAD)
    assert grid.locator("img").count() == 0
    assert page.title() != "1"
    expect(page.locator("#importera-spara")).to_be_disabled()
    assert _county_kommun_value(store, "0680", "2023") is None

    # A clean file: counts shown, then saved on confirmation.
    page.set_input_files("#importera-filer input[type=file]", str(_write(tmp_path, "ok.csv", GOOD)))
    expect(page.locator("#importera-granskning")).to_contain_text("Allt kan sparas")
    summary = page.locator(".import-summary tbody tr").first
    expect(summary).to_contain_text("ok.csv")
    cells = summary.locator("td.num").all_inner_texts()
    assert cells == ["2", "2", "0", "0", "0"]  # rader, nya, ändrade, oförändrade, avvisade
    assert serious_axe_violations(page) == []
    page.locator("#importera-spara").click()
    expect(page.locator("#importera-resultat")).to_contain_text("Sparat: 2 nya")
    assert _county_kommun_value(store, "0680", "2023") == 87.5
    assert _county_kommun_value(store, "0686", "2024") == 12.5  # Eksjö

    # The history lists the batch; undoing it restores the empty store.
    page.get_by_role("link", name="Importhistorik", exact=True).click()
    wait_for_dash(page)
    table = page.locator(".history-table")
    expect(table).to_contain_text("ok.csv")
    assert serious_axe_violations(page) == []

    # What the batch wrote: its facts and each value before → written → now, selection in the URL.
    page.get_by_role("link", name="Visa ändringar").first.click()
    expect(page).to_have_url(re.compile(r"/importhistorik\?batch=\d+$"))
    detail = page.locator("#historik-detalj")
    expect(detail.get_by_role("heading", level=2)).to_contain_text("ok.csv")
    expect(detail.locator(".batch-facts")).to_contain_text(
        hashlib.sha256(GOOD.encode("utf-8-sig")).hexdigest()
    )
    jonkoping = detail.locator(".change-table tbody tr").filter(has_text="Jönköping")
    expect(jonkoping.locator("td.num")).to_have_text(["fanns inte", "87,5", "87,5"])
    expect(detail.get_by_role("button", name="Ladda ner CSV")).to_be_visible()
    assert serious_axe_violations(page) == []
    batch_url = page.url

    # One value's revisions: the batch that wrote it, who, and from which file.
    jonkoping.get_by_role("link", name="Visa historik").click()
    expect(page).to_have_url(
        re.compile(r"batch=\d+&indikator=N21497&omrade=0680&period=2023&kon=T")
    )
    revisions = detail.locator(".value-history tbody tr")
    expect(revisions).to_have_count(1)
    expect(revisions.first).to_contain_text("ok.csv")
    expect(revisions.first.locator("td.num")).to_have_text(["fanns inte", "87,5"])
    assert serious_axe_violations(page) == []
    page.go_back()
    expect(page).to_have_url(batch_url)
    expect(detail.locator(".change-table")).to_be_visible()

    # Undo from the detail view; the detail shows the new state at once.
    page.get_by_role("button", name="Ångra import").first.click()
    page.get_by_role("button", name="Ja, ångra importen").click()
    expect(page.locator("#historik-meddelande")).to_contain_text("ångrad")
    expect(table).to_contain_text("ångrad")
    expect(detail.locator(".batch-facts")).to_contain_text("ångrad")
    assert _county_kommun_value(store, "0680", "2023") is None
    assert off_machine(requests) == []


def test_templates_download_and_change_nothing_untouched(import_server):
    base, store = import_server
    for name in ("mall.csv", "mall.xlsx"):
        with urllib.request.urlopen(f"{base}/{name}") as response:
            assert "attachment" in response.headers["Content-Disposition"]
            content = response.read()
        result = preview(store, [UploadedFile(name=name, content=content)])
        assert result.files[0].format == "mall"
        assert result.files[0].rows_read == 0
        # The example row is read as the template's form and never as a value.
        assert (result.files[0].new, result.files[0].changed) == (0, 0)
        assert any("exempelrad" in p.message for p in result.problems)


def test_changes_are_listed_sorted_and_confirmed(import_server, page: Page, tmp_path: Path):
    base, store = import_server
    # Habo's published series (2015–2025 around 60 %) and Mullsjö's 2023 value.
    history = [f"N21497;0643;{year};T;{60 + year % 3};;;" for year in range(2015, 2026)]
    published = save(
        store,
        [
            UploadedFile(
                "publicerat.csv",
                (HEADER + "\n".join([*history, "N21497;0642;2023;T;70;;;"])).encode(),
            )
        ],
        user="test",
        confirmed=CONFIRM_ALL,
    )
    assert published.ok, [p.message for p in published.problems]
    requests = record_requests(page)
    page.goto(base + "/importera")
    wait_for_dash(page)
    change = (
        HEADER + "N21497;0643;2023;T;90;;;\nN21497;0642;2023;T;71,5;;;\nN21497;0643;2024;T;59;;;\n"
    )
    page.set_input_files(
        "#importera-filer input[type=file]", str(_write(tmp_path, "rättelse.csv", change))
    )
    # A busy machine may take more than the default five seconds to parse and compare.
    expect(page.locator("#importera-granskning")).to_contain_text("Allt kan sparas", timeout=60_000)
    grid = page.locator("#importera-andringar")
    rows = grid.locator(".ag-center-cols-container .ag-row")
    expect(rows).to_have_count(3)
    # The change that must be confirmed leads; a header click sorts by the difference.
    expect(rows.first).to_contain_text("Habo")
    expect(rows.first).to_contain_text("5 procentenheter")
    grid.get_by_role("columnheader", name="Skillnad").click()
    expect(rows.first).to_contain_text("−3")  # Habo 2024: 62 → 59
    expect(rows.nth(1)).to_contain_text("+1,5")  # Mullsjö: 70 → 71,5
    expect(rows.nth(2)).to_contain_text("+29")  # Habo 2023: 61 → 90
    expect(rows.nth(2).locator("[col-id=fore]")).to_have_text("61")
    expect(rows.nth(2).locator("[col-id=efter]")).to_have_text("90")
    assert serious_axe_violations(page) == []

    # Saving waits for the tick that confirms the change to a published value.
    save_button = page.locator("#importera-spara")
    expect(save_button).to_be_disabled()
    page.get_by_label("Jag har granskat ändringarna av publicerade värden").check()
    expect(save_button).to_be_enabled()
    save_button.click()
    expect(page.locator("#importera-resultat")).to_contain_text(
        "Sparat: 0 nya och 3 ändrade", timeout=60_000
    )
    assert _county_kommun_value(store, "0643", "2023") == 90.0
    assert off_machine(requests) == []


def test_indicators_added_from_kolada_are_listed(import_server, page: Page):
    base, store = import_server
    csv = HEADER + "N00003;0680;2023;T;12;;;\n"
    result = save(
        store,
        [UploadedFile(name="kolada.csv", content=csv.encode("utf-8-sig"))],
        user="test",
        add_kolada_indicators=True,
    )
    assert result.ok, [p.message for p in result.problems]
    requests = record_requests(page)
    page.goto(base + "/indikatorer")
    wait_for_dash(page)
    added = page.locator(".added-indicators")
    expect(added.get_by_role("heading", name="Tillagda från Kolada")).to_be_visible()
    # The search finds an added indicator too (a national store lists them a page at a time).
    page.get_by_label("Sök indikator").fill("N00003")
    page.get_by_role("button", name="Sök").click()
    expect(page).to_have_url(base + "/indikatorer?q=N00003")
    wait_for_dash(page)
    expect(page.locator("li[data-indicator]")).to_have_count(1)
    added.locator("[data-indicator=N00003] a").click()
    expect(page).to_have_url(base + "/indikator/N00003")
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Personalkostnader")
    assert off_machine(requests) == []
