"""The cache warmer computes Inrapportering's first view and Sedan förra mötet's late list under
the keys the pages use, so the first reader after an import does not wait for them."""

from page_app import pages_app, run_callback

from dashboard.ids import Inrapportering, Sedan
from indicators.reads import cache
from indicators.reads.completeness import completeness, default_period, late_deliveries
from indicators.reads.warmup import warm_views
from indicators.store.store import Store
from indicators.vocabulary.deadlines import swedish_today


def test_the_pages_first_views_come_from_the_warmed_cache(demo_store: Store):
    app = pages_app(demo_store)
    cache.clear_all()
    warm_views(demo_store)
    before = {f: f.cache_stats() for f in (completeness, late_deliveries)}
    response = run_callback(
        app,
        Inrapportering.PERIOD,
        {
            f"{Inrapportering.PERIOD}.value": default_period(swedish_today()),
            f"{Inrapportering.STRATEGY}.value": "alla",
            f"{Inrapportering.MATOMRADE}.value": "alla",
            f"{Inrapportering.GROUP}.value": "alla",
            f"{Inrapportering.DELIVERER}.value": "alla",
            f"{Inrapportering.URL}.search": "",
        },
    )
    assert response[Inrapportering.CONTENT]["children"]
    run_callback(app, Sedan.DATE, {f"{Sedan.DATE}.value": "2026-01-01", f"{Sedan.URL}.search": ""})
    for function, stats in before.items():
        after = function.cache_stats()
        assert after["misses"] == stats["misses"], function.__name__
        assert after["hits"] > stats["hits"], function.__name__
