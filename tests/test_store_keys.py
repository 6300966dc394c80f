"""The references of observation and observation_revision hold on both backends: foreign keys on
SQLite, statement-level triggers on PostgreSQL (migration 0015). Every test runs on both and
writes straight to the tables, past the import's own checks, so what is tested is the database.
"""

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from indicators.imports.changes import CONFIRM_ALL
from indicators.imports.pipeline import save
from indicators.store.engine import engine_for
from indicators.store.store import Store
from tests.test_import_save import template

INDICATOR = "N21497"

_BATCH = (
    "INSERT INTO import_batch (source_name, sha256, format, imported_by, imported_at, is_demo,"
    " rows_read, rows_new, rows_changed, rows_unchanged, rows_rejected)"
    " VALUES ('t.csv', 'x', 'mall', 't', '2026-01-01 00:00:00', :demo, 1, 1, 0, 0, 0)"
)
_OBSERVATION = (
    "INSERT INTO observation (indicator_id, area_code, period_type, period_start, gender,"
    " value, status, status_reason, batch_id)"
    " VALUES (:indicator, :area, 'year', :start, 'T', 1.0, 'ok', '', :batch)"
)
_REVISION = (
    "INSERT INTO observation_revision (batch_id, indicator_id, area_code, period_type,"
    " period_start, gender, previous_status_reason, previous_batch_id)"
    " VALUES (:batch, :indicator, :area, 'year', :start, 'T', '', :previous)"
)


@pytest.fixture
def url(prepared_store_url: str) -> str:
    return prepared_store_url


def _batch(conn: Connection) -> int:
    conn.execute(text(_BATCH), {"demo": False})
    return int(conn.execute(text("SELECT max(id) FROM import_batch")).scalar_one())


def _values(url: str) -> tuple[int, ...]:
    with engine_for(url).connect() as conn:
        return tuple(
            int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in ("observation", "observation_revision", "import_batch")
        )


def _observation(**given: object) -> dict[str, object]:
    return {"indicator": INDICATOR, "area": "0680", "start": "2023-01-01", **given}


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param({"area": "9999"}, id="unknown-area"),
        pytest.param({"indicator": "N00000"}, id="unknown-indicator"),
        pytest.param({"batch": 987654}, id="unknown-batch"),
    ],
)
def test_an_observation_naming_something_unknown_is_refused(url: str, bad: dict) -> None:
    before = _values(url)
    with pytest.raises(IntegrityError), engine_for(url).begin() as conn:
        batch = _batch(conn)
        # Several rows in one statement, one of them bad: the whole statement goes.
        rows = [_observation(batch=batch, start=f"{y}-01-01") for y in (2020, 2021)]
        rows.append(_observation(batch=batch, start="2022-01-01") | bad)
        conn.execute(text(_OBSERVATION), rows)
    assert _values(url) == before


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param({"area": "9999"}, id="unknown-area"),
        pytest.param({"indicator": "N00000"}, id="unknown-indicator"),
        pytest.param({"batch": 987654}, id="unknown-batch"),
        pytest.param({"previous": 987654}, id="unknown-previous-batch"),
    ],
)
def test_a_revision_naming_something_unknown_is_refused(url: str, bad: dict) -> None:
    before = _values(url)
    with pytest.raises(IntegrityError), engine_for(url).begin() as conn:
        batch = _batch(conn)
        conn.execute(text(_REVISION), _observation(batch=batch, previous=None) | bad)
    assert _values(url) == before


def test_an_update_to_an_unknown_batch_is_refused(url: str) -> None:
    with engine_for(url).begin() as conn:
        conn.execute(text(_OBSERVATION), _observation(batch=_batch(conn)))
    before = _values(url)
    with pytest.raises(IntegrityError), engine_for(url).begin() as conn:
        conn.execute(text("UPDATE observation SET batch_id = 987654"))
    assert _values(url) == before


def test_parents_still_named_cannot_go(url: str) -> None:
    with engine_for(url).begin() as conn:
        batch = _batch(conn)
        conn.execute(text(_OBSERVATION), _observation(batch=batch))
        later = _batch(conn)
        conn.execute(text(_REVISION), _observation(batch=later, previous=batch))
    before = _values(url)
    for statement in (
        "DELETE FROM area WHERE code = '0680'",
        "UPDATE area SET code = '0680x' WHERE code = '0680'",
        f"DELETE FROM import_batch WHERE id = {batch}",  # named by the value and as previous
        f"DELETE FROM import_batch WHERE id = {later}",  # named by the revision
        f"UPDATE import_batch SET id = 999999 WHERE id = {batch}",
    ):
        with pytest.raises(IntegrityError), engine_for(url).begin() as conn:
            conn.execute(text(statement))
    assert _values(url) == before
    # A parent nothing names goes as before, and other updates of named ones are fine.
    with engine_for(url).begin() as conn:
        conn.execute(text("UPDATE import_batch SET imported_by = 'u'"))
        conn.execute(
            text("DELETE FROM import_batch WHERE id NOT IN (:a, :b)"), {"a": batch, "b": later}
        )


def test_deleting_an_indicator_deletes_its_values_and_revisions(url: str) -> None:
    with engine_for(url).begin() as conn:
        batch = _batch(conn)
        conn.execute(text(_OBSERVATION), _observation(batch=batch))
        conn.execute(text(_REVISION), _observation(batch=batch, previous=None))
    engine = engine_for(url)
    others = [
        (table, key["constrained_columns"][0])
        for table in inspect(engine).get_table_names()
        if table not in ("observation", "observation_revision")
        for key in inspect(engine).get_foreign_keys(table)
        if key["referred_table"] == "indicator"
    ]
    with engine.begin() as conn:
        # Other tables name indicators too (codes, links to the strategy): cleared first.
        for table, column in others:
            conn.execute(text(f"DELETE FROM {table} WHERE {column} = :i"), {"i": INDICATOR})
        conn.execute(text("DELETE FROM indicator WHERE id = :i"), {"i": INDICATOR})
    assert _values(url)[:2] == (0, 0)


def test_an_import_naming_an_unknown_area_is_refused_and_saves_nothing(url: str) -> None:
    """The app refuses it first, in Swedish, naming file, row and column."""
    before = _values(url)
    result = save(
        Store(url),
        [template(f"{INDICATOR};0680;2023;T;50;;;", f"{INDICATOR};9999;2023;T;51;;;")],
        user="Anna",
        confirmed=CONFIRM_ALL,
    )
    assert not result.ok
    (problem,) = [p for p in result.files[0].problems if "9999" in p.message]
    assert problem.message == "Områdeskoden '9999' är okänd."
    assert (problem.file, problem.row, problem.column) == ("mall.csv", 3, "Område")
    assert _values(url) == before


def test_a_value_written_holds_its_area_until_commit(url: str, backend: str) -> None:
    """A writer locks the parents its rows name (as a foreign key does): deleting one waits for
    it, and is refused once the writer has committed."""
    engine = engine_for(url)
    with engine.connect() as writer, engine.connect() as deleter:
        with writer.begin():
            conn_batch = _batch(writer)
            writer.execute(text(_OBSERVATION), _observation(batch=conn_batch, area="0604"))
            if backend == "postgresql":
                with (
                    pytest.raises(OperationalError, match=r"upptagen|lock timeout"),
                    deleter.begin(),
                ):
                    deleter.execute(text("SET LOCAL lock_timeout = '300ms'"))
                    deleter.execute(text("DELETE FROM area WHERE code = '0604'"))
        with pytest.raises(IntegrityError), deleter.begin():
            deleter.execute(text("DELETE FROM area WHERE code = '0604'"))
