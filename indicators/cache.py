"""Query results kept in each worker's memory, keyed by the store's data version.

Every change to the data goes through `audit.record`, which moves the version forward in the same
transaction. A cached result is looked up under the version read at call time, so after an import
(made by any worker, or by the command line) no worker serves what it held before: correctness
costs one primary-key read per call and nothing needs telling across processes."""

import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd

from indicators.store.store import Store
from indicators.store.version import data_version

P = ParamSpec("P")
R = TypeVar("R")

_registry: list[Callable[[], None]] = []


def _frozen(value: Any) -> Hashable:
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return tuple(_frozen(v) for v in items)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _call_key(signature: inspect.Signature, args: tuple, kwargs: dict) -> Hashable:
    """The arguments as the function receives them, whichever way the call spells them: bound
    to their names, defaults filled in, lists and tuples alike. `f(store, x)`,
    `f(store, x=x)` and `f(store, x, y=<default>)` are one key."""
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return tuple((name, _frozen(value)) for name, value in bound.arguments.items())


def cached_query(
    maxsize: int = 128,
) -> Callable[[Callable[Concatenate[Store, P], R]], Callable[Concatenate[Store, P], R]]:
    """For query functions whose first argument is the Store. Results are shared between
    callers, so DataFrames are handed out as copies and everything else must be immutable."""

    def decorate(func: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
        # Without the Store: it is bound first, and the key names it by its URL.
        signature = inspect.signature(func)
        arguments = signature.replace(parameters=list(signature.parameters.values())[1:])
        entries: OrderedDict[Hashable, R] = OrderedDict()
        lock = threading.Lock()
        stats = {"hits": 0, "misses": 0}

        @wraps(func)
        def cached(store: Store, *args: P.args, **kwargs: P.kwargs) -> R:
            call = _call_key(arguments, args, kwargs)
            key = (store.url, data_version(store.url), call)
            with lock:
                if key in entries:
                    entries.move_to_end(key)
                    stats["hits"] += 1
                    return _handed_out(entries[key])
                stats["misses"] += 1
            result = func(store, *args, **kwargs)
            with lock:
                entries[key] = result
                while len(entries) > maxsize:
                    entries.popitem(last=False)
            return _handed_out(result)

        def clear() -> None:
            with lock:
                entries.clear()

        cached.cache_clear = clear  # type: ignore[attr-defined]
        cached.cache_stats = lambda: dict(stats)  # type: ignore[attr-defined]
        _registry.append(clear)
        return cached

    return decorate


def _handed_out(result: R) -> R:
    if isinstance(result, pd.DataFrame):
        return result.copy()  # type: ignore[return-value]
    return result


def clear_all() -> None:
    """For tests that write to a store behind the audit log's back."""
    for clear in _registry:
        clear()
