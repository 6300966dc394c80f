"""fetch-kolada --liknande: the values of a kommun's similar kommuner fetched from a Kolada v3
stand-in (a real ThreadingHTTPServer on 127.0.0.1 answering in Kolada's JSON format) and saved
into the store, after which the kommun's view among its similar kommuner has its values."""

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from indicators.catalogue import load_catalogue
from indicators.catalogue.similar_groups import similar_group_for
from indicators.cli.main import main
from indicators.paths import PROJECT_ROOT
from indicators.reads import cache
from indicators.reads.models import SimilarState
from indicators.reads.similar import similar_view
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import AreaLevel, SimilarKind

_DATA = re.compile(
    r"^/v3/data/kpi/(?P<kpi>[^/]+)/municipality/(?P<ids>[^/]+)/year/(?P<years>[^?]+)"
)


def kolada_value(kpi: str, code: str, year: int) -> float:
    """What the stand-in answers: a number derived from the request alone."""
    return round(40 + int(code) % 37 + (year - 2020) * 0.5 + len(kpi), 1)


@dataclass
class FakeKolada:
    base: str = ""
    paths: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(kolada: FakeKolada) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with kolada.lock:
                kolada.paths.append(self.path)
            match = _DATA.match(self.path)
            if match is None:
                body, status = b'{"error": "Not Found"}', 404
            else:
                kpi = match["kpi"]
                rows = [
                    {
                        "kpi": kpi,
                        "municipality": code,
                        "period": int(year),
                        "values": [
                            {
                                "gender": "T",
                                "count": 1,
                                "status": "",
                                "value": kolada_value(kpi, code, int(year)),
                            }
                        ],
                    }
                    for code in match["ids"].split(",")
                    for year in match["years"].split(",")
                ]
                document = {"count": len(rows), "values": rows, "next_url": None}
                body, status = json.dumps(document).encode(), 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def kolada() -> Iterator[FakeKolada]:
    fake = FakeKolada()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base = f"http://127.0.0.1:{server.server_address[1]}/v3"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


ANEBY_ALDREOMSORG = ["0488", "0604", "0617", "0642", "1763", "1960", "2309", "2460"]


def test_fetches_and_saves_a_groups_values_then_the_view_has_them(
    kolada, prepared_store_url, tmp_path
):
    store = Store(prepared_store_url)
    assert similar_view(store, "U23401", "0604").state is SimilarState.NO_VALUES
    result = subprocess.run(
        [
            sys.executable, "-m", "indicators", "fetch-kolada", "--liknande", "0604",
            "--kpi", "U23401", "--from", "2022", "--to", "2023", "--save",
            "--output", str(tmp_path / "hämtat"), "--base-url", kolada.base,
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "DATABASE_URL": prepared_store_url},
        capture_output=True,
        text=True,
        timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # One query: the kommun and its seven similar kommuner in äldreomsorg (the catalogue's
    # group for U23401), every year asked for.
    assert kolada.paths == [
        f"/v3/data/kpi/U23401/municipality/{','.join(ANEBY_ALDREOMSORG)}/year/2022,2023"
        "?per_page=5000"
    ]
    with session_scope(prepared_store_url) as s:
        stored = {
            (code, start.year): value
            for code, start, value in s.execute(
                select(
                    m.Observation.area_code, m.Observation.period_start, m.Observation.value
                ).where(m.Observation.indicator_id == "U23401")
            )
        }
    assert stored == {
        (code, year): kolada_value("U23401", code, year)
        for code in ANEBY_ALDREOMSORG
        for year in (2022, 2023)
    }
    cache.clear_all()
    view = similar_view(store, "U23401", "0604")
    assert view.state is SimilarState.OK and view.period == "2023"
    members = sorted(kolada_value("U23401", c, 2023) for c in ANEBY_ALDREOMSORG if c != "0604")
    assert view.snapshot.median == members[3]
    assert view.rank_of == 8


def test_without_kpi_it_fetches_every_kommun_level_kolada_indicator_in_its_group(
    kolada, tmp_path, capsys
):
    code = main(
        [
            "fetch-kolada", "--liknande", "0680", "--from", "2023", "--to", "2023",
            "--output", str(tmp_path), "--base-url", kolada.base,
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    catalogue = load_catalogue()
    expected = {
        i.source_id: catalogue.similar_kind(i)
        for i in catalogue.indicators
        if i.source == "Kolada" and i.area_level is not AreaLevel.REGION
    }
    asked: dict[str, list[str]] = {}
    for path in kolada.paths:
        match = _DATA.match(path)
        assert match is not None, path
        asked[match["kpi"]] = match["ids"].split(",")
    assert set(asked) == set(expected)
    for kpi, kind in expected.items():
        group = similar_group_for("0680", kind)
        assert asked[kpi] == sorted({"0680", *group.members}), kpi
    assert asked["U21401"] != asked["U01405"]  # äldreomsorg and socioekonomi differ
    assert expected["U21401"] is SimilarKind.ALDREOMSORG
    assert len(list(tmp_path.glob("kolada-*.json"))) == len(expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--liknande", "604"], "inte fyra siffror"),
        (["--liknande", "0604", "--ou"], "kan inte kombineras med --ou"),
        (["--liknande", "9999"], "ingen grupp"),
        ([], "minst ett KPI-id"),
    ],
)
def test_usage_errors_exit_2_before_any_request(kolada, args, message, capsys):
    code = main(["fetch-kolada", *args, "--from", "2023", "--base-url", kolada.base])
    assert code == 2
    assert message in capsys.readouterr().err
    assert kolada.paths == []
