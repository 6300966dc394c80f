"""Storage: SQLAlchemy models, engine and sessions, migrations, catalogue sync."""
