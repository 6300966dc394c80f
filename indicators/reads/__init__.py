"""What pages, figures, the API and the command line read: the read model (models.py) and the pure
computations on it, the queries and follow-up views over the store, the hidden cells and the
per-process query cache with its warmer. Nothing here writes, and nothing here imports the import
or the writers."""
