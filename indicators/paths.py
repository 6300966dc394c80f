"""Where the project's shipped data lives, independent of the working directory."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
CATALOGUE_FILE = DATA_DIR / "katalog.toml"
KOLADA_DIR = DATA_DIR / "kolada"
KOLADA_KPIS_FILE = KOLADA_DIR / "kpis.csv"
KOLADA_AREAS_FILE = KOLADA_DIR / "areas.csv"
KOLADA_GROUPS_FILE = KOLADA_DIR / "groups.csv"
DEFAULT_SQLITE_FILE = DATA_DIR / "indikatorer.sqlite"
