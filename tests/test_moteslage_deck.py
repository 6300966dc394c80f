"""Mötesläge's deck in a real headless Chromium at 1920 × 1080 and 1366 × 768: every slide fits
the screen without scrolling (measured), nothing is under the control bar, long content goes on
over several slides, Exempeldata is on every slide, targets, Riket and the kommuner's spread are
said in words; and the whole deck downloads as a PDF printed by Chromium, one page a slide.

Screenshots of every slide are kept in tests/artifacts/moteslage/ (see ARTIFACTS)."""

import io
import re
import shutil
import unicodedata
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import requests
from browser_helpers import off_machine, record_requests, serious_axe_violations, wait_for_dash
from conftest import served
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dashboard.moteslage_pdf import chromium_path
from dashboard.pages._moteslage_indicator import CERTAINTY_NOTE
from indicators.reads.followup.baseline import development_table
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, Role
from indicators.writes.accounts import add_user
from indicators.writes.analyses import add_analysis
from indicators.writes.targets import set_target

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts" / "moteslage"
# An indicator with a target and a long analysis, one with a target it is far from, a strategy
# (13+ rows), a strategigrupp (14 areas) and a kommun (every indicator).
DECK = "U23401,N21497,strategi-2,grupp-aldre,kommun-0604"
ANALYSIS = " ".join(f"Mening {n}: väntetiden ökade mest i de små kommunerna." for n in range(36))

MEASURE = """() => {
    const bar = document.querySelector('.deck-controls').getBoundingClientRect();
    const slide = document.querySelector('.slide');
    const shown = el => el.getClientRects().length && !el.closest('details:not([open])');
    const outside = [];
    const parts = slide.querySelectorAll(
        'tbody tr, li, .slide-source, .slide-demo, h1, h2, p, .slide-chart .main-svg');
    for (const el of parts) {
        if (!shown(el)) { continue; }
        const r = el.getBoundingClientRect();
        if (r.top < 0 || r.bottom > bar.top + 0.5 || r.right > innerWidth + 0.5) {
            outside.push(el.tagName + ' ' + el.textContent.trim().slice(0, 50));
        }
    }
    // A chart's axis title stays inside its chart and off the chart's own title and subtitle.
    const clashes = [];
    for (const graph of slide.querySelectorAll('.slide-chart .js-plotly-plot')) {
        const box = graph.getBoundingClientRect();
        const titles = [...graph.querySelectorAll('.gtitle, .gtitle-subtitle')]
            .map(t => t.getBoundingClientRect());
        for (const axis of graph.querySelectorAll('.g-ytitle, .g-xtitle')) {
            const r = axis.getBoundingClientRect();
            if (!r.height) { continue; }
            if (r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
                clashes.push('axeltitel utanför diagrammet: ' + axis.textContent);
            }
            for (const t of titles) {
                if (r.top < t.bottom && r.bottom > t.top && r.left < t.right && r.right > t.left) {
                    clashes.push('axeltitel över rubriken: ' + axis.textContent);
                }
            }
        }
    }
    return {
        clashes,
        scroll: document.documentElement.scrollHeight,
        scrollWidth: document.documentElement.scrollWidth,
        height: innerHeight,
        width: innerWidth,
        barBottom: bar.bottom,
        outside,
        rows: slide.querySelectorAll('tbody tr').length,
        demo: (slide.querySelector('.slide-demo') || {innerText: ''}).innerText,
        source: slide.querySelector('.slide-source') ? 1 : 0,
    };
}"""


@pytest.fixture(scope="module")
def meeting_server(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("mote")
    copy = folder / "mote.sqlite"
    shutil.copy(demo_store.url.removeprefix("sqlite:///"), copy)
    store = Store(f"sqlite:///{copy}")
    set_target(store, "U23401", None, 2030, 30, user="Analytiker")
    set_target(store, "N21497", None, 2030, 95, user="Analytiker")
    add_analysis(store, "U23401", "2025", ANALYSIS, "Analytiker")
    with served(store.url, folder) as url:
        yield url


def _at(page: Page, step: int) -> None:
    """The server has rendered slide `step` and no callback is pending (no wait for network
    quiet: a deck of thirty slides would spend half a minute on it)."""
    expect(page.locator(f"#moteslage[data-steg='{step}']")).to_be_visible(timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')")


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
def test_every_slide_fits_the_screen_above_the_control_bar_and_says_exempeldata(
    page: Page, meeting_server: str, width: int, height: int
):
    requests = record_requests(page)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{meeting_server}/moteslage?vyer={DECK}")
    _at(page, 1)
    count = int(page.locator("#moteslage").get_attribute("data-antal") or 0)
    assert count > 5  # five views, cut into as many slides as fit
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kinds: set[str] = set()
    for step in range(1, count + 1):
        if step > 1:
            page.keyboard.press("ArrowRight")
            _at(page, step)
        if page.locator(".slide-chart").count():
            expect(page.locator(".slide-chart .main-svg").first).to_be_visible(timeout=30_000)
        m = page.evaluate(MEASURE)
        page.screenshot(path=ARTIFACTS / f"{width}x{height}-{step:02d}.png")
        where = f"bild {step} av {count} vid {width}×{height}"
        assert m["scroll"] <= m["height"] and m["scrollWidth"] <= m["width"], where
        assert m["barBottom"] <= m["height"] + 0.5, where
        assert m["outside"] == [], f"{where}: {m['outside']}"
        assert m["clashes"] == [], f"{where}: {m['clashes']}"
        assert m["source"] == 1, where
        assert m["demo"].startswith("EXEMPELDATA"), where
        kind = page.locator(".slide-main").get_attribute("class") or ""
        if kind not in kinds and width == 1920:
            assert serious_axe_violations(page) == [], where  # once per kind of slide
        kinds.add(kind)
    # Each kind of slide was among those measured.
    assert {k.split("kind-")[1] for k in kinds} >= {"indicator", "analysis", "summary", "table"}
    assert off_machine(requests) == []


def test_the_indicator_slide_says_target_riket_and_spread_in_words(
    page: Page, meeting_server: str, demo_store: Store
):
    page.goto(f"{meeting_server}/moteslage?vyer=N21497")
    _at(page, 1)
    # The change is the one rule's, with why a visible change is called unchanged.
    dev = development_table(demo_store).development("N21497", COUNTY_CODE)
    change = page.locator(".slide-change")
    expect(change).to_contain_text(dev.change.label + CERTAINTY_NOTE.get(dev.certainty, ""))
    facts = page.locator(".slide-facts")
    target = facts.locator(".slide-target")
    expect(target).to_contain_text("Mål 2030: 95,0")
    expect(target).to_contain_text("✗ ej uppnått")
    expect(target).to_contain_text("procentenheter kvar")
    expect(facts.locator(".slide-versus")).to_have_text(
        re.compile(r"^Länet ligger \d+,\d procentenheter (över|under) riket \(\d{4}\)\.$")
    )
    expect(facts.locator(".slide-spread")).to_have_text(
        re.compile(r"^Kommunerna \d{4}: Bäst: .+ · median .+ · sämst: .+\.$")
    )
    # The target is drawn too, as a labelled line.
    expect(page.locator("#moteslage-diagram .main-svg").first).to_be_visible(timeout=30_000)
    expect(page.locator("#moteslage-diagram")).to_contain_text("Mål 2030")
    assert serious_axe_violations(page) == []


def test_a_strategys_rows_go_on_over_slides_and_every_row_is_shown_once(
    page: Page, meeting_server: str
):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{meeting_server}/moteslage?vyer=strategi-2")
    _at(page, 1)
    count = int(page.locator("#moteslage").get_attribute("data-antal") or 0)
    seen: list[str] = []
    for step in range(1, count + 1):
        if step > 1:
            page.keyboard.press("ArrowRight")
            _at(page, step)
        seen += [
            r.get_attribute("data-indicator") or ""
            for r in page.locator("tbody tr[data-indicator]").all()
        ]
    assert len(seen) >= 10 and len(seen) == len(set(seen))
    expect(page.locator(".slide-kicker")).to_contain_text(re.compile(r"del \d+ av \d+"))


def test_the_whole_deck_downloads_as_one_pdf_page_per_slide_with_its_text(
    page: Page, meeting_server: str
):
    assert chromium_path() is not None
    views = "U23401,grupp-aldre"
    page.goto(f"{meeting_server}/moteslage?vyer={views}&utskrift=1")
    wait_for_dash(page)
    headings = page.locator(".print-page h1").all_inner_texts()
    kickers = page.locator(".print-page .slide-kicker").all_inner_texts()
    assert len(headings) == int(page.locator("#moteslage-utskrift").get_attribute("data-antal"))

    # The deck's own button, as the reader downloads it.
    page.goto(f"{meeting_server}/moteslage?vyer={views}")
    _at(page, 1)
    try:
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("link", name="Ladda ner hela mötet som PDF").click()
    except PlaywrightTimeoutError:
        # The server answered with something else than the PDF: say what (a loaded machine
        # once gave this with nothing to go on).
        shown = page.locator("body").inner_text(timeout=5_000)[:500]
        raise AssertionError(f"ingen PDF; {page.url} visade: {shown!r}") from None
    download = info.value
    assert download.suggested_filename == "moteslage.pdf"
    reader = pypdf.PdfReader(io.BytesIO(download.path().read_bytes()))
    assert len(reader.pages) == len(headings)
    for number, (pdf_page, heading, kicker) in enumerate(
        zip(reader.pages, headings, kickers, strict=True), start=1
    ):
        box = pdf_page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (1440, 810), number
        text = _squeeze(pdf_page.extract_text())
        assert "EXEMPELDATA" in text, number
        assert _squeeze(heading) in text, number
        assert _squeeze(kicker).upper() in text.upper(), number
    # What the slides said is in the PDF: the analysis and the strategigrupp's areas.
    everything = _squeeze(" ".join(p.extract_text() for p in reader.pages))
    assert _squeeze("Mening 0: väntetiden ökade") in everything
    assert "Aneby" in everything


def test_the_pdf_route_says_what_is_wrong_in_swedish(meeting_server: str):
    try:
        urllib.request.urlopen(f"{meeting_server}/moteslage.pdf", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 400
        assert "vyer" in error.read().decode("utf-8")
    else:
        raise AssertionError("a PDF without views was made")


def test_without_chromium_there_is_no_browser_to_print_with(tmp_path):
    assert chromium_path(str(tmp_path / "finns-inte")) is None


def _squeeze(text: str) -> str:
    """Text without any whitespace (a PDF breaks lines where the slide did) and with the
    typesetter's ligatures (ﬂ) as letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_an_exported_chart_image_of_exempeldata_says_so_across_the_picture(visit):
    """The PNG is drawn by plotly.js in the browser; the figure it is drawn from carries the
    Exempeldata mark across the plot, not only in the source line."""
    page = visit("/strategigrupp/aldre")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    page.evaluate(
        """() => {
            const draw = window.Plotly.downloadImage;
            window.Plotly.downloadImage = (figure, options) => {
                window.drawnFigure = JSON.parse(JSON.stringify({layout: figure.layout}));
                return draw(figure, options);
            };
        }"""
    )
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner bild (PNG)").first.click()
    assert info.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    info.value.save_as(ARTIFACTS / "exempeldata-diagram.png")
    marks = page.evaluate("() => window.drawnFigure.layout.annotations.map(a => a.text)")
    assert "EXEMPELDATA – inte verkliga värden" in marks


def test_with_sign_in_the_pdf_is_printed_as_the_signed_in_reader_and_refused_to_others(
    demo_store: Store, tmp_path: Path
):
    """The browser that prints is handed the reader's own session, so with accounts the PDF
    shows what the reader may see; a request without one gets the sign-in page, never a PDF."""
    copy = tmp_path / "konton.sqlite"
    shutil.copy(demo_store.url.removeprefix("sqlite:///"), copy)
    store = Store(f"sqlite:///{copy}")
    add_user(store, "lasare", "ett-långt-lösenord", Role.LASARE, actor="test")
    with served(store.url, tmp_path, SECRET_KEY="k" * 64) as base:
        anonymous = requests.get(f"{base}/moteslage.pdf?vyer=U23401", timeout=30)
        assert not anonymous.content.startswith(b"%PDF")
        assert "logga-in" in anonymous.url
        reader = requests.Session()
        signed_in = reader.post(
            f"{base}/logga-in",
            data={"username": "lasare", "password": "ett-långt-lösenord", "next": "/"},
            allow_redirects=False,
            timeout=30,
        )
        assert signed_in.status_code in (302, 303)
        printed = reader.get(f"{base}/moteslage.pdf?vyer=U23401", timeout=120)
        assert printed.status_code == 200, printed.text
        pdf = pypdf.PdfReader(io.BytesIO(printed.content))
        assert len(pdf.pages) == 1
        assert "EXEMPELDATA" in _squeeze(pdf.pages[0].extract_text())


def test_an_indicators_slides_end_with_the_activities_that_aim_at_it(
    page: Page, meeting_server: str, demo_store: Store
):
    from indicators.reads.plans import activities_for_indicator

    aiming = activities_for_indicator(demo_store, "N21497")
    assert aiming  # Exempeldata's plan for Äldre aims at it
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{meeting_server}/moteslage?vyer=N21497")
    _at(page, 1)
    count = int(page.locator("#moteslage").get_attribute("data-antal") or 0)
    page.goto(f"{meeting_server}/moteslage?vyer=N21497&steg={count}")
    _at(page, count)
    expect(page.locator(".slide-title")).to_have_text(
        "Aktiviteter som syftar till att påverka indikatorn"
    )
    for activity in aiming:
        aim = next(a for a in activity.aims if a.indicator_id == "N21497")
        row = page.locator(f".slide-activities tr[data-activity='{activity.id}']")
        expect(row).to_contain_text(activity.title)
        expect(row).to_contain_text(activity.strategigrupp_name)
        expect(row.locator(".change-badge")).to_contain_text(aim.change.label)
    m = page.evaluate(MEASURE)
    assert m["outside"] == [] and m["scroll"] <= m["height"]
    assert m["demo"].startswith("EXEMPELDATA")
