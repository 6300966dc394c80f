"""Storage: SQLAlchemy models, engine, sessions and write sessions, migrations, the bulk writer and
the data version."""
