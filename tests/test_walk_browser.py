"""Walk every page of the main menu as a user would: from the navigation, each entry opens, the
page renders, axe finds no serious or critical violation, the server answers every callback, and
no request leaves 127.0.0.1. The entries are read from the menu itself, so pages added later are
walked too."""

import re
from urllib.parse import urlparse

import pytest
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from playwright.sync_api import Page, Response, expect

pytestmark = pytest.mark.browser

MENU = "nav[aria-label='Huvudmeny']"


def test_every_page_of_the_menu_opens_from_the_menu_and_is_accessible(page: Page, live_server):
    requests = record_requests(page)
    server_errors: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.goto(live_server + "/")
    wait_for_dash(page)
    entries = page.locator(f"{MENU} a").evaluate_all(
        "links => links.map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )
    assert len(entries) >= 3, entries
    names = [name for name, _ in entries]
    assert names[0] == "Översikt" and "Indikatorer" in names and "Mötesläge" in names

    problems: list[str] = []
    png_checked = False
    for name, href in entries:
        errors_before = len(server_errors)
        link = page.locator(MENU).get_by_role("link", name=name, exact=True)
        link.click()
        path = urlparse(href).path
        expect(page).to_have_url(re.compile(re.escape(path) + r"(\?.*)?$"))
        wait_for_dash(page)
        # The menu marks where the reader is, the page has one heading of its own.
        expect(link).to_have_attribute("aria-current", "page")
        headings = page.locator("main h1")
        expect(headings.first).to_be_visible()
        if headings.count() != 1:
            problems.append(f"{name}: {headings.count()} rubriker på nivå 1")
        for role in ("banner", "navigation", "main"):
            if page.get_by_role(role).count() < 1:
                problems.append(f"{name}: saknar landmärket {role}")
        problems += [f"{name} ({href}): {v}" for v in serious_axe_violations(page)]
        png = page.get_by_role("button", name="Ladda ner bild (PNG)")
        if not png_checked and png.count():
            # The chart's image is drawn in the browser by plotly.js: a PNG, and no request.
            with page.expect_download() as info:
                png.first.click()
            download = info.value
            assert download.suggested_filename.endswith(".png"), download.suggested_filename
            assert download.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            png_checked = True
        problems += [f"{name}: serverfel {e}" for e in server_errors[errors_before:]]

    assert page.locator("html").get_attribute("lang") == "sv"
    assert problems == []
    assert off_machine(requests) == []


def test_back_walks_the_menu_pages_in_reverse(page: Page, live_server):
    page.goto(live_server + "/")
    wait_for_dash(page)
    hrefs = page.locator(f"{MENU} a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    visited = ["/"]
    for href in hrefs[1:3]:
        page.locator(f"{MENU} a[href='{href}']").click()
        expect(page).to_have_url(re.compile(re.escape(href) + "$"))
        wait_for_dash(page)
        visited.append(href)
    for href in reversed(visited[:-1]):
        page.go_back()
        expect(page).to_have_url(re.compile(re.escape(live_server + href) + "$"))
        wait_for_dash(page)
