"""A handle on one store: small, hashable and opaque. It names the database; only the domain
opens sessions on it, so the dashboard can hold a Store but never query it directly."""

from dataclasses import dataclass

from indicators.settings import Settings, get_settings


@dataclass(frozen=True)
class Store:
    url: str

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Store":
        return cls((settings or get_settings()).database_url)
