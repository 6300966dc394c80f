"""Light pages (issue 16): a page carries what it shows, not the file behind its download
buttons. The file is built on the server at the click from a few parameters, and it is the same
file the page used to carry; parameters that name nothing give no file. Indikatorer lists the
indicators added from Kolada a page at a time, and the search finds any of them."""

import base64
import io
import json
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook
from page_app import pages_app, run_callback

from dashboard.components.interactive.downloads import (
    download_file,
    frame_payload,
    payload_frames,
    source_payload,
)
from dashboard.ids import Jamforelse as JamforelseIds
from indicators.reads.completeness import completeness_frames
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.followup.kommun import kommun_view
from indicators.reads.followup.since import since_meeting
from indicators.reads.followup.strategy import strategy_view
from indicators.reads.models import IndicatorSummary
from indicators.vocabulary.deadlines import swedish_today
from indicators.vocabulary.domain import AreaLevel, Direction, Gender, ValueKind


@pytest.fixture
def app(demo_store):
    return pages_app(demo_store)


def _same_file(payload: dict, frame: pd.DataFrame | dict[str, pd.DataFrame]) -> None:
    """The CSV and Excel of the source are byte for byte those of the frame carried as before."""
    for kind in ("csv", "xlsx"):
        built = download_file(payload, kind, "vy")
        carried = download_file(frame_payload(frame, filename=payload.get("filename")), kind, "vy")
        assert built["filename"] == carried["filename"]
        if kind == "csv":
            assert built["content"] == carried["content"]
        else:  # a workbook's zip carries its write time: compare the cells
            assert _cells(built) == _cells(carried)


def _cells(data: dict) -> list[list[object]]:

    book = load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    return [[c.value for c in row] for sheet in book for row in sheet.iter_rows()]


def test_each_source_builds_the_file_the_page_used_to_carry(app, demo_store):
    from dashboard.pages import indikator, jamforelse, kommun, strategi

    matrix = comparison_matrix(demo_store, strategy=2, colour_by="change")
    _same_file(
        source_payload("jamforelse", filename="jamforelse-2", query="?strategi=2"),
        matrix.frame(),
    )
    _same_file(
        source_payload("kommun", code="0680"), kommun._frame(kommun_view(demo_store, "0680"))
    )
    _same_file(
        source_payload("strategi", number=2), strategi._download_frame(strategy_view(demo_store, 2))
    )
    detail = indikator.indicator_detail(demo_store, "U23401")
    _same_file(
        source_payload("indikator", indicator="U23401", kommuner=["0680", "0604"], gender="T"),
        indikator._download_table(detail, ["0604", "0680"], Gender.TOTAL),
    )
    assert jamforelse.download_frame("?strategi=2&farg=mal") is not None

    from dashboard.pages import inrapportering, sedan

    _same_file(
        source_payload("sedan", filename="sedan-2020-01-01", day="2020-01-01"),
        sedan._frame(since_meeting(demo_store, date(2020, 1, 1))),
    )
    chosen = inrapportering._selection({"strategi": "2"}, inrapportering._options())
    sheets = completeness_frames(inrapportering._completeness(demo_store, chosen, swedish_today()))
    assert len(sheets) > 1
    _same_file(source_payload("inrapportering", query="?strategi=2"), sheets)


@pytest.mark.parametrize(
    "payload",
    [
        {"source": "kommun", "params": {"code": "9999"}},
        {"source": "kommun", "params": {"kod": "0680"}},
        {"source": "kommun", "params": ["0680"]},
        {"source": "finns-inte", "params": {}},
        {"source": "indikator", "params": {"indicator": "X", "kommuner": [], "gender": "T"}},
        {"source": "jamforelse", "params": {"query": 7}},
    ],
)
def test_parameters_that_name_nothing_give_no_file(app, payload):
    assert payload_frames(payload) == {}


def test_the_pages_carry_parameters_not_frames(app):
    """Jämförelse's callback and Kommun's layout: no rows of the download in the page."""
    response = run_callback(
        app,
        JamforelseIds.STRATEGY,
        {
            f"{JamforelseIds.STRATEGY}.value": "alla",
            f"{JamforelseIds.MATOMRADE}.value": "alla",
            f"{JamforelseIds.GROUP}.value": "alla",
            f"{JamforelseIds.COLOUR}.value": "change",
            f"{JamforelseIds.URL}.search": "?strategi=2",
        },
        trigger=f"{JamforelseIds.URL}.search",
    )
    (data,) = [v["data"] for k, v in response.items() if "nedladdning-data" in k]
    assert data == {
        "source": "jamforelse",
        "params": {"query": "?strategi=2"},
        "filename": "jamforelse-2",
    }
    from dashboard.pages import kommun

    layout = json.dumps(kommun.layout(kod="0680"), default=lambda c: c.to_plotly_json())
    assert '"sheets"' not in layout and '"source": "kommun"' in layout


def _summary(n: int) -> IndicatorSummary:
    return IndicatorSummary(
        id=f"N{n:05d}", title=f"Tillagd nummer {n}", short_title=f"Tillagd {n}", unit="kr",
        value_kind=ValueKind.RATE, direction=Direction.NEITHER, decimals=0, source="Kolada",
        area_level=AreaLevel.ALL, headline=False, strategigrupper=(),
    )  # fmt: skip


def test_added_indicators_come_a_page_at_a_time_with_links_to_the_others(app):
    from dashboard.pages.indikatorer import ADDED_PAGE, _added_section

    added = [_summary(n) for n in range(2 * ADDED_PAGE + 5)]

    def listed(page: int) -> tuple[list[str], dict]:
        section = json.loads(
            json.dumps(_added_section(added, None, "", page), default=lambda c: c.to_plotly_json())
        )
        ids: list[str] = []
        links: dict[str, str] = {}

        def walk(node: object) -> None:
            if isinstance(node, list):
                for x in node:
                    walk(x)
            elif isinstance(node, dict) and "props" in node:
                props = node["props"]
                if "data-indicator" in props:
                    ids.append(props["data-indicator"])
                if node["type"] == "A":
                    links[props.get("aria-label") or props["children"]] = props["href"]
                    if props.get("aria-current") == "page":
                        links["current"] = props["href"]
                walk(props.get("children"))

        walk(section)
        return ids, links

    first, links = listed(1)
    assert first == [a.id for a in added[:ADDED_PAGE]]
    assert links["Nästa →"] == "/indikatorer?sida=2"
    assert links["Sida 3"] == "/indikatorer?sida=3" and "← Föregående" not in links
    last, links = listed(99)  # past the end: the last page
    assert last == [a.id for a in added[2 * ADDED_PAGE :]]
    assert links["current"] == "/indikatorer?sida=3" and "Nästa →" not in links
    assert _added_section(added[:3], None, "", 1) is not None  # one page: no pager
    assert "Sida 1" not in json.dumps(
        _added_section(added[:3], None, "", 1), default=lambda c: c.to_plotly_json()
    )
