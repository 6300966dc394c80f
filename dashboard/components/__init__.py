"""Factories: data in, Dash components or plotly figures out. They read no store and register no
callback, with one exception kept apart: interactive/ holds the components that register their
own callbacks (and so read and write through indicators, or, for the download bar, write files)."""
