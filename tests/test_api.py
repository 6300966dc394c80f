"""The read API: the domain queries against the demo store, and /api/v1 over real HTTP against
the served app (local single-user mode, so every request is signed in)."""

import io
import json
from datetime import date
from typing import Any

import pandas as pd
import pytest
import requests
from sqlalchemy import select

from indicators.catalogue import Catalogue
from indicators.reads.api_params import MAX_COMBINATIONS, ApiQueryError, parse_observation_query
from indicators.reads.api_queries import (
    COUNTY_AREA_CODES,
    OBSERVATION_FIELDS,
    AreaOut,
    IndicatorOut,
    ObservationOut,
    area_list,
    check_observation_query,
    indicator_list,
    observations,
)
from indicators.reads.queries import indicator_series
from indicators.reads.suppression import SECONDARY_REASON
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import Gender, ObservationStatus

API = "/api/v1"


# --- helpers -------------------------------------------------------------------------------


def _get(base: str, path: str, **params: Any) -> requests.Response:
    return requests.get(base + API + path, params=params, timeout=60)


def _find_hidden_cell(store: Store) -> dict[str, Any]:
    """A cell the pages hide although the store holds an ok value for it: secondary
    suppression (its K or M partner rests on too few people)."""
    for summary in indicator_list(store):
        series = indicator_series(store, summary.id, list(COUNTY_AREA_CODES), gender=None)
        hidden = series[series["status_reason"] == SECONDARY_REASON]
        if not hidden.empty:
            row = hidden.iloc[0]
            return {
                "indicator": summary.id,
                "area": row["area_code"],
                "year": row["period_start"].year,
                "gender": str(row["gender"]),
                "period_start": row["period_start"].isoformat(),
            }
    raise AssertionError("Exempeldata saknar sekundärröjda värden")


def _stored(store: Store, cell: dict[str, Any]) -> tuple[float | None, str]:
    """What the store itself holds for a cell, read past every query function."""
    with session_scope(store.url) as s:
        value, status = s.execute(
            select(m.Observation.value, m.Observation.status).where(
                m.Observation.indicator_id == cell["indicator"],
                m.Observation.area_code == cell["area"],
                m.Observation.period_start == date.fromisoformat(cell["period_start"]),
                m.Observation.gender == cell["gender"],
            )
        ).one()
    return value, str(status)


@pytest.fixture(scope="module")
def hidden_cell(demo_store: Store) -> dict[str, Any]:
    return _find_hidden_cell(demo_store)


@pytest.fixture(scope="module")
def stored_suppressed(demo_store: Store) -> dict[str, Any]:
    """A cell stored as suppressed (the source hid it), in a county kommun, total."""
    with session_scope(demo_store.url) as s:
        indicator, area, start = s.execute(
            select(m.Observation.indicator_id, m.Observation.area_code, m.Observation.period_start)
            .where(
                m.Observation.status == ObservationStatus.SUPPRESSED,
                m.Observation.gender == Gender.TOTAL,
                m.Observation.area_code.in_(COUNTY_AREA_CODES),
            )
            .order_by(m.Observation.indicator_id, m.Observation.area_code)
            .limit(1)
        ).one()
    return {"indicator": indicator, "area": area, "year": start.year}


# --- the domain ------------------------------------------------------------------------------


def test_indicator_list_has_every_catalogue_indicator_with_its_placements(
    any_demo_store: Store, catalogue: Catalogue
):
    rows = indicator_list(any_demo_store)
    assert [r.id for r in rows] == [i.id for i in catalogue.indicators]
    strategy_of = {ma.id: ma.strategy for ma in catalogue.matomraden}
    for row, defined in zip(rows, catalogue.indicators, strict=True):
        assert {p.matomrade_id for p in row.matomraden} == set(defined.matomraden)
        assert row.strategies == sorted({strategy_of[ma] for ma in defined.matomraden})
        assert [g.id for g in row.strategigrupper] == [
            g.id for g in catalogue.strategigrupper if g.id in defined.strategigrupper
        ]
    assert all(r.origin == "katalog" for r in rows)
    assert all(r.value_kind_label and r.direction_label for r in rows)


def test_area_list_names_kind_and_level(any_demo_store: Store):
    areas = {a.code: a for a in area_list(any_demo_store)}
    assert areas["0000"] == AreaOut(
        code="0000", name="Riket", kind="riket", level=0, parent=None, in_county=True
    )
    assert areas["0006"].kind == "region" and areas["0006"].level == 1
    assert areas["0680"].name == "Jönköping" and areas["0680"].parent == "0006"
    assert areas["0180"].level == 2 and not areas["0180"].in_county
    assert sum(a.in_county for a in areas.values()) == 15


def test_observations_are_what_the_pages_show(any_demo_store: Store):
    ids = [i.id for i in indicator_list(any_demo_store)][:5]
    query = check_observation_query(any_demo_store, {"indicator": ids, "gender": ["T,K,M"]})
    frame = observations(any_demo_store, query).frame
    assert list(frame.columns) == OBSERVATION_FIELDS
    for indicator_id in ids:
        pages = indicator_series(any_demo_store, indicator_id, list(COUNTY_AREA_CODES), gender=None)
        ours = frame[frame["indicator"] == indicator_id]
        assert len(ours) == len(pages)
        expected = {
            (r.area_code, r.period_start.isoformat(), str(r.gender)): (str(r.status), r.value)
            for r in pages.itertuples()
        }
        for r in ours.itertuples():
            status, value = expected[(r.area, r.period_start, r.gender)]
            assert r.status == status
            assert (pd.isna(r.value) and pd.isna(value)) or r.value == value
    not_ok = frame[frame["status"] != ObservationStatus.OK]
    assert not_ok[["value", "numerator", "denominator"]].isna().all().all()


def test_observations_narrow_to_years_genders_and_areas(any_demo_store: Store):
    query = check_observation_query(
        any_demo_store,
        {"indicator": ["U01405"], "area": ["0680,0604"], "from": ["2019"], "to": ["2021"]},
    )
    frame = observations(any_demo_store, query).frame
    assert set(frame["area"]) == {"0680", "0604"}
    assert set(frame["period"]) == {"2019", "2020", "2021"}
    assert set(frame["gender"]) == {"T"}
    # areas in display order (Aneby before Jönköping), then period
    assert list(frame["area"]) == ["0604"] * 3 + ["0680"] * 3
    for row in frame.to_dict(orient="records"):
        ObservationOut.model_validate(row)


def test_observations_hide_a_secondary_suppressed_value(any_demo_store: Store):
    hidden_cell = _find_hidden_cell(any_demo_store)
    value, status = _stored(any_demo_store, hidden_cell)
    assert value is not None and status == "ok"  # the store has it ...
    query = check_observation_query(
        any_demo_store,
        {
            "indicator": [hidden_cell["indicator"]],
            "area": [hidden_cell["area"]],
            "from": [str(hidden_cell["year"])],
            "to": [str(hidden_cell["year"])],
            "gender": [hidden_cell["gender"]],
        },
    )
    row = observations(any_demo_store, query).frame.iloc[0]
    assert row["status"] == "suppressed" and row["status_label"] == "sekretess"  # ... we don't
    assert row[["value", "numerator", "denominator"]].isna().all()


@pytest.mark.parametrize(
    ("raw", "parameter", "message"),
    [
        ({}, "indicator", "Parametern indicator saknas: ange minst ett id."),
        ({"indicator": ["XYZ"]}, "indicator", "Okänd indikator i parametern indicator: 'XYZ'."),
        (
            {"indicator": ["U01405"], "area": ["0680,9999"]},
            "area",
            "Okänd områdeskod i parametern area: '9999'.",
        ),
        (
            {"indicator": ["U01405"], "from": ["2022"], "to": ["2020"]},
            "from",
            "Parametern from (2022) är senare än to (2020).",
        ),
        (
            {"indicator": ["U01405"], "to": ["tjugo"]},
            "to",
            "Parametern to ska vara ett årtal mellan 1900 och 2100, inte 'tjugo'.",
        ),
        (
            {"indicator": ["U01405"], "gender": ["X"]},
            "gender",
            "Parametern gender ska vara T, K eller M, inte 'X'.",
        ),
        (
            {"indicator": ["U01405"], "format": ["xml"]},
            "format",
            "Parametern format ska vara json eller csv, inte 'xml'.",
        ),
        (
            {"indicator": ["U01405"], "sep": ["tab"]},
            "sep",
            "Parametern sep ska vara sv (semikolon, decimalkomma) eller int (komma, "
            "decimalpunkt), inte 'tab'.",
        ),
        (
            {"indicator": ["U01405"], "indikator": ["x"]},
            "indikator",
            "Okänd parameter 'indikator'. Tillåtna: indicator, area, from, to, gender, "
            "format, sep.",
        ),
    ],
)
def test_observation_query_problems_are_named_in_swedish(
    any_demo_store: Store, raw: dict, parameter: str, message: str
):
    with pytest.raises(ApiQueryError) as refused:
        check_observation_query(any_demo_store, raw)
    assert [(p.parameter, p.message) for p in refused.value.problems] == [(parameter, message)]


def test_too_many_combinations_are_refused_before_reading(any_demo_store: Store):
    ids = [i.id for i in indicator_list(any_demo_store)]
    codes = [a.code for a in area_list(any_demo_store)]
    assert len(ids) * len(codes) > MAX_COMBINATIONS
    with pytest.raises(ApiQueryError) as refused:
        check_observation_query(any_demo_store, {"indicator": ids, "area": codes})
    assert refused.value.problems[0].message.startswith("För många kombinationer: ")
    assert f"högst {MAX_COMBINATIONS} per anrop" in refused.value.problems[0].message


def test_every_problem_is_reported_at_once():
    with pytest.raises(ApiQueryError) as refused:
        parse_observation_query(
            {"indicator": ["a"], "gender": ["Q"], "format": ["pdf"], "from": ["x"]},
            indicators=["b"],
        )
    assert {p.parameter for p in refused.value.problems} == {
        "indicator",
        "gender",
        "format",
        "from",
    }


def test_gender_and_lists_are_read_leniently():
    query = parse_observation_query(
        {"indicator": ["a, b", "a"], "gender": ["k,m"], "format": ["CSV"], "sep": ["INT"]}
    )
    assert query.indicator == ("a", "b")
    assert query.gender == (Gender.WOMEN, Gender.MEN)
    assert (query.format, query.sep) == ("csv", "int")


# --- over HTTP -------------------------------------------------------------------------------


def _check_envelope(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, max-age=60"
    assert "å" in response.text or "ö" in response.text  # not \u-escaped
    body = response.json()
    assert set(body) == {"data", "meta"}
    meta = body["meta"]
    assert meta["count"] == len(body["data"])
    assert meta["suppression_threshold"] == 5
    assert meta["demo_data"] is True and "Exempeldata" in meta["source"]
    assert meta["generated_at"].endswith("+00:00")
    return body


def test_get_indicators(live_server: str, demo_store: Store):
    body = _check_envelope(_get(live_server, "/indicators"))
    assert [r["id"] for r in body["data"]] == [i.id for i in indicator_list(demo_store)]
    for row in body["data"]:
        IndicatorOut.model_validate(row)
    first = body["data"][0]
    assert isinstance(first["strategies"], list) and isinstance(first["strategies"][0], int)
    assert isinstance(first["decimals"], int) and isinstance(first["headline"], bool)


def test_get_areas(live_server: str):
    body = _check_envelope(_get(live_server, "/areas"))
    assert len(body["data"]) == 312
    for row in body["data"]:
        AreaOut.model_validate(row)
    jonkoping = next(a for a in body["data"] if a["code"] == "0680")
    assert jonkoping == {
        "code": "0680",
        "name": "Jönköping",
        "kind": "kommun",
        "level": 2,
        "parent": "0006",
        "in_county": True,
    }


def test_get_observations_as_json_numbers(live_server: str, demo_store: Store):
    response = _get(
        live_server, "/observations", indicator="U01405", area="0680", **{"from": 2019, "to": 2020}
    )
    body = _check_envelope(response)
    assert [(r["period"], r["gender"]) for r in body["data"]] == [("2019", "T"), ("2020", "T")]
    for row in body["data"]:
        ObservationOut.model_validate(row)
        assert row["status"] == "ok" and row["status_label"] == "värde finns"
        assert isinstance(row["value"], float)
        assert isinstance(row["numerator"], float) and isinstance(row["denominator"], float)
    pages = indicator_series(demo_store, "U01405", ["0680"])
    expected = pages[pages["period"].isin(["2019", "2020"])]["value"].tolist()
    assert [r["value"] for r in body["data"]] == expected
    assert body["meta"]["query"] == {
        "indicator": ["U01405"],
        "area": ["0680"],
        "from": 2019,
        "to": 2020,
        "gender": ["T"],
    }
    assert '"value": ' + json.dumps(expected[0]) in response.text  # a number, not a string


def test_several_ids_comma_or_repeated_give_the_same(live_server: str):
    ids = [i["id"] for i in _get(live_server, "/indicators").json()["data"][:3]]
    common = {"area": "0680,0006", "from": 2020, "to": 2021, "gender": "T,K"}
    comma = _get(live_server, "/observations", indicator=",".join(ids), **common).json()
    repeated = requests.get(
        live_server + API + "/observations",
        params=[("indicator", i) for i in ids]
        + [("area", "0680"), ("area", "0006"), ("from", 2020), ("to", 2021)]
        + [("gender", "T"), ("gender", "K")],
        timeout=60,
    ).json()
    assert comma["data"] == repeated["data"]
    assert {r["indicator"] for r in comma["data"]} == set(ids)
    assert {r["area"] for r in comma["data"]} == {"0680", "0006"}
    assert {r["gender"] for r in comma["data"]} <= {"T", "K"}


def test_without_area_the_county_is_given(live_server: str):
    body = _get(live_server, "/observations", indicator="U01405", **{"from": 2021, "to": 2021})
    assert [r["area"] for r in body.json()["data"]] == list(COUNTY_AREA_CODES)


def test_years_without_values_give_an_empty_answer_not_an_error(live_server: str):
    params = {"indicator": "U01405", "from": 2099}
    body = _get(live_server, "/observations", **params).json()
    assert body["data"] == [] and body["meta"]["count"] == 0
    csv_text = _get(live_server, "/observations", format="csv", sep="int", **params).text
    assert csv_text == ",".join(OBSERVATION_FIELDS) + "\r\n"


def _csv(live_server: str, sep: str) -> requests.Response:
    response = _get(
        live_server,
        "/observations",
        indicator="U01405,N01452",
        area="0680,0604",
        format="csv",
        sep=sep,
        **{"from": 2018, "to": 2021},
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="observationer.csv"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return response


def _json_rows(live_server: str) -> list[dict[str, Any]]:
    return _get(
        live_server,
        "/observations",
        indicator="U01405,N01452",
        area="0680,0604",
        **{"from": 2018, "to": 2021},
    ).json()["data"]


def _same_as_json(frame: pd.DataFrame, rows: list[dict[str, Any]]) -> None:
    assert list(frame.columns) == OBSERVATION_FIELDS
    assert len(frame) == len(rows) > 0
    for got, want in zip(frame.to_dict(orient="records"), rows, strict=True):
        for key in ("indicator", "area", "area_name", "period", "gender", "status"):
            assert str(got[key]) == want[key]
        for key in ("value", "numerator", "denominator"):
            assert (pd.isna(got[key]) and want[key] is None) or got[key] == want[key]


def test_csv_swedish_separators(live_server: str):
    content = _csv(live_server, "sv").content
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    assert content.splitlines()[0].decode("utf-8-sig").startswith("indicator;area;area_name")
    frame = pd.read_csv(
        io.BytesIO(content),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"area": str, "period": str},
        keep_default_na=False,
        na_values=[""],
    )
    assert "," in content.decode("utf-8-sig").splitlines()[1]  # a decimal comma
    _same_as_json(frame, _json_rows(live_server))


def test_csv_international_separators(live_server: str):
    content = _csv(live_server, "int").content
    assert not content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8").startswith("indicator,area,area_name")
    frame = pd.read_csv(
        io.BytesIO(content),
        dtype={"area": str, "period": str},
        keep_default_na=False,
        na_values=[""],
    )
    _same_as_json(frame, _json_rows(live_server))


def test_suppressed_value_is_null_with_its_status_word(
    live_server: str, hidden_cell: dict[str, Any]
):
    year = hidden_cell["year"]
    params = {
        "indicator": hidden_cell["indicator"],
        "area": hidden_cell["area"],
        "gender": hidden_cell["gender"],
        "from": year,
        "to": year,
    }
    (row,) = _get(live_server, "/observations", **params).json()["data"]
    assert row["status"] == "suppressed"
    assert row["status_label"] == "sekretess"
    assert row["status_reason"] == SECONDARY_REASON
    assert row["value"] is None and row["numerator"] is None and row["denominator"] is None
    csv_text = _get(live_server, "/observations", format="csv", sep="int", **params).text
    line = csv_text.splitlines()[1].split(",")
    assert line[OBSERVATION_FIELDS.index("status")] == "suppressed"
    for key in ("value", "numerator", "denominator"):
        assert line[OBSERVATION_FIELDS.index(key)] == ""


def test_stored_suppression_shows_as_sekretess(live_server: str, stored_suppressed: dict):
    year = stored_suppressed["year"]
    (row,) = _get(
        live_server,
        "/observations",
        indicator=stored_suppressed["indicator"],
        area=stored_suppressed["area"],
        **{"from": year, "to": year},
    ).json()["data"]
    assert (row["status"], row["status_label"]) == ("suppressed", "sekretess")
    assert row["value"] is None and row["numerator"] is None and row["denominator"] is None


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("", "indicator", "Parametern indicator saknas: ange minst ett id."),
        ("indicator=XYZ", "indicator", "Okänd indikator i parametern indicator: 'XYZ'."),
        ("indicator=U01405&area=9999", "area", "Okänd områdeskod i parametern area: '9999'."),
        (
            "indicator=U01405&from=2022&to=2020",
            "from",
            "Parametern from (2022) är senare än to (2020).",
        ),
        (
            "indicator=U01405&gender=X",
            "gender",
            "Parametern gender ska vara T, K eller M, inte 'X'.",
        ),
        (
            "indicator=U01405&format=xml",
            "format",
            "Parametern format ska vara json eller csv, inte 'xml'.",
        ),
        (
            "indicator=U01405&from=1800",
            "from",
            "Parametern from ska vara ett årtal mellan 1900 och 2100, inte '1800'.",
        ),
        (
            "indicator=U01405&format=json&format=csv",
            "format",
            "Parametern format får bara anges en gång.",
        ),
    ],
)
def test_bad_queries_get_400_in_swedish(live_server: str, query: str, parameter: str, message: str):
    response = requests.get(f"{live_server}{API}/observations?{query}", timeout=60)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["message"] == message
    assert [(p["parameter"], p["message"]) for p in error["problems"]] == [(parameter, message)]


def test_too_many_combinations_get_400(live_server: str):
    ids = ",".join(i["id"] for i in _get(live_server, "/indicators").json()["data"])
    areas = ",".join(a["code"] for a in _get(live_server, "/areas").json()["data"])
    response = _get(live_server, "/observations", indicator=ids, area=areas)
    assert response.status_code == 400
    (problem,) = response.json()["error"]["problems"]
    assert problem["parameter"] == "indicator"
    assert problem["message"].startswith("För många kombinationer: 54 indikatorer × 312 områden")


def test_unknown_api_path_is_a_json_404(live_server: str):
    response = _get(live_server, "/observationer")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("Finns inte: /api/v1/observationer.")


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_openapi_describes_the_three_endpoints(live_server: str):
    response = _get(live_server, "/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.text)
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": live_server + API}]
    assert set(doc["paths"]) == {"/indicators", "/areas", "/observations"}
    schemas = doc["components"]["schemas"]
    refs = _refs(doc)
    assert "#/components/schemas/Placement" in refs  # a nested model, resolved
    for ref in refs:
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas
    params = {p["name"]: p for p in doc["paths"]["/observations"]["get"]["parameters"]}
    assert set(params) == {"indicator", "area", "from", "to", "gender", "format", "sep"}
    assert params["indicator"]["required"] is True
    assert params["gender"]["schema"]["items"]["enum"] == ["T", "K", "M"]
    assert set(schemas["ObservationOut"]["properties"]) == set(OBSERVATION_FIELDS)
    assert "text/csv" in doc["paths"]["/observations"]["get"]["responses"]["200"]["content"]
