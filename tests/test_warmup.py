"""The cache warmer computes what a meeting opens first, under the keys the pages use."""

import logging
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import g
from page_app import pages_app, run_callback
from sqlalchemy import text

from dashboard.auth.identity import SignedIn
from dashboard.auth.mode import AuthMode
from dashboard.ids import Jamforelse
from indicators.reads import cache
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.followup.kommun import kommun_view
from indicators.reads.followup.strategy import strategigrupp_view, strategy_view
from indicators.reads.plans import handlingsplan
from indicators.reads.queries import (
    Store,
    data_freshness,
    has_demo_data,
    indicator_detail,
    indicator_series,
    overview,
)
from indicators.reads.warmup import CacheWarmer, RequestsInFlight, giving_way, warm_views
from indicators.settings import get_settings
from indicators.store.engine import engine_for, write_session
from indicators.store.staged import take_warm_lease
from indicators.store.version import bump_data_version, data_version
from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES, Gender, Role
from indicators.vocabulary.formatting import format_number


def test_after_warming_the_first_views_are_cache_hits(demo_store: Store):
    cache.clear_all()
    assert warm_views(demo_store) > 20
    before = {f: f.cache_stats() for f in (overview, strategy_view, kommun_view)}
    overview(demo_store)
    strategy_view(demo_store, 2)
    kommun_view(demo_store, COUNTY_KOMMUN_CODES[0])
    strategigrupp_view(demo_store, "aldre", get_settings().baseline_year)
    for function, stats in before.items():
        after = function.cache_stats()
        assert after["misses"] == stats["misses"], function.__name__
        assert after["hits"] > stats["hits"], function.__name__


def test_the_warmer_thread_warms_once_per_data_version(demo_store: Store):
    cache.clear_all()
    warmer = CacheWarmer(demo_store, interval_s=0.05).start()
    try:
        deadline = time.monotonic() + 60
        while overview.cache_stats()["misses"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # several more rounds at the same version
        misses = overview.cache_stats()["misses"]
        assert misses >= 1
        time.sleep(0.3)
        assert overview.cache_stats()["misses"] == misses
    finally:
        warmer.stop()


@pytest.fixture
def quiet_cache() -> None:
    """Counting hits and misses needs no stopped warmer still finishing its round."""
    for thread in threading.enumerate():
        if thread.name == "cache-warmer":
            thread.join()


def test_the_cache_key_does_not_depend_on_how_a_call_is_spelled(
    demo_store: Store, quiet_cache: None
):
    cache.clear_all()
    comparison_matrix(demo_store, colour_by="change")
    misses = comparison_matrix.cache_stats()["misses"]
    # The Jämförelse page names every argument; defaults, named or left out, are one key.
    comparison_matrix(
        demo_store, strategy=None, matomrade=None, strategigrupp=None, colour_by="change"
    )
    comparison_matrix(demo_store)
    assert comparison_matrix.cache_stats()["misses"] == misses
    code = COUNTY_KOMMUN_CODES[0]
    kommun_view(demo_store, code)
    kommun_misses = kommun_view.cache_stats()["misses"]
    kommun_view(demo_store, area_code=code)
    kommun_view(demo_store, code, None)
    indicator_series(demo_store, "U21401", ["00", "06"])
    series_misses = indicator_series.cache_stats()["misses"]
    indicator_series(demo_store, "U21401", ("00", "06"), gender=Gender.TOTAL)
    assert kommun_view.cache_stats()["misses"] == kommun_misses
    assert indicator_series.cache_stats()["misses"] == series_misses
    # Different arguments are still different keys.
    comparison_matrix(demo_store, colour_by="target")
    assert comparison_matrix.cache_stats()["misses"] == misses + 1


WARMED = (
    has_demo_data,
    data_freshness,
    overview,
    comparison_matrix,
    strategy_view,
    strategigrupp_view,
    handlingsplan,
    kommun_view,
    indicator_detail,
)


def test_after_warming_the_pages_first_views_read_only_from_the_cache(
    demo_store: Store, quiet_cache: None
):
    """The pages' own layouts and Jämförelse's first callback, called as Dash calls them: every
    query the warmer computed is a hit, none a miss."""
    app = pages_app(demo_store)
    from dashboard.pages import jamforelse, kommun, moteslage, oversikt, strategi, strategigrupp

    cache.clear_all()
    warm_views(demo_store)
    before = {f: f.cache_stats() for f in WARMED}
    oversikt.layout()
    strategi.layout(nummer="2")
    # The Strategigrupp page's handlingsplan follows the reader's role: drawn in a request.
    with app.server.test_request_context("/strategigrupp/aldre"):
        g.user = SignedIn("lasa", "Lena Läsare", Role.LASARE, AuthMode.ACCOUNTS)
        strategigrupp.layout(grupp="aldre")
    kommun.layout()
    kommun.layout(kod=COUNTY_KOMMUN_CODES[0])
    moteslage.layout(vyer="U21401,strategi-2", steg="2")
    moteslage.layout(vyer="U21401,strategi-2", steg="1")
    response = run_callback(
        app,
        Jamforelse.STRATEGY,
        {
            f"{Jamforelse.STRATEGY}.value": jamforelse.ALL,
            f"{Jamforelse.MATOMRADE}.value": jamforelse.ALL,
            f"{Jamforelse.GROUP}.value": jamforelse.ALL,
            f"{Jamforelse.COLOUR}.value": "change",
            f"{Jamforelse.URL}.search": "",
        },
    )
    assert response[Jamforelse.GRAPH]["figure"]["data"]
    for function in WARMED:
        after = function.cache_stats()
        assert after["misses"] == before[function]["misses"], function.__name__
    for function in (overview, comparison_matrix, strategy_view, kommun_view, indicator_detail):
        assert function.cache_stats()["hits"] > before[function]["hits"], function.__name__


def test_a_failing_warmer_says_so_as_a_warning(
    empty_store_url: str, caplog: pytest.LogCaptureFixture
):
    """A store that is not migrated: the warmer keeps trying, and the log says why at WARNING,
    which production logs show (DEBUG they do not)."""
    caplog.set_level(logging.INFO, logger="indicators.reads.warmup")
    warmer = CacheWarmer(Store(empty_store_url), interval_s=0.05).start()
    try:
        deadline = time.monotonic() + 60
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        warmer.stop()
    assert caplog.records
    assert {r.levelno for r in caplog.records} == {logging.WARNING}
    assert "Förvärmningen" in caplog.records[0].getMessage()


def test_one_worker_of_all_hosts_takes_each_data_version_to_warm(prepared_store_url: str):
    """The lease in the store: of many workers (on any host) racing for a new data version,
    exactly one warms it; an older or the same version is never taken again."""
    assert take_warm_lease(prepared_store_url, 3)
    assert not take_warm_lease(prepared_store_url, 3)
    assert not take_warm_lease(prepared_store_url, 2)
    with ThreadPoolExecutor(max_workers=6) as pool:
        won = list(pool.map(lambda _: take_warm_lease(prepared_store_url, 4), range(12)))
    assert won.count(True) == 1


def test_after_an_import_one_warmer_of_many_warms_and_the_others_skip(
    demo_copy: Store, caplog: pytest.LogCaptureFixture
):
    """Two warmers stand for two hosts: each warms its own cache at start, but a new data
    version is warmed by the one that takes the lease; the other leaves it to its readers."""
    caplog.set_level(logging.INFO, logger="indicators.reads.warmup")
    warmers = [CacheWarmer(demo_copy, interval_s=0.05).start() for _ in range(2)]
    try:
        start = data_version(demo_copy.url)
        _wait_for(lambda: _said(caplog, "förvärmd", start) == 2)
        with write_session(demo_copy.url) as session:
            bump_data_version(session)
        _wait_for(lambda: _said(caplog, "", start + 1) == 2)
        assert _said(caplog, "förvärmd", start + 1) == 1
        assert _said(caplog, "förvärms av en annan process", start + 1) == 1
    finally:
        for warmer in warmers:
            warmer.stop()


def _said(caplog: pytest.LogCaptureFixture, words: str, version: int) -> int:
    """How many warmer log lines about `version` contain `words` (the version is the last
    argument of both the warmed and the skipped line)."""
    return sum(
        isinstance(r.args, tuple) and r.args[-1] == version and words in r.getMessage()
        for r in caplog.records
    )


def _wait_for(condition: Callable[[], bool], limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def _count_calls(counter: list[int], stop: threading.Event) -> None:
    # format_number stands for the read model's work: the warmer may stop at such calls.
    while not stop.is_set():
        format_number(counter[0], 0)
        counter[0] += 1


def test_the_warmer_gives_way_while_a_request_is_in_flight() -> None:
    """A warming thread stops at its next call of a read-model function while any request is
    answered in its process, and goes on when none is: it never competes with a reader for the
    interpreter."""
    requests = RequestsInFlight()
    counter, stop = [0], threading.Event()

    def warm() -> None:
        with giving_way(requests):
            _count_calls(counter, stop)

    thread = threading.Thread(target=warm, daemon=True)
    thread.start()
    try:
        time.sleep(0.05)
        assert counter[0] > 0  # warming while nobody asks
        with requests.answering(), requests.answering():  # two requests at once
            time.sleep(0.02)  # the thread reaches its next call and waits there
            paused_at = counter[0]
            time.sleep(0.1)
            assert counter[0] == paused_at
        time.sleep(0.05)
        assert counter[0] > paused_at  # and on again once no request is in flight
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def _count_statements(url: str, counter: list[int], stop: threading.Event) -> None:
    # No read-model call in this loop: only the pause before each statement can hold it.
    with engine_for(url).connect() as connection:
        while not stop.is_set():
            connection.execute(text("SELECT count(*) FROM strategy"))
            counter[0] += 1


def test_the_warmer_also_stops_before_its_next_sql_statement(demo_store: Store) -> None:
    """Between two read-model calls a view may run several statements (an ORM load, a judged
    region): the warming thread stops before the next one while a request is in flight, and
    the request's own statements on the same engine run meanwhile."""
    requests = RequestsInFlight()
    counter, stop = [0], threading.Event()

    def warm() -> None:
        with giving_way(requests):
            _count_statements(demo_store.url, counter, stop)

    thread = threading.Thread(target=warm, daemon=True)
    thread.start()
    try:
        time.sleep(0.05)
        assert counter[0] > 0
        with requests.answering():
            time.sleep(0.02)
            paused_at = counter[0]
            with engine_for(demo_store.url).connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM strategy")).scalar() == 4
            time.sleep(0.1)
            assert counter[0] == paused_at
        time.sleep(0.05)
        assert counter[0] > paused_at
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def _waiting_in_the_store(thread: threading.Thread) -> bool:
    frame = sys._current_frames().get(thread.ident or 0)
    while frame is not None:
        if frame.f_code.co_name == "_wait_for_turn":
            return True
        frame = frame.f_back
    return False


def test_on_sqlite_the_warmer_stops_within_a_long_statement(demo_store: Store) -> None:
    """One statement can run for a tenth of a second (a region's hidden cells judged): on
    SQLite the warming thread stops within it, and the statement then ends with its result."""
    requests = RequestsInFlight()
    started, result = threading.Event(), []
    count_to = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n}) "

    def warm() -> None:
        with giving_way(requests), engine_for(demo_store.url).connect() as connection:
            started.set()
            sql = count_to.format(n=5_000_000) + "SELECT count(*) FROM c"
            result.append(connection.execute(text(sql)).scalar())

    thread = threading.Thread(target=warm, daemon=True)
    with requests.answering():
        thread.start()
        started.wait(5)
        # The statement began before the request (the check before it let it through)...
        time.sleep(0.01)
    time.sleep(0.05)
    with requests.answering():
        # ...and stops within it once a request is in flight again.
        deadline = time.monotonic() + 5
        while not _waiting_in_the_store(thread) and time.monotonic() < deadline:
            time.sleep(0.001)
        assert _waiting_in_the_store(thread) and not result
        time.sleep(0.1)
        assert _waiting_in_the_store(thread) and not result
    thread.join(timeout=60)
    assert result == [5_000_000]


def test_a_warming_thread_never_stops_in_a_write_session(prepared_store_url: str) -> None:
    """A write session holds the store's write lock, which a request may need: its statements
    run on while a request is in flight."""
    requests = RequestsInFlight()
    done = threading.Event()

    def write() -> None:
        with giving_way(requests):
            with write_session(prepared_store_url) as s:
                for _ in range(3):
                    s.execute(text("SELECT count(*) FROM strategy"))
                bump_data_version(s)
            done.set()

    thread = threading.Thread(target=write, daemon=True)
    with requests.answering():
        thread.start()
        # Not join: leaving giving_way is a read-model call, where the thread does wait.
        assert done.wait(timeout=10), "the write session waited for the request"
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_a_request_never_waits_for_a_warmer_that_waits_for_it(demo_store: Store) -> None:
    """The warmer never stops where it holds a lock a request may need: with the warmer
    computing the same cached query over and over, a request for that query is answered while
    the warmer is held back."""
    requests = RequestsInFlight()
    stop = threading.Event()

    @cache.cached_query()
    def slow_query(store: Store, n: int) -> str:
        return ",".join(format_number(i, 1) for i in range(n))

    def warm() -> None:
        with giving_way(requests):
            while not stop.is_set():
                slow_query(demo_store, 2_000)  # found under the cache's lock: must not stop

    slow_query(demo_store, 2_000)
    thread = threading.Thread(target=warm, daemon=True)
    thread.start()
    answered: list[str] = []
    try:
        for _ in range(20):
            with requests.answering():
                reader = threading.Thread(
                    target=lambda: answered.append(slow_query(demo_store, 2_000)), daemon=True
                )
                reader.start()
                reader.join(timeout=10)
                assert not reader.is_alive(), "the request waited for the warmer"
            time.sleep(0.005)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert len(answered) == 20 and not thread.is_alive()


def test_the_warmer_stops_only_in_the_read_model_and_never_in_the_cache_or_the_store() -> None:
    import indicators.reads.cache as cache_module
    import indicators.reads.followup.baseline as baseline_module
    import indicators.store.engine as engine_module
    import indicators.vocabulary.trends as trends_module
    from indicators.reads.warmup import _may_pause

    assert _may_pause(baseline_module.__file__ or "")
    assert _may_pause(trends_module.__file__ or "")
    assert not _may_pause(cache_module.__file__ or "")  # its lock is held around calls
    assert not _may_pause(engine_module.__file__ or "")  # sessions, connections, the write lock
    assert not _may_pause(threading.__file__ or "")  # nor in any library


def test_every_request_to_the_app_is_counted_in_flight(demo_store: Store) -> None:
    from flask import request_started

    from app import server
    from indicators.reads.warmup import REQUESTS

    seen: list[bool] = []

    def record(_sender: object, **_extra: object) -> None:
        seen.append(REQUESTS.idle.is_set())

    assert REQUESTS.idle.is_set()
    with request_started.connected_to(record, server):
        server.test_client().get("/healthz")
    assert seen == [False]  # while it was answered, a warmer would have waited
    assert REQUESTS.idle.is_set()  # and no longer after it
