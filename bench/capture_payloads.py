"""Record the real Dash callback requests a browser sends when it opens a few pages, so the
load run replays exactly what people's browsers send.

    .venv/bin/python bench/capture_payloads.py http://127.0.0.1:8050 [bench/dash_payloads.json]

Drives Debian's Chromium through Playwright (as the browser tests do) against a running app in
local single-user mode; writes {page path: [request body, ...]} as JSON."""

import json
import sys
from pathlib import Path

from playwright.sync_api import Request, sync_playwright

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
# The pages people open most: the overview, a strategy, a kommun, one indicator, a comparison.
PAGES = ["/", "/strategi", "/kommun", "/indikator/U01405", "/jamforelse"]
DEFAULT_OUT = Path(__file__).with_name("dash_payloads.json")


def capture(base: str) -> dict[str, list[dict]]:
    captured: dict[str, list[dict]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
        for path in PAGES:
            bodies: list[dict] = []

            def keep(request: Request, bodies: list[dict] = bodies) -> None:
                if request.method == "POST" and "/_dash-update-component" in request.url:
                    bodies.append(json.loads(request.post_data or "{}"))

            page.on("request", keep)
            page.goto(base + path)
            page.wait_for_selector("main h1")
            page.wait_for_function(
                "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
            )
            page.wait_for_load_state("networkidle")
            page.remove_listener("request", keep)
            captured[path] = bodies
        browser.close()
    return captured


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT
    captured = capture(sys.argv[1].rstrip("/"))
    out.write_text(json.dumps(captured, ensure_ascii=False, indent=1), encoding="utf-8")
    for path, bodies in captured.items():
        print(f"{path}: {len(bodies)} anrop")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
