"""Names and texts people type are shown as text in a real browser, never run as markup: an
account's name, an analysis, a target's note and an imported file's name, on every page that
shows them, including the audit log."""

from collections.abc import Iterator

import pytest
from browser_helpers import wait_for_dash
from conftest import served, sqlite_copy
from playwright.sync_api import Page, expect
from sqlalchemy.engine import make_url

from indicators.imports.pipeline import CONFIRM_ALL, save
from indicators.imports.records import UploadedFile
from indicators.reads.queries import Store
from indicators.vocabulary.domain import Role
from indicators.writes.accounts import add_user
from indicators.writes.analyses import add_analysis
from indicators.writes.targets import set_target

pytestmark = pytest.mark.browser

NAME = '<img src=x onerror="window.__xss=1">Eva'
ANALYSIS = "<script>window.__xss=2</script>Ökningen <b>fortsätter</b>"
NOTE = '<svg onload="window.__xss=3">mål'
FILE = "<img src=y onerror=window.__xss=4>.csv"
PASSWORD = "ett-långt-lösenord-1"


@pytest.fixture(scope="module")
def hostile_server(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("xss")
    store = Store(sqlite_copy(make_url(demo_store.url).database, folder))
    add_user(store, "eva", PASSWORD, Role.ADMINISTRATOR, actor=NAME, display_name=NAME)
    add_analysis(store, "N21497", "2023", ANALYSIS, NAME)
    set_target(store, "N21497", None, 2030, "90", NOTE, NAME)
    content = (
        "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status\nN21497;0680;2023;T;87,5;35;40;\n"
    )
    result = save(store, [UploadedFile(FILE, content.encode())], user=NAME, confirmed=CONFIRM_ALL)
    assert result.files[0].batch_id is not None
    with served(store.url, folder, SECRET_KEY="x" * 64) as url:
        yield url


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/logga-in")
    page.fill("#username", "eva")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    wait_for_dash(page)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/indikator/N21497?period=2023", [NAME, "Ökningen <b>fortsätter</b>", NOTE]),
        ("/importhistorik", [NAME, FILE]),
        ("/granskningslogg", [NAME, FILE]),
    ],
)
def test_typed_text_is_shown_as_text(page: Page, hostile_server: str, path: str, expected):
    sign_in(page, hostile_server)
    page.goto(hostile_server + path)
    wait_for_dash(page)
    # The Indikator page draws its period view in a second callback; on a loaded machine it can
    # land after the network went quiet, so wait for each text rather than read the body once.
    body = page.locator("body")
    for shown in expected:
        expect(body).to_contain_text(shown, use_inner_text=True, timeout=30_000)
    page.wait_for_timeout(300)  # let any handler that might fire, fire
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("main img[src='x'], main svg[onload]").count() == 0
