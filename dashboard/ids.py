"""Component ids, one enum per page, so ids cannot collide or drift between layout and callback."""

from enum import StrEnum


class Shell(StrEnum):
    MAIN = "huvudinnehall"
    NAV = "huvudmeny"


class Indikator(StrEnum):
    URL = "indikator-url"
    INDICATOR = "indikator-id"
    KOMMUNER = "indikator-kommuner"
    ALLA = "indikator-valj-alla"
    INGA = "indikator-valj-inga"
    GENDER = "indikator-kon"
    GRAPH = "indikator-diagram"
    TABLE = "indikator-tabell"
    DATA_TABLE = "indikator-datatabell"
