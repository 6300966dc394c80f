"""The Dash application: shell, pages and components. Reads data only through the functions of
indicators/reads/ (queries, follow-up views, targets, analyses, audit log), changes it through
indicators/writes/ and the import pipeline, and holds what it reads as the read model of
indicators/reads/models.py; never SQLAlchemy, indicators.store or indicators.cli
(tests/test_layers.py)."""
