"""Served figures are plain dicts, never passed through plotly's validators
(dashboard/components/figures/base.py): every figure the pages draw must give the same JSON as the
validated go.Figure, so serving the dict changes nothing the browser gets.
The figures are recorded as the pages build them (demo store): Strategi's spread strips, the
Indikator page's chart, ranking, map, gender split and similar kommuner, Kommun, Strategigrupp,
Jämförelse's matrix and Mötesläge's slides."""

import base64
import copy
import json
import math
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from flask import g
from page_app import pages_app
from plotly.io.json import to_json_plotly

from dashboard.auth.identity import SignedIn
from dashboard.auth.mode import AuthMode
from dashboard.components.figures import base
from indicators.reads import cache
from indicators.vocabulary.domain import Gender, Role


class _Recorder:
    """Stands in for plotly.graph_objects in base: records each figure's spec as served."""

    def __init__(self) -> None:
        self.specs: list[dict[str, Any]] = []

    def Figure(self, spec: dict[str, Any], **options: Any) -> go.Figure:
        self.specs.append(copy.deepcopy(spec))
        return go.Figure(spec, **options)


def _draw_pages(demo_store) -> None:
    from dashboard.pages import indikator, jamforelse, kommun, moteslage, strategi, strategigrupp

    for number in ("1", "2", "3", "4"):
        strategi.layout(nummer=number)
    strategigrupp.layout(grupp="aldre")
    kommun.layout(kod="0680")
    matrix = jamforelse._matrix(jamforelse.ALL, jamforelse.ALL, jamforelse.ALL, "change")
    jamforelse.comparison_heatmap(matrix, "Källa")
    moteslage.layout(vyer="U23401,strategi-2")
    detail = indikator.indicator_detail(demo_store, "U23401")
    assert detail is not None
    indikator._series_view(detail, ["0680", "0604"], Gender.TOTAL, None)
    for period in indikator._periods(detail)[-2:]:
        indikator._period_view(detail, Gender.TOTAL, period)
        indikator.update_similar("0680", "T", period, "U23401")


def test_every_drawn_figure_serializes_the_same_without_validation(demo_store, monkeypatch):
    app = pages_app(demo_store)
    recorder = _Recorder()
    monkeypatch.setattr(base, "go", recorder)
    cache.clear_all()
    try:
        with app.server.test_request_context("/"):
            g.user = SignedIn("lasare", "Läsare", Role.LASARE, AuthMode.LOCAL)
            _draw_pages(demo_store)
    finally:
        cache.clear_all()
    kinds = {trace.get("type") for spec in recorder.specs for trace in spec["data"]}
    assert {"scatter", "bar", "heatmap", "choropleth"} <= kinds, kinds
    assert len(recorder.specs) >= 20
    differences = []
    monkeypatch.setattr(base, "VALIDATE", False)
    for spec in recorder.specs:
        validated = pio.to_json(go.Figure(copy.deepcopy(spec)), validate=False)
        # What Dash sends: the dict, through plotly's JSON encoder as Dash encodes responses.
        served = to_json_plotly(base.figure(*copy.deepcopy((spec["data"], spec["layout"]))))
        title = spec["layout"].get("title", {}).get("text", "")
        found = _differences(json.loads(served), json.loads(validated))
        differences += [f"{title}: {d}" for d in found]
    assert differences == []


def _decoded(value: Any) -> Any:
    """A typed array as plotly.py writes numbers it validated ({"dtype", "bdata"[, "shape"]}),
    as the numbers plotly.js reads from it."""
    if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    return value


def _differences(served: Any, validated: Any, path: str = "") -> list[str]:
    served, validated = _decoded(served), _decoded(validated)
    if isinstance(served, dict) and isinstance(validated, dict):
        return [
            d
            for key in sorted(set(served) | set(validated))
            for d in _differences(served.get(key, "∅"), validated.get(key, "∅"), f"{path}.{key}")
        ]
    if isinstance(served, list) and isinstance(validated, list) and len(served) == len(validated):
        return [
            d
            for n, (a, b) in enumerate(zip(served, validated, strict=True))
            for d in _differences(a, b, f"{path}[{n}]")
        ]
    if served is None and isinstance(validated, float) and math.isnan(validated):
        return []  # a gap: null in a list, NaN in a typed array; plotly.js draws neither
    return [] if served == validated else [f"{path}: {served!r} ≠ {validated!r}"]


def test_the_tests_validate_and_the_server_does_not(monkeypatch):
    assert base.VALIDATE, "tests/conftest.py sets INDIKATOR_VALIDATE_FIGURES=1"
    with pytest.raises(ValueError):
        base.figure([{"type": "scatter", "no_such_property": 1}], {})
    monkeypatch.setattr(base, "VALIDATE", False)
    trace = {"type": "scatter", "x": [1], "marker": {"color": None}}
    served = base.figure([trace], {"title": None})
    assert isinstance(served, dict)
    assert served["data"] == [{"type": "scatter", "x": [1], "marker": {}}]
    assert served["layout"] == {"template": base._DEFAULT_TEMPLATE}
