"""A handle on one store, small and hashable so query functions can be cached per store."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from indicators.settings import Settings, get_settings
from indicators.store.engine import session_scope


@dataclass(frozen=True)
class Store:
    url: str

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Store":
        return cls((settings or get_settings()).database_url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.url) as session:
            yield session
