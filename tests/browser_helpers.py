"""Helpers for the browser tests: where requests went, and what axe-core finds."""

from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
LOCAL_HOSTS = {"127.0.0.1"}


def record_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def off_machine(urls: list[str]) -> list[str]:
    return [
        u
        for u in urls
        if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname not in LOCAL_HOSTS
    ]


def serious_axe_violations(page: Page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# No callback requested, queued, running or waiting for its inputs in dash-renderer's store (as
# dash.testing reads it), and no component marked loading. The network going quiet alone is not
# enough: a callback chained on another's output can be sent after a pause, while the browser
# draws the first one's figure on a loaded machine.
SETTLED = """() => {
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  const state = window.store && window.store.getState();
  if (!state) return false;
  const pending = Object.assign({}, state.callbacks);
  delete pending.stored;
  delete pending.completed;
  return Object.values(pending).every(list => !Array.isArray(list) || list.length === 0);
}"""


def wait_for_dash(page: Page) -> None:
    """Until Dash has rendered and no callback is pending."""
    page.wait_for_selector("main h1")
    page.wait_for_function(SETTLED)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(SETTLED)
