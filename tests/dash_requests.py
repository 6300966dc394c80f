"""Dash callback requests built by hand, as a script (or an attacker) would send them: the exact
`output` key Dash dispatches on comes from the app's own /_dash-dependencies."""

import base64
from typing import Any

import requests


class DashClient:
    def __init__(self, base_url: str, session: requests.Session | None = None) -> None:
        self.base_url = base_url
        self.http = session or requests.Session()
        self._deps: list[dict] | None = None

    def sign_in(self, username: str, password: str) -> requests.Response:
        return self.http.post(
            f"{self.base_url}/logga-in",
            data={"username": username, "password": password, "next": "/"},
            allow_redirects=False,
            timeout=30,
        )

    def dependencies(self) -> list[dict]:
        if self._deps is None:
            response = self.http.get(f"{self.base_url}/_dash-dependencies", timeout=30)
            response.raise_for_status()
            self._deps = response.json()
        return self._deps

    def payload(self, first_output: str, values: dict[str, Any], trigger: str) -> dict:
        """The body for the callback whose first output is `first_output` (a component id),
        with `values` ("id.prop" → value) for its inputs and states; pattern inputs are empty."""
        dep = next(
            d for d in self.dependencies() if d["output"].lstrip(".").startswith(f"{first_output}.")
        )

        def item(spec: dict) -> Any:
            if spec["id"].startswith("{"):
                return []
            key = f"{spec['id']}.{spec['property']}"
            return {"id": spec["id"], "property": spec["property"], "value": values.get(key)}

        outputs = []
        for part in dep["output"].strip(".").split("..."):
            component, prop = part.rsplit(".", 1)
            outputs.append({"id": component, "property": prop.split("@")[0]})
        return {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [item(s) for s in dep["inputs"]],
            "state": [item(s) for s in dep["state"]],
            "changedPropIds": [trigger],
        }

    def call(
        self, first_output: str, values: dict[str, Any], trigger: str, **headers: str
    ) -> requests.Response:
        return self.http.post(
            f"{self.base_url}/_dash-update-component",
            json=self.payload(first_output, values, trigger),
            headers={"Origin": self.base_url, **headers},
            timeout=120,
        )


def upload_contents(content: bytes, mimetype: str = "text/csv") -> str:
    return f"data:{mimetype};base64,{base64.b64encode(content).decode()}"
