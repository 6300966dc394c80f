"""The hidden cells kept beside the observations (issue 16): written in the same transaction as
every import, undo and seed, built whole at `prepare` for a store that has none, and read by the
views instead of judging the observations again — always exactly the cells judging gives, and
never read when they may be stale."""

from datetime import date

import pytest
from sqlalchemy import delete, select
from summary_stores import RATE, TEMPLATE_NAME, USER, prepare_county, template

from indicators.imports.pipeline import FileStatus, save, undo_batch
from indicators.reads import cache
from indicators.reads.hidden_cells import (
    STORED,
    _judge,
    _read_stored,
    hidden_pattern,
    parents_in,
    stored_is_complete,
)
from indicators.settings import Settings, get_settings
from indicators.store import models as m
from indicators.store import summaries
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES
from indicators.writes.bootstrap import prepare_store


@pytest.fixture
def store(stores) -> Store:
    return Store(stores.from_template(TEMPLATE_NAME, prepare_county))


def _judged(store: Store) -> dict:
    """What judging every indicator's observations gives now (the county's region)."""
    with session_scope(store.url) as s:
        ids = s.scalars(select(m.Indicator.id)).all()
        return _judge(s, ids, (COUNTY_CODE,), get_settings().suppression_threshold, parents_in(s))


def _stored(store: Store) -> dict:
    with session_scope(store.url) as s:
        ids = s.scalars(select(m.Indicator.id)).all()
        areas = s.scalars(select(m.Area.code)).all()
        assert stored_is_complete(s, get_settings().suppression_threshold)
        return _read_stored(s, ids, list(areas))


def _complete(store: Store) -> bool:
    with session_scope(store.url) as s:
        return stored_is_complete(s, get_settings().suppression_threshold)


def test_prepare_and_the_seed_leave_exactly_the_judged_cells(store: Store) -> None:
    stored = _stored(store)
    assert stored  # the demo has small numbers in the county
    assert stored == _judged(store)


def test_import_and_undo_rewrite_the_hidden_cells_in_their_own_transaction(store: Store) -> None:
    before = _stored(store)
    # Aneby 2023 on 3 of 4 (close to its stored value, so no confirmation is asked): a small
    # numerator, hidden, and a neighbour hidden with it.
    result = save(store, [template(f"{RATE};0604;2023;T;75;3;4;")], user=USER)
    assert result.status is FileStatus.SAVED, result
    after = _stored(store)
    assert after == _judged(store)
    assert (RATE, "0604", "year", date(2023, 1, 1), "T") in after
    assert after != before
    assert undo_batch(store, result.files[0].batch_id, user=USER).undone
    assert _stored(store) == _judged(store) == before


def test_views_read_the_stored_cells_and_judge_whatever_is_not_stored(store: Store) -> None:
    ids = tuple(sorted({key[0] for key in _stored(store)}))
    cache.clear_all()
    from_table = dict(hidden_pattern(store, ids, (COUNTY_CODE,)))
    with session_scope(store.url) as s:
        s.execute(delete(m.SummaryState))
    cache.clear_all()
    judged = dict(hidden_pattern(store, ids, (COUNTY_CODE,)))
    assert from_table == judged and judged
    # Riket and the regions alone: the same cells, restricted to them.
    cache.clear_all()
    outer = dict(hidden_pattern(store, ids, ()))
    assert outer == {k: r for k, r in judged.items() if k[1] not in COUNTY_KOMMUN_CODES}


def test_prepare_builds_them_for_a_store_that_has_none(store: Store) -> None:
    expected = _stored(store)
    with session_scope(store.url) as s:
        s.execute(delete(m.HiddenCell))
        s.execute(delete(m.SummaryState))
    assert not _complete(store)
    prepare_store(Settings(database_url=store.url, seed_demo=False))
    assert _stored(store) == expected


def test_another_threshold_is_never_read_from_the_table(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INDIKATOR_SUPPRESSION_THRESHOLD", "9")
    get_settings.cache_clear()
    try:
        assert not _complete(store)
        prepare_store(Settings(database_url=store.url, seed_demo=False))
        assert _complete(store)
        assert _stored(store) == _judged(store)
    finally:
        monkeypatch.delenv("INDIKATOR_SUPPRESSION_THRESHOLD")
        get_settings.cache_clear()
    assert not _complete(store)  # built for 9, not for 5


def test_a_write_no_refresher_follows_marks_them_incomplete(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(summaries, "_REFRESHERS", {})
    result = save(store, [template(f"{RATE};0604;2023;T;75;3;4;")], user=USER)
    assert result.status is FileStatus.SAVED
    assert not _complete(store)
    with session_scope(store.url) as s:
        # The hidden cells and the follow-up totals built from them: neither is trusted now.
        states = s.scalars(select(m.SummaryState)).all()
        assert {state.name for state in states} == {STORED, "followup_totals", "series_updates"}
        assert not any(state.complete for state in states)


def test_orm_writes_of_observations_refresh_them_too(store: Store) -> None:
    with session_scope(store.url) as s:
        row = s.scalars(
            select(m.Observation).where(
                m.Observation.indicator_id == RATE,
                m.Observation.area_code == "0617",
                m.Observation.gender == "T",
            )
        ).first()
        assert row is not None
        row.numerator, row.denominator, row.value = 2.0, 50.0, 4.0
    assert _stored(store) == _judged(store)


def test_prepare_gives_the_query_planner_statistics_when_they_are_missing(store: Store) -> None:
    """SQLite's batch migrations copy the observation table without its statistics, and a store
    filled by imports never had any: at national scale a view then took seconds instead of
    tenths. prepare refreshes them when a migration ran or none exist."""
    from indicators.store.engine import engine_for, has_statistics

    engine = engine_for(store.url)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM sqlite_stat1")
        with engine.connect() as conn:
            assert not has_statistics(conn)
    prepare_store(Settings(database_url=store.url, seed_demo=False))
    with engine.connect() as conn:
        assert has_statistics(conn)
