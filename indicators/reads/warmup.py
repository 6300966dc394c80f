"""Fill each worker's query cache with what a meeting opens first, at start and after every
change to the data, so the room does not wait for the first reader of a new import.

The calls are the ones the pages make, with the same arguments, so they land on the same cache
keys (indicators/reads/cache.py). A daemon thread per process polls the data version; the work is a
few seconds of one core after an import, never on a reader's request. It is started only once
the store is prepared (app.main, and gunicorn's post_worker_init in each worker), so it never
reads a store that is being migrated.

Several hosts behind one address: after an import one worker of all of them warms the new data
version (the lease in store.staged decides which), the others fill their caches as their own
readers ask. At start each worker warms its own cache once, since a new worker has nothing.

The warmer gives way to readers. Threads of one process take turns on Python's interpreter
lock, so a view warmed beside a request made it 1.2–2× slower (bench/warmer.py). While any
request is in flight in its process (`REQUESTS`, counted around every request by the app) the
warming thread stops at its next call of a read-model function, before its next SQL statement
or on SQLite within a long one (indicators/store/turns.py), and waits until none is; it never
stops where it holds a lock a request may need (`_may_pause`; never in a write session). Under
unbroken traffic it waits, and readers fill the cache themselves as they would without it."""

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

from indicators.reads.completeness import completeness, default_period, late_deliveries
from indicators.reads.followup.comparison import comparison_matrix
from indicators.reads.followup.kommun import kommun_view
from indicators.reads.followup.plain_words import group_summary, strategy_summary
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
from indicators.store.turns import yielding_to
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
        # Strategi's and Strategigrupp's plain summaries read the county's view of their own
        # indicators only.
        *(partial(strategy_summary, store, s.number) for s in tree),
        *(partial(group_summary, store, g) for g, _ in group_list(store)),
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


class RequestsInFlight:
    """How many requests this process is answering; `idle` is set while none."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()
        self.idle = threading.Event()
        self.idle.set()

    @contextmanager
    def answering(self) -> Iterator[None]:
        with self._lock:
            self._count += 1
            self.idle.clear()
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1
                if self._count == 0:
                    self.idle.set()


REQUESTS = RequestsInFlight()


_READS = Path(__file__).resolve().parent
# Where the warmer may stop: the read model's own computations and the vocabulary's rules,
# which no library calls back into while holding a lock of its own. Not the query cache, whose
# lock is held around a few of its calls (a request asking for the same query would then wait
# for the warmer, which waits for the request), and not the store's sessions and connections.
_PAUSE_IN = (str(_READS) + "/", str(_READS.parent / "vocabulary") + "/")
_NEVER_IN = str(_READS / "cache.py")


def _may_pause(filename: str) -> bool:
    return filename.startswith(_PAUSE_IN) and filename != _NEVER_IN


@contextmanager
def giving_way(requests: RequestsInFlight = REQUESTS) -> Iterator[None]:
    """Run the block in this thread so that, while a request is in flight, it pauses at its
    next call of a read-model function or at its next turn at the store (a profile hook and
    store.turns on this thread only: other threads run as before)."""
    idle = requests.idle

    def hook(frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and not idle.is_set() and _may_pause(frame.f_code.co_filename):
            idle.wait()

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        with yielding_to(idle):
            yield
    finally:
        sys.setprofile(previous)


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
                        with giving_way():
                            count = warm_views(self.store)
                        log.info("Cachen är förvärmd: %s vyer för dataversion %s", count, version)
                    else:
                        log.info("Dataversion %s förvärms av en annan process", version)
                    warmed = version
            except Exception:
                # A database restarting, say: try again next round.
                log.warning("Förvärmningen av cachen misslyckades; nytt försök", exc_info=True)
            self._stop.wait(self.interval_s)
