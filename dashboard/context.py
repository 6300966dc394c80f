"""The store the running app reads from, set once by create_app."""

from indicators.reads.queries import Store

_current: Store | None = None


def set_store(store: Store) -> None:
    global _current
    _current = store


def store() -> Store:
    if _current is None:
        raise RuntimeError("create_app() har inte körts: inget lager är valt")
    return _current
