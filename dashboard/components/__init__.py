"""Factories: data in, Dash components or plotly figures out. They read no store and register no
callback, with two exceptions kept apart: interactive/ holds the components that register their
own callbacks (and so read and write through indicators), and downloads.py registers the
download bar's callbacks (it joins interactive/ once the import history page, which imports it,
can be edited)."""
