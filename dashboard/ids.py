"""Component ids, one enum per page (and one for the shell and the download bar), so ids cannot
collide or drift between layout, callback, stylesheet and test. Every fixed id is a member here;
only ids made from data (a strategy's number, a kommun's code) are formatted where they are
used, and pattern-matching ids are dicts whose "type" is a member here."""

from enum import StrEnum


class Shell(StrEnum):
    MAIN = "huvudinnehall"
    NAV = "huvudmeny"
    DEMO_BADGE = "exempeldata"
    SIGNED_IN = "inloggad"


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
    TABLE_HEADING = "tabell-rubrik"
    RANKING_HEADING = "rangordning-rubrik"
    MAP_HEADING = "karta-rubrik"
    GENDER_HEADING = "kon-rubrik"
    TARGETS_HEADING = "mal-rubrik"
    ANALYSES_HEADING = "analyser-rubrik"
    SIMILAR_HEADING = "indikator-liknande-rubrik"
    SIMILAR_KOMMUN = "indikator-liknande-kommun"
    SIMILAR_TEXT = "indikator-liknande-text"
    SIMILAR_GRAPH = "indikator-liknande-diagram"
    SIMILAR_TABLE = "indikator-liknande-tabell"


class Importera(StrEnum):
    UPLOAD = "importera-filer"
    CHOOSE = "importera-valj-filer"
    FORMAT = "importera-format"
    INDICATOR = "importera-indikator"
    ADD_KOLADA = "importera-lagg-till-kolada"
    TOKEN = "importera-token"
    PREVIEW = "importera-granskning"
    PROBLEMS = "importera-problem"
    CHANGES = "importera-andringar"
    CHANGES_PART = "importera-andringar-del"
    CHANGES_HEADING = "importera-andringar-rubrik"
    CONFIRM_CHANGES = "importera-bekrafta-andringar"
    CONFIRM_CHANGES_PART = "importera-bekrafta-andringar-del"
    CONFIRMATION = "importera-bekraftelse"
    CONFIRM = "importera-spara"
    OUTCOME = "importera-resultat"
    TEMPLATE_HEADING = "mall-rubrik"
    FILES_HEADING = "filer-rubrik"
    REVIEW_HEADING = "granska-rubrik"


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
    DETAIL_HEADING = "historik-detalj-rubrik"


class Moteslage(StrEnum):
    DECK = "moteslage"
    GRAPH = "moteslage-diagram"
    TABLE = "moteslage-tabell"
    TABLE_OPEN = "moteslage-tabell-oppna"
    CHOICE = "moteslage-val"
    AUTO = "moteslage-auto"
    SUMMARY = "moteslage-sammanfattning"
    START = "moteslage-starta"
    PRINT = "moteslage-utskrift"
    PRESETS = "moteslage-mallar"
    CHOSEN = "moteslage-valda"
    KOMMUN = "moteslage-kommun"
    SINCE = "moteslage-sedan"
    STRATEGY_SUMMARY = "strategi-klartext"
    KOMMUN_SUMMARY = "kommun-klartext"


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


class Indikatorer(StrEnum):
    SEARCH = "indikator-sok"
    COUNT = "indikatorer-antal"
    ADDED_HEADING = "indikatorer-tillagda"
    ADDED_COUNT = "indikatorer-tillagda-antal"


class Strategi(StrEnum):
    URL = "strategi-url"
    PRINT = "strategi-skriv-ut"
    PRINT_META = "strategi-utskriftsinfo"
    # pattern ids ("type") of an indicator block's table alternative, fetched when opened
    TABLE_OPEN = "strategi-tabell-oppna"
    TABLE = "strategi-tabell"


class Strategigrupp(StrEnum):
    GRAPH = "strategigrupp-diagram"
    SUMMARY_HEADING = "sammanfattning-rubrik"
    SUMMARY_TABLE = "strategigrupp-sammanfattning"
    MATRIX_HEADING = "matris-rubrik"
    MATRIX = "strategigrupp-matris"


class Handlingsplan(StrEnum):
    """The plan section of the Strategigrupp page, and the plan's part of the Indikator page."""

    HEADING = "handlingsplan-rubrik"
    GROUP = "handlingsplan-grupp"
    REVISION = "handlingsplan-revision"
    LIST = "handlingsplan-lista"
    TABLE = "handlingsplan-tabell"
    SUMMARY = "handlingsplan-sammanfattning"
    EDIT = "handlingsplan-andra"
    DELETE = "handlingsplan-ta-bort"
    FORM = "handlingsplan-formular"
    FORM_SUMMARY = "handlingsplan-formular-rubrik"
    EDITING = "handlingsplan-redigerar"
    TITLE = "handlingsplan-aktivitet"
    OWNER = "handlingsplan-ansvarig"
    START = "handlingsplan-start"
    END = "handlingsplan-slut"
    STATUS = "handlingsplan-status"
    DESCRIPTION = "handlingsplan-beskrivning"
    INDICATORS = "handlingsplan-indikatorer"
    SAVE = "handlingsplan-spara"
    CANCEL = "handlingsplan-avbryt"
    MESSAGE = "handlingsplan-meddelande"
    UPLOAD = "handlingsplan-uppladdning"
    UPLOAD_CONTENT = "handlingsplan-uppladdad-fil"
    VERDICT = "handlingsplan-bedomning"
    CONFIRM = "handlingsplan-bekrafta"
    DOWNLOADS = "handlingsplan-nedladdningar"
    INDICATOR_HEADING = "indikator-aktiviteter-rubrik"
    INDICATOR_ACTIVITIES = "indikator-aktiviteter"


class Kommun(StrEnum):
    HEADING = "kommun-rubrik"
    SUMMARY = "kommun-sammanfattning"
    URL = "kommun-url"
    AREA = "kommun-omrade"
    SIMILAR_HEADING = "kommun-liknande-rubrik"
    SIMILAR_INDICATOR = "kommun-liknande-indikator"
    SIMILAR_TEXT = "kommun-liknande-text"
    SIMILAR_GRAPH = "kommun-liknande-diagram"
    SIMILAR_TABLE = "kommun-liknande-tabell"


class Jamforelse(StrEnum):
    URL = "jamforelse-url"
    STRATEGY = "jamforelse-strategi"
    MATOMRADE = "jamforelse-matomrade"
    GROUP = "jamforelse-strategigrupp"
    COLOUR = "jamforelse-farg"
    GRAPH = "jamforelse-diagram"
    TABLE = "jamforelse-tabell"
    TABLE_HEADING = "jamforelse-tabell-rubrik"
    DATA_TABLE = "jamforelse-datatabell"
    STATUS = "jamforelse-val"


class Sedan(StrEnum):
    URL = "sedan-url"
    DATE = "sedan-datum"
    CONTENT = "sedan-innehall"
    IMPORTS_HEADING = "sedan-importer"
    MOVEMENTS_HEADING = "sedan-rorelser"
    NO_IMPORTS = "sedan-inga-importer"
    ONLY_DEMO = "sedan-bara-exempeldata"
    IMPORT_TABLE = "sedan-importtabell"
    COUNT = "sedan-antal"
    LATE_HEADING = "sedan-forsenat-rubrik"
    LATE = "sedan-forsenat"


class Inrapportering(StrEnum):
    URL = "inrapportering-url"
    PERIOD = "inrapportering-period"
    STRATEGY = "inrapportering-strategi"
    MATOMRADE = "inrapportering-matomrade"
    GROUP = "inrapportering-strategigrupp"
    DELIVERER = "inrapportering-lamnas-av"
    STATUS = "inrapportering-val"
    CONTENT = "inrapportering-innehall"
    LATE_HEADING = "inrapportering-forsenat-rubrik"
    LATE = "inrapportering-forsenat"
    LEGEND_HEADING = "inrapportering-teckenforklaring-rubrik"
    LEGEND = "inrapportering-teckenforklaring"
    MATRIX_HEADING = "inrapportering-matris-rubrik"
    MATRIX = "inrapportering-matris"
    SUMMARY_HEADING = "inrapportering-per-kommun-rubrik"
    SUMMARY = "inrapportering-per-kommun"


class Nedladdning(StrEnum):
    """The "type" of the download bar's pattern-matching ids; its "key" names the view."""

    CSV = "nedladdning-csv"
    XLSX = "nedladdning-excel"
    PNG = "nedladdning-png"
    DATA = "nedladdning-data"
    CONFIG = "nedladdning-konfig"
    FILE = "nedladdning-fil"
    PNG_DONE = "nedladdning-png-klar"
