"""Lean elements (dashboard.components.lean) reach the browser exactly as Dash's components do."""

import json

import pytest
from dash import dcc, html
from dash._utils import to_json

from dashboard.components import lean


def _sent(node: object) -> object:
    return json.loads(to_json(node))


@pytest.mark.parametrize(
    ("made", "component"),
    [
        (
            lean.html.Td(["12,3", lean.html.Span("2023", className="period")], className="latest"),
            html.Td(["12,3", html.Span("2023", className="period")], className="latest"),
        ),
        (
            lean.html.Th("Indikator", scope="row", **{"data-area": "0680"}),
            html.Th("Indikator", scope="row", **{"data-area": "0680"}),
        ),
        (
            lean.html.Tr([lean.html.Td("a"), lean.html.Td("b")], **{"data-indicator": "N1"}),
            html.Tr([html.Td("a"), html.Td("b")], **{"data-indicator": "N1"}),
        ),
        (
            lean.link("Andel", "/indikator/N1", className="ind-link"),
            dcc.Link("Andel", href="/indikator/N1", className="ind-link"),
        ),
        (lean.html.Small("3 av 13"), html.Small("3 av 13")),
        # Inside a component, as the pages nest them.
        (
            html.Tbody([lean.html.Tr(lean.html.Td("x", className="c"))]),
            html.Tbody([html.Tr(html.Td("x", className="c"))]),
        ),
    ],
)
def test_a_lean_element_is_sent_as_the_component(made: object, component: object) -> None:
    assert _sent(made) == _sent(component)


def test_an_image_is_sent_as_the_component_without_its_empty_children() -> None:
    made = _sent(lean.html.Img(src="data:image/svg+xml,x", alt="Länet", width=132))
    sent = _sent(html.Img(src="data:image/svg+xml,x", alt="Länet", width=132))
    assert isinstance(sent, dict) and sent["props"].pop("children", None) is None
    assert made == sent


def test_a_lean_element_answers_what_is_read_of_a_component() -> None:
    cell = lean.html.Td("ökat", className="change-mark improved", **{"data-area": "0680"})
    assert cell.children == "ökat" and cell.className == "change-mark improved"
    assert cell.to_plotly_json()["props"]["data-area"] == "0680"
    assert lean.html.Img(src="x").children is None
    with pytest.raises(AttributeError):
        _ = cell.title
