"""The strategy catalogue (data/katalog.toml) and the shipped Kolada KPI catalogue."""

from indicators.catalogue.load import CatalogueError, load_catalogue
from indicators.catalogue.models import Catalogue

__all__ = ["Catalogue", "CatalogueError", "load_catalogue"]
