"""The plain-Swedish summaries and phrases of Mötesläge (indicators/reads/followup/plain_words.py):
made by rules from the figures, the same on the Strategi and Kommun pages as on the slides, and
split over as many slides as it takes."""

import shutil
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from page_app import pages_app

from indicators.reads.followup.kommun import kommun_view
from indicators.reads.followup.plain_words import (
    kommun_summary,
    spread_words,
    strategy_summary,
    summarize,
    target_words,
    versus_nation_words,
)
from indicators.reads.models import (
    Cell,
    IndicatorSummary,
    KommunIndicator,
    TargetInfo,
    TargetStatus,
)
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    AreaLevel,
    Direction,
    ObservationStatus,
    ValueKind,
)
from indicators.vocabulary.trends import Certainty, Change
from indicators.writes.targets import set_target


def _ind(direction: Direction = Direction.HIGHER_BETTER, unit: str = "%") -> IndicatorSummary:
    return IndicatorSummary(
        id="X1",
        title="Andel som träffar sin kontakt",
        short_title="Träffar sin kontakt",
        unit=unit,
        value_kind=ValueKind.RATE,
        direction=direction,
        decimals=1,
        source="Kolada",
        area_level=AreaLevel.KOMMUN,
        headline=True,
        strategigrupper=(),
    )


def _plain(text: str | None) -> str | None:
    """Values carry a no-break space before the unit; the tests read them as plain spaces."""
    return text.replace("\xa0", " ") if text is not None else None


def _target(value: float, year: int = 2030) -> TargetInfo:
    return TargetInfo(1, "X1", None, "hela länet", year, value, "", "t", None)


def test_the_county_against_riket_in_words_at_the_shown_precision():
    ind = _ind()
    assert versus_nation_words(68.7, 65.5, ind) == "3,2 procentenheter över riket"
    assert versus_nation_words(60.04, 60.0, ind) == "samma som riket"
    assert versus_nation_words(52, 65, _ind(unit="dagar")) == "13,0 dagar under riket"
    assert versus_nation_words(None, 65.5, ind) is None


def test_the_spread_names_best_median_and_worst_in_the_indicators_direction():
    values = [("Aneby", 80.0), ("Eksjö", 60.0), ("Gnosjö", 70.0), ("Habo", None)]
    up = spread_words(values, _ind())
    assert up is not None
    assert _plain(up.text) == "Bäst: Aneby 80,0 % · median 70,0 % · sämst: Eksjö 60,0 %"
    down = spread_words(values, _ind(Direction.LOWER_BETTER))
    assert down is not None and down.top == ("Eksjö",) and down.bottom == ("Aneby",)
    # A tie names every kommun sharing the value; no direction says highest and lowest.
    tie = spread_words([("A", 1.0), ("B", 1.0), ("C", 0.5)], _ind(Direction.NEITHER))
    assert tie is not None and tie.reported == 3
    assert (_plain(tie.text) or "").startswith("Högst: A, B 1,0 %")


def test_the_target_in_words_and_symbol():
    said = target_words(68.7, _target(95.0), _ind())
    assert said is not None and said[0] is TargetStatus.NOT_ACHIEVED
    assert _plain(said[1]) == "Mål 2030: 95,0 % – ✗ ej uppnått, 26,3 procentenheter kvar"
    reached = target_words(96.0, _target(95.0), _ind())
    assert reached is not None and _plain(reached[1]) == "Mål 2030: 95,0 % – ✓ uppnått"
    assert target_words(60.0, None, _ind()) is None


def _row(title: str, change: Change, latest: float | None, **extra: Any) -> KommunIndicator:
    ind = _ind()
    ind = IndicatorSummary(**{**ind.__dict__, "id": title, "short_title": title})
    return KommunIndicator(
        indicator=ind,
        latest_period="2025" if latest is not None else None,
        latest_text=f"{latest:.1f} %".replace(".", ",") if latest is not None else "Inga värden",
        latest=Cell(2025, latest, ObservationStatus.OK) if latest is not None else None,
        baseline_period="2020",
        baseline_text="50,0 %",
        baseline_shifted=False,
        change=change,
        county_text="",
        nation_text="",
        target=extra.get("target"),
        target_status=extra.get("status", TargetStatus.NO_TARGET),
        rank=None,
        rank_of=0,
    )


def test_a_summary_says_what_improved_worsened_is_far_from_target_and_missing():
    rows = [
        _row("Bättre", Change.IMPROVED, 60.0),
        _row("Sämre", Change.WORSENED, 40.0, target=_target(90), status=TargetStatus.NOT_ACHIEVED),
        _row("Lika", Change.UNCHANGED, 50.0, target=_target(52.0), status=TargetStatus.NEAR),
        _row("Saknas", Change.NOT_COMPARABLE, None),
    ]
    summary = summarize("Aneby", rows, 2020, has_demo_data=False)
    assert summary.lead == (
        "Av 4 indikatorer sedan 2020: 1 har förbättrats, 1 är oförändrade, 1 har försämrats. "
        "1 kan inte jämföras. 1 av 2 med målvärde är långt från målet."
    )
    points = {p.key: p.items for p in summary.points}
    assert points["improved"] == ("Bättre: 50,0 % (2020) → 60,0 % (2025)",)
    assert points["worsened"] == ("Sämre: 50,0 % (2020) → 40,0 % (2025)",)
    assert [_plain(i) for i in points["far"]] == [
        "Sämre: 40,0 % (2025). Mål 2030: 90,0 % – ✗ ej uppnått, 50,0 procentenheter kvar",
    ]
    assert points["missing"] == ("Saknas: inga värden inlästa",)
    assert "changed" not in points  # an empty list other than the two always said is left out


@pytest.fixture(scope="module")
def target_store(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("ord")
    copy = folder / "kopia.sqlite"
    shutil.copy(demo_store.url.removeprefix("sqlite:///"), copy)
    store = Store(f"sqlite:///{copy}")
    set_target(store, "N21497", None, 2030, 95, user="t")
    yield store


def test_the_strategy_summary_counts_the_countys_changes_by_the_pages_rule(target_store):
    """The summary reads the Kommun page's judgement of the county, so its counts are the
    page's: no second rule."""
    summary = strategy_summary(target_store, 2)
    county = kommun_view(target_store, COUNTY_CODE)
    assert summary is not None and county is not None
    rows = {
        r.indicator.id: r
        for st in county.strategies
        if st.number == 2
        for ma in st.matomraden
        for r in ma.rows
    }
    assert rows
    improved = sum(1 for r in rows.values() if r.change is Change.IMPROVED)
    counted = f"Av {len(rows)} indikatorer sedan {county.baseline_year}: {improved} har förbättrats"
    assert counted in summary.lead
    far = {p.key: p.items for p in summary.points}["far"]
    assert any(item.startswith("Träffar ofta sin fasta omsorgskontakt") for item in far)
    assert kommun_summary(target_store, "9999") is None


def _texts(layout: Any) -> list[str]:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif node is not None and hasattr(node, "children"):
            walk(node.children)

    walk(layout)
    return out


def test_the_same_summary_is_on_the_strategi_and_kommun_pages_and_on_the_slides(target_store):
    pages_app(target_store)
    from dashboard.pages import kommun, moteslage, strategi

    for page, view, summary in (
        (strategi.layout(nummer="2"), "strategi-2", strategy_summary(target_store, 2)),
        (kommun.layout(kod="0604"), "kommun-0604", kommun_summary(target_store, "0604")),
    ):
        assert summary is not None
        on_page = _texts(page)
        assert summary.lead in on_page
        deck = moteslage.layout(vyer=view, utskrift="1")
        on_slides = _texts(deck)
        assert summary.lead in on_slides
        for point in summary.points:
            for item in point.items:
                assert item in on_page and item in on_slides, item


def test_a_change_the_rule_could_not_judge_for_noise_says_so():
    rows = [_row("Sämre", Change.WORSENED, 40.0), _row("Bättre", Change.IMPROVED, 60.0)]
    summary = summarize(
        "Aneby",
        rows,
        2020,
        has_demo_data=False,
        certainty={"Sämre": Certainty.UNKNOWN, "Bättre": Certainty.WILSON},
    )
    points = {p.key: p.items for p in summary.points}
    assert points["worsened"] == ("Sämre: 50,0 % (2020) → 40,0 % (2025) (osäkerheten okänd)",)
    assert points["improved"] == ("Bättre: 50,0 % (2020) → 60,0 % (2025)",)


def test_the_since_last_meeting_preset_chooses_what_moved_in_catalogue_order(target_store):
    pages_app(target_store)
    from dashboard.pages import moteslage
    from dashboard.pages._moteslage_composer import since_preset
    from indicators.reads.followup.since import since_meeting
    from indicators.reads.queries import catalogue_tree

    since = date(2000, 1, 1)
    moved = {m.indicator.id for m in since_meeting(target_store, since).movements}
    chosen = since_preset(since, catalogue_tree(target_store))
    assert moved and set(chosen) == moved and len(chosen) == len(moved)
    page = moteslage.layout(sedan=since.isoformat())
    texts = _texts(page)
    assert f"{len(chosen)} indikatorer har rört sig mer än osäkerheten sedan 2000-01-01." in texts
    listed = [c for c in _walk_props(page, "data-vy")]
    assert listed == chosen


def _walk_props(node: Any, prop: str) -> list[str]:
    found: list[str] = []
    if isinstance(node, list | tuple):
        for child in node:
            found += _walk_props(child, prop)
    elif node is not None and hasattr(node, "children"):
        value = getattr(node, prop.replace("-", "_"), None) or node.to_plotly_json()["props"].get(
            prop
        )
        if value and "chosen-view" in (getattr(node, "className", "") or ""):
            found.append(value)
        found += _walk_props(node.children, prop)
    return found
