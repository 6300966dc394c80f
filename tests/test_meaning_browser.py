"""Pages a lead can use, in real headless Chromium over the demo store, at 1920×1080 and
1366×768: tables that fit (or scroll visibly), the chosen kommun and strategigrupp carried from
page to page, one colour meaning, summary cards, short headings with the scale under them,
chart text of at least 12 px, times in Swedish time and the indicator's downloads as numbers.
Screenshots go to $TMPDIR/skarmbilder-meaning/ for a person to look at (pytest-playwright
empties its own test-results/ at every start)."""

import io
import re
import tempfile
from pathlib import Path

import pytest
from browser_helpers import serious_axe_violations, wait_for_dash
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from dashboard.components.change_words import CHANGE_COLOUR
from indicators.reads.followup.strategy import strategigrupp_cards, strategy_cards
from indicators.vocabulary.trends import Change

SHOTS = Path(tempfile.gettempdir()) / "skarmbilder-meaning"
SIZES = {"1920": (1920, 1080), "1366": (1366, 768)}
WIDE_TABLES = {
    "/kommun/0680": "table.kommun-table",
    "/strategigrupp/aldre": "table.change-matrix",
    "/jamforelse": "table.comparison-table",
}


def _wait_for_traces(page: Page, graph_id: str) -> None:
    """Until the graph has drawn its figure (the plot's element exists before its data)."""
    page.wait_for_function(
        """(id) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');
                     return !!(g && g.data && g.data.length); }""",
        arg=graph_id,
        timeout=30_000,
    )


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _edges(page: Page, selector: str) -> list[dict]:
    """Per table: the viewport, its scroll container's box and scroll widths, and the right
    edge of every header cell."""
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel)).map(t => {
            const box = t.parentElement;
            const r = box.getBoundingClientRect();
            return {
                viewport: document.documentElement.clientWidth,
                pageScroll: document.documentElement.scrollWidth,
                boxRight: r.right, boxLeft: r.left,
                scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
                overflow: getComputedStyle(box).overflowX,
                heads: Array.from(t.querySelectorAll('thead th')).map(th => ({
                    text: th.innerText.trim(), right: th.getBoundingClientRect().right})),
            };
        })""",
        selector,
    )


@pytest.mark.parametrize("path", list(WIDE_TABLES))
def test_wide_tables_fit_1920_and_scroll_visibly_at_1366(visit, path):
    page = visit(path)
    selector = WIDE_TABLES[path]
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(300)
    tables = _edges(page, selector)
    assert tables
    for t in tables:
        assert t["pageScroll"] <= t["viewport"]  # the page itself never scrolls sideways
        assert t["scrollWidth"] <= t["clientWidth"] + 1, t["heads"][-1]
        for head in t["heads"]:
            assert head["right"] <= min(t["viewport"], t["boxRight"]) + 1, head
    if path.startswith("/kommun"):
        heads = [h["text"] for h in tables[0]["heads"]]
        assert "Mål" in heads and "Bland de 13" in heads
    page.locator(selector).first.scroll_into_view_if_needed()
    _shot(page, f"{path.strip('/').replace('/', '-')}-1920")

    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(300)
    tables = _edges(page, selector)
    for t in tables:
        assert t["pageScroll"] <= t["viewport"]
        if t["scrollWidth"] > t["clientWidth"] + 1:
            # Wider than the screen: its own box scrolls, and the last column can be reached.
            assert t["overflow"] == "auto"
    if not path.startswith("/kommun"):
        wide = tables[0]
        assert wide["scrollWidth"] > wide["clientWidth"]
        assert wide["heads"][-1]["right"] > wide["boxRight"]  # hidden before scrolling
        box = page.locator(selector).first.locator("xpath=..")
        box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
        last = _edges(page, selector)[0]["heads"][-1]
        assert last["right"] <= wide["boxRight"] + 1
        # The first column stays in place while the table scrolls.
        sticky = page.locator(f"{selector} tbody th").first.evaluate(
            "th => getComputedStyle(th).position"
        )
        assert sticky == "sticky"
        box.evaluate("b => { b.scrollLeft = 0; }")
    page.locator(selector).first.scroll_into_view_if_needed()
    _shot(page, f"{path.strip('/').replace('/', '-')}-1366")
    assert serious_axe_violations(page) == []


def test_the_chosen_kommun_and_strategigrupp_stay_chosen(visit, live_server):
    page = visit("/kommun/0680")
    page.wait_for_timeout(300)
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Översikt")).to_have_attribute("href", "/?kommun=0680")
    page.get_by_role("link", name="Översikt").click()
    expect(page).to_have_url(re.compile(r"/\?kommun=0680$"))
    wait_for_dash(page)
    page.locator("tr[data-indicator='U23401'] a.ind-link").first.click()
    expect(page).to_have_url(re.compile(r"/indikator/U23401\?kommun=0680$"))
    wait_for_dash(page)
    graph = page.locator("#indikator-diagram .js-plotly-plot")
    _wait_for_traces(page, "indikator-diagram")
    traces = graph.evaluate("g => g.data.map(t => [t.name, t.line.color, t.showlegend])")
    names = [name for name, _, _ in traces]
    assert "Jönköping" in names and "Övriga kommuner" in names
    colours = {name: colour for name, colour, _ in traces}
    assert colours["Jönköping"] != colours["Övriga kommuner"]
    grey = [t for t in traces if t[0] == "Övriga kommuner"]
    assert len(grey) == 12 and sum(1 for t in grey if t[2] is not False) == 1
    page.locator("#indikator-diagram").scroll_into_view_if_needed()
    _shot(page, "indikator-vald-kommun-1920")

    page.goto(f"{live_server}/strategigrupp/aldre?kommun=0680")
    wait_for_dash(page)
    page.wait_for_timeout(300)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Kommuner").click()
    expect(page).to_have_url(re.compile(r"/kommun/0680\?strategigrupp=aldre$"))
    wait_for_dash(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Jönköping")
    page.wait_for_timeout(300)
    link = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Jämförelse")
    expect(link).to_have_attribute("href", "/jamforelse?kommun=0680&strategigrupp=aldre")
    link.click()
    wait_for_dash(page)
    expect(page.locator("#jamforelse-strategigrupp")).to_have_value("aldre")


def test_a_percent_axis_shows_the_datas_range_and_says_so(visit):
    page = visit("/indikator/N21497")
    graph = page.locator("#indikator-diagram .js-plotly-plot")
    _wait_for_traces(page, "indikator-diagram")
    axis = graph.evaluate("g => [g._fullLayout.yaxis.range, g.layout.yaxis.title.text]")
    low, title = axis[0][0], axis[1]
    assert low > 0 and "inte 0–100" in title


def test_one_colour_meaning_on_the_pages(visit):
    page = visit("/strategigrupp/aldre")
    improved = page.locator(".change-matrix td.improved").first
    worsened = page.locator(".change-matrix td.worsened").first

    def rgb(hex_colour: str) -> str:
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgb({r}, {g}, {b})"

    # The matrix's symbol is drawn by the stylesheet, before the word.
    def symbol(cell) -> list[str]:
        return cell.evaluate(
            "td => { const s = getComputedStyle(td, '::before'); return [s.content, s.color]; }"
        )

    assert symbol(improved) == ['"▲ " / ""', rgb(CHANGE_COLOUR[Change.IMPROVED])]
    assert symbol(worsened) == ['"▼ " / ""', rgb(CHANGE_COLOUR[Change.WORSENED])]
    bars = page.locator("#strategigrupp-diagram .js-plotly-plot").evaluate(
        "g => g.data.map(t => t.marker.color)"
    )
    assert set(bars) <= set(CHANGE_COLOUR.values())


@pytest.mark.parametrize(
    ("path", "cards"),
    [("/strategi", strategy_cards), ("/strategigrupp", strategigrupp_cards)],
)
def test_menu_pages_show_a_summary_card_per_item(visit, demo_store, path, cards):
    page = visit(path)
    expected = cards(demo_store)
    shown = page.locator("article.summary-card")
    expect(shown).to_have_count(len(expected))
    for card in expected:
        article = page.locator(f"article.summary-card[data-key='{card.key}']")
        expect(article.get_by_role("heading", level=2)).to_have_text(card.title)
        expect(article).to_contain_text(f"{card.indicator_count} indikator")
        for change in (Change.IMPROVED, Change.WORSENED, Change.NOT_COMPARABLE):
            item = article.locator(f"li[data-change='{change.value}'] strong")
            expect(item).to_have_text(str(card.counts[change]))
    for name, size in SIZES.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.wait_for_timeout(200)
        _shot(page, f"{path.strip('/')}-kort-{name}")
    assert serious_axe_violations(page) == []


def test_headings_use_short_titles_and_say_the_scale_under_them(visit):
    page = visit("/indikator/U21340")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Digital tillsyn (äldre i ordinärt boende)")
    assert "=" not in page.locator(".indicator-full-title").inner_text()
    expect(page.locator(".scale-note")).to_contain_text("Breddinfört (2), Testverksamhet (1)")
    for h in page.locator("h1, h2, h3, caption").all_inner_texts():
        assert "=" not in h and "(index (" not in h, h
    page = visit("/indikator/RJL-KONTINUITETSINDEX-PV")
    expect(page.locator(".scale-note")).to_contain_text("Enhet: index (0–1)")
    assert "(index (" not in page.locator("#indikator-diagram").inner_text()


@pytest.mark.parametrize(
    ("path", "graph_id"),
    [
        ("/indikator/U21340", "indikator-diagram"),
        ("/indikator/U23401", "indikator-diagram"),
        ("/jamforelse", "jamforelse-diagram"),
    ],
)
def test_chart_text_is_at_least_12_px_and_never_clipped(visit, path, graph_id):
    page = visit(path)
    graph = page.locator(f"#{graph_id} .js-plotly-plot")
    expect(graph).to_have_count(1, timeout=30_000)
    page.wait_for_timeout(500)
    sizes = graph.evaluate(
        """g => Array.from(g.querySelectorAll('svg text')).filter(t => t.textContent.trim())
              .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize)])"""
    )
    assert sizes
    small = [(text, size) for text, size in sizes if size < 12 - 0.01]
    assert small == []
    texts = [text for text, _ in sizes]
    if path.endswith("U21340"):
        # A long answer is split over two lines in its cell, never cut.
        assert "Testverk-samhet" in texts  # two lines (tspans) of one label
        assert "Testverksamhet" not in texts
        page.locator("#indikator-diagram").scroll_into_view_if_needed()
        _shot(page, "kodad-indikator-1920")


def test_import_history_shows_swedish_time(visit):
    page = visit("/importhistorik")
    table = page.locator("table").first
    expect(table).to_contain_text("Tid (svensk tid)")
    assert "UTC" not in page.locator("main").inner_text()


def test_the_indicator_page_downloads_numbers_as_numbers(visit):
    page = visit("/indikator/N21497")
    bar = page.locator("[data-download-key='indikator']")
    expect(bar).to_be_visible()
    with page.expect_download() as info:
        bar.get_by_role("button", name="Ladda ner Excel").click()
    content = Path(info.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(content)).active
    head = [c.value for c in sheet[1]]
    assert {"Område", "Period", "Värde", "Täljare", "Nämnare"} <= set(head)
    column = head.index("Värde") + 1
    values = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    numbers = [c for c in values if c.value is not None]
    assert numbers and all(c.data_type == "n" for c in numbers)
    assert all(c.number_format != "General" for c in numbers)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                # Codes ("0680") stay text; a shown number ("68,5 %") never does.
                shown = re.fullmatch(r"[−-]?\d[\d\s ]*(,\d+\s?%?|\s?%)", cell.value)
                assert not shown, cell.value
    with page.expect_download() as info:
        bar.get_by_role("button", name="Ladda ner CSV").click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Indikator;Indikatornamn;Område")
