"""Bring any store to the latest Alembic revision."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from indicators.paths import PROJECT_ROOT
from indicators.store.engine import engine_for

MIGRATIONS_DIR = PROJECT_ROOT / "indicators" / "store" / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(url: str) -> str | None:
    with engine_for(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(url: str) -> None:
    if current_revision(url) == head_revision(url):
        return
    config = alembic_config(url)
    with engine_for(url).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def downgrade_to(url: str, revision: str) -> None:
    config = alembic_config(url)
    with engine_for(url).begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
