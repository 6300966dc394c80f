"""The app itself on PostgreSQL: `DATABASE_URL=postgresql+psycopg://…` is the only switch. Served
in a subprocess as a newcomer starts it, against a copy of the demo store on the test server."""

import json
import urllib.error
import urllib.request

import pytest
from conftest import served
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from indicators.reads.queries import indicator_series
from indicators.store.store import Store


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_app_serves_pages_and_the_api_from_postgresql(
    backend: str, demo_copy: Store, demo_store: Store, tmp_path
):
    assert demo_copy.url.startswith("postgresql+psycopg://")
    with served(demo_copy.url, tmp_path) as base:
        status, body = _get(f"{base}/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert _get(f"{base}/")[0] == 200
        status, body = _get(
            f"{base}/api/v1/observations?indicator=U01405&area=0680&from=2019&to=2020"
        )
        assert status == 200
        values = [r["value"] for r in json.loads(body)["data"]]
    # The same figures as the pages' query reads, and as the demo store on SQLite holds.
    for store in (demo_copy, demo_store):
        pages = indicator_series(store, "U01405", ["0680"])
        assert pages[pages["period"].isin(["2019", "2020"])]["value"].tolist() == values
    assert len(values) == 2


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_healthz_answers_503_when_the_database_is_gone(
    backend: str, prepared_store_url: str, tmp_path
):
    """A load balancer takes the worker out when its database stops answering."""
    url = make_url(prepared_store_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with served(prepared_store_url, tmp_path, INDIKATOR_SEED_DEMO="false") as base:
        assert _get(f"{base}/healthz")[0] == 200
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS false'))
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": url.database},
            )
        try:
            with pytest.raises(urllib.error.HTTPError) as refused:
                _get(f"{base}/healthz")
            assert refused.value.code == 503
            assert json.loads(refused.value.read())["databas"] == "nås inte"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS true'))
    admin.dispose()
