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
    PERIOD = "indikator-period"
    TARGET_SUMMARY = "indikator-malstatus"
    RANKING = "indikator-rangordning"
    RANKING_TABLE = "indikator-rangordning-tabell"
    MAP = "indikator-karta"
    GENDER_SPLIT = "indikator-kon-diagram"
    ANALYSES = "indikator-analyser"
    TARGET_REVISION = "indikator-mal-revision"
    ANALYSIS_REVISION = "indikator-analys-revision"
    TARGET_VALUE = "indikator-mal-varde"
    TARGET_YEAR = "indikator-mal-ar"
    TARGET_AREA = "indikator-mal-omrade"
    TARGET_NOTE = "indikator-mal-kommentar"
    TARGET_SAVE = "indikator-mal-spara"
    TARGET_MESSAGE = "indikator-mal-meddelande"
    TARGET_LIST = "indikator-mal-lista"
    TARGET_DELETE = "indikator-mal-ta-bort"
    ANALYSIS_TEXT = "indikator-analys-text"
    ANALYSIS_AREA = "indikator-analys-omrade"
    ANALYSIS_SAVE = "indikator-analys-spara"
    ANALYSIS_MESSAGE = "indikator-analys-meddelande"
    ANALYSIS_DELETE = "indikator-analys-ta-bort"


class Importera(StrEnum):
    UPLOAD = "importera-filer"
    CHOOSE = "importera-valj-filer"
    FORMAT = "importera-format"
    INDICATOR = "importera-indikator"
    ADD_KOLADA = "importera-lagg-till-kolada"
    TOKEN = "importera-token"
    PREVIEW = "importera-granskning"
    PROBLEMS = "importera-problem"
    CONFIRM = "importera-spara"
    OUTCOME = "importera-resultat"


class Importhistorik(StrEnum):
    TABLE = "historik-tabell"
    UNDO = "historik-angra"
    CONFIRM_UNDO = "historik-bekrafta"
    CANCEL_UNDO = "historik-avbryt"
    PENDING = "historik-vald"
    MESSAGE = "historik-meddelande"
    REFRESH = "historik-uppdatera"
    DETAIL = "historik-detalj"
    UNDO_DETAIL = "historik-angra-detalj"
    SELECTION = "historik-urval"


class Moteslage(StrEnum):
    DECK = "moteslage"
    GRAPH = "moteslage-diagram"
    TABLE = "moteslage-tabell"
    CHOICE = "moteslage-val"
    AUTO = "moteslage-auto"
    SUMMARY = "moteslage-sammanfattning"
    START = "moteslage-starta"


class Granskningslogg(StrEnum):
    URL = "logg-url"
    ACTION = "logg-vad"
    ACTOR = "logg-vem"
    SINCE = "logg-fran"
    UNTIL = "logg-till"
    SUMMARY = "logg-sammanfattning"
    GRID = "logg-tabell"
    CSV = "logg-csv"
    XLSX = "logg-xlsx"
