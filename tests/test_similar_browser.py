"""Liknande kommuner on the Kommun and Indikator pages, in a real headless Chromium against
`python app.py` over the demo store on SQLite and on PostgreSQL: the sentence, the table and the
figure show the store's values, the choice lives in the URL, the missing-values message names
the command that fetches them, axe finds nothing serious and no request leaves the machine."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from conftest import served
from playwright.sync_api import Page, expect
from sqlalchemy import delete

from indicators.reads.similar import describe, similar_view
from indicators.store import models as m
from indicators.store.engine import write_session
from indicators.store.store import Store

pytestmark = pytest.mark.browser

ANEBY_ALDREOMSORG = {"0488", "0617", "0642", "1763", "1960", "2309", "2460"}


@pytest.fixture(scope="session")
def demo_server(
    backend: str, any_demo_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app over the demo store of the backend (on SQLite the shared `live_server`'s)."""
    with served(any_demo_store.url, tmp_path_factory.mktemp(f"liknande-{backend}")) as url:
        yield url


@pytest.fixture
def opened(page: Page) -> Iterator:
    requests = record_requests(page)

    def go(url: str) -> Page:
        page.goto(url)
        wait_for_dash(page)
        return page

    yield go
    assert off_machine(requests) == []


def _section(page: Page, heading_id: str):
    return page.locator(f"section[aria-labelledby='{heading_id}']")


def test_kommun_page_shows_the_kommun_among_its_similar_kommuner(
    opened, demo_server, any_demo_store
):
    page = opened(f"{demo_server}/kommun/0604")
    section = _section(page, "kommun-liknande-rubrik")
    expect(section.get_by_role("heading", name="Bland liknande kommuner i landet")).to_be_visible()
    select = page.get_by_label("Indikator", exact=True)
    select.select_option("U23401")
    expect(page).to_have_url(re.compile(r"/kommun/0604\?liknande=U23401$"))
    view = similar_view(any_demo_store, "U23401", "0604")
    sentence = describe(view, with_command=False)
    expect(page.locator("#kommun-liknande-text .similar-sentence")).to_have_text(sentence)
    assert "plats" in sentence and "Gruppens median" in sentence
    rows = page.locator("#kommun-liknande-tabell tbody tr")
    expect(rows).to_have_count(8)
    expect(rows.first).to_have_attribute("data-area", "0604")
    expect(rows.first.locator("td")).to_have_text(view.members[0].text)
    for member in view.members[1:]:
        cell = page.locator(f"#kommun-liknande-tabell tr[data-area='{member.code}'] td")
        expect(cell).to_have_text(member.text)
    expect(section.locator(".js-plotly-plot")).to_be_visible()
    expect(section.locator(".legendtext", has_text="Gruppens median")).to_be_visible()
    assert serious_axe_violations(page) == []

    # Another indicator, then back: the address and the view follow.
    select.select_option("U01405")
    expect(page).to_have_url(re.compile(r"\?liknande=U01405$"))
    other = describe(similar_view(any_demo_store, "U01405", "0604"), with_command=False)
    expect(page.locator("#kommun-liknande-text .similar-sentence")).to_have_text(other)
    assert "(socioekonomi)" in other
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?liknande=U23401$"))
    expect(page.locator("#kommun-liknande-text .similar-sentence")).to_have_text(sentence)


def test_indikator_page_shows_a_chosen_kommun_among_its_similar_kommuner(
    opened, demo_server, any_demo_store
):
    page = opened(f"{demo_server}/indikator/U21401?liknande=0680")
    section = _section(page, "indikator-liknande-rubrik")
    expect(section).to_be_visible()
    expect(page.get_by_label("Kommun", exact=True)).to_have_value("0680")
    view = similar_view(any_demo_store, "U21401", "0680")
    expect(page.locator("#indikator-liknande-text .similar-sentence")).to_have_text(
        describe(view, with_command=False)
    )
    expect(page.locator("#indikator-liknande-tabell tbody tr")).to_have_count(8)
    page.get_by_label("Kommun", exact=True).select_option("0604")
    aneby = similar_view(any_demo_store, "U21401", "0604")
    expect(page.locator("#indikator-liknande-text .similar-sentence")).to_have_text(
        describe(aneby, with_command=False)
    )
    codes = {mb.code for mb in aneby.members[1:]}
    assert codes == ANEBY_ALDREOMSORG
    for code in codes:
        expect(page.locator(f"#indikator-liknande-tabell tr[data-area='{code}']")).to_be_visible()
    expect(section.locator(".js-plotly-plot")).to_be_visible()
    assert serious_axe_violations(page) == []


def test_missing_group_values_name_the_fetch_command(opened, demo_copy: Store, tmp_path: Path):
    with write_session(demo_copy.url) as s:
        s.execute(
            delete(m.Observation.__table__).where(
                m.Observation.indicator_id == "U23401",
                m.Observation.area_code.in_(ANEBY_ALDREOMSORG),
            )
        )
    with served(demo_copy.url, tmp_path) as base:
        page = opened(f"{base}/kommun/0604?liknande=U23401")
        text = page.locator("#kommun-liknande-text")
        expect(text).to_contain_text(
            "Värden för de 7 liknande kommunerna (äldreomsorg) saknas i lagret"
        )
        expect(text.locator("code")).to_have_text(
            re.compile(
                r"^python -m indicators fetch-kolada --liknande 0604 --kpi U23401 "
                r"--from \d{4} --save$"
            )
        )
        expect(page.locator("#kommun-liknande-tabell tbody tr")).to_have_count(0)
        assert serious_axe_violations(page) == []
