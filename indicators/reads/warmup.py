"""Fill each worker's query cache with what a meeting opens first, at start and after every
change to the data, so the room does not wait for the first reader of a new import.

The calls are the ones the pages make, with the same arguments, so they land on the same cache
keys (indicators/reads/cache.py). A daemon thread per process polls the data version; the work is a
few seconds of one core after an import, never on a reader's request. It is started only once
the store is prepared (app.main, and gunicorn's post_worker_init in each worker), so it never
reads a store that is being migrated.

Several hosts behind one address: after an import one worker of all of them warms the new data
version (the lease in store.staged decides which), the others fill their caches as their own
readers ask. At start each worker warms its own cache once, since a new worker has nothing."""

import logging
import threading
from collections.abc import Callable
from functools import partial

from indicators.reads.completeness import completeness, default_period, late_deliveries
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.followup.kommun import kommun_view
from indicators.reads.followup.strategy import strategigrupp_view, strategy_view
from indicators.reads.plans import handlingsplan
from indicators.reads.queries import (
    catalogue_tree,
    data_freshness,
    has_demo_data,
    indicator_detail,
    overview,
)
from indicators.reads.queries import strategigrupper as group_list
from indicators.reads.similar import default_similar_indicator, similar_view
from indicators.settings import get_settings
from indicators.store.staged import take_warm_lease
from indicators.store.store import Store
from indicators.store.version import data_version
from indicators.vocabulary.deadlines import swedish_today
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES

log = logging.getLogger(__name__)


def warm_views(store: Store) -> int:
    """Compute the views a meeting opens first; returns how many were computed."""
    baseline = get_settings().baseline_year
    tree = catalogue_tree(store)
    today = swedish_today()
    calls: list[Callable[[], object]] = [
        partial(has_demo_data, store),
        partial(data_freshness, store),
        partial(overview, store),
        # Jämförelse opens on every strategy, mätområde and strategigrupp, coloured by change.
        partial(
            comparison_matrix,
            store,
            strategy=None,
            matomrade=None,
            strategigrupp=None,
            colour_by="change",
        ),
        # Inrapportering opens on last year with every filter at "alla"; Sedan förra mötet
        # lists what is late. Both judge lateness on today's Swedish date, as the pages do.
        partial(completeness, store, default_period(today), today=today),
        partial(late_deliveries, store, today),
        *(partial(strategy_view, store, s.number) for s in tree),
        *(partial(strategigrupp_view, store, g, baseline) for g, _ in group_list(store)),
        # Each Strategigrupp page shows its handlingsplan with every aim's trend.
        *(partial(handlingsplan, store, g) for g, _ in group_list(store)),
        *(partial(kommun_view, store, c) for c in (COUNTY_CODE, *COUNTY_KOMMUN_CODES)),
        # Each Kommun page's section among similar kommuner, on the indicator it opens with.
        *(partial(_similar_default, store, c) for c in COUNTY_KOMMUN_CODES),
        *(
            partial(indicator_detail, store, i.id)
            for s in tree
            for ma in s.matomraden
            for i in ma.indicators
        ),
    ]
    for call in calls:
        call()
    return len(calls)


def _similar_default(store: Store, code: str) -> None:
    view = kommun_view(store, code)
    indicator = default_similar_indicator(view) if view is not None else None
    if indicator is not None:
        similar_view(store, indicator, code)


class CacheWarmer:
    def __init__(self, store: Store, interval_s: float = 5.0) -> None:
        self.store = store
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cache-warmer", daemon=True)

    def start(self) -> "CacheWarmer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        warmed: int | None = None
        while not self._stop.is_set():
            try:
                version = data_version(self.store.url)
                if version != warmed:
                    # The first round always warms this worker; later versions only the
                    # worker that takes the lease, so an import costs one warming, not one per
                    # worker per host.
                    first = warmed is None
                    leased = take_warm_lease(self.store.url, version)
                    if first or leased:
                        count = warm_views(self.store)
                        log.info("Cachen är förvärmd: %s vyer för dataversion %s", count, version)
                    else:
                        log.info("Dataversion %s förvärms av en annan process", version)
                    warmed = version
            except Exception:
                # A database restarting, say: try again next round.
                log.warning("Förvärmningen av cachen misslyckades; nytt försök", exc_info=True)
            self._stop.wait(self.interval_s)
