"""The elements of the big tables, made as the JSON the browser receives.

Dash's component classes check every argument when made and are walked once more when the page
is sent. Kommun's tables (60 rows, some 870 elements) spent 40 ms of a 150 ms cold page on that
at national scale, against 4 ms for the same JSON built directly (issue 16). An `Element` is
that JSON: a dict, which Dash's encoder sends as it is and the renderer cannot tell from a
component. It answers the attribute reads helpers and tests make of components (`.children`,
`.className`, `.href`), so it can sit anywhere a component can. Only for elements without
callbacks or state of their own: table rows, cells, links and their text."""

from collections.abc import Callable
from typing import Any

HTML = "dash_html_components"
CORE = "dash_core_components"


class Element(dict[str, Any]):
    """{"type", "namespace", "props"}: one html or dcc element as Dash serialises it."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        props = self["props"]
        if name in props:
            return props[name]
        if name == "children":
            return None
        raise AttributeError(name)

    def to_plotly_json(self) -> dict[str, Any]:
        return self


def element(tag: str, children: Any = None, namespace: str = HTML, **props: Any) -> Element:
    """`tag` of `namespace` (html unless told), props spelled as in the browser
    (`className`, `**{"data-area": …}`), as Dash would send the component."""
    if children is not None:
        props["children"] = children
    return Element(type=tag, namespace=namespace, props=props)


class _Tags:
    """`lean.html.Td(children, **props)` makes what `dash.html.Td(children, **props)` sends."""

    def __getattr__(self, tag: str) -> Callable[..., Element]:
        def make(children: Any = None, **props: Any) -> Element:
            return element(tag, children, **props)

        return make


html = _Tags()


def link(children: Any, href: str, **props: Any) -> Element:
    """dcc.Link: followed inside the app without reloading the page."""
    return element("Link", children, CORE, href=href, **props)
