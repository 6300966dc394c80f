"""The shipped Kolada KPI catalogue (data/kolada/kpis.csv): look an id up, or search titles and
definitions, so an analyst can find the Kolada id behind a measure."""

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indicators.paths import KOLADA_KPIS_FILE
from indicators.vocabulary.domain import AreaLevel

_LEVELS = {"K": AreaLevel.KOMMUN, "L": AreaLevel.REGION, "A": AreaLevel.ALL}


@dataclass(frozen=True)
class KoladaKpi:
    id: str
    title: str
    description: str
    by_gender: bool
    area_level: AreaLevel
    operating_area: str
    publication_period: str

    @property
    def discontinued(self) -> bool:
        """Kolada marks ended series with '(- 2024)' in the title and no publication period."""
        return not self.publication_period and "(-" in self.title.replace("(- ", "(-")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


class KoladaCatalogue:
    def __init__(self, kpis: list[KoladaKpi]) -> None:
        self._by_id = {k.id: k for k in kpis}
        self._haystack = [(k, _fold(f"{k.id} {k.title} {k.description}")) for k in kpis]

    @classmethod
    def from_csv(cls, path: Path = KOLADA_KPIS_FILE) -> "KoladaCatalogue":
        with path.open(encoding="utf-8", newline="") as f:
            return cls(
                [
                    KoladaKpi(
                        id=r["id"],
                        title=r["title"],
                        description=r["description"],
                        by_gender=r["is_divided_by_gender"] == "True",
                        area_level=_LEVELS.get(r["municipality_type"], AreaLevel.ALL),
                        operating_area=r["operating_area"],
                        publication_period=r["publ_period"],
                    )
                    for r in csv.DictReader(f)
                ]
            )

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, kpi_id: str) -> KoladaKpi | None:
        return self._by_id.get(kpi_id.strip().upper())

    def search(self, query: str, limit: int = 20) -> list[KoladaKpi]:
        """KPIs whose id, title or definition contain every word of the query; title hits and
        running series first."""
        words = _fold(query).split()
        if not words:
            return []
        hits = [k for k, text in self._haystack if all(w in text for w in words)]
        hits.sort(
            key=lambda k: (
                not all(w in _fold(k.title) for w in words),
                k.discontinued,
                len(k.title),
            )
        )
        return hits[:limit]


@lru_cache(maxsize=1)
def kolada_catalogue() -> KoladaCatalogue:
    return KoladaCatalogue.from_csv()
