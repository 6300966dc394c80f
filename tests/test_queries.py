"""Query functions against a small store whose every value is known."""

from datetime import UTC, date, datetime

import pytest

from indicators.reads.queries import (
    catalogue_tree,
    county_areas,
    data_status,
    indicator_detail,
    indicator_series,
    overview,
    strategigrupper,
)
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    AreaKind,
    Gender,
    ObservationStatus,
    PeriodType,
)
from indicators.vocabulary.trends import Change

OK, SUPPRESSED = ObservationStatus.OK, ObservationStatus.SUPPRESSED
WAIT = "U23401"  # väntetid till särskilt boende, lägre är bättre, redovisas per kommun
CODED = "U21340"  # digital tillsyn, Breddinfört=2 / Test=1 / Nej=0


@pytest.fixture
def store(prepared_store_url) -> Store:
    """Catalogue and areas (on SQLite and on PostgreSQL) and hand-made values."""
    store = Store(prepared_store_url)
    with session_scope(store.url) as s:
        batch = m.ImportBatch(
            source_name="handgjord.csv",
            sha256="1" * 64,
            format="test",
            imported_by="test",
            imported_at=datetime(2026, 3, 1, tzinfo=UTC),
            is_demo=False,
        )
        s.add(batch)
        s.flush()

        def add(ind, area, year, value, status=OK, gender=Gender.TOTAL):
            s.add(
                m.Observation(
                    indicator_id=ind,
                    area_code=area,
                    period_type=PeriodType.YEAR,
                    period_start=date(year, 1, 1),
                    gender=gender,
                    value=value,
                    status=status,
                    batch_id=batch.id,
                )
            )

        # County: 2021–2025 with 2023 suppressed, so the trend has a gap.
        for year, value in [(2021, 70.0), (2022, 66.0), (2024, 61.0), (2025, 58.4)]:
            add(WAIT, COUNTY_CODE, year, value)
        add(WAIT, COUNTY_CODE, 2023, None, SUPPRESSED)
        add(WAIT, NATION_CODE, 2025, 55.0)
        # Kommuner: 0680 improved (lower), 0604 worsened, 0617 unchanged at 0 decimals,
        # 0642 has no 2021 value: not comparable. Others have no data at all.
        for area, first, last in [("0680", 80.0, 60.0), ("0604", 40.0, 52.0), ("0617", 30.2, 29.8)]:
            add(WAIT, area, 2021, first)
            add(WAIT, area, 2025, last)
        add(WAIT, "0642", 2025, 45.0)
        for area, code in [("0680", 2), ("0604", 2), ("0617", 1), ("0642", 0)]:
            add(CODED, area, 2025, float(code))
    return store


def _headline(store, indicator_id):
    for s in overview(store):
        for ma in s.matomraden:
            for h in ma.headlines:
                if h.indicator.id == indicator_id:
                    return h
    raise AssertionError(indicator_id)


def test_overview_follows_the_catalogue_order(store, catalogue):
    result = overview(store)
    assert [s.number for s in result] == [1, 2, 3, 4]
    assert [ma.id for s in result for ma in s.matomraden] == [m.id for m in catalogue.matomraden]
    s2 = result[1]
    assert s2.matomraden[0].strategigrupper == ("Barn och unga", "Psykiatri och missbruk", "Äldre")


def test_headline_gives_latest_county_value_trend_with_gaps_and_kommun_changes(store):
    h = _headline(store, WAIT)
    assert h.latest_period == "2025"
    assert h.county_value == 58.4
    assert h.trend == (
        ("2021", 70.0),
        ("2022", 66.0),
        ("2023", None),
        ("2024", 61.0),
        ("2025", 58.4),
    )
    assert h.window == ("2020", "2025")  # from the baseline year, as on every page
    assert h.changes[Change.IMPROVED] == 1
    assert h.changes[Change.WORSENED] == 1
    assert h.changes[Change.UNCHANGED] == 1
    # Every kommun without both values counts as not comparable, as on the other pages.
    assert h.changes[Change.NOT_COMPARABLE] == len(COUNTY_KOMMUN_CODES) - 3
    assert h.comparable_kommuner == 3


def test_coded_headline_counts_answers_instead_of_averaging(store):
    h = _headline(store, CODED)
    assert h.county_value is None
    assert h.code_counts == (("Breddinfört", 2), ("Testverksamhet", 1), ("Nej", 1))


def test_headline_without_data_is_empty_not_zero(store, catalogue):
    empty = next(i.id for i in catalogue.indicators if i.headline and i.id not in (WAIT, CODED))
    h = _headline(store, empty)
    assert h.latest_period is None and h.county_value is None and h.trend == ()


def test_series_keeps_suppressed_periods_as_gaps(store):
    frame = indicator_series(store, WAIT, [NATION_CODE, COUNTY_CODE, "0680"])
    assert list(frame["area_code"].unique()) == [NATION_CODE, COUNTY_CODE, "0680"]
    county = frame[frame["area_code"] == COUNTY_CODE]
    assert list(county["period"]) == ["2021", "2022", "2023", "2024", "2025"]
    gap = county[county["period"] == "2023"].iloc[0]
    assert gap["status"] == SUPPRESSED
    assert gap["value"] != gap["value"]  # NaN, never 0
    assert frame[frame["area_code"] == "0680"]["area_kind"].iloc[0] == AreaKind.KOMMUN


def test_indicator_detail_names_its_source_placements_and_update(store, catalogue):
    detail = indicator_detail(store, WAIT)
    assert detail.summary.title == catalogue.indicator(WAIT).title
    assert detail.source_id == WAIT
    assert detail.last_updated.date() == date(2026, 3, 1)
    assert detail.batches == ("handgjord.csv",)
    assert not detail.has_demo_data
    assert {p[1] for p in detail.placements} == set(catalogue.indicator(WAIT).matomraden)
    assert indicator_detail(store, "FINNS-INTE") is None
    coded = indicator_detail(store, CODED)
    assert dict(coded.codes) == {0: "Nej", 1: "Testverksamhet", 2: "Breddinfört"}


def test_county_areas_and_data_status(store):
    areas = county_areas(store)
    assert [a.code for a in areas] == [NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES]
    status = data_status(store)
    assert status.observations == 17
    assert status.has_demo_data is False


def test_catalogue_tree_has_no_values_and_tags_by_strategigrupp(store, catalogue):
    tree = catalogue_tree(store)
    assert all(not ma.headlines for s in tree for ma in s.matomraden)
    wait = next(i for s in tree for ma in s.matomraden for i in ma.indicators if i.id == WAIT)
    assert wait.strategigrupp_ids == tuple(catalogue.indicator(WAIT).strategigrupper)
    assert wait.matches("väntetid SÄRSKILT")
    assert wait.matches("u23401")
    assert not wait.matches("väntetid hemtjänst")
    assert strategigrupper(store) == [(g.id, g.name) for g in catalogue.strategigrupper]


def test_headlines_never_show_or_count_a_small_number(prepared_store_url, catalogue):
    """The county's value on 3 people is shown as secret, and a kommun whose latest value rests
    on 2 people is not counted as better or worse."""
    rate = next(i for i in catalogue.indicators if i.headline and i.value_kind == "rate")
    store = Store(prepared_store_url)
    with session_scope(store.url) as s:
        batch = m.ImportBatch(
            source_name="små.csv",
            sha256="2" * 64,
            format="test",
            imported_by="test",
            imported_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        s.add(batch)
        s.flush()
        for area, year, numerator, denominator in [
            (COUNTY_CODE, 2021, 400, 1000),
            (COUNTY_CODE, 2025, 3, 10),
            ("0680", 2021, 50, 100),
            ("0680", 2025, 2, 4),
            ("0604", 2021, 50, 100),
            ("0604", 2025, 80, 100),
        ]:
            s.add(
                m.Observation(
                    indicator_id=rate.id,
                    area_code=area,
                    period_type=PeriodType.YEAR,
                    period_start=date(year, 1, 1),
                    gender=Gender.TOTAL,
                    value=100 * numerator / denominator,
                    numerator=numerator,
                    denominator=denominator,
                    status=OK,
                    batch_id=batch.id,
                )
            )
    h = _headline(store, rate.id)
    assert h.latest_period == "2025"
    assert (h.county_value, h.county_status) == (None, SUPPRESSED)
    assert h.comparable_kommuner == 1
