"""The strategy catalogue (data/katalog.toml), the shipped Kolada KPI catalogue and the kommun
outlines: reference data read from files, never from the store (writing it into the store:
indicators.writes.catalogue_sync)."""

from indicators.catalogue.load import CatalogueError, load_catalogue
from indicators.catalogue.models import Catalogue

__all__ = ["Catalogue", "CatalogueError", "load_catalogue"]
