"""Query results kept in each worker's memory, keyed by the store's data version.

Every change to the data goes through `audit.record`, which moves the version forward in the same
transaction. A cached result is looked up under the version read at call time, so after an import
(made by any worker, or by the command line) no worker serves what it held before: correctness
costs one primary-key read per call and nothing needs telling across processes."""

import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import update_wrapper
from typing import Concatenate, Generic, ParamSpec, TypeVar

import pandas as pd

from indicators.store.store import Store
from indicators.store.version import data_version

P = ParamSpec("P")
R = TypeVar("R")

_registry: list[Callable[[], None]] = []


def _frozen(value: object) -> Hashable:
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return tuple(_frozen(v) for v in items)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, Hashable):
        return value
    raise TypeError(f"an argument of type {type(value).__name__} cannot key a cached query")


def _call_key(
    signature: inspect.Signature, args: tuple[object, ...], kwargs: dict[str, object]
) -> Hashable:
    """The arguments as the function receives them, whichever way the call spells them: bound
    to their names, defaults filled in, lists and tuples alike. `f(store, x)`,
    `f(store, x=x)` and `f(store, x, y=<default>)` are one key."""
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return tuple((name, _frozen(value)) for name, value in bound.arguments.items())


class CachedQuery(Generic[P, R]):
    """A query function whose first argument is the Store, with its results kept per data
    version. Results are shared between callers, so DataFrames are handed out as copies and
    everything else must be immutable."""

    def __init__(self, func: Callable[Concatenate[Store, P], R], maxsize: int) -> None:
        update_wrapper(self, func)
        self._func = func
        self._maxsize = maxsize
        # Without the Store: it is bound first, and the key names it by its URL.
        signature = inspect.signature(func)
        self._arguments = signature.replace(parameters=list(signature.parameters.values())[1:])
        self._entries: OrderedDict[Hashable, R] = OrderedDict()
        self._lock = threading.Lock()
        self._stats = {"hits": 0, "misses": 0}
        _registry.append(self.cache_clear)

    def __call__(self, store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        call = _call_key(self._arguments, args, kwargs)
        key = (store.url, data_version(store.url), call)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self._stats["hits"] += 1
                return _handed_out(self._entries[key])
            self._stats["misses"] += 1
        result = self._func(store, *args, **kwargs)
        with self._lock:
            self._entries[key] = result
            while len(self._entries) > self._maxsize:
                self._entries.popitem(last=False)
        return _handed_out(result)

    def cache_clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def cache_stats(self) -> dict[str, int]:
        return dict(self._stats)


def cached_query(
    maxsize: int = 128,
) -> Callable[[Callable[Concatenate[Store, P], R]], CachedQuery[P, R]]:
    """For query functions whose first argument is the Store (see `CachedQuery`)."""

    def decorate(func: Callable[Concatenate[Store, P], R]) -> CachedQuery[P, R]:
        return CachedQuery(func, maxsize)

    return decorate


def _handed_out(result: R) -> R:
    if isinstance(result, pd.DataFrame):
        return result.copy()
    return result


def clear_all() -> None:
    """For tests that write to a store behind the audit log's back."""
    for clear in _registry:
        clear()
