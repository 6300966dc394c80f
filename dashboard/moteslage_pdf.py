"""/moteslage.pdf: the whole Mötesläge deck as one PDF for the minutes, one page per slide.

A real print: headless Chromium (the engine the slides are made for) opens the deck's print
view (/moteslage?vyer=…&utskrift=1, every slide 1920 × 1080 after the other) on this very server,
waits until Dash has rendered and every chart is drawn, and prints it with the DevTools
protocol's Page.printToPDF. The protocol runs over a pipe (--remote-debugging-pipe), so no port
is opened and no extra package is needed; the reader's own cookies are handed to the browser, so
it sees what the reader may see and nothing more. Nothing leaves the machine: the browser starts
with its background networking off and loads only from 127.0.0.1.

Needs the `chromium` program (Debian package `chromium`; INDIKATOR_CHROMIUM names another path).
Without it the route answers 503 with a Swedish message instead of a PDF."""

import base64
import contextlib
import json
import logging
import os
import select
import shutil
import subprocess
import tempfile
import time
from typing import Any

from flask import Flask, Response, request

from dashboard.pages._moteslage_address import PDF_PATH, parse_views, print_href
from indicators.settings import get_settings

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
RENDER_TIMEOUT = 90.0
LOG = logging.getLogger(__name__)
PAGE_RULE = (
    "const style = document.createElement('style');"
    "style.textContent = '@page { size: 1920px 1080px; margin: 0; }';"
    "document.head.appendChild(style);"
)
READY = """(() => {
  // Until the deck's address has committed, this is still the blank page the browser began on.
  if (location.href === 'about:blank') { return false; }
  const deck = document.getElementById('moteslage-utskrift');
  if (!deck) {
    // A page that is no Dash app (a refusal, the sign-in form) never becomes the deck.
    const app = document.getElementById('react-entry-point');
    return document.readyState === 'complete' && !app ? 'fel' : false;
  }
  if (document.querySelector('[data-dash-is-loading="true"]')) { return false; }
  const graphs = deck.querySelectorAll('.dash-graph');
  const drawn = deck.querySelectorAll('.dash-graph .main-svg');
  return graphs.length === 0 || drawn.length >= graphs.length ? 'klar' : false;
})()"""


class PrintFailed(RuntimeError):
    """The deck could not be printed; the message is Swedish and shown to the reader."""


def chromium_path(named: str | None = None) -> str | None:
    """The browser that prints: `named`, else INDIKATOR_CHROMIUM, else the first one in PATH."""
    named = named or get_settings().chromium
    if named:
        return named if os.access(named, os.X_OK) else None
    return next((p for p in map(shutil.which, CHROMIUM_CANDIDATES) if p), None)


def register_moteslage_pdf(server: Flask) -> None:
    server.add_url_rule(PDF_PATH, "moteslage_pdf", _pdf)


def _pdf() -> Response:
    views = parse_views(request.args.get("vyer"))
    if not views:
        return _message(400, "Ange vilka vyer PDF:en ska ha, till exempel ?vyer=strategi-2.")
    browser = chromium_path()
    if browser is None:
        return _message(
            503,
            "PDF kan inte skapas: programmet chromium finns inte på servern. Installera Debians "
            "paket chromium (eller ange sökvägen i INDIKATOR_CHROMIUM).",
        )
    url = f"{_own_address()}{print_href(views)}"
    try:
        pdf = print_pdf(browser, url, dict(request.cookies))
    except PrintFailed as error:
        LOG.warning("moteslage.pdf: %s (%s)", error, url)
        return _message(503, str(error))
    response = Response(pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="moteslage.pdf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _own_address() -> str:
    """This server as seen from this host: the port the request came in on, over loopback
    (the public name may point at a proxy, or not resolve here at all)."""
    environ = request.environ
    port = environ.get("SERVER_PORT") or "80"
    name = environ.get("SERVER_NAME", "")
    host = name if name and name[0].isdigit() and name not in ("0.0.0.0",) else "127.0.0.1"
    return f"http://{host}:{port}"


def _message(status: int, text: str) -> Response:
    return Response(text, status=status, mimetype="text/plain; charset=utf-8")


def print_pdf(browser: str, url: str, cookies: dict[str, str]) -> bytes:
    # The browser's helper processes may still be writing to the profile as it is removed:
    # a printed PDF is never lost to that (it gave a 500 with the PDF made, session 8).
    with tempfile.TemporaryDirectory(
        prefix="moteslage-pdf-", ignore_cleanup_errors=True
    ) as profile:
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--hide-scrollbars",
            "--window-size=1920,1080",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        # The protocol pipe must be the browser's fds 3 and 4; bash sets them up (a preexec_fn is
        # unsafe with the worker's threads, and dash takes no fd number above 9).
        command = [
            "/bin/bash",
            "-c",
            f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}',
            browser,
            *args,
        ]
        proc = subprocess.Popen(
            command,
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        pipe = _Pipe(to_browser_w, from_browser_r)
        try:
            return _print(pipe, url, cookies)
        finally:
            pipe.close()
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _print(pipe: "_Pipe", url: str, cookies: dict[str, str]) -> bytes:
    target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    if cookies:
        pipe.call(
            "Storage.setCookies",
            {"cookies": [{"name": k, "value": v, "url": url} for k, v in cookies.items()]},
        )
    # What is on the screen, not the pages' A4 print styles.
    pipe.call("Emulation.setEmulatedMedia", {"media": "screen"}, session)
    pipe.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
        session,
    )
    pipe.call("Page.navigate", {"url": url}, session)
    deadline = time.monotonic() + RENDER_TIMEOUT
    while True:
        ready = pipe.call("Runtime.evaluate", {"expression": READY, "returnByValue": True}, session)
        state = ready.get("result", {}).get("value")
        if state == "klar":
            break
        if state == "fel":
            raise PrintFailed(
                "Mötet kunde inte öppnas för utskrift: servern visade inte mötesläget (är du "
                "inloggad, och når servern sig själv på 127.0.0.1?)."
            )
        if time.monotonic() > deadline:
            raise PrintFailed("Mötet hann inte ritas upp för utskrift. Försök igen om en stund.")
        time.sleep(0.25)
    # The page is the slide: this @page, added last, wins over print.css's A4 for this print
    # only. Then the fonts, and plotly's last frame.
    pipe.call(
        "Runtime.evaluate",
        {
            "expression": PAGE_RULE
            + "document.fonts.ready.then(() => new Promise(r => setTimeout(r, 300)))",
            "awaitPromise": True,
        },
        session,
    )
    printed = pipe.call(
        "Page.printToPDF",
        {"printBackground": True, "preferCSSPageSize": True},
        session,
    )
    return base64.b64decode(printed["data"])


class _Pipe:
    """The DevTools protocol over --remote-debugging-pipe: JSON messages ended by a NUL byte."""

    def __init__(self, write_fd: int, read_fd: int) -> None:
        self._out = os.fdopen(write_fd, "wb", buffering=0)
        self._in = os.fdopen(read_fd, "rb", buffering=0)
        self._buffer = b""
        self._next = 0

    def call(self, method: str, params: dict[str, Any], session: str | None = None) -> dict:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        try:
            self._out.write(json.dumps(message).encode() + b"\0")
        except OSError as error:
            raise PrintFailed("Webbläsaren för utskrift startade inte.") from error
        while True:
            reply = self._read()
            if reply.get("id") != self._next:
                continue  # an event, or the answer to nothing we wait for
            if "error" in reply:
                raise PrintFailed(f"Utskriften misslyckades ({method}).")
            return reply.get("result", {})

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            # A browser that hangs must not hold the request forever.
            readable, _, _ = select.select([self._in], [], [], RENDER_TIMEOUT)
            if not readable:
                raise PrintFailed("Webbläsaren för utskrift svarade inte.")
            chunk = self._in.read(65536)
            if not chunk:
                raise PrintFailed("Webbläsaren för utskrift avslutades oväntat.")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def close(self) -> None:
        for f in (self._out, self._in):
            with contextlib.suppress(OSError):
                f.close()
