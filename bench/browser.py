"""Time until every menu page is fully drawn in headless Chromium (Debian's, through Playwright,
as the browser tests drive it) at 1920×1080, against `python app.py` on the store, and how much
JSON each page transfers.

    .venv/bin/python bench/browser.py demo|national [--runs 5] [--screenshots DIR]

Fully drawn: the page's h1 is there, no Dash component is loading, every dcc.Graph holds a
rendered Plotly plot (an svg.main-svg), and that state holds for two animation frames. Timed
from navigation start (performance.now() in the page). The first visit (fresh server: empty
query cache, assets not yet in the browser's cache) is reported apart from the median of the
--runs visits after it. Transferred JSON: the bodies of the page's Dash requests (layout and
callbacks; scripts and styles are cached assets) as the server sent them, uncompressed, in the
last visit. --screenshots writes one full-page PNG per page (to compare figures by eye)."""

import argparse
import contextlib
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from playwright.sync_api import Response, sync_playwright  # noqa: E402

from bench.common import RESULTS, write_result  # noqa: E402
from bench.scale_data import ensure_sqlite  # noqa: E402
from bench.server import served  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Every page of the menu; Strategi, Strategigrupp and Kommun also as the page one of their
# entries opens (where their figures are), Indikator as a detail page, Mötesläge with a deck.
PAGES = {
    "Översikt": "/",
    "Strategier": "/strategi",
    "Strategi 1": "/strategi/1",
    # The strategy with the most indicators (17 spread strips): the heaviest page.
    "Strategi 2": "/strategi/2",
    "Strategigrupper": "/strategigrupp",
    "Strategigrupp (första)": "/strategigrupp/{group}",
    # The group with the most indicators (its matrix about 30 rows × 15 areas): the heaviest.
    "Strategigrupp Äldre": "/strategigrupp/aldre",
    "Kommuner": "/kommun",
    "Kommun 0006 (länet)": "/kommun/0006",
    "Indikatorer": "/indikatorer",
    "Indikator U01405": "/indikator/U01405",
    "Jämförelse": "/jamforelse",
    "Sedan förra mötet": "/sedan-forra-motet",
    "Mötesläge": "/moteslage?vyer=U01405,strategi-1",
    "Importhistorik": "/importhistorik",
    "Granskningslogg": "/granskningslogg",
    "Importera": "/importera",
}
DRAWN = """() => {
  if (!document.querySelector('main h1')) return false;
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  const graphs = [...document.querySelectorAll('.dash-graph')];
  if (!graphs.every(g => g.querySelector('.js-plotly-plot .main-svg'))) return false;
  return true;
}"""
STABLE = """async (check) => {
  const drawn = eval(check);
  for (;;) {
    if (drawn()) {
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      if (drawn()) return performance.now();
    }
    await new Promise(r => requestAnimationFrame(r));
  }
}"""
JSON_GOAL_KB = 150


def _first_group(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        group = conn.scalar(text("SELECT id FROM strategigrupp ORDER BY sort_order, id LIMIT 1"))
    engine.dispose()
    return str(group)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale", choices=["demo", "national"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="pages whose name contains this")
    parser.add_argument("--screenshots", default="", help="folder for one PNG per page")
    args = parser.parse_args()
    built = ensure_sqlite(args.scale)
    group = _first_group(built.url)
    pages = {n: p.format(group=group) for n, p in PAGES.items() if args.only.lower() in n.lower()}
    shots = Path(args.screenshots) if args.screenshots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    results = []
    with (
        served(built.url, RESULTS / f"server-browser-{args.scale}.log") as (base, _pid),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
        page.set_default_timeout(120_000)
        sizes: list[int] = []

        def count(response: Response) -> None:
            url = response.url
            if "/_dash-update-component" in url or "/_dash-layout" in url:
                # a response the page navigated away from has no body any more
                with contextlib.suppress(Exception):
                    sizes.append(len(response.body()))

        page.on("response", count)
        for name, path in pages.items():
            times = []
            graphs = 0
            json_bytes = 0
            for _ in range(args.runs + 1):
                sizes.clear()
                page.goto(base + path, wait_until="commit")
                drawn_at = page.evaluate(STABLE, f"({DRAWN})")
                times.append(drawn_at / 1000)
                graphs = page.locator(".dash-graph .main-svg").count()
                page.wait_for_load_state("networkidle")
                json_bytes = sum(sizes)
            if shots:
                safe = "".join(ch if ch.isalnum() else "-" for ch in name)
                page.screenshot(path=str(shots / f"{safe}.png"), full_page=True)
            first, rest = times[0], times[1:]
            results.append(
                {
                    "page": name,
                    "path": path,
                    "first_s": first,
                    "median_s": statistics.median(rest),
                    "runs": rest,
                    "graphs": graphs,
                    "json_kb": json_bytes / 1024,
                }
            )
            print(
                f"{name:24} första {first:5.2f} s  median {statistics.median(rest):5.2f} s"
                f"  JSON {json_bytes / 1024:6.1f} KB",
                flush=True,
            )
        browser.close()
    write_result(f"browser-{args.scale}", {"scale": args.scale, "pages": results})


if __name__ == "__main__":
    main()
