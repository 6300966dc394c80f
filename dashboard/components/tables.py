"""The table alternative to every chart: the same numbers, readable by screen readers."""

import pandas as pd
from dash import ctx, html
from dash.exceptions import PreventUpdate

from indicators.vocabulary.domain import ObservationStatus, shown_value
from indicators.vocabulary.formatting import format_value


def cell_text(
    value: float | None,
    status: ObservationStatus | str,
    decimals: int,
    unit: str,
    codes: dict[int, str] | None = None,
) -> str:
    # A string-backed pandas column hands the enum back as plain text.
    status = ObservationStatus(status)
    shown = shown_value(value, status)
    if shown is None:
        return status.gap_label
    if codes:
        return codes.get(int(shown), str(int(shown)))
    return format_value(shown, decimals, unit)


def series_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    decimals: int,
    codes: dict[int, str] | None = None,
    table_id: str | None = None,
) -> html.Table:
    """Areas as rows and periods as columns, as analysts read Kolada's tables. The area is on
    its row (data-area) and the period on its column's header (data-period), and the numeric
    alignment comes from the table's class: a cell carries only its text (and "status" for a
    gap), which keeps a table of 15 areas × 26 years light."""
    periods = sorted(set(frame["period"]))
    # One pass over the columns as lists (a groupby and a frame per area cost more than the
    # cells themselves), areas in the frame's order.
    by_area: dict[tuple[str, str], dict[str, tuple[float | None, str]]] = {}
    for code, name, period, value, status in zip(
        *(frame[c].tolist() for c in ("area_code", "area_name", "period", "value", "status")),
        strict=True,
    ):
        by_area.setdefault((code, name), {})[period] = (value, status)
    missing = (None, ObservationStatus.MISSING)
    rows = []
    for (code, name), by_period in by_area.items():
        cells = []
        for period in periods:
            value, raw_status = by_period.get(period, missing)
            status = ObservationStatus(raw_status)
            # The unit stands once, in the caption, not in every cell.
            text = cell_text(value, status, decimals, "", codes)
            ok = status is ObservationStatus.OK
            cells.append(html.Td(text) if ok else html.Td(text, className="status"))
        rows.append(html.Tr([html.Th(name, scope="row"), *cells], **{"data-area": code}))
    return html.Table(
        [
            html.Caption(caption),
            html.Thead(
                html.Tr(
                    [html.Th("Område", scope="col")]
                    + [
                        html.Th(p, scope="col", className="num", **{"data-period": p})
                        for p in periods
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="data-table series-table",
        id=table_id,
    )


def scroll_region(
    children: object = None,
    *,
    region_id: str | None = None,
    label: str | None = None,
    labelledby: str | None = None,
) -> html.Div:
    """A named region around a table that keyboard users can focus to scroll a wide table
    sideways; named by `label`, or by the heading whose id is `labelledby`."""
    props: dict[str, object] = {"className": "table-scroll", "tabIndex": "0", "role": "region"}
    if region_id is not None:
        props["id"] = region_id
    if label is not None:
        props["aria-label"] = label
    if labelledby is not None:
        props["aria-labelledby"] = labelledby
    if children is not None:
        props["children"] = children
    return html.Div(**props)


def table_section(
    heading: str, heading_id: str, region_id: str, table: object = None
) -> html.Section:
    """The section below a chart that holds its table alternative: `table`, or what a callback
    fills the region with."""
    return html.Section(
        className="table-section",
        **{"aria-label": "Tabell"},
        children=[
            html.H2(heading, id=heading_id),
            scroll_region(table, region_id=region_id, labelledby=heading_id),
        ],
    )


def opened_first_time(clicks: int | None) -> str:
    """In the callback that fills a table when its <details> is first opened: the key of the
    pattern-matched summary clicked. Closing it, or opening it again, updates nothing (the table
    is there already)."""
    if clicks != 1:
        raise PreventUpdate
    return str(ctx.triggered_id["key"]) if ctx.triggered_id else ""
