"""Roles over real HTTP against `gunicorn app:server` with two workers and built-in accounts.
Every refused request is also checked to have changed nothing in the store."""

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from conftest import served, sqlite_copy
from dash_requests import DashClient, upload_contents
from import_requests import post_confirm, post_preview
from import_samples import template_csv
from sqlalchemy.engine import make_url

from dashboard.ids import Handlingsplan, Importera, Importhistorik, Indikator
from indicators.imports.history import import_batches
from indicators.imports.pipeline import CONFIRM_ALL, save
from indicators.imports.plans import plan_workbook
from indicators.imports.records import UploadedFile
from indicators.paths import PROJECT_ROOT
from indicators.reads.analyses import analyses_for
from indicators.reads.audit import audit_events
from indicators.reads.plans import handlingsplan
from indicators.reads.queries import Store
from indicators.reads.targets import targets_for
from indicators.vocabulary.domain import AuditAction, Role
from indicators.writes.accounts import add_user, set_active

ACCOUNTS = {
    "lasa": ("Lena Läsare", Role.LASARE, "läsarens-lösenord-1"),
    "ana": ("Ali Analytiker", Role.ANALYTIKER, "analytikerns-lösenord-1"),
    "adm": ("Åsa Administratör", Role.ADMINISTRATOR, "administratörens-lösen-1"),
    "borta": ("Bo Borta", Role.ANALYTIKER, "snart-avstängd-lösen-1"),
}
INDICATOR = "N21497"
PLAN_GROUP = "aldre"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _activity_values(title: str) -> dict:
    return {
        f"{Handlingsplan.SAVE}.n_clicks": 1,
        f"{Handlingsplan.GROUP}.data": PLAN_GROUP,
        f"{Handlingsplan.EDITING}.data": 0,
        f"{Handlingsplan.TITLE}.value": title,
        f"{Handlingsplan.OWNER}.value": "Vaggeryds kommun, hemtjänst",
        f"{Handlingsplan.START}.value": "2024-02-01",
        f"{Handlingsplan.STATUS}.value": "pågår",
        f"{Handlingsplan.INDICATORS}.value": [INDICATOR],
        f"{Handlingsplan.REVISION}.data": 0,
    }


@dataclass(frozen=True)
class Prod:
    url: str
    store: Store
    batch_id: int
    folder: Path

    def client(self, username: str | None = None) -> DashClient:
        client = DashClient(self.url)
        if username:
            response = client.sign_in(username, ACCOUNTS[username][2])
            assert response.status_code == 302, response.text
        return client


@pytest.fixture(scope="module")
def prod(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prod]:
    folder = tmp_path_factory.mktemp("produktion")
    store = Store(sqlite_copy(make_url(demo_store.url).database, folder))
    for username, (name, role, password) in ACCOUNTS.items():
        add_user(store, username, password, role, actor="test", display_name=name)
    first = save(
        store,
        [UploadedFile("jönköping-2023.csv", template_csv("N21497;0680;2023;T;87,5;35;40;"))],
        user="Test",
        confirmed=CONFIRM_ALL,
    )
    batch_id = first.files[0].batch_id
    assert batch_id is not None
    with served(
        store.url,
        folder,
        gunicorn=True,
        SECRET_KEY="testnyckel-" + "k" * 40,
        INDIKATOR_WORKERS="2",
        INDIKATOR_SEED_DEMO="false",
        INDIKATOR_WARM_CACHE="true",
    ) as url:
        yield Prod(url, store, batch_id, folder)


def snapshot(store: Store) -> tuple:
    return (
        [(b.id, b.undone) for b in import_batches(store)],
        targets_for(store, INDICATOR),
        [a.id for a in analyses_for(store, INDICATOR)],
        handlingsplan(store, PLAN_GROUP),
        len(audit_events(store)),
    )


def test_anonymous_visitors_are_sent_to_sign_in(prod: Prod):
    page = requests.get(f"{prod.url}/strategi/2", allow_redirects=False, timeout=30)
    assert page.status_code == 302
    assert page.headers["Location"].endswith("/logga-in?next=/strategi/2")
    layout = requests.get(f"{prod.url}/_dash-layout", timeout=30)
    assert layout.status_code == 401
    api = requests.get(f"{prod.url}/api/v1/indicators", timeout=30)
    assert api.status_code == 401
    assert "inte inloggad" in api.json()["fel"]
    assert requests.get(f"{prod.url}/healthz", timeout=30).status_code == 200
    form = requests.get(f"{prod.url}/logga-in", timeout=30)
    assert form.status_code == 200
    assert 'lang="sv"' in form.text and "Användarnamn" in form.text


def test_sign_in_cookie_is_httponly_and_samesite(prod: Prod):
    response = prod.client().sign_in("lasa", ACCOUNTS["lasa"][2])
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_wrong_password_is_refused_in_swedish(prod: Prod):
    response = prod.client().sign_in("lasa", "fel-lösenord")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord." in response.text
    unknown = prod.client().sign_in("ingen", "fel-lösenord")
    assert unknown.status_code == 401


def test_after_sign_in_the_user_is_sent_back_only_to_this_site(prod: Prod):
    client = prod.client()
    response = client.http.post(
        f"{prod.url}/logga-in",
        data={"username": "lasa", "password": ACCOUNTS["lasa"][2], "next": "//evil.example/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.headers["Location"] in ("/", f"{prod.url}/")


def test_a_lasare_reads_pages_and_the_api_on_both_workers(prod: Prod):
    client = prod.client("lasa")
    for _ in range(6):  # enough requests that both workers answer some
        layout = client.http.get(f"{prod.url}/_dash-layout", timeout=30)
        assert layout.status_code == 200
        shown = json.dumps(layout.json(), ensure_ascii=False)
        assert "Lena Läsare" in shown
        assert "Importera" not in shown  # no menu entry for a role that cannot use it
    api = client.http.get(f"{prod.url}/api/v1/areas", timeout=30)
    assert api.status_code == 200


def test_hand_made_callbacks_from_a_lasare_get_403_and_change_nothing(prod: Prod):
    client = prod.client("lasa")
    before = snapshot(prod.store)
    attempts = [
        (
            Importera.OUTCOME,
            {f"{Importera.CONFIRM}.n_clicks": 1, f"{Importera.TOKEN}.data": "x" * 32},
            f"{Importera.CONFIRM}.n_clicks",
        ),
        (
            Importera.PREVIEW,
            {
                f"{Importera.UPLOAD}.contents": [upload_contents(template_csv())],
                f"{Importera.UPLOAD}.filename": ["fil.csv"],
            },
            f"{Importera.UPLOAD}.contents",
        ),
        (
            f"{Importhistorik.MESSAGE}",
            {f"{Importhistorik.CONFIRM_UNDO}.n_clicks": 1, f"{Importhistorik.PENDING}.data": 1},
            f"{Importhistorik.CONFIRM_UNDO}.n_clicks",
        ),
        (
            Indikator.TARGET_MESSAGE,
            {
                f"{Indikator.TARGET_SAVE}.n_clicks": 1,
                f"{Indikator.TARGET_VALUE}.value": "90",
                f"{Indikator.TARGET_YEAR}.value": 2029,
                f"{Indikator.INDICATOR}.data": INDICATOR,
            },
            f"{Indikator.TARGET_SAVE}.n_clicks",
        ),
        (
            Indikator.ANALYSIS_MESSAGE,
            {
                f"{Indikator.ANALYSIS_SAVE}.n_clicks": 1,
                f"{Indikator.ANALYSIS_TEXT}.value": "Inte min att skriva",
                f"{Indikator.PERIOD}.value": "2023",
                f"{Indikator.INDICATOR}.data": INDICATOR,
            },
            f"{Indikator.ANALYSIS_SAVE}.n_clicks",
        ),
        (
            Handlingsplan.MESSAGE,
            _activity_values("Inte min plan"),
            f"{Handlingsplan.SAVE}.n_clicks",
        ),
        (
            Handlingsplan.VERDICT,
            {
                f"{Handlingsplan.UPLOAD}.contents": upload_contents(plan_workbook([]), XLSX),
                f"{Handlingsplan.UPLOAD}.filename": "plan.xlsx",
                f"{Handlingsplan.GROUP}.data": PLAN_GROUP,
            },
            f"{Handlingsplan.UPLOAD}.contents",
        ),
        (
            Handlingsplan.CONFIRM,
            {
                f"{Handlingsplan.CONFIRM}.n_clicks": 1,
                f"{Handlingsplan.UPLOAD_CONTENT}.data": {
                    "name": "plan.xlsx",
                    "content": upload_contents(plan_workbook([]), XLSX),
                },
                f"{Handlingsplan.GROUP}.data": PLAN_GROUP,
            },
            f"{Handlingsplan.CONFIRM}.n_clicks",
        ),
    ]
    for first_output, values, trigger in attempts:
        response = client.call(first_output, values, trigger)
        assert response.status_code == 403, (first_output, response.text)
        assert "krävs" in response.json()["fel"]
    assert snapshot(prod.store) == before


def test_an_analytiker_sets_a_target_and_the_audit_log_names_them(prod: Prod):
    client = prod.client("ana")
    response = client.call(
        Indikator.TARGET_MESSAGE,
        {
            f"{Indikator.TARGET_SAVE}.n_clicks": 1,
            f"{Indikator.TARGET_VALUE}.value": "91,5",
            f"{Indikator.TARGET_YEAR}.value": 2030,
            f"{Indikator.TARGET_AREA}.value": "0680",
            f"{Indikator.TARGET_NOTE}.value": "Mål enligt handlingsplan",
            f"{Indikator.INDICATOR}.data": INDICATOR,
            f"{Indikator.TARGET_REVISION}.data": 0,
        },
        f"{Indikator.TARGET_SAVE}.n_clicks",
    )
    assert response.status_code == 200, response.text
    saved = [t for t in targets_for(prod.store, INDICATOR) if t.year == 2030 and t.area_code]
    assert [(t.value, t.set_by) for t in saved] == [(91.5, "Ali Analytiker")]
    entry = audit_events(prod.store, action=AuditAction.TARGET_SET)[0]
    assert entry.actor == "Ali Analytiker"


def test_an_analytiker_adds_an_activity_to_the_plan_and_the_audit_log_names_them(prod: Prod):
    client = prod.client("ana")
    response = client.call(
        Handlingsplan.MESSAGE,
        _activity_values("Hemtjänstens nattpatrull"),
        f"{Handlingsplan.SAVE}.n_clicks",
    )
    assert response.status_code == 200, response.text
    message = response.json()["response"][Handlingsplan.MESSAGE]["children"]["props"]
    assert message["children"] == "Aktiviteten »Hemtjänstens nattpatrull« är sparad."
    added = [a for a in handlingsplan(prod.store, PLAN_GROUP) if a.title.endswith("nattpatrull")]
    assert [(a.owner, a.changed_by, a.indicator_ids) for a in added] == [
        ("Vaggeryds kommun, hemtjänst", "Ali Analytiker", (INDICATOR,))
    ]
    entry = audit_events(prod.store, action=AuditAction.ACTIVITY_ADDED)[0]
    assert entry.actor == "Ali Analytiker"


def test_a_lasare_downloads_the_plan_and_the_yearly_followup(prod: Prod):
    client = prod.client("lasa")
    plan = client.http.get(f"{prod.url}/handlingsplan/{PLAN_GROUP}.xlsx", timeout=30)
    assert plan.status_code == 200
    assert plan.headers["Content-Type"] == XLSX
    yearly = client.http.get(
        f"{prod.url}/handlingsplan/{PLAN_GROUP}/uppfoljning-2025.docx", timeout=30
    )
    assert yearly.status_code == 200
    assert yearly.content[:2] == b"PK"  # a docx is a zip
    missing = client.http.get(f"{prod.url}/handlingsplan/finns-inte.xlsx", timeout=30)
    assert missing.status_code == 404
    anonymous = requests.get(
        f"{prod.url}/handlingsplan/{PLAN_GROUP}.xlsx", allow_redirects=False, timeout=30
    )
    assert anonymous.status_code in (302, 401)


def test_an_analytiker_imports_through_the_page_callbacks_but_may_not_undo(prod: Prod):
    client = prod.client("ana")
    content = template_csv("N21497;0684;2023;T;72,5;29;40;")  # within 5 points: no tick
    preview = post_preview(client, {"sävsjö.csv": content})
    assert preview.status_code == 200, preview.text
    token = preview.json()["response"][Importera.TOKEN]["data"]
    assert token
    confirm = post_confirm(client, token)
    assert confirm.status_code == 200, confirm.text
    newest = import_batches(prod.store)[0]
    assert (newest.source_name, newest.imported_by) == ("sävsjö.csv", "Ali Analytiker")
    before = snapshot(prod.store)
    undo = client.call(
        Importhistorik.MESSAGE,
        {
            f"{Importhistorik.CONFIRM_UNDO}.n_clicks": 1,
            f"{Importhistorik.PENDING}.data": newest.id,
        },
        f"{Importhistorik.CONFIRM_UNDO}.n_clicks",
    )
    assert undo.status_code == 403
    assert snapshot(prod.store) == before


def test_adding_kolada_indicators_is_for_the_administrator(prod: Prod):
    client = prod.client("ana")
    response = client.call(
        Importera.PREVIEW,
        {
            f"{Importera.UPLOAD}.contents": [upload_contents(template_csv())],
            f"{Importera.UPLOAD}.filename": ["tom.csv"],
            f"{Importera.FORMAT}.value": "auto",
            f"{Importera.INDICATOR}.value": "auto",
            f"{Importera.ADD_KOLADA}.value": True,
        },
        f"{Importera.UPLOAD}.contents",
    )
    assert response.status_code == 403


def test_an_administrator_undoes_an_import(prod: Prod):
    client = prod.client("adm")
    response = client.call(
        Importhistorik.MESSAGE,
        {
            f"{Importhistorik.CONFIRM_UNDO}.n_clicks": 1,
            f"{Importhistorik.PENDING}.data": prod.batch_id,
        },
        f"{Importhistorik.CONFIRM_UNDO}.n_clicks",
    )
    assert response.status_code == 200, response.text
    batch = next(b for b in import_batches(prod.store) if b.id == prod.batch_id)
    assert batch.undone and batch.undone_by == "Åsa Administratör"
    assert audit_events(prod.store, action=AuditAction.UNDO)[0].actor == "Åsa Administratör"


def test_a_cross_origin_post_is_refused_even_when_signed_in(prod: Prod):
    client = prod.client("adm")
    before = snapshot(prod.store)
    response = client.call(
        Indikator.TARGET_MESSAGE,
        {
            f"{Indikator.TARGET_SAVE}.n_clicks": 1,
            f"{Indikator.TARGET_VALUE}.value": "50",
            f"{Indikator.TARGET_YEAR}.value": 2028,
            f"{Indikator.INDICATOR}.data": INDICATOR,
        },
        f"{Indikator.TARGET_SAVE}.n_clicks",
        Origin="https://evil.example",
    )
    assert response.status_code == 403
    assert "annan webbplats" in response.json()["fel"]
    sign_in = requests.post(
        f"{prod.url}/logga-in",
        data={"username": "adm", "password": ACCOUNTS["adm"][2]},
        headers={"Origin": "https://evil.example"},
        allow_redirects=False,
        timeout=30,
    )
    assert sign_in.status_code == 403
    assert snapshot(prod.store) == before


def test_errors_carry_no_traceback(prod: Prod):
    client = prod.client("adm")
    broken = client.http.post(
        f"{prod.url}/_dash-update-component",
        json={"output": "finns-inte.children", "inputs": []},
        headers={"Origin": prod.url},
        timeout=30,
    )
    assert broken.status_code == 400
    assert "Traceback" not in broken.text and 'File "' not in broken.text
    clientside = client.http.post(
        f"{prod.url}/_dash-update-component",
        json={"output": "huvudmeny.className", "inputs": []},
        headers={"Origin": prod.url},
        timeout=30,
    )
    assert clientside.status_code == 400
    missing = client.http.get(f"{prod.url}/api/v1/finns-inte", timeout=30)
    assert missing.status_code == 404
    assert "Traceback" not in missing.text


def test_signing_out_ends_the_session(prod: Prod):
    client = prod.client("lasa")
    out = client.http.post(
        f"{prod.url}/logga-ut", headers={"Origin": prod.url}, allow_redirects=False, timeout=30
    )
    assert out.status_code == 302
    assert client.http.get(f"{prod.url}/_dash-layout", timeout=30).status_code == 401


def test_a_disabled_account_loses_access_at_once(prod: Prod):
    client = prod.client("borta")
    assert client.http.get(f"{prod.url}/_dash-layout", timeout=30).status_code == 200
    set_active(prod.store, "borta", False, actor="test")
    assert client.http.get(f"{prod.url}/_dash-layout", timeout=30).status_code == 401
    assert prod.client().sign_in("borta", ACCOUNTS["borta"][2]).status_code == 401


def _values(client: DashClient, prod: Prod) -> set:
    response = client.http.get(
        f"{prod.url}/api/v1/observations",
        params={"indicator": INDICATOR, "area": "0687", "from": 2022, "to": 2022, "gender": "T"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return {row["value"] for row in response.json()["data"]}


def test_every_worker_serves_an_import_made_elsewhere(prod: Prod, tmp_path: Path):
    client = prod.client("lasa")
    seen = set().union(*(_values(client, prod) for _ in range(8)))
    assert len(seen) == 1 and 12.5 not in seen
    path = tmp_path / "tranås.csv"
    path.write_bytes(template_csv("N21497;0687;2022;T;12,5;5;40;"))
    done = subprocess.run(
        # 68,4 → 12,5 is a change to a published value: confirmed with the flag.
        [
            *(sys.executable, "-m", "indicators", "import", str(path)),
            *("--user", "Kommandorad", "--bekrafta-andringar"),
        ],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": prod.store.url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    after = set().union(*(_values(client, prod) for _ in range(8)))
    assert after == {12.5}
