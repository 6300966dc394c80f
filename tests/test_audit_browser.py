"""The Granskningslogg page in a real browser, against a served app on a store of its own in
which a few changes were made (the shared demo store is never written to): the grid lists the
entries as text, the filters narrow it and write the address, and the download links give the
filtered log as CSV and Excel."""

import io
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from conftest import served
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from indicators.reads.audit import STOCKHOLM
from indicators.settings import Settings
from indicators.store.store import Store
from indicators.vocabulary.domain import Role
from indicators.writes.accounts import add_user
from indicators.writes.analyses import add_analysis
from indicators.writes.bootstrap import prepare_store
from indicators.writes.targets import set_target

pytestmark = pytest.mark.browser

RATE = "N21497"
PAYLOAD = '<img src=x onerror="document.title=1">'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = "#logg-tabell .ag-center-cols-container .ag-row"
PASSWORD = "ett långt och hemligt lösenord"


@pytest.fixture(scope="module")
def audit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("audit-server")
    url = f"sqlite:///{folder / 'logg.sqlite'}"
    prepare_store(Settings(database_url=url, seed_demo=False))  # three catalogue entries
    store = Store(url)
    set_target(store, RATE, "0680", 2030, "90", "", PAYLOAD)
    set_target(store, RATE, "0680", 2030, "95", "höjt", "Bo")
    add_analysis(store, RATE, "2024", "Länet ligger stilla.", "Bo")
    with served(url, folder, INDIKATOR_SEED_DEMO="false") as base:
        yield base


def test_the_log_lists_filters_and_downloads(audit_server: str, page: Page) -> None:
    base = audit_server
    requests = record_requests(page)
    page.goto(base + "/granskningslogg")
    wait_for_dash(page)
    expect(page.locator(ROWS)).to_have_count(6)
    grid = page.locator("#logg-tabell")
    expect(grid).to_contain_text("katalogändring")
    # A name with markup is shown as the text it is, never run.
    expect(grid).to_contain_text(PAYLOAD)
    assert grid.locator("img").count() == 0
    assert page.title() != "1"
    assert serious_axe_violations(page) == []

    page.select_option("#logg-vem", "Bo")
    expect(page.locator(ROWS)).to_have_count(2)
    expect(page).to_have_url(base + "/granskningslogg?vem=Bo")
    page.select_option("#logg-vad", "målvärde satt")
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator("#logg-sammanfattning")).to_have_text("1 händelse.")
    expect(grid).to_contain_text("värde: 90")  # before
    expect(grid).to_contain_text("kommentar: höjt")  # after

    csv = page.request.get(base + page.get_attribute("#logg-csv", "href"))
    assert csv.status == 200
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.body().decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == 2 and ";Bo;målvärde satt;" in lines[1]
    xlsx = page.request.get(base + page.get_attribute("#logg-xlsx", "href"))
    assert xlsx.status == 200 and xlsx.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(xlsx.body())).active
    assert [row[2:4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("Bo", "målvärde satt")
    ]

    tomorrow = (datetime.now(STOCKHOLM) + timedelta(days=1)).date().isoformat()
    page.fill("#logg-fran", tomorrow)
    page.press("#logg-fran", "Enter")
    expect(page.locator("#logg-sammanfattning")).to_have_text("Inga händelser matchar filtret.")
    expect(page.locator(ROWS)).to_have_count(0)
    assert off_machine(requests) == []


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Served with accounts: an administratör and a läsare."""
    folder = tmp_path_factory.mktemp("audit-accounts")
    url = f"sqlite:///{folder / 'konton.sqlite'}"
    prepare_store(Settings(database_url=url, seed_demo=False))
    store = Store(url)
    add_user(store, "admin", PASSWORD, Role.ADMINISTRATOR, actor="installation")
    add_user(store, "lasare", PASSWORD, Role.LASARE, actor="admin", display_name="Lisa Läsare")
    with served(url, folder, INDIKATOR_SEED_DEMO="false", SECRET_KEY="x" * 64) as base:
        yield base


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/logga-in")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    wait_for_dash(page)


def test_only_an_administrator_reads_the_log(accounts_server: str, page: Page) -> None:
    base = accounts_server
    anonymous = page.request.get(base + "/granskningslogg.csv", max_redirects=0)
    assert anonymous.status in (302, 401)
    assert "Vem;Vad" not in anonymous.text()

    _sign_in(page, base, "lasare")
    page.goto(base + "/granskningslogg")
    wait_for_dash(page)
    expect(page.locator("main")).to_contain_text(
        "Du behöver rollen administratör för att läsa granskningsloggen."
    )
    expect(page.locator(ROWS)).to_have_count(0)
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Granskningslogg")).to_have_count(0)
    for kind in ("csv", "xlsx"):
        assert page.request.get(f"{base}/granskningslogg.{kind}").status == 403

    page.context.clear_cookies()
    _sign_in(page, base, "admin")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Granskningslogg"
    ).click()
    wait_for_dash(page)
    expect(page.locator("#logg-tabell")).to_contain_text("konto skapat")
    csv = page.request.get(base + "/granskningslogg.csv?vad=konto skapat")
    assert csv.status == 200
    assert ";admin;konto skapat;konto lasare;" in csv.text()
