"""The Exempeldata generator: deterministic, internally consistent, plausible."""

import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from indicators.catalogue import Catalogue
from indicators.reads.queries import data_status
from indicators.store.engine import session_scope
from indicators.store.migrate import upgrade_to_head
from indicators.store.models import ImportBatch, Observation
from indicators.store.store import Store
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, NATION_CODE, AreaKind
from indicators.writes.catalogue_sync import read_kolada_areas, sync_areas, sync_catalogue
from indicators.writes.seed import (
    IMPORTED_AT,
    MISSING_REASON,
    PROFILES,
    SOURCE_NAME,
    SUPPRESSED_REASON,
    AreaSpec,
    IndicatorSpec,
    demo_population,
    frame_sha256,
    generate_observations,
    population_table,
    read_area_specs,
    read_indicator_specs,
    seed_demo,
)

YEARS = range(2015, 2026)
SMALL = ("0604", "0642", "0617")  # Aneby, Mullsjö, Gnosjö
JONKOPING = "0680"


def _indicator(id_: str, title: str, kind: str, unit: str, **kw: object) -> dict:
    return {
        "id": id_,
        "title": title,
        "short_title": title[:40],
        "description": "Testindikator.",
        "unit": unit,
        "value_kind": kind,
        "direction": kw.pop("direction", "higher_better"),
        "decimals": kw.pop("decimals", 1),
        "source": "Test",
        "matomraden": ["kontinuitet"],
        **kw,
    }


TEST_CATALOGUE = Catalogue.model_validate(
    {
        "version": "test",
        "strategigrupper": [{"id": "aldre", "name": "Äldre"}],
        "strategies": [
            {"number": 2, "title": "Strategi 2", "aim": "Syfte", "koppling_till_malbild": ["Mål"]}
        ],
        "matomraden": [{"id": "kontinuitet", "strategy": 2, "title": "Kontinuitet"}],
        "indicators": [
            _indicator(
                "T-RATE",
                "Fast omsorgskontakt, andel (%)",
                "rate",
                "%",
                by_gender=True,
                area_level="kommun",
            ),
            _indicator(
                "T-MEAN",
                "Personalkontinuitet, medelvärde (- 2024)",
                "mean",
                "antal personal",
                direction="lower_better",
                decimals=0,
                by_gender=True,
                area_level="kommun",
            ),
            _indicator(
                "T-INDEX", "Kontinuitetsindex", "index", "index (0–1)", decimals=2, area_level="all"
            ),
            _indicator(
                "T-CODED",
                "Digital tillsyn (Breddinfört=2, Test=1, Nej=0)",
                "coded",
                "kod",
                decimals=0,
                area_level="kommun",
                codes=[
                    {"code": 0, "label": "Nej"},
                    {"code": 1, "label": "Test"},
                    {"code": 2, "label": "Breddinfört"},
                ],
            ),
            _indicator(
                "T-RATIO",
                "Fallskador 65+, antal/100 000 inv",
                "ratio",
                "per 100 000 invånare 65+",
                direction="lower_better",
                decimals=0,
                by_gender=True,
                area_level="all",
            ),
            _indicator(
                "T-REGION",
                "Videomöte med vårdpersonal, andel (%) (-2023)",
                "rate",
                "%",
                by_gender=True,
                area_level="region",
            ),
            _indicator(
                "T-POP",
                "Invånare totalt, antal",
                "count",
                "invånare",
                direction="neither",
                decimals=0,
                by_gender=True,
                area_level="all",
            ),
        ],
    }
)


def _make_store(path: Path | str, catalogue: Catalogue = TEST_CATALOGUE) -> str:
    url = path if isinstance(path, str) else f"sqlite:///{path}"
    upgrade_to_head(url)
    with session_scope(url) as session:
        sync_areas(session, read_kolada_areas())
        sync_catalogue(session, catalogue)
    return url


def _read(url: str) -> pd.DataFrame:
    columns = [
        Observation.indicator_id,
        Observation.area_code,
        Observation.period_start,
        Observation.gender,
        Observation.value,
        Observation.numerator,
        Observation.denominator,
        Observation.status,
        Observation.status_reason,
        Observation.batch_id,
    ]
    with session_scope(url) as session:
        rows = session.execute(select(*columns).order_by(Observation.id)).all()
    frame = pd.DataFrame(rows, columns=[c.key for c in columns])
    frame["year"] = [d.year for d in frame["period_start"]]
    for name in ("gender", "status"):
        frame[name] = [getattr(v, "value", v) for v in frame[name]]
    return frame


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pd.DataFrame]:
    """The test catalogue over all 312 Kolada areas, 2015–2025, as stored."""
    url = _make_store(tmp_path_factory.mktemp("seed") / "store.sqlite")
    started = time.perf_counter()
    with session_scope(url) as session:
        report = seed_demo(session)
    print(f"\nseed_demo: {report.observations} rader på {time.perf_counter() - started:.2f} s")
    return url, _read(url)


@pytest.fixture(scope="module")
def frame(seeded: tuple[str, pd.DataFrame]) -> pd.DataFrame:
    return seeded[1]


def _county_areas() -> list[AreaSpec]:
    kommuner = [AreaSpec(c, AreaKind.KOMMUN, COUNTY_CODE) for c in COUNTY_KOMMUN_CODES]
    return [
        AreaSpec(NATION_CODE, AreaKind.NATION),
        AreaSpec(COUNTY_CODE, AreaKind.REGION, NATION_CODE),
        *kommuner,
    ]


def _specs() -> list[IndicatorSpec]:
    return [
        IndicatorSpec(
            id=i.id,
            value_kind=i.value_kind,
            direction=i.direction,
            decimals=i.decimals,
            by_gender=i.by_gender,
            area_level=i.area_level,
            codes=tuple(c.code for c in i.codes),
            title=i.title,
            unit=i.unit,
        )
        for i in TEST_CATALOGUE.indicators
    ]


def read_area_specs_from_file() -> list[AreaSpec]:
    return [AreaSpec(a.code, a.kind, a.parent_code) for a in read_kolada_areas()]


def _kind(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    return frame[frame["indicator_id"] == indicator]


# --- determinism -----------------------------------------------------------------------------


def test_generation_is_identical_every_time_and_varies_with_the_seed():
    first = generate_observations(_specs(), _county_areas(), YEARS, seed=7)
    second = generate_observations(list(reversed(_specs())), _county_areas()[::-1], YEARS, 7)
    pd.testing.assert_frame_equal(first, second)
    assert frame_sha256(first) == frame_sha256(second)
    other = generate_observations(_specs(), _county_areas(), YEARS, seed=8)
    assert frame_sha256(other) != frame_sha256(first)
    assert list(first.columns) == [
        "indicator_id",
        "area_code",
        "period_type",
        "period_start",
        "gender",
        "value",
        "numerator",
        "denominator",
        "status",
        "status_reason",
    ]
    assert all(isinstance(d, date) and (d.month, d.day) == (1, 1) for d in first.period_start)


def test_two_seeded_stores_are_identical(store_url, seeded):
    """Also across backends: PostgreSQL seeds through COPY, SQLite through executemany."""
    url_a, frame_a = seeded
    url_b = _make_store(store_url)
    with session_scope(url_b) as session:
        seed_demo(session)
    pd.testing.assert_frame_equal(frame_a, _read(url_b))
    batches = []
    for url in (url_a, url_b):
        with session_scope(url) as session:
            batches.append(session.scalars(select(ImportBatch)).one())
    a, b = batches
    assert a.sha256 == b.sha256 and len(a.sha256) == 64
    assert a.is_demo and a.source_name == SOURCE_NAME and a.format == "exempeldata"
    assert a.imported_by == "system"
    assert a.imported_at.replace(tzinfo=IMPORTED_AT.tzinfo) == IMPORTED_AT
    assert a.rows_read == a.rows_new == len(frame_a)


def test_a_subset_of_kommuner_gets_the_same_figures_as_the_national_run(tmp_path, frame):
    url = _make_store(tmp_path / "lan.sqlite")
    with session_scope(url) as session:
        report = seed_demo(session, area_codes=COUNTY_KOMMUN_CODES)
    county = _read(url)
    assert set(county.area_code) == {*COUNTY_KOMMUN_CODES, COUNTY_CODE, NATION_CODE}
    assert report.areas == 15 and report.observations == len(county)
    key = ["indicator_id", "area_code", "period_start", "gender"]
    cols = [*key, "value", "numerator", "denominator", "status"]
    kommuner = county[county.area_code.isin(COUNTY_KOMMUN_CODES)][cols]
    national = frame[frame.area_code.isin(COUNTY_KOMMUN_CODES)][cols]
    pd.testing.assert_frame_equal(
        kommuner.sort_values(key).reset_index(drop=True),
        national.sort_values(key).reset_index(drop=True),
    )
    # With only the county's kommuner present, Riket is aggregated from those same kommuner.
    agg = county[county.area_code.isin([COUNTY_CODE, NATION_CODE])]
    agg = agg[agg.indicator_id != "T-REGION"]
    region = agg[agg.area_code == COUNTY_CODE].set_index(key[:1] + key[2:])
    nation = agg[agg.area_code == NATION_CODE].set_index(key[:1] + key[2:])
    pd.testing.assert_series_equal(region["value"], nation["value"])


def test_unknown_area_codes_are_refused(tmp_path):
    url = _make_store(tmp_path / "x.sqlite")
    with session_scope(url) as session, pytest.raises(ValueError, match="9999"):
        read_area_specs(session, ["0680", "9999"])


def test_demo_batch_is_reported_as_exempeldata(tmp_path):
    url = _make_store(tmp_path / "d.sqlite")
    assert not data_status(Store(url)).has_demo_data
    with session_scope(url) as session:
        seed_demo(session, area_codes=["0604"], years=range(2024, 2026))
    assert data_status(Store(url)).has_demo_data


# --- consistency -------------------------------------------------------------------------------


def test_rates_carry_numerator_and_denominator(frame):
    ok = frame[frame.indicator_id.isin(["T-RATE", "T-REGION"]) & (frame.status == "ok")]
    assert len(ok) > 1000
    assert ok[["numerator", "denominator"]].notna().all().all()
    assert (ok.numerator <= ok.denominator).all()
    assert np.allclose(ok.value, 100 * ok.numerator / ok.denominator, atol=0.05 + 1e-9)
    assert ok.value.between(0, 100).all()


def test_totals_are_the_sum_of_women_and_men(frame):
    for indicator in ("T-RATE", "T-RATIO", "T-REGION", "T-POP"):
        rows = _kind(frame, indicator)
        field = "value" if indicator == "T-POP" else "numerator"
        wide = rows.pivot_table(
            index=["area_code", "year"],
            columns="gender",
            values=[field, "denominator"],
            aggfunc="first",
            dropna=False,
        )
        complete = wide[field].dropna()
        assert len(complete) > 0.25 * len(wide), indicator
        assert (complete["T"] == complete["K"] + complete["M"]).all(), indicator
        if indicator != "T-POP":
            den = wide["denominator"].dropna()
            assert (den["T"] == den["K"] + den["M"]).all(), indicator


def _members(frame: pd.DataFrame, region: str) -> pd.DataFrame:
    kommuner = frame[frame.area_code.str[:2] != "00"]
    if region == NATION_CODE:
        return kommuner
    parents = {a.code: a.parent_code for a in read_kolada_areas()}
    return kommuner[kommuner.area_code.map(parents) == region]


@pytest.mark.parametrize("indicator", ["T-RATE", "T-RATIO"])
def test_aggregates_are_sums_of_their_kommuner(frame, indicator):
    rows = _kind(frame, indicator)
    checked = 0
    regions = [a.code for a in read_kolada_areas() if a.kind is not AreaKind.KOMMUN]
    for region in regions:
        kommuner = _members(rows, region)
        agg = rows[rows.area_code == region].set_index(["year", "gender"])
        for (year, gender), group in kommuner.groupby(["year", "gender"]):
            target = agg.loc[(year, gender)]
            shown = group[group.status == "ok"]
            if target.status != "ok":
                continue
            # Suppressed kommuner count in the aggregate, only their own figure is hidden.
            assert target.numerator >= shown.numerator.sum()
            assert target.denominator >= shown.denominator.sum()
            if (group.status != "suppressed").all():
                assert target.numerator == shown.numerator.sum()
                assert target.denominator == shown.denominator.sum()
                checked += 1
    # Rare events in small kommuner are often suppressed, so exact checks are fewer for ratios.
    assert checked >= 5
    ok = rows[rows.status == "ok"]
    scale = 100 if indicator == "T-RATE" else 100_000
    assert np.allclose(ok.value, (scale * ok.numerator / ok.denominator).round(1), atol=0.5)


def test_population_aggregates_and_weighted_means(frame):
    pops = population_table(read_area_specs_from_file(), YEARS)
    pops = pops.set_index(["area_code", "year"])["population"]
    counts = _kind(frame, "T-POP")
    county = counts[counts.area_code == COUNTY_CODE].set_index(["year", "gender"]).value
    kommuner = _members(counts, COUNTY_CODE).groupby(["year", "gender"]).value.sum()
    pd.testing.assert_series_equal(county.sort_index(), kommuner.sort_index(), check_names=False)
    assert 350_000 < county.loc[(2024, "T")] < 380_000
    nation = counts[counts.area_code == NATION_CODE].set_index(["year", "gender"]).value
    assert 9_000_000 < nation.loc[(2024, "T")] < 12_000_000

    for indicator, decimals in (("T-MEAN", 0), ("T-INDEX", 2)):
        rows = _kind(frame, indicator)
        county = rows[rows.area_code == COUNTY_CODE].set_index(["year", "gender"])
        members = _members(rows, COUNTY_CODE)
        members = members[members.status == "ok"].copy()
        members["w"] = [
            pops.loc[(a, y)] for a, y in zip(members.area_code, members.year, strict=True)
        ]
        members["wv"] = members.w * members.value
        sums = members.groupby(["year", "gender"])[["wv", "w"]].sum()
        expected = sums.wv / sums.w
        got = county.loc[expected.index, "value"]
        assert np.allclose(got, expected, atol=0.5 * 10**-decimals + 1e-9), indicator


def test_rows_that_are_not_ok_have_no_value(seeded, frame):
    not_ok = frame[frame.status != "ok"]
    assert not_ok[["value", "numerator", "denominator"]].isna().all().all()
    assert set(not_ok.status) == {"missing", "suppressed"}
    assert set(not_ok[not_ok.status == "missing"].status_reason) == {MISSING_REASON}
    assert set(not_ok[not_ok.status == "suppressed"].status_reason) == {SUPPRESSED_REASON}
    assert (frame[frame.status == "ok"].status_reason == "").all()
    assert frame[frame.status == "ok"].value.notna().all()
    # Bortfall is drawn per area and year, about 1 % of the directly generated rows.
    base = frame[frame.area_code.str[:2] != "00"]
    share = (base.status == "missing").mean()
    assert 0.003 < share < 0.025
    # Suppression falls on small kommuner, never on Riket's large sums.
    suppressed = frame[frame.status == "suppressed"]
    assert len(suppressed) > 0
    assert NATION_CODE not in set(suppressed.area_code)
    assert not (_kind(frame, "T-POP").status != "ok").any()


def test_coded_values_come_from_the_codes_and_adoption_mostly_moves_forward(frame):
    coded = _kind(frame, "T-CODED")
    assert set(coded.area_code.str[:2]) - {"00"} and not (coded.area_code.str[:2] == "00").any()
    assert set(coded.gender) == {"T"}
    ok = coded[coded.status == "ok"]
    assert set(ok.value) == {0.0, 1.0, 2.0}
    steps = ok.sort_values(["area_code", "year"]).groupby("area_code").value.diff().dropna()
    assert (steps < 0).mean() < 0.05
    assert (steps > 0).sum() > 100
    first, last = ok[ok.year == 2015].value.mean(), ok[ok.year == 2025].value.mean()
    assert last > first


def test_area_levels(frame):
    region = _kind(frame, "T-REGION")
    assert set(region.area_code) == {
        a.code for a in read_kolada_areas() if a.kind is not AreaKind.KOMMUN
    }
    kommun = _kind(frame, "T-RATE")
    assert len(set(kommun.area_code)) == 312


def test_discontinued_series_stop(frame):
    assert _kind(frame, "T-MEAN").year.max() == 2024
    assert _kind(frame, "T-REGION").year.max() == 2023
    assert _kind(frame, "T-RATE").year.max() == 2025
    assert _kind(frame, "T-RATE").year.min() == 2015


# --- plausibility ------------------------------------------------------------------------------


def test_small_kommuner_vary_more_from_year_to_year_than_jonkoping():
    areas = [
        AreaSpec(c, AreaKind.KOMMUN, COUNTY_CODE, demo_population(c)) for c in COUNTY_KOMMUN_CODES
    ]
    specs = [s for s in _specs() if s.id in ("T-RATE", "T-MEAN", "T-RATIO")]
    wobble: dict[str, list[float]] = {"small": [], "large": []}
    for seed in range(10):
        frame = generate_observations(specs, areas, YEARS, seed)
        totals = frame[(frame.gender == "T") & (frame.status == "ok")]
        for (indicator, area), rows in totals.groupby(["indicator_id", "area_code"]):
            values = rows.sort_values("period_start").value.to_numpy()
            if len(values) < 5:
                continue
            # Relative to the indicator's own scale, so indicators can be pooled.
            scale = totals[totals.indicator_id == indicator].value.abs().mean()
            sd = np.std(np.diff(values)) / scale
            if area in SMALL:
                wobble["small"].append(sd)
            elif area == JONKOPING:
                wobble["large"].append(sd)
    assert np.median(wobble["small"]) > 2 * np.median(wobble["large"])


def test_populations_are_plausible():
    assert demo_population("0680") == 143_000 and demo_population("0604") == 7_000
    assert demo_population("0180") == 985_000
    others = [demo_population(a.code) for a in read_kolada_areas() if a.kind is AreaKind.KOMMUN]
    assert min(others) >= 2_400 and max(others) <= 1_000_000
    assert 10_000 < np.median(others) < 25_000
    table = population_table(read_area_specs_from_file(), YEARS)
    jkpg = table[table.area_code == JONKOPING].set_index("year").population
    assert jkpg.loc[2024] == 143_000
    assert 0.9 < jkpg.loc[2015] / jkpg.loc[2025] < 1.05


def test_real_catalogue_seeds_plausibly(tmp_path, catalogue):
    assert set(PROFILES) <= {i.id for i in catalogue.indicators}
    url = _make_store(tmp_path / "real.sqlite", catalogue)
    with session_scope(url) as session:
        report = seed_demo(session, area_codes=COUNTY_KOMMUN_CODES)
        specs = read_indicator_specs(session)
    frame = _read(url)
    assert report.indicators == len(catalogue.indicators) == len(specs)
    county = frame[frame.area_code.isin(COUNTY_KOMMUN_CODES) & (frame.gender == "T")]
    median = county[county.status == "ok"].groupby("indicator_id").value.median()
    assert 11 <= median["U21401"] <= 19
    assert 35 <= median["U23401"] <= 90
    assert 60 <= median["N21497"] <= 80
    kontinuitet = frame[frame.indicator_id == "RJL-KONTINUITETSINDEX-PV"].value.dropna()
    assert kontinuitet.between(0, 1).all() and 0.3 <= kontinuitet.median() <= 0.6
    assert frame[frame.indicator_id == "U21401"].year.max() == 2024
    staff = county[(county.indicator_id == "U21401") & (county.status == "ok")]
    assert staff[staff.year == 2024].value.mean() < staff[staff.year == 2015].value.mean()
