"""The follow-up totals kept beside the observations (issue 16): every follow-up page's yearly
totals for Riket, the county and its kommuner, small numbers hidden, rewritten in the same
transaction as every import, undo and seed after the hidden cells they depend on, and read
instead of judging the observations again — always exactly what judging gives, and never read
when they may be stale. Beside them, each series' last write (what Sedan förra mötet and the
pages' "uppdaterad" read), checked against the join with the batches it replaces."""

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import delete, select, update
from summary_stores import RATE, TEMPLATE_NAME, USER, prepare_county, template

from indicators.imports.pipeline import FileStatus, save, undo_batch
from indicators.imports.records import UploadedFile
from indicators.reads import cache
from indicators.reads.followup import stored_totals, stored_updates
from indicators.reads.followup.baseline import FollowupSeries, development_table, followup_series
from indicators.reads.hidden_cells import hide
from indicators.settings import Settings, get_settings
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    ObservationStatus,
    PeriodType,
    ValueKind,
)
from indicators.writes.bootstrap import prepare_store


@pytest.fixture
def store(stores) -> Store:
    return Store(stores.from_template(TEMPLATE_NAME, prepare_county))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.sort_values(["indicator_id", "area_code", "year"]).reset_index(drop=True)
    out["status_reason"] = out["status_reason"].fillna("").astype(str)
    return out.astype({"indicator_id": str, "area_code": str, "year": int, "status": str})


def _kinds(store: Store) -> dict[str, ValueKind]:
    with session_scope(store.url) as s:
        rows = s.execute(select(m.Indicator.id, m.Indicator.value_kind)).all()
    return {str(i): ValueKind(k) for i, k in rows}


def _stored(store: Store) -> pd.DataFrame:
    with session_scope(store.url) as s:
        assert stored_totals.is_complete(s, get_settings().suppression_threshold)
        return _sorted(stored_totals.read_stored(s, _kinds(store)))


def _judged(store: Store) -> pd.DataFrame:
    """What reading and hiding the observations gives now."""
    cache.clear_all()

    def hide_year(frame: pd.DataFrame, kinds: dict[str, ValueKind]) -> pd.DataFrame:
        return hide(store, frame, kinds, period_type=PeriodType.YEAR)

    with session_scope(store.url) as s:
        return _sorted(stored_totals.judged_totals(s, _kinds(store), hide_year))


def _cell(frame: pd.DataFrame, indicator: str, area: str, year: int) -> pd.Series:
    row = frame[
        (frame["indicator_id"] == indicator)
        & (frame["area_code"] == area)
        & (frame["year"] == year)
    ]
    assert len(row) == 1
    return row.iloc[0]


def test_prepare_and_the_seed_leave_exactly_the_judged_totals(store: Store) -> None:
    stored = _stored(store)
    assert set(stored["area_code"]) == {NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES}
    assert (stored["status"] == ObservationStatus.SUPPRESSED).any()  # small numbers hidden
    pd.testing.assert_frame_equal(stored, _judged(store))


def test_a_hidden_total_keeps_no_value(store: Store) -> None:
    hidden = _stored(store)
    hidden = hidden[hidden["status"] == ObservationStatus.SUPPRESSED]
    assert len(hidden) and hidden[["value", "numerator", "denominator"]].isna().all().all()


def test_import_and_undo_rewrite_them_in_their_own_transaction(store: Store) -> None:
    before = _stored(store)
    # Aneby 2023 on 3 of 4: a small numerator, hidden, and a neighbour hidden with it.
    result = save(store, [template(f"{RATE};0604;2023;T;75;3;4;")], user=USER)
    assert result.status is FileStatus.SAVED, result
    after = _stored(store)
    pd.testing.assert_frame_equal(after, _judged(store))
    aneby = _cell(after, RATE, "0604", 2023)
    assert aneby["status"] == ObservationStatus.SUPPRESSED and pd.isna(aneby["value"])
    assert not after.equals(before)
    assert undo_batch(store, result.files[0].batch_id, user=USER).undone
    pd.testing.assert_frame_equal(_stored(store), _judged(store))
    pd.testing.assert_frame_equal(_stored(store), before)


def test_an_orm_write_of_an_observation_refreshes_them_too(store: Store) -> None:
    with session_scope(store.url) as s:
        row = s.scalars(
            select(m.Observation).where(
                m.Observation.indicator_id == RATE,
                m.Observation.area_code == "0617",
                m.Observation.gender == "T",
                m.Observation.period_start == date(2022, 1, 1),
            )
        ).one()
        row.numerator, row.denominator, row.value = 40.0, 50.0, 80.0
    stored = _stored(store)
    pd.testing.assert_frame_equal(stored, _judged(store))
    assert _cell(stored, RATE, "0617", 2022)["value"] == 80.0


def test_the_development_table_is_the_same_from_the_table_and_from_the_observations(
    store: Store,
) -> None:
    cache.clear_all()
    from_table = development_table(store)
    ids = tuple(sorted(from_table.latest))
    series = followup_series(store, ids)
    parts = followup_series(store, ids, (COUNTY_CODE, "0617"), from_year=2022)
    with session_scope(store.url) as s:
        s.execute(update(m.SummaryState).values(complete=False))
        assert not stored_totals.is_complete(s, get_settings().suppression_threshold)
    cache.clear_all()
    judged = development_table(store)
    assert from_table.latest == judged.latest
    assert from_table.developments == judged.developments
    assert _plain(followup_series(store, ids)) == _plain(series)
    assert _plain(followup_series(store, ids, (COUNTY_CODE, "0617"), from_year=2022)) == _plain(
        parts
    )
    assert _plain(parts) == {
        (ind, area, year): cell
        for (ind, area, year), cell in _plain(series).items()
        if area in (COUNTY_CODE, "0617") and year >= 2022
    }
    assert from_table.developments  # the demo's catalogue, judged


def test_stale_hidden_cells_make_them_unreadable_and_prepare_builds_both(store: Store) -> None:
    expected = _stored(store)
    with session_scope(store.url) as s:
        s.execute(delete(m.FollowupTotal))
        s.execute(
            update(m.SummaryState)
            .where(m.SummaryState.name == "hidden_cells")
            .values(complete=False)
        )
        # Built from the hidden cells: not readable without them, whatever its own row says.
        assert not stored_totals.is_complete(s, get_settings().suppression_threshold)
    prepare_store(Settings(database_url=store.url, seed_demo=False))
    pd.testing.assert_frame_equal(_stored(store), expected)


# --- each series' last write (stored_updates) ----------------------------------------------------


def _written(store: Store, since: datetime) -> tuple[set, set]:
    """What the stored summary says was written since `since`, and what the observations and
    their batches say (the join it replaces)."""
    with session_scope(store.url) as s:
        stored = stored_updates.written_since(s, since, "T")
        assert stored is not None
        joined = s.execute(
            select(m.Observation.indicator_id, m.Observation.area_code, m.Observation.period_type)
            .join(m.ImportBatch, m.ImportBatch.id == m.Observation.batch_id)
            .where(
                m.ImportBatch.imported_at >= since,
                m.Observation.area_code.in_(list(stored_updates.AREAS)),
                m.Observation.gender == "T",
            )
            .distinct()
        ).all()
    return stored, {(str(i), str(a), str(p)) for i, a, p in joined}


def test_series_written_since_a_date_follow_imports_and_undo(store: Store) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    stored, joined = _written(store, before)
    assert stored == joined == set()  # the seed came before
    result = save(store, [template(f"{RATE};0604;2023;T;76;38;50;")], user=USER)
    assert result.status is FileStatus.SAVED, result
    stored, joined = _written(store, before)
    assert stored == joined == {(RATE, "0604", "year")}
    everything = datetime(2000, 1, 1, tzinfo=UTC)
    assert _written(store, everything)[0] == _written(store, everything)[1]
    assert undo_batch(store, result.files[0].batch_id, user=USER).undone
    stored, joined = _written(store, before)
    assert stored == joined == set()  # the rows are the seed's again


def test_last_updates_say_when_and_whether_exempeldata(store: Store) -> None:
    with session_scope(store.url) as s:
        seeded = stored_updates.last_updates(s, [RATE])
    assert seeded is not None and seeded[RATE][1] is True  # the seed is Exempeldata
    save(store, [template(f"{RATE};0604;2023;T;76;38;50;")], user=USER)
    with session_scope(store.url) as s:
        after = stored_updates.last_updates(s, [RATE])
        batch = s.scalars(select(m.ImportBatch).order_by(m.ImportBatch.id.desc())).first()
    assert after is not None and batch is not None
    assert after[RATE] == (batch.imported_at, True)  # newest write; some values still demo
    assert after[RATE][0] > seeded[RATE][0]


def test_a_stale_series_summary_is_not_read(store: Store) -> None:
    with session_scope(store.url) as s:
        s.execute(
            update(m.SummaryState)
            .where(m.SummaryState.name == stored_updates.STORED)
            .values(complete=False)
        )
        assert stored_updates.last_updates(s, [RATE]) is None
        assert stored_updates.written_since(s, datetime(2000, 1, 1, tzinfo=UTC), "T") is None


def test_sedan_forra_motet_is_the_same_from_the_summaries_and_from_the_observations(
    store: Store,
) -> None:
    from indicators.reads.followup.since import since_meeting

    result = save(
        store,
        [template(f"{RATE};0604;2023;T;76;38;50;", f"{RATE};0617;2023;T;58;29;50;")],
        user=USER,
    )
    assert result.status is FileStatus.SAVED, result
    day = date(2000, 1, 1)
    cache.clear_all()
    from_summaries = since_meeting(store, day)
    with session_scope(store.url) as s:
        s.execute(update(m.SummaryState).values(complete=False))
    cache.clear_all()
    judged = since_meeting(store, day)
    assert from_summaries.movements == judged.movements
    assert from_summaries.examined == judged.examined > 0
    assert from_summaries.movements  # the import moved something beyond its uncertainty


def _plain(series: FollowupSeries) -> dict[tuple[str, str, int], object]:
    """Every cell with its shown pair, by (indicator, area, year)."""
    return {
        (ind, area, year): (cell, series.shown[ind][area][year])
        for ind, by_area in series.cells.items()
        for area, by_year in by_area.items()
        for year, cell in by_year.items()
    }


def test_the_completeness_matrix_is_the_same_from_the_table_and_from_the_observations(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inrapportering and Sedan förra mötet take a year's statuses from the stored totals:
    every cell the same as hiding the observations again, the hidden ones included."""
    from indicators.reads import completeness as module
    from indicators.reads.completeness import completeness
    from indicators.reads.models import DeliveryState

    today = date(2026, 12, 7)
    cache.clear_all()
    with monkeypatch.context() as patched:
        # While the table is complete the hierarchy is not judged again.
        patched.setattr(module, "hide", lambda *_a, **_k: pytest.fail("judged again"))
        from_table = {year: completeness(store, year, today=today) for year in ("2021", "2023")}
    with session_scope(store.url) as s:
        s.execute(update(m.SummaryState).values(complete=False))
    cache.clear_all()
    for year, matrix in from_table.items():
        judged = completeness(store, year, today=today)
        assert matrix.cells == judged.cells, year
        assert matrix.by_area == judged.by_area, year
    states = {c.state for matrix in from_table.values() for c in matrix.cells.values()}
    assert {DeliveryState.SUPPRESSED, DeliveryState.DELIVERED} <= states


def test_strategis_spreads_are_the_same_from_the_table_and_from_the_observations(
    store: Store,
) -> None:
    """Strategi reads the county's series and the kommuner's latest year only: the same pairs
    as those cells of every year's series, from the table and from judging the observations."""
    from indicators.reads.followup.baseline import county_spreads

    cache.clear_all()
    ids = tuple(sorted(development_table(store).latest))
    spreads = county_spreads(store, ids)
    everything = followup_series(store, ids, (COUNTY_CODE, *COUNTY_KOMMUN_CODES))
    for ind in ids:
        shown = everything.shown[ind]
        years = sorted({y for by_year in shown.values() for y in by_year})
        assert spreads.years.get(ind, ()) == tuple(years), ind
        ok = [y for by_year in shown.values() for y, (_, st) in by_year.items() if st == "ok"]
        latest = max(ok, default=None)
        expected = {
            area: {y: pair for y, pair in by_year.items() if area == COUNTY_CODE or y == latest}
            for area, by_year in shown.items()
        }
        got = {area: dict(by_year) for area, by_year in spreads.shown[ind].items()}
        assert got == {a: c for a, c in expected.items() if c}, ind
    with session_scope(store.url) as s:
        s.execute(update(m.SummaryState).values(complete=False))
    cache.clear_all()
    judged = county_spreads(store, ids)
    assert {i: {a: dict(c) for a, c in judged.shown[i].items()} for i in ids} == {
        i: {a: dict(c) for a, c in spreads.shown[i].items()} for i in ids
    }
    assert judged.years == spreads.years
    assert any(len(spreads.shown[i]) > 1 for i in ids)  # kommuner are there, not only the county


def _yearly_ids(store: Store) -> list[str]:
    with session_scope(store.url) as s:
        return list(
            s.scalars(select(m.Indicator.id).where(m.Indicator.period_type == PeriodType.YEAR))
        )


POOLED = "N21497"  # a yearly share, given pooled years too below
AREA_SETS = [
    (NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES),
    (NATION_CODE, COUNTY_CODE),
    (NATION_CODE, COUNTY_CODE, "0680", "0604"),
]


def test_a_charts_yearly_series_is_the_same_from_the_table_and_from_the_observations(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mötesläge's chart slide and the Indikator page's county chart read one indicator's
    totals from the table: the same frame as reading and hiding its observations, the
    source's own reasons ("bortfall") and a cell hidden by an import included."""
    from indicators.reads.followup import yearly_series as module
    from indicators.reads.queries import indicator_series

    result = save(store, [template(f"{RATE};0604;2023;T;75;3;4;")], user=USER)
    assert result.status is FileStatus.SAVED, result
    # Pooled years beside a yearly series: not in the table, so read from the observations.
    wide = "Kommun;2021-2024\r\nJönköping;69,5\r\nTranås;64,8\r\n".encode()
    pooled = save(store, [UploadedFile("bred.csv", wide)], user=USER, indicator_id=POOLED)
    assert pooled.status is FileStatus.SAVED, pooled.problems
    ids = _yearly_ids(store)
    cache.clear_all()
    judged_again: list[tuple] = []

    def counted(*args):
        judged_again.append(args)
        return indicator_series(*args)

    with monkeypatch.context() as patched:
        patched.setattr(module, "indicator_series", counted)
        from_table = {
            (i, areas): module.yearly_series(store, i, areas) for i in ids for areas in AREA_SETS
        }
    # Only a series with no totals at all, or with pooled years, reads the observations.
    assert all(
        from_table[(i, tuple(areas))].empty or i == POOLED for _, i, areas, *_ in judged_again
    )
    assert len(judged_again) < len(from_table) / 4
    assert "2021–2024" in set(from_table[(POOLED, AREA_SETS[0])]["period"])
    reasons = set()
    for (ind, areas), frame in from_table.items():
        cache.clear_all()
        pd.testing.assert_frame_equal(frame, indicator_series(store, ind, list(areas)))
        reasons |= set(frame["status_reason"])
    aneby = from_table[(RATE, AREA_SETS[0])]
    hidden = aneby[(aneby["area_code"] == "0604") & (aneby["period"] == "2023")]
    assert hidden["status"].tolist() == [ObservationStatus.SUPPRESSED]
    assert len(reasons - {""}) >= 2, reasons  # the reason for hiding, and the source's own

    with session_scope(store.url) as s:
        s.execute(update(m.SummaryState).values(complete=False))
    cache.clear_all()
    judged = module.yearly_series(store, RATE, AREA_SETS[0])  # not readable: judged again
    pd.testing.assert_frame_equal(judged, aneby)
