"""The Dash application: shell, pages and components. Reads data only through indicators.queries."""
