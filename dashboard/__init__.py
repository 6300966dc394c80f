"""The Dash application: shell, pages and components. Reads data only through the query
functions of indicators (queries.py, followup/, targets.py, analyses.py, audit.py, the import
pipeline) and holds what they return as the read model of indicators/reads/; never SQLAlchemy or
indicators.store (tests/test_layers.py)."""
