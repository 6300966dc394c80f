"""Alembic environment: the URL comes from the caller's config or from the settings object."""

from alembic import context
from sqlalchemy import Connection

from indicators.settings import get_settings
from indicators.store.engine import create_store_engine
from indicators.store.models import Base, statement_checked_key

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_offline() -> None:
    context.configure(
        url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_store_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: Connection) -> None:
    # Batch mode lets later migrations alter SQLite tables, which cannot ALTER most columns.
    dialect = connection.dialect.name

    def include_object(
        obj: object, _name: object, type_: str, reflected: bool, _compare_to: object
    ) -> bool:
        # On PostgreSQL the bulk tables' keys are triggers (0015), not foreign keys.
        return not statement_checked_key(obj, type_, reflected, dialect)

    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
