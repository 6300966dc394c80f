"""Bring any store to the latest Alembic revision."""

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

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
    with _migrating(url) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def downgrade_to(url: str, revision: str) -> None:
    config = alembic_config(url)
    with _migrating(url) as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


@contextmanager
def _migrating(url: str) -> Iterator[Connection]:
    """One transaction for the migration. On SQLite with foreign keys off: batch mode changes a
    table by copying it and dropping the old one, and dropping a table other tables reference
    with ON DELETE CASCADE (indicator) would otherwise delete every observation, link and code
    that hangs on it. The keys are checked before the transaction commits and are on again for
    the connection's next user. (SQLite ignores the pragma inside a transaction, so it is set
    before the transaction begins.)"""
    with engine_for(url).connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migreringen bröt främmande nycklar: {broken[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
