"""Command line: `python -m indicators <command>`; the commands live in indicators.cli."""

from indicators.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
