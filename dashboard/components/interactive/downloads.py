"""Downloads of what a view shows: CSV and Excel of its data, PNG of its chart.

Usage on a page (one bar per view; `key` must be unique on the page):

    from dashboard.components.interactive.downloads import (
        download_bar,
        download_data_id,
        frame_payload,
    )

    # Built on the server when the reader clicks (the page carries only a few parameters):
    @download_source("strategi")
    def _strategi_frame(number: int) -> pd.DataFrame: ...   # params come from the browser

    download_bar("strategi", png_graph_id=None, filename="strategi-2",
                 source=source_payload("strategi", number=2))

    # or, when a callback computes the view, one extra output of the page's own callback:
    @callback(..., Output(download_data_id("strategi"), "data"), ...)
    def update(...):
        ...
        return ..., source_payload("strategi", filename="strategi-2-0680", number=2)

    # A small frame the layout already holds may travel with the page instead:
    download_bar("import-7", png_graph_id=None, filename="import-7", frame=frame)

The frame should be the view's numbers as the reader sees them (Swedish column names, one row
per value, numbers as numbers, statuses as words), not a raw query result. A source's
parameters arrive from the browser: its builder treats them as it would a query string (unknown
values give nothing or the default, never an error page). Frames carried in a `dcc.Store` travel
with every page view and every change of selection, so views of more than a few rows use a
source: the page stays light, and the file is built only when someone asks for it.

The bar renders the buttons "Ladda ner CSV", "Ladda ner Excel" and (when `png_graph_id` is given)
"Ladda ner bild (PNG)", plus a `dcc.Download`. This module owns the callbacks, matched by `key`:
CSV (Swedish: `;`, decimal comma, UTF-8 with BOM) and XLSX are written by
indicators/spreadsheets.py, which neutralises formula injection; the PNG is drawn in the browser
by plotly.js (`Plotly.downloadImage`, 1600 × 900) from the graph's DOM element, so no request
leaves the machine and no server renders images. `png_graph_id` is the `id` of a `dcc.Graph`
with a string id.
"""

import logging
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime

import dash
import pandas as pd
from dash import MATCH, Input, Output, State, dcc, html

from dashboard.ids import Nedladdning as Ids
from indicators.spreadsheets import to_csv_bytes, to_xlsx_bytes
from indicators.vocabulary.formatting import format_timestamp

DEFAULT_SHEET = "Data"
PNG_SIZE = {"width": 1600, "height": 900}

Payload = dict
Frames = pd.DataFrame | Mapping[str, pd.DataFrame]
Builder = Callable[..., Frames | None]

log = logging.getLogger(__name__)
# name → the function that builds a view's frames from its parameters (registered at import)
_SOURCES: dict[str, Builder] = {}


def download_source(name: str) -> Callable[[Builder], Builder]:
    """Register `builder(**params)` as the frames of the view `name`; None when the parameters
    name nothing (an unknown kommun, a stale link)."""

    def register(builder: Builder) -> Builder:
        _SOURCES[name] = builder
        return builder

    return register


def source_payload(name: str, *, filename: str | None = None, **params: object) -> Payload:
    """What a page stores instead of the frame: which view, with which (JSON) parameters."""
    if name not in _SOURCES:
        raise KeyError(f"Ingen nedladdningskälla heter {name!r}")
    payload: Payload = {"source": name, "params": params}
    if filename:
        payload["filename"] = filename
    return payload


def _id(kind: str, key: str) -> dict[str, str]:
    return {"type": kind, "key": key}


def download_data_id(key: str) -> dict[str, str]:
    """The `dcc.Store` a page's callback writes `frame_payload(...)` to."""
    return _id(Ids.DATA, key)


def download_bar(
    key: str,
    *,
    png_graph_id: str | None,
    filename: str,
    frame: Frames | None = None,
    source: Payload | None = None,
    label: str = "Ladda ner det som visas",
) -> html.Div:
    """Buttons for CSV, Excel and (with a graph) PNG of one view, and the download itself.
    `source` (from `source_payload`) builds the file on the server at the click; `frame` carries
    a small frame with the page."""
    buttons = [
        html.Button("Ladda ner CSV", id=_id(Ids.CSV, key), type="button", className="btn-small"),
        html.Button("Ladda ner Excel", id=_id(Ids.XLSX, key), type="button", className="btn-small"),
    ]
    if png_graph_id:
        buttons.append(
            html.Button(
                "Ladda ner bild (PNG)",
                id=_id(Ids.PNG, key),
                type="button",
                className="btn-small",
            )
        )
    return html.Div(
        className="download-bar",
        role="group",
        **{"aria-label": label, "data-download-key": key},
        children=[
            *buttons,
            dcc.Store(
                id=_id(Ids.CONFIG, key),
                data={"filename": filename, "graph": png_graph_id, **PNG_SIZE},
            ),
            dcc.Store(
                id=download_data_id(key),
                data=source
                if source is not None
                else (frame_payload(frame) if frame is not None else None),
            ),
            # Only a bar with a chart has the PNG button, and so the PNG callback's output.
            dcc.Store(id=_id(Ids.PNG_DONE, key)) if png_graph_id else None,
            dcc.Download(id=_id(Ids.FILE, key)),
        ],
    )


def _cell(value: object) -> object:
    """A JSON-safe cell: None for gaps (never a zero), ISO text for dates, plain numbers."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return format_timestamp(value)  # Swedish time, as the page shows it
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def frame_payload(frames: Frames, *, filename: str | None = None) -> Payload:
    """What a page stores for download: each sheet's columns and rows, in order. A single frame
    becomes the sheet "Data"; CSV takes the first sheet. `filename` (without extension)
    overrides the bar's, for views whose name depends on the selection."""
    sheets = {DEFAULT_SHEET: frames} if isinstance(frames, pd.DataFrame) else dict(frames)
    payload: Payload = {
        "sheets": [
            {
                "name": str(name),
                "columns": [str(c) for c in frame.columns],
                "rows": [[_cell(v) for v in row] for row in frame.itertuples(index=False)],
            }
            for name, frame in sheets.items()
        ]
    }
    if filename:
        payload["filename"] = filename
    return payload


def payload_frames(payload: Payload) -> dict[str, pd.DataFrame]:
    """The frames back from a stored payload, sheet name → frame. A source's frames are built
    now and pass through the same cell conversion as a stored frame, so the file is the same
    whichever way the page carries it."""
    if "source" in payload:
        built = _built(payload)
        return {} if built is None else payload_frames(frame_payload(built))
    return {
        sheet["name"]: pd.DataFrame(sheet["rows"], columns=sheet["columns"])
        for sheet in payload.get("sheets", [])
    }


def _built(payload: Payload) -> Frames | None:
    builder = _SOURCES.get(str(payload.get("source")))
    params = payload.get("params")
    if builder is None or not isinstance(params, dict):
        return None
    try:
        return builder(**params)
    except (TypeError, ValueError, LookupError, AttributeError):
        # parameters from the browser that name nothing: no file, not an error page
        log.info("nedladdning utan data: %r", payload, exc_info=True)
        return None


def download_file(payload: Payload, kind: str, filename: str) -> dict:
    """The `dcc.Download` data for `kind` "csv" or "xlsx", through the neutralising writers."""
    return _send(payload_frames(payload), kind, payload.get("filename") or filename)


def _send(frames: dict[str, pd.DataFrame], kind: str, name: str) -> dict:
    if kind == "csv":
        first = next(iter(frames.values()), pd.DataFrame())
        return dcc.send_bytes(to_csv_bytes(first, swedish=True), f"{name}.csv", type="text/csv")
    if kind == "xlsx":
        return dcc.send_bytes(
            to_xlsx_bytes(frames or {DEFAULT_SHEET: pd.DataFrame()}),
            f"{name}.xlsx",
            type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise ValueError(f"Okänt filformat: {kind!r}")


@dash.callback(
    Output(_id(Ids.FILE, MATCH), "data"),
    Input(_id(Ids.CSV, MATCH), "n_clicks"),
    Input(_id(Ids.XLSX, MATCH), "n_clicks"),
    State(_id(Ids.DATA, MATCH), "data"),
    State(_id(Ids.CONFIG, MATCH), "data"),
    prevent_initial_call=True,
)
def _download(_csv: int | None, _xlsx: int | None, payload: Payload | None, config: dict) -> dict:
    trigger = dash.ctx.triggered_id
    if not payload or trigger is None:
        raise dash.exceptions.PreventUpdate
    frames = payload_frames(payload)
    if "source" in payload and not frames:
        raise dash.exceptions.PreventUpdate
    kind = "csv" if trigger["type"] == Ids.CSV else "xlsx"
    return _send(frames, kind, payload.get("filename") or config["filename"])


# The image is drawn by plotly.js from the graph on screen: the reader gets exactly what they see.
# plotly.js loads after the page, so a click before the chart is drawn waits for it (up to 15 s).
dash.clientside_callback(
    """
    function(n, config) {
        if (!n || !config || !config.graph) { return window.dash_clientside.no_update; }
        var tries = 60;
        function attempt() {
            var holder = document.getElementById(config.graph);
            var gd = holder && (holder.classList.contains('js-plotly-plot')
                ? holder : holder.querySelector('.js-plotly-plot'));
            if (gd && gd._fullLayout && window.Plotly) {
                // A chart of Exempeldata (its source note says so) carries the word across the
                // image too: a picture pasted into a report cannot pass for real figures.
                var layout = JSON.parse(JSON.stringify(gd.layout || {}));
                var demo = /Exempeldata/.test(JSON.stringify(layout.title || ''));
                if (demo) {
                    layout.annotations = (layout.annotations || []).concat([{
                        text: 'EXEMPELDATA – inte verkliga värden', name: 'exempeldata',
                        xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, showarrow: false,
                        textangle: -18, opacity: 0.3, font: {size: 56, color: '#a3121f'}
                    }, {
                        text: '<b>EXEMPELDATA</b>', name: 'exempeldata-band',
                        xref: 'paper', yref: 'paper', x: 1, y: 1, xanchor: 'right',
                        yanchor: 'bottom', yshift: 8, showarrow: false, bgcolor: '#ffd23f',
                        bordercolor: '#111', borderwidth: 2, borderpad: 4,
                        font: {size: 20, color: '#111'}
                    }]);
                }
                window.Plotly.downloadImage(demo ? {data: gd.data, layout: layout} : gd, {
                    format: 'png', filename: config.filename,
                    width: config.width, height: config.height
                });
            } else if (tries-- > 0) {
                window.setTimeout(attempt, 250);
            }
        }
        attempt();
        return n;
    }
    """,
    Output(_id(Ids.PNG_DONE, MATCH), "data"),
    Input(_id(Ids.PNG, MATCH), "n_clicks"),
    State(_id(Ids.CONFIG, MATCH), "data"),
    prevent_initial_call=True,
)
