"""Sedan förra mötet: imports since a date (undone ones left out, demo data flagged) and the
indicators that moved beyond their uncertainty, against the demo store and a copy of it with a
real import written into it."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from indicators.catalogue import Catalogue
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.followup.kommun import kommun_view
from indicators.reads.followup.since import since_meeting
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, Direction
from indicators.vocabulary.formatting import round_half_up
from indicators.vocabulary.trends import Certainty
from indicators.vocabulary.uncertainty import wilson_interval

AREAS = [COUNTY_CODE, *COUNTY_KOMMUN_CODES]


def test_nothing_imported_since_says_which_batch_came_last(any_demo_store):
    result = since_meeting(any_demo_store, date(2026, 10, 28))
    assert result.batches == ()
    assert result.movements == ()
    assert result.last_batch is not None and result.last_batch.is_demo


def test_with_only_demo_data_the_batch_is_the_demo_batch(any_demo_store):
    result = since_meeting(any_demo_store, date(2026, 1, 1))
    assert [b.is_demo for b in result.batches] == [True]
    assert result.only_demo
    assert result.undone == 0


def test_movements_equal_a_direct_computation(any_demo_store, catalogue: Catalogue):
    result = since_meeting(any_demo_store, date(2025, 12, 1))
    with session_scope(any_demo_store.url) as s:
        rows = s.execute(
            select(
                m.Observation.indicator_id,
                m.Observation.area_code,
                m.Observation.period_start,
                m.Observation.value,
                m.Observation.numerator,
                m.Observation.denominator,
            )
            .where(
                m.Observation.area_code.in_(AREAS),
                m.Observation.gender == "T",
                m.Observation.status == "ok",
            )
            .order_by(m.Observation.period_start)
        ).all()
    series: dict[tuple[str, str], list] = {}
    for ind, area, _, value, num, den in rows:
        series.setdefault((ind, area), []).append((value, num, den))
    by_id = {i.id: i for i in catalogue.indicators}
    expected = {}
    for (ind_id, area), values in series.items():
        if len(values) < 2 or ind_id not in by_id:
            continue
        ind = by_id[ind_id]
        (v0, n0, d0), (v1, n1, d1) = values[-2], values[-1]
        decimals = 0 if ind.value_kind == "coded" else ind.decimals
        if round_half_up(v0, decimals) == round_half_up(v1, decimals):
            continue
        if ind.value_kind == "coded":
            expected[(ind_id, area)] = Certainty.CATEGORY
        elif None not in (n0, d0, n1, d1):
            low0, high0 = wilson_interval(n0, d0)
            low1, high1 = wilson_interval(n1, d1)
            if high0 < low1 or high1 < low0:
                expected[(ind_id, area)] = Certainty.WILSON
        else:
            expected[(ind_id, area)] = Certainty.UNKNOWN
    got = {(mv.indicator.id, mv.area_code): mv.certainty for mv in result.movements}
    assert got == expected
    assert Certainty.WILSON in got.values() and Certainty.UNKNOWN in got.values()
    for mv in result.movements:
        if mv.indicator.direction is Direction.NEITHER:
            assert mv.change.value in ("changed",)
        if mv.certainty is Certainty.WILSON:
            assert mv.previous_interval[0] <= mv.previous_value <= mv.previous_interval[1]
            assert mv.latest_interval[0] <= mv.latest_value <= mv.latest_interval[1]


@pytest.fixture
def imported_store(demo_copy: Store) -> Store:
    """A copy of the demo store with one real import after the demo batch, and one import
    that was undone."""
    store = demo_copy
    with session_scope(store.url) as s:
        batch = m.ImportBatch(
            source_name="uppfoljning-hosten.xlsx",
            sha256="a" * 64,
            format="mall",
            imported_by="analytiker",
            imported_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
            rows_read=3,
            rows_changed=3,
        )
        undone = m.ImportBatch(
            source_name="fel-fil.csv",
            sha256="b" * 64,
            format="mall",
            imported_by="analytiker",
            imported_at=datetime(2026, 11, 21, tzinfo=UTC),
            undone_at=datetime(2026, 11, 21, 1, tzinfo=UTC),
            undone_by="analytiker",
        )
        s.add_all([batch, undone])
        s.flush()

        def latest(ind: str, area: str) -> m.Observation:
            return s.scalars(
                select(m.Observation)
                .where(
                    m.Observation.indicator_id == ind,
                    m.Observation.area_code == area,
                    m.Observation.gender == "T",
                    m.Observation.status == "ok",
                )
                .order_by(m.Observation.period_start.desc())
                .limit(1)
            ).one()

        # A rate with numerator and denominator jumps 20 points in Jönköping …
        rate = latest("N21497", "0680")
        rate.numerator = min(rate.denominator, rate.numerator + 0.2 * rate.denominator)
        rate.value = round(rate.numerator / rate.denominator * 100, 1)
        # … a mean without them grows by 30 days in Aneby …
        wait = latest("U23401", "0604")
        wait.value = wait.value + 30
        # … and a change too small to show stays out.
        tiny = latest("N21497", "0683")
        tiny.value = tiny.value + 0.001
        for obs in (rate, wait, tiny):
            obs.batch_id = batch.id
    return store


def test_a_real_import_lists_its_batch_and_the_values_that_moved(imported_store):
    result = since_meeting(imported_store, date(2026, 11, 1))
    assert [b.source_name for b in result.batches] == ["uppfoljning-hosten.xlsx"]
    assert result.batches[0].format == "mall" and not result.batches[0].is_demo
    assert result.undone == 1
    assert not result.only_demo
    assert result.examined == 3
    got = {(mv.indicator.id, mv.area_code): mv for mv in result.movements}
    assert set(got) == {("N21497", "0680"), ("U23401", "0604")}
    assert got[("N21497", "0680")].certainty is Certainty.WILSON
    assert got[("N21497", "0680")].change.value == "improved"  # higher is better
    assert got[("U23401", "0604")].certainty is Certainty.UNKNOWN
    assert got[("U23401", "0604")].change.value == "worsened"  # longer wait is worse
    assert [code for code, _, _ in result.by_area()] == ["0604", "0680"]


def test_an_empty_store_shows_gaps_not_zeros(prepared_store_url):
    store = Store(prepared_store_url)
    result = since_meeting(store, date(2020, 1, 1))
    assert (result.batches, result.movements, result.last_batch) == ((), (), None)
    view = kommun_view(store, "0680")
    assert {r.latest_text for r in view.rows()} == {"Inga värden"}
    assert view.summary_text.startswith("0 förbättrats, 0 oförändrade, 0 försämrats")
    matrix = comparison_matrix(store, strategy=2)
    assert {c.text for c in matrix.cells.values()} == {"Inga värden"}
    assert all(c.value is None and c.score is None for c in matrix.cells.values())


def test_a_series_of_tertials_moves_beside_the_yearly_ones(demo_copy: Store):
    """Yearly series come from the stored totals; a series of another period type is read from
    the observations (only for the indicators that wrote one) and compared the same way."""
    from datetime import timedelta

    from sqlalchemy import update

    from indicators.imports.pipeline import FileStatus, save
    from indicators.imports.records import UploadedFile
    from indicators.vocabulary.domain import PeriodType

    regional = "RJL-FAST-LAKARKONTAKT"
    with session_scope(demo_copy.url) as s:
        s.execute(
            update(m.Indicator)
            .where(m.Indicator.id == regional)
            .values(period_type=PeriodType.TERTIAL)
        )
    lines = [f"Indikator: {regional};;;", "Län;2023T1;2023T2;2023T3", "Jönköpings län;61,2;62;80,5"]
    file = UploadedFile("tertial.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    assert save(demo_copy, [file], user="analytiker").status is FileStatus.SAVED
    today = datetime.now(UTC).date()
    result = since_meeting(demo_copy, today - timedelta(days=1))
    [moved] = [mv for mv in result.movements if mv.indicator.id == regional]
    assert (moved.area_code, moved.previous_period, moved.latest_period) == (
        COUNTY_CODE,
        "2023T2",
        "2023T3",
    )
    assert (moved.previous_value, moved.latest_value) == (62.0, 80.5)
    assert moved.certainty is Certainty.UNKNOWN
