"""The cache warmer computes what a meeting opens first, under the keys the pages use."""

import time

from indicators import cache
from indicators.domain import COUNTY_KOMMUN_CODES
from indicators.followup.kommun import kommun_view
from indicators.followup.strategy import strategigrupp_view, strategy_view
from indicators.queries import Store, overview
from indicators.settings import get_settings
from indicators.warmup import CacheWarmer, warm_views


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
