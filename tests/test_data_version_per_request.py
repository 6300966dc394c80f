"""The query cache reads the data version at every call; inside a request it is read once
(indicators.store.version.one_read_per_request), and read again after the request's own write
commits, so the request never serves what it has just replaced. Both databases."""

from sqlalchemy import event, text

from indicators.reads import cache
from indicators.reads.queries import catalogue_tree
from indicators.store.engine import engine_for, session_scope
from indicators.store.store import Store
from indicators.store.version import bump_data_version, data_version, one_read_per_request


def _bump_elsewhere(url: str) -> None:
    """Another process's import: the counter moved in a transaction of its own."""
    with engine_for(url).begin() as conn:
        conn.execute(text("UPDATE data_version SET version = version + 1 WHERE id = 1"))


def test_a_request_reads_the_version_once(prepared_store_url):
    url = prepared_store_url
    before = data_version(url)
    reads: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if "data_version" in statement:
            reads.append(statement)

    engine = engine_for(url)
    event.listen(engine, "before_cursor_execute", count)
    try:
        with one_read_per_request():
            assert data_version(url) == before
            _bump_elsewhere(url)  # mid-request: the request keeps the version it began with
            assert [data_version(url) for _ in range(5)] == [before] * 5
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len([r for r in reads if r.lstrip().upper().startswith("SELECT")]) == 1
    assert data_version(url) == before + 1  # outside a request: read every time


def test_a_request_that_writes_reads_the_new_version_after_its_commit(prepared_store_url):
    url = prepared_store_url
    store = Store(url)
    cache.clear_all()
    with one_read_per_request():
        first = data_version(url)
        catalogue_tree(store)
        with session_scope(url, write=True) as s:
            bump_data_version(s)
        assert data_version(url) == first + 1
        # A write that rolls back leaves the version the request has.
        try:
            with session_scope(url, write=True) as s:
                bump_data_version(s)
                raise RuntimeError("avbruten")
        except RuntimeError:
            pass
        assert data_version(url) == first + 1
    assert data_version(url) == first + 1
