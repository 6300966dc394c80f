"""One meaning of "förbättrats / oförändrat / försämrats" everywhere: for every indicator of the
demo store, Översikt, Strategigrupp, Kommun, Jämförelse and Mötesläge's slide count the same
kommuner as improved, unchanged and worsened, through the query functions the pages call.

On the old main Översikt compared with the value four years earlier while the other pages used
the baseline year, so väntetid till särskilt boende (U23401) read 6 improved / 7 worsened on
Översikt and 9 / 4 everywhere else."""

from collections import Counter

import pytest

from indicators.reads.followup.baseline import development_table
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.followup.kommun import kommun_view
from indicators.reads.followup.strategy import strategigrupp_view
from indicators.reads.queries import catalogue_tree, overview, strategigrupper
from indicators.settings import get_settings
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, AreaLevel
from indicators.vocabulary.trends import Change


def _kommun_indicators(store):
    return {
        i.id: i
        for st in catalogue_tree(store)
        for ma in st.matomraden
        for i in ma.indicators
        if i.area_level is not AreaLevel.REGION
    }


@pytest.fixture(scope="module")
def per_page(demo_store):
    """indicator → page → Counter of changes over the 13 kommuner."""
    store = demo_store
    out: dict[str, dict[str, Counter]] = {}

    def put(page: str, ind: str, change: Change) -> None:
        out.setdefault(ind, {}).setdefault(page, Counter())[change] += 1

    for st in overview(store):
        for ma in st.matomraden:
            for h in ma.headlines:
                if h.indicator.area_level is AreaLevel.REGION:
                    continue
                out.setdefault(h.indicator.id, {})["Översikt"] = Counter(
                    {c: n for c, n in h.changes.items() if n}
                )
    for gid, _ in strategigrupper(store):
        view = strategigrupp_view(store, gid)
        assert view is not None
        for gi in view.indicators:
            if gi.indicator.area_level is AreaLevel.REGION:
                continue
            counted = Counter(
                view.cell(gi.indicator.id, code).change for code in COUNTY_KOMMUN_CODES
            )
            previous = out.setdefault(gi.indicator.id, {}).get("Strategigrupp")
            # An indicator several groups follow must read the same in each of them.
            assert previous is None or previous == counted, gi.indicator.id
            out[gi.indicator.id]["Strategigrupp"] = counted
    for code in COUNTY_KOMMUN_CODES:
        view = kommun_view(store, code)
        assert view is not None
        for row in view.rows():
            put("Kommun", row.indicator.id, row.change)
    matrix = comparison_matrix(store)
    for ind in matrix.indicators:
        for code in COUNTY_KOMMUN_CODES:
            put("Jämförelse", ind.id, matrix.cell(ind.id, code).change)
    return out


def test_every_indicator_reads_the_same_on_every_page(demo_store, per_page):
    indicators = _kommun_indicators(demo_store)
    assert len(indicators) >= 30
    pages_seen = Counter()
    for ind_id in indicators:
        pages = per_page.get(ind_id, {})
        assert "Kommun" in pages and "Jämförelse" in pages, ind_id
        first = pages["Kommun"]
        assert sum(first.values()) == len(COUNTY_KOMMUN_CODES)
        for page, counted in pages.items():
            pages_seen[page] += 1
            assert counted == first, (ind_id, page, dict(counted), dict(first))
    # Every page took part, and some indicators really moved both ways.
    assert set(pages_seen) == {"Översikt", "Strategigrupp", "Kommun", "Jämförelse"}
    moved = [i for i in indicators if per_page[i]["Kommun"][Change.IMPROVED]]
    assert moved and any(per_page[i]["Kommun"][Change.WORSENED] for i in indicators)


def test_vantetid_sarskilt_boende_agrees_on_oversikt_and_strategigrupp(per_page):
    pages = per_page["U23401"]
    assert pages["Översikt"] == pages["Strategigrupp"] == pages["Kommun"] == pages["Jämförelse"]


def test_the_slide_and_the_strategigrupp_page_judge_the_county_alike(demo_store):
    """Mötesläge's indicator slide reads the county's development from the same table."""
    table = development_table(demo_store, get_settings().baseline_year)
    view = strategigrupp_view(demo_store, "aldre")
    assert view is not None
    for gi in view.indicators:
        cell = view.cell(gi.indicator.id, COUNTY_CODE)
        assert cell is not None
        assert table.development(gi.indicator.id, COUNTY_CODE).change is cell.change
