"""Real Dash requests against the app in this process (Flask's test client): the page router
callback that renders a page's layout, and a page's own callbacks with the values its rendered
layout holds. The `output` key Dash dispatches on comes from the app's own /_dash-dependencies
(the idea of tests/dash_requests.py, without importing the tests)."""

import json
from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient

ROUTER = "_pages_content"


class InProcessDash:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.deps: list[dict] = client.get("/_dash-dependencies").get_json()

    def dependency(self, first_output: str) -> dict:
        return next(d for d in self.deps if d["output"].lstrip(".").startswith(f"{first_output}."))

    def payload(self, first_output: str, values: dict[str, Any], trigger: str) -> dict:
        """The body for the callback whose first output is `first_output`, with `values`
        ("id.prop" → value) for its inputs and states; pattern-matching inputs are empty."""
        dep = self.dependency(first_output)

        def item(spec: dict) -> Any:
            if spec["id"].startswith("{"):
                return []
            key = f"{spec['id']}.{spec['property']}"
            return {"id": spec["id"], "property": spec["property"], "value": values.get(key)}

        outputs = []
        for part in dep["output"].strip(".").split("..."):
            component, prop = part.rsplit(".", 1)
            if component.startswith("{"):
                component = json.loads(component)
            outputs.append({"id": component, "property": prop.split("@")[0]})
        return {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [item(s) for s in dep["inputs"]],
            "state": [item(s) for s in dep["state"]],
            "changedPropIds": [trigger],
        }

    def post(self, body: dict) -> tuple[int, bytes]:
        response = self.client.post("/_dash-update-component", json=body)
        return response.status_code, response.get_data()

    def page_body(self, url: str) -> dict:
        """What the browser sends when it opens `url`: the router callback."""
        parts = urlsplit(url)
        search = f"?{parts.query}" if parts.query else ""
        return self.payload(
            ROUTER,
            {"_pages_location.pathname": parts.path, "_pages_location.search": search},
            "_pages_location.pathname",
        )

    def render(self, url: str) -> dict[str, dict]:
        """The page's layout as {component id: props}, for the values its callbacks start with."""
        status, data = self.post(self.page_body(url))
        if status != 200:
            raise RuntimeError(f"{url}: HTTP {status}")
        found: dict[str, dict] = {}
        _walk(json.loads(data), found)
        return found


def _walk(node: Any, found: dict[str, dict]) -> None:
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            found[props["id"]] = props
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def values_from(layout: dict[str, dict], dep: dict) -> dict[str, Any]:
    """Every input and state of `dep` that the rendered layout holds, as "id.prop" → value."""
    out: dict[str, Any] = {}
    for spec in [*dep["inputs"], *dep["state"]]:
        props = layout.get(spec["id"])
        if props is not None and spec["property"] in props:
            out[f"{spec['id']}.{spec['property']}"] = props[spec["property"]]
    return out
