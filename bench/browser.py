"""Time until Översikt and an Indikator page are fully drawn in headless Chromium (Debian's,
through Playwright, as the browser tests drive it), against `python app.py` on the store.

    .venv/bin/python bench/browser.py demo|national [--runs 5]

Fully drawn: the page's h1 is there, no Dash component is loading, every dcc.Graph holds a
rendered Plotly plot (an svg.main-svg), and that state holds for two animation frames. Timed
from navigation start (performance.now() in the page). The first visit (fresh server: empty
query cache, assets not yet in the browser's cache) is reported apart from the median of the
--runs visits after it."""

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from playwright.sync_api import sync_playwright  # noqa: E402

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
PAGES = {"Översikt": "/", "Indikator U01405": "/indikator/U01405"}
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale", choices=["demo", "national"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    built = ensure_sqlite(args.scale)
    results = []
    with (
        served(built.url, RESULTS / f"server-browser-{args.scale}.log") as (base, _pid),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
        page.set_default_timeout(120_000)
        for name, path in PAGES.items():
            times = []
            graphs = 0
            for _ in range(args.runs + 1):
                page.goto(base + path, wait_until="commit")
                drawn_at = page.evaluate(STABLE, f"({DRAWN})")
                times.append(drawn_at / 1000)
                graphs = page.locator(".dash-graph .main-svg").count()
                page.wait_for_load_state("networkidle")
            first, rest = times[0], times[1:]
            results.append(
                {
                    "page": name,
                    "path": path,
                    "first_s": first,
                    "median_s": statistics.median(rest),
                    "runs": rest,
                    "graphs": graphs,
                }
            )
            print(
                f"{name:20} första {first:5.2f} s  median {statistics.median(rest):5.2f} s",
                flush=True,
            )
        browser.close()
    write_result(f"browser-{args.scale}", {"scale": args.scale, "pages": results})


if __name__ == "__main__":
    main()
