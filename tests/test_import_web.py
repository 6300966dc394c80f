"""The upload page's callbacks over real HTTP against `gunicorn app:server` with built-in
accounts: whose preview may be confirmed, several files that disagree, and what a refused upload
leaves on the server (nothing) and shows (never a personal identity number)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import served, sqlite_copy
from dash_requests import DashClient
from import_requests import post_confirm, post_preview
from import_samples import template_csv
from sqlalchemy.engine import make_url

from dashboard.ids import Importera
from indicators.imports.history import import_batches
from indicators.imports.safety import contains_personal_number
from indicators.reads.queries import Store, indicator_series
from indicators.store.engine import engine_for
from indicators.vocabulary.domain import Gender, Role
from indicators.writes.accounts import add_user

ACCOUNTS = {
    "ana": ("Ali Analytiker", "analytikerns-lösenord-1"),
    "bea": ("Bea Analytiker", "den-andras-lösenord-12"),
}


@dataclass(frozen=True)
class Server:
    url: str
    store: Store
    staging: Path

    def client(self, username: str) -> DashClient:
        client = DashClient(self.url)
        response = client.sign_in(username, ACCOUNTS[username][1])
        assert response.status_code == 302, response.text
        return client

    def staged(self) -> list[str]:
        """The tokens of the uploads waiting in the store. Nothing waits in the workers'
        temporary folder: another host may be the one that confirms."""
        assert not self.staging.exists() or list(self.staging.iterdir()) == []
        with engine_for(self.store.url).connect() as conn:
            return list(
                conn.execute(sa.text("SELECT DISTINCT token FROM staged_file ORDER BY token"))
                .scalars()
                .all()
            )


@pytest.fixture(scope="module")
def server(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("uppladdning")
    store = Store(sqlite_copy(make_url(demo_store.url).database, folder))
    for username, (name, password) in ACCOUNTS.items():
        add_user(store, username, password, Role.ANALYTIKER, actor="test", display_name=name)
    # The workers' temporary folder, where previewed uploads wait: this test's own.
    tmp = folder / "tmp"
    tmp.mkdir()
    with served(
        store.url,
        folder,
        gunicorn=True,
        SECRET_KEY="testnyckel-" + "u" * 40,
        INDIKATOR_WORKERS="2",
        INDIKATOR_SEED_DEMO="false",
        TMPDIR=str(tmp),
    ) as url:
        yield Server(url, store, tmp / "indikator-uppladdningar")


def upload(client: DashClient, files: dict[str, bytes], old_token: str | None = None) -> dict:
    response = post_preview(client, files, old_token)
    assert response.status_code == 200, response.text
    return response.json()["response"]


def confirm(client: DashClient, token: str) -> str:
    response = post_confirm(client, token)
    assert response.status_code == 200, response.text
    return json.dumps(response.json()["response"][Importera.OUTCOME], ensure_ascii=False)


def test_only_the_account_that_previewed_may_confirm(server: Server) -> None:
    ana, bea = server.client("ana"), server.client("bea")
    shown = upload(ana, {"sävsjö.csv": template_csv("N21497;0684;2023;T;72,5;29;40;")})
    token = shown[Importera.TOKEN]["data"]
    assert token and len(server.staged()) == 1
    batches = import_batches(server.store)
    outcome = confirm(bea, token)
    assert "annan användare" in outcome
    assert import_batches(server.store) == batches  # nothing saved under Bea's name
    # Nor can Bea throw Ana's preview away by sending its token back as her old one.
    upload(bea, {"tom.csv": template_csv()}, old_token=token)
    assert len(server.staged()) == 1
    assert "Sparat" in confirm(ana, token)
    newest = import_batches(server.store)[0]
    assert (newest.source_name, newest.imported_by) == ("sävsjö.csv", "Ali Analytiker")
    assert server.staged() == []


def test_several_files_that_disagree_are_refused_on_the_upload_page(server: Server) -> None:
    shown = upload(
        server.client("ana"),
        {
            "ett.csv": template_csv("N21497;0680;2021;T;50;;;"),
            "två.csv": template_csv("N21497;0604;2021;T;40;;;", "N21497;0680;2021;T;55;;;"),
        },
    )
    assert shown[Importera.TOKEN]["data"] is None
    assert shown[Importera.CONFIRM]["disabled"] is True
    rows = shown[Importera.PROBLEMS]["rowData"]
    errors = {r["fil"]: r for r in rows if r["allvar"] == "Fel"}
    assert set(errors) == {"ett.csv", "två.csv"}
    assert "två.csv rad 3" in errors["ett.csv"]["problem"]
    assert "ett.csv rad 2" in errors["två.csv"]["problem"]
    assert server.staged() == []


def test_a_refused_upload_is_not_kept_and_never_echoes_the_number(server: Server) -> None:
    before = server.staged()
    # In a column the template does not read: only the scan for personal numbers sees it, so
    # an unrecognised one would have been previewed as savable and kept on the server.
    content = (
        "Indikator;Område;Period;Kön;Värde;Kommentar\n"
        "N21497;0680;2023;T;50;ring 121212\u20131212 om detta\n"
    ).encode()
    shown = upload(server.client("ana"), {"lista.csv": content})
    assert shown[Importera.TOKEN]["data"] is None
    text = json.dumps(shown, ensure_ascii=False)
    assert "personnummer" in text
    assert not contains_personal_number(text) and "121212" not in text
    assert server.staged() == before


def test_the_preview_lists_the_changes_and_saving_them_needs_the_tick(server: Server) -> None:
    ana = server.client("ana")
    shown = upload(
        ana,
        {
            "rättelse.csv": template_csv(
                "N21497;0680;2023;T;87,5;35;40;", "N21497;0604;2023;T;73;;;"
            )
        },
    )
    rows = {r["omrade"]: r for r in shown[Importera.CHANGES]["rowData"]}
    jonkoping, aneby = rows["Jönköping"], rows["Aneby"]
    assert (jonkoping["fore_text"], jonkoping["efter_text"], jonkoping["skillnad"]) == (
        "67,1",
        "87,5",
        pytest.approx(20.4),
    )
    assert (jonkoping["period"], jonkoping["kon"], jonkoping["bekrafta"]) == (
        "2023",
        "Totalt",
        "Ja",
    )
    assert "5 procentenheter" in jonkoping["varning"] and "robust z-poäng" in jonkoping["varning"]
    assert (aneby["fore_text"], aneby["efter_text"], aneby["bekrafta"]) == ("72,4", "73", "")
    assert shown[Importera.CHANGES_PART]["style"] == {"display": "block"}
    assert shown[Importera.CONFIRM_CHANGES_PART]["style"] == {"display": "block"}
    assert shown[Importera.CONFIRM]["disabled"] is True
    token, digest = shown[Importera.TOKEN]["data"], shown[Importera.CONFIRMATION]["data"]
    assert token and digest
    batches = import_batches(server.store)

    # The server decides, not the disabled button: a post without the tick, or with the tick
    # but not the digest of the changes shown, saves nothing and keeps the preview.
    for unconfirmed in ({}, {"ticked": True}, {"confirmation": digest}):
        response = post_confirm(ana, token, **unconfirmed)
        assert response.status_code == 200, response.text
        outcome = json.dumps(response.json()["response"][Importera.OUTCOME], ensure_ascii=False)
        assert "måste bekräftas" in outcome
        assert import_batches(server.store) == batches
    assert token in server.staged()

    response = post_confirm(ana, token, ticked=True, confirmation=digest)
    outcome = json.dumps(response.json()["response"][Importera.OUTCOME], ensure_ascii=False)
    assert "Sparat: 0 nya och 2 ändrade" in outcome
    frame = indicator_series(server.store, "N21497", ["0680"], Gender.TOTAL)
    assert float(frame.loc[frame["period"] == "2023", "value"].iloc[0]) == 87.5
