"""What pages and figures read: the read model (models.py) and the pure computations on it."""
