"""One source note for every chart and view: the source, the last import as a Swedish date and
the Exempeldata mark, the same words on every page (dashboard/components/source_note.py)."""

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import g
from page_app import pages_app, run_callback

from dashboard.auth.identity import SignedIn
from dashboard.auth.mode import AuthMode
from dashboard.components.source_note import source_note, source_note_text
from dashboard.ids import Jamforelse
from indicators.reads.models import Provenance
from indicators.reads.queries import Store, data_freshness, indicator_detail, indicator_series
from indicators.settings import get_settings
from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES, NATION_CODE, Role
from indicators.vocabulary.formatting import format_date

INDICATOR = "U21401"


def test_the_note_names_source_date_and_demo_data():
    when = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    one = Provenance(("Kolada (N01958)",), when, has_demo_data=True)
    assert source_note_text(one) == "Källa: Kolada (N01958) · Uppdaterad 3 mars 2026 · Exempeldata"
    several = Provenance(("Kolada", "regional export"), when, has_demo_data=False)
    assert source_note_text(several, "basår 2021") == (
        "Källor: Kolada, regional export · basår 2021 · Uppdaterad 3 mars 2026"
    )
    assert source_note_text(Provenance((), None, False)) == "Källa: –"
    paragraph = source_note(one, class_name="slide-source")
    assert paragraph.className == "slide-source" and paragraph.children == source_note_text(one)


def _walk(component: Any):
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, str | int | float):
        yield from _walk(children)


def _notes(layout: Any, class_name: str = "source-note") -> list[str]:
    return [
        c.children
        for c in _walk(layout)
        if class_name in (getattr(c, "className", None) or "").split()
    ]


def _subtitle(figure: Any) -> str:
    if isinstance(figure, dict):
        return figure["layout"]["title"]["subtitle"]["text"]
    return figure.layout.title.subtitle.text


def _figure_notes(layout: Any) -> list[str]:
    return [_subtitle(c.figure) for c in _walk(layout) if getattr(c, "figure", None) is not None]


@pytest.fixture(scope="module")
def app(demo_store: Store):
    return pages_app(demo_store)


@pytest.fixture(scope="module")
def expected(demo_store: Store) -> tuple[str, str]:
    """What every note of the demo store must say besides its source."""
    return f"Uppdaterad {format_date(data_freshness(demo_store).last_import)}", "Exempeldata"


def _complete(note: str, expected: tuple[str, str], source: str = "Källa: ") -> None:
    updated, demo = expected
    assert note.startswith(source), note
    assert updated in note, note
    assert note.endswith(demo) or f"{demo} ·" in note or f" · {demo}" in note, note


def test_strategi_notes_under_every_indicator_and_in_every_spread(app, expected):
    from dashboard.pages import strategi

    page = strategi.layout(nummer="2")
    notes, figures = _notes(page), _figure_notes(page)
    assert notes and figures
    for note in notes + figures:
        _complete(note, expected)


def test_strategigrupp_notes_carry_the_date_and_the_demo_mark(app, expected):
    """The Strategigrupp note used to drop both: only sources and the baseline year."""
    from dashboard.pages import strategigrupp

    # The page's handlingsplan follows the reader's role: drawn in a request with a läsare, as
    # the gate would have identified one.
    with app.server.test_request_context("/strategigrupp/aldre"):
        g.user = SignedIn("lasa", "Lena Läsare", Role.LASARE, AuthMode.ACCOUNTS)
        page = strategigrupp.layout(grupp="aldre")
    notes, figures = _notes(page), _figure_notes(page)
    assert len(notes) == 1 and len(figures) == 1
    for note in notes + figures:
        _complete(note, expected, source="Käll")
        assert f"basår {get_settings().baseline_year}" in note


def test_jamforelse_heatmap_note(app, expected):
    from dashboard.pages import jamforelse

    ids = Jamforelse
    response = run_callback(
        app,
        ids.STRATEGY,
        {
            f"{ids.STRATEGY}.value": jamforelse.ALL,
            f"{ids.MATOMRADE}.value": jamforelse.ALL,
            f"{ids.GROUP}.value": jamforelse.ALL,
            f"{ids.COLOUR}.value": "change",
            f"{ids.URL}.search": "",
        },
    )
    note = _subtitle(response[ids.GRAPH]["figure"]).split("<br>")[0]
    _complete(note, expected, source="Käll")


def test_indikator_time_series_note(app, demo_store: Store, expected):
    from dashboard.ids import Indikator as Ids

    detail = indicator_detail(demo_store, INDICATOR)
    kommuner = [{"label": c, "value": c} for c in COUNTY_KOMMUN_CODES]
    periods = sorted(set(indicator_series(demo_store, INDICATOR, [NATION_CODE])["period"]))
    response = run_callback(
        app,
        Ids.GRAPH,
        {
            f"{Ids.KOMMUNER}.value": list(COUNTY_KOMMUN_CODES),
            f"{Ids.GENDER}.value": "T",
            f"{Ids.PERIOD}.value": periods[-1],
            f"{Ids.URL}.search": "",
            f"{Ids.TARGET_REVISION}.data": 0,
            f"{Ids.INDICATOR}.data": INDICATOR,
            f"{Ids.KOMMUNER}.options": kommuner,
            f"{Ids.PERIOD}.options": [{"label": p, "value": p} for p in periods],
        },
        trigger=f"{Ids.URL}.search",
    )
    note = _subtitle(response[Ids.GRAPH]["figure"])
    _complete(note, expected)
    assert note.startswith(f"Källa: {detail.summary.source} ({detail.source_id})")


def test_moteslage_slides_note_their_sources(app, expected):
    from dashboard.pages import moteslage

    for step in ("1", "2"):
        slide = moteslage.layout(vyer=f"{INDICATOR},strategi-2", steg=step)
        notes = _notes(slide, "slide-source")
        assert len(notes) == 1
        _complete(notes[0], expected, source="Käll")
        for note in _figure_notes(slide):
            _complete(note, expected)
