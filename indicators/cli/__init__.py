"""The command line behind `python -m indicators`: one module per command group."""
