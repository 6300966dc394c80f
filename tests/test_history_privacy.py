"""Importhistorik shows a läsare suppressed values, as every other page does; analytiker and
administratörer see the stored values and are told so (issue 11, item 8).

Real HTTP against `gunicorn app:server` with built-in accounts: the page as the Dash router
renders it for each role, a value's history, and the CSV the download button returns."""

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from conftest import served, sqlite_copy
from dash_requests import DashClient
from import_samples import template_csv
from sqlalchemy.engine import make_url

from indicators.imports.history import reader_view, value_history
from indicators.imports.pipeline import CONFIRM_ALL, save
from indicators.imports.records import UploadedFile
from indicators.reads.queries import Store
from indicators.vocabulary.domain import ObservationStatus, Role
from indicators.writes.accounts import add_user

ACCOUNTS = {
    "lasa": ("Lena Läsare", Role.LASARE, "läsarens-lösenord-1"),
    "ana": ("Ali Analytiker", Role.ANALYTIKER, "analytikerns-lösenord-1"),
    "adm": ("Åsa Administratör", Role.ADMINISTRATOR, "administratörens-lösen-1"),
}
KEY = ("N21497", "0604", "year", date(2023, 1, 1), "T")
ROUTER = "_pages_content"
RAW_NOTE = "Du ser osekretessbelagda värden eftersom du har rollen"


@dataclass(frozen=True)
class Served:
    url: str
    store: Store
    first: int  # wrote 3 of 40 (7,5 %): too few people, hidden everywhere
    second: int  # wrote 2 of 40 over it (5 %): what the store holds now

    def client(self, username: str) -> DashClient:
        client = DashClient(self.url)
        assert client.sign_in(username, ACCOUNTS[username][2]).status_code == 302
        return client


@pytest.fixture(scope="module")
def served_history(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("historik")
    store = Store(sqlite_copy(make_url(demo_store.url).database, folder))
    for username, (name, role, password) in ACCOUNTS.items():
        add_user(store, username, password, role, actor="test", display_name=name)
    batches = []
    for name, row in (
        ("aneby-1.csv", "N21497;0604;2023;T;7,5;3;40;"),
        ("aneby-2.csv", "N21497;0604;2023;T;5;2;40;"),
    ):
        result = save(
            store, [UploadedFile(name, template_csv(row))], user="Test", confirmed=CONFIRM_ALL
        )
        assert result.files[0].batch_id is not None, result
        batches.append(result.files[0].batch_id)
    with served(
        store.url,
        folder,
        gunicorn=True,
        SECRET_KEY="testnyckel-" + "h" * 40,
        INDIKATOR_WORKERS="2",
        INDIKATOR_SEED_DEMO="false",
    ) as url:
        yield Served(url, store, batches[0], batches[1])


def _page(client: DashClient, search: str) -> Any:
    response = client.call(
        ROUTER,
        {"_pages_location.pathname": "/importhistorik", "_pages_location.search": search},
        "_pages_location.pathname",
    )
    assert response.status_code == 200, response.text
    return response.json()


def _text(node: Any) -> str:
    return json.dumps(node, ensure_ascii=False)


def _find(node: Any, wanted: dict) -> dict | None:
    """The props of the component whose id is `wanted`."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and props.get("id") == wanted:
            return props
        for value in node.values():
            if (found := _find(value, wanted)) is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            if (found := _find(value, wanted)) is not None:
                return found
    return None


def _download_rows(page: Any, batch: int) -> list[dict]:
    props = _find(page, {"type": "nedladdning-data", "key": f"import-{batch}"})
    assert props is not None and props["data"], "the page has no download data"
    sheet = props["data"]["sheets"][0]
    return [dict(zip(sheet["columns"], row, strict=True)) for row in sheet["rows"]]


def _download_csv(client: DashClient, page: Any, batch: int) -> str:
    """What the page's "Ladda ner CSV" button returns: the download callback over HTTP, with
    the data the page gave this user."""
    key = f"import-{batch}"
    data = _find(page, {"type": "nedladdning-data", "key": key})
    config = _find(page, {"type": "nedladdning-konfig", "key": key})
    assert data is not None and config is not None

    def ident(kind: str) -> dict:
        return {"key": key, "type": kind}

    (dependency,) = [d for d in client.dependencies() if "nedladdning-fil" in d["output"]]
    body = {
        "output": dependency["output"],
        "outputs": {"id": ident("nedladdning-fil"), "property": "data"},
        "inputs": [
            {"id": ident("nedladdning-csv"), "property": "n_clicks", "value": 1},
            {"id": ident("nedladdning-excel"), "property": "n_clicks", "value": None},
        ],
        "state": [
            {"id": ident("nedladdning-data"), "property": "data", "value": data["data"]},
            {"id": ident("nedladdning-konfig"), "property": "data", "value": config["data"]},
        ],
        "changedPropIds": [
            json.dumps(ident("nedladdning-csv"), separators=(",", ":")) + ".n_clicks"
        ],
    }
    response = client.http.post(
        f"{client.base_url}/_dash-update-component",
        json=body,
        headers={"Origin": client.base_url},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    (content,) = [v["data"] for v in response.json()["response"].values()]
    raw = content["content"]
    return (base64.b64decode(raw) if content.get("base64") else raw.encode()).decode("utf-8-sig")


def test_a_lasare_sees_the_history_of_a_hidden_value_suppressed(served_history: Served):
    client = served_history.client("lasa")
    for batch in (served_history.first, served_history.second):
        page = _page(client, f"?batch={batch}")
        rows = _download_rows(page, batch)
        aneby = [r for r in rows if r["Områdeskod"] == "0604"]
        assert aneby, rows
        for row in aneby:
            assert row["Före"] is None and row["Skrivet"] is None and row["Nu"] is None, row
            assert row["Skrivet, status"].startswith("sekretess")
            assert row["Nu, status"].startswith("sekretess")
        shown = _text(page)
        assert "7,5" not in shown and RAW_NOTE not in shown
        assert "visas som sekretess" in shown
        csv = _download_csv(client, page, batch)
        assert "7,5" not in csv and ";5;" not in csv and "sekretess" in csv


def test_a_lasare_sees_a_values_own_history_suppressed(served_history: Served):
    client = served_history.client("lasa")
    search = f"?batch={served_history.first}&indikator=N21497&omrade=0604&period=2023&kon=T"
    shown = _text(_page(client, search))
    assert "Värdets historik" in shown
    assert "7,5" not in shown and "sekretess" in shown and RAW_NOTE not in shown


@pytest.mark.parametrize("username, role", [("ana", "analytiker"), ("adm", "administratör")])
def test_analytiker_and_administratorer_see_stored_values_and_are_told(
    served_history: Served, username: str, role: str
):
    client = served_history.client(username)
    page = _page(client, f"?batch={served_history.first}")
    shown = _text(page)
    assert f"{RAW_NOTE} {role}" in shown
    (row,) = [r for r in _download_rows(page, served_history.first) if r["Områdeskod"] == "0604"]
    assert row["Skrivet"] == 7.5 and row["Nu"] == 5.0
    assert "7,5" in _download_csv(client, page, served_history.first)
    search = f"?batch={served_history.first}&indikator=N21497&omrade=0604&period=2023&kon=T"
    history = _text(_page(client, search))
    assert "7,5" in history and f"{RAW_NOTE} {role}" in history


def test_the_reader_view_hides_past_values_where_their_column_had_something_to_hide(
    served_history: Served,
):
    """In the domain: the value's past is hidden for a läsare (its column holds a hidden cell),
    and stored as it was for the others."""
    store = served_history.store
    as_reader = value_history(store, *KEY, as_reader=True)
    stored = value_history(store, *KEY)
    assert [c.after.value for c in stored if c.after] == [5.0, 7.5]
    for change in as_reader:
        for state in (change.before, change.after):
            assert state is None or state.status is ObservationStatus.SUPPRESSED
            assert state is None or state.value is None
    view = reader_view(store, [KEY])
    assert KEY in view.now_hidden
