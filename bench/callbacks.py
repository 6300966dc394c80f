"""Every page's layout and callbacks, server side, through the real Flask app in this process,
each beside its floor: the bare SQL that fetches exactly the data the view shows.

    .venv/bin/python bench/callbacks.py demo|national [--reps 5] [--only NAME]

A case is one page layout (the router callback `_pages_content`, as the browser asks for it),
one page callback (POST /_dash-update-component with the body Dash sends, its values taken from
the rendered layout and varied), or one read API endpoint. Every case runs over several
selections (strategies, groups, kommuner, indicators, genders, periods). Per request, cold
first (indicators.reads.cache.clear_all(): what the first viewer after an import sees) and then warm
(the same request again, answered from the query cache). Results go to
bench/.data/results/callbacks-<scale>.json."""

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from sqlalchemy import Connection, bindparam, create_engine, text  # noqa: E402

from bench.common import percentile, write_result  # noqa: E402
from bench.scale_data import ensure_postgres, ensure_sqlite  # noqa: E402

Send = Callable[[], int]
Floor = Callable[[Connection], int]

COUNTY = "0006"
NATION = "0000"


@dataclass
class Request:
    label: str
    send: Send
    floor: Floor


@dataclass
class Case:
    name: str
    page: str
    kind: str  # "sida" (layout), "callback" or "api"
    requests: list[Request] = field(default_factory=list)


def q(conn: Connection, sql: str, **params: Any) -> int:
    """One bare query, every row fetched; list parameters expand to IN (…)."""
    params = {k: v for k, v in params.items() if f":{k}" in sql}
    statement = text(sql)
    expanding = [bindparam(k, expanding=True) for k, v in params.items() if isinstance(v, list)]
    if expanding:
        statement = statement.bindparams(*expanding)
    return len(conn.execute(statement, params).all())


# --- floors ----------------------------------------------------------------------------------
# Each is the data the view shows, fetched in as few plain queries as it takes.

OBS = (
    "SELECT o.indicator_id, o.area_code, o.period_type, o.period_start, o.gender, o.value, "
    "o.numerator, o.denominator, o.status FROM observation o"
)
TREE = (
    "SELECT s.number, s.title, m.id, m.title, im.indicator_id, i.title, i.unit, i.headline "
    "FROM strategy s JOIN matomrade m ON m.strategy_number = s.number "
    "JOIN indicator_matomrade im ON im.matomrade_id = m.id "
    "JOIN indicator i ON i.id = im.indicator_id"
)
CATALOGUE_IDS = "SELECT indicator_id FROM indicator_matomrade"
STRATEGY_IDS = (
    "SELECT im.indicator_id FROM indicator_matomrade im JOIN matomrade m "
    "ON m.id = im.matomrade_id WHERE m.strategy_number = :n"
)
GROUP_IDS = (
    "SELECT indicator_id FROM indicator_strategigrupp WHERE strategigrupp_id = :g UNION "
    "SELECT im.indicator_id FROM indicator_matomrade im JOIN matomrade_strategigrupp ms "
    "ON ms.matomrade_id = im.matomrade_id WHERE ms.strategigrupp_id = :g "
    "AND im.indicator_id NOT IN (SELECT indicator_id FROM indicator_strategigrupp)"
)


def floor_overview(areas: list[str]) -> Floor:
    def run(c: Connection) -> int:
        return q(c, TREE) + q(
            c,
            f"{OBS} JOIN indicator i ON i.id = o.indicator_id WHERE i.headline "
            "AND o.area_code IN :a AND o.gender = 'T' AND o.period_type = 'year'",
            a=areas,
        )

    return run


def floor_ids(ids_sql: str, areas: list[str], tree: bool = True, **params: Any) -> Floor:
    def run(c: Connection) -> int:
        n = q(c, TREE) if tree else 0
        return n + q(
            c,
            f"{OBS} JOIN indicator i ON i.id = o.indicator_id WHERE o.indicator_id IN "
            f"({ids_sql}) AND o.area_code IN :a AND o.gender = 'T' "
            "AND o.period_type = i.period_type",
            a=areas,
            **params,
        )

    return run


def floor_series(indicator: str, areas: list[str], gender: str | None) -> Floor:
    def run(c: Connection) -> int:
        g = " AND o.gender = :g" if gender else ""
        extra = {"g": gender} if gender else {}
        return q(c, "SELECT * FROM indicator WHERE id = :i", i=indicator) + q(
            c,
            f"{OBS} JOIN area a ON a.code = o.area_code WHERE o.indicator_id = :i "
            f"AND o.area_code IN :a{g} ORDER BY a.sort_order, a.name, o.period_start",
            i=indicator,
            a=areas,
            **extra,
        )

    return run


def floor_period(indicator: str, areas: list[str], period_start: str) -> Floor:
    def run(c: Connection) -> int:
        return (
            q(c, "SELECT * FROM target WHERE indicator_id = :i", i=indicator)
            + q(c, "SELECT * FROM analysis WHERE indicator_id = :i", i=indicator)
            + q(
                c,
                f"{OBS} WHERE o.indicator_id = :i AND o.area_code IN :a AND o.period_start = :p",
                i=indicator,
                a=areas,
                p=period_start,
            )
        )

    return run


SIMILAR_AREAS = (
    "SELECT CAST(:k AS VARCHAR) UNION SELECT gm.area_code FROM similar_group_member gm "
    "JOIN similar_group g ON g.id = gm.group_id JOIN indicator i ON i.id = :i "
    "WHERE g.area_code = :k AND g.kind = i.similar_kind"
)


def floor_similar(indicator: str, kommun: str, gender: str) -> Floor:
    """The kommun's group of similar kommuner for the indicator, and their values."""

    def run(c: Connection) -> int:
        return q(c, "SELECT * FROM indicator WHERE id = :i", i=indicator) + q(
            c,
            f"{OBS} WHERE o.indicator_id = :i AND o.gender = :g AND o.area_code IN "
            f"({SIMILAR_AREAS})",
            i=indicator,
            k=kommun,
            g=gender,
        )

    return run


def floor_plain(*sqls: str, **params: Any) -> Floor:
    def run(c: Connection) -> int:
        return sum(q(c, s, **params) for s in sqls)

    return run


# --- the cases -------------------------------------------------------------------------------


def build_cases(client: Any, dash: Any, store_conn: Connection) -> list[Case]:
    from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES

    county = [COUNTY, *COUNTY_KOMMUN_CODES]
    followup = [NATION, *county]
    kommuner = list(COUNTY_KOMMUN_CODES)
    strategies = [r[0] for r in store_conn.execute(text("SELECT number FROM strategy ORDER BY 1"))]
    groups = [r[0] for r in store_conn.execute(text("SELECT id FROM strategigrupp ORDER BY 1"))]
    catalogue = [
        r[0]
        for r in store_conn.execute(
            text(
                "SELECT DISTINCT im.indicator_id FROM indicator_matomrade im JOIN indicator i "
                "ON i.id = im.indicator_id WHERE i.area_level != 'region' ORDER BY 1"
            )
        )
    ]
    # A spread of catalogue indicators: every fifth, so several value kinds come up.
    indicators = catalogue[::5][:8]

    def page(url: str) -> Send:
        body = dash.page_body(url)
        return lambda: dash.post(body)[0]

    def get(url: str) -> Send:
        return lambda: client.get(url).status_code

    cases: list[Case] = []

    def add(name: str, page_name: str, kind: str, reqs: list[Request]) -> None:
        cases.append(Case(name, page_name, kind, reqs))

    # Dash's own cost of one page render with no data behind it: the 404 page.
    add(
        "Referens: sida utan data (404)",
        "–",
        "sida",
        [Request("/finns-inte", page("/finns-inte"), floor_plain("SELECT 1"))],
    )
    add("Översikt", "Översikt", "sida", [Request("/", page("/"), floor_overview(county))])
    add(
        "Strategi /strategi/<n>",
        "Strategier",
        "sida",
        [
            Request(f"/strategi/{n}", page(f"/strategi/{n}"), floor_ids(STRATEGY_IDS, county, n=n))
            for n in strategies
        ],
    )
    add(
        "Strategigrupp /strategigrupp/<id>",
        "Strategigrupper",
        "sida",
        [
            Request(
                f"/strategigrupp/{g}",
                page(f"/strategigrupp/{g}"),
                floor_ids(GROUP_IDS, county, g=g),
            )
            for g in groups
        ],
    )
    add(
        "Kommun /kommun/<kod>",
        "Kommuner",
        "sida",
        [
            Request(f"/kommun/{k}", page(f"/kommun/{k}"), floor_ids(CATALOGUE_IDS, followup))
            for k in [COUNTY, *kommuner[::3]]
        ],
    )
    add(
        "Indikatorer",
        "Indikatorer",
        "sida",
        [
            Request(
                url,
                page(url),
                floor_plain(
                    "SELECT i.id, i.title, i.short_title, i.unit, i.source, i.origin, "
                    "im.matomrade_id, ig.strategigrupp_id FROM indicator i "
                    "LEFT JOIN indicator_matomrade im ON im.indicator_id = i.id "
                    "LEFT JOIN indicator_strategigrupp ig ON ig.indicator_id = i.id"
                ),
            )
            for url in [
                "/indikatorer",
                f"/indikatorer?strategigrupp={groups[0]}",
                "/indikatorer?q=andel",
            ]
        ],
    )
    add(
        "Indikator /indikator/<id> (sida)",
        "Indikator",
        "sida",
        [
            Request(f"/indikator/{i}", page(f"/indikator/{i}"), floor_series(i, followup, None))
            for i in indicators
        ],
    )
    # The Indikator page's two callbacks, with the values its layout holds, varied.
    view_reqs: list[Request] = []
    period_reqs: list[Request] = []
    view_dep = dash.dependency("indikator-diagram")
    period_dep = dash.dependency("indikator-rangordning")
    from bench.dash_calls import values_from

    for n, ind in enumerate(indicators):
        layout = dash.render(f"/indikator/{ind}")
        base = values_from(layout, view_dep)
        periods = sorted(
            o["value"] for o in layout.get("indikator-period", {}).get("options") or []
        )
        genders = [o["value"] for o in layout.get("indikator-kon", {}).get("options") or []] or [
            "T"
        ]
        chosen = kommuner[n % 4 :: 2 + n % 3]
        gender = genders[n % len(genders)]
        body = dash.payload(
            "indikator-diagram",
            {**base, "indikator-kommuner.value": chosen, "indikator-kon.value": gender},
            "indikator-kommuner.value",
        )
        view_reqs.append(
            Request(
                f"{ind} {len(chosen)} kommuner {gender}",
                lambda body=body: dash.post(body)[0],
                floor_series(ind, [NATION, COUNTY, *chosen], gender),
            )
        )
        if periods:
            period = periods[-1 - n % min(3, len(periods))]
            pvalues = {**values_from(layout, period_dep), "indikator-period.value": period}
            pvalues["indikator-kon.value"] = gender
            pbody = dash.payload("indikator-rangordning", pvalues, "indikator-period.value")
            start = _period_start(period)
            period_reqs.append(
                Request(
                    f"{ind} {period} {gender}",
                    lambda body=pbody: dash.post(body)[0],
                    floor_period(ind, followup, start),
                )
            )
    add("Indikator: diagram och tabell (update_view)", "Indikator", "callback", view_reqs)
    add(
        "Indikator: rangordning, karta, kön (update_period_view)",
        "Indikator",
        "callback",
        period_reqs,
    )

    # Liknande kommuner: the Kommun page's section over its indicators, the Indikator page's
    # over kommuner, each a kommun's group of seven across Sweden.
    kommun_similar: list[Request] = []
    similar_dep = dash.dependency("kommun-liknande-indikator")
    for n, k in enumerate(kommuner[::3]):
        layout = dash.render(f"/kommun/{k}")
        values = values_from(layout, similar_dep)
        ind = indicators[n % len(indicators)]
        body = dash.payload(
            "kommun-liknande-indikator",
            {**values, "kommun-liknande-indikator.value": ind},
            "kommun-liknande-indikator.value",
        )
        kommun_similar.append(
            Request(
                f"{k} {ind}",
                lambda body=body: dash.post(body)[0],
                floor_similar(ind, k, "T"),
            )
        )
    add("Kommun: liknande kommuner (update_similar)", "Kommuner", "callback", kommun_similar)
    indikator_similar: list[Request] = []
    similar_dep = dash.dependency("indikator-liknande-text")
    for n, ind in enumerate(indicators):
        layout = dash.render(f"/indikator/{ind}")
        k = kommuner[(3 * n) % len(kommuner)]
        values = {**values_from(layout, similar_dep), "indikator-liknande-kommun.value": k}
        body = dash.payload("indikator-liknande-text", values, "indikator-liknande-kommun.value")
        indikator_similar.append(
            Request(
                f"{ind} {k}",
                lambda body=body: dash.post(body)[0],
                floor_similar(ind, k, values.get("indikator-kon.value") or "T"),
            )
        )
    add("Indikator: liknande kommuner (update_similar)", "Indikator", "callback", indikator_similar)

    jam = dash.render("/jamforelse")
    jam_dep = dash.dependency("jamforelse-strategi")
    jam_base = values_from(jam, jam_dep)
    jam_reqs = []
    for choice in ["alla", *[str(n) for n in strategies]]:
        body = dash.payload(
            "jamforelse-strategi",
            {**jam_base, "jamforelse-strategi.value": choice},
            "jamforelse-strategi.value",
        )
        ids_sql, params = (
            (CATALOGUE_IDS, {}) if choice == "alla" else (STRATEGY_IDS, {"n": int(choice)})
        )
        jam_reqs.append(
            Request(
                f"strategi={choice}",
                lambda body=body: dash.post(body)[0],
                floor_ids(ids_sql, followup, **params),
            )
        )
    add(
        "Jämförelse (sida)",
        "Jämförelse",
        "sida",
        [Request("/jamforelse", page("/jamforelse"), floor_plain(TREE))],
    )
    add("Jämförelse: matris (callback)", "Jämförelse", "callback", jam_reqs)

    # Inrapportering: its page, and its matrix callback over periods, strategies and who
    # delivers. Floor: the catalogue, and every total row of the period for the county's
    # areas with its import's date.
    delivery = dash.render("/inrapportering")
    delivery_dep = dash.dependency("inrapportering-period")
    delivery_base = values_from(delivery, delivery_dep)
    last_year = date.today().year - 1
    delivery_reqs = []
    for year, strategy, deliverer in [
        (last_year, "alla", "alla"),
        (last_year - 1, "alla", "alla"),
        (last_year, "2", "alla"),
        (last_year, "alla", "kommunerna"),
        (last_year - 3, "4", "alla"),
    ]:
        body = dash.payload(
            "inrapportering-period",
            {
                **delivery_base,
                "inrapportering-period.value": str(year),
                "inrapportering-strategi.value": strategy,
                "inrapportering-lamnas-av.value": deliverer,
            },
            "inrapportering-period.value",
        )
        delivery_reqs.append(
            Request(
                f"{year} strategi={strategy} lämnas av={deliverer}",
                lambda body=body: dash.post(body)[0],
                floor_plain(
                    TREE,
                    "SELECT o.indicator_id, o.area_code, o.status, b.imported_at "
                    "FROM observation o JOIN import_batch b ON b.id = o.batch_id "
                    "WHERE o.indicator_id IN (SELECT indicator_id FROM indicator_matomrade) "
                    "AND o.area_code IN :a AND o.gender = 'T' AND o.period_type = 'year' "
                    "AND o.period_start = :p",
                    a=county,
                    p=f"{year}-01-01",
                ),
            )
        )
    add(
        "Inrapportering (sida)",
        "Inrapportering",
        "sida",
        [Request("/inrapportering", page("/inrapportering"), floor_plain(TREE))],
    )
    add("Inrapportering: matris (callback)", "Inrapportering", "callback", delivery_reqs)

    since_reqs = []
    for day in [date.today() - timedelta(days=30), date(2025, 12, 1), date(2020, 1, 1)]:
        body = dash.payload(
            "sedan-datum",
            {"sedan-datum.value": day.isoformat(), "sedan-url.search": ""},
            "sedan-datum.value",
        )
        since_reqs.append(
            Request(
                f"sedan {day}",
                lambda body=body: dash.post(body)[0],
                floor_plain(
                    "SELECT * FROM import_batch WHERE imported_at >= :d",
                    "SELECT DISTINCT o.indicator_id, o.area_code, o.period_type FROM observation o "
                    "JOIN import_batch b ON b.id = o.batch_id WHERE b.imported_at >= :d "
                    "AND o.area_code IN :a AND o.gender = 'T'",
                    d=day.isoformat(),
                    a=county,
                ),
            )
        )
    add(
        "Sedan förra mötet (sida)",
        "Sedan förra mötet",
        "sida",
        [
            Request(
                "/sedan-forra-motet",
                page("/sedan-forra-motet"),
                floor_plain("SELECT * FROM import_batch"),
            )
        ],
    )
    add("Sedan förra mötet: innehåll (callback)", "Sedan förra mötet", "callback", since_reqs)

    decks = [
        f"vyer={indicators[0]},strategi-{strategies[0]}",
        f"vyer=strategi-{strategies[-1]},{indicators[1]},{indicators[2]}&steg=2",
        f"vyer={indicators[3]}",
    ]
    add(
        "Mötesläge /moteslage?vyer=…",
        "Mötesläge",
        "sida",
        [
            Request(
                f"?{d}",
                page(f"/moteslage?{d}"),
                floor_ids(STRATEGY_IDS, county, n=strategies[0]),
            )
            for d in decks
        ],
    )
    add(
        "Importhistorik",
        "Importhistorik",
        "sida",
        [
            Request(
                url,
                page(url),
                floor_plain("SELECT * FROM import_batch ORDER BY imported_at DESC LIMIT 500"),
            )
            for url in ["/importhistorik", "/importhistorik?batch=1"]
        ],
    )
    log = dash.render("/granskningslogg")
    log_dep = dash.dependency("logg-tabell")
    log_body = dash.payload("logg-tabell", values_from(log, log_dep), "logg-vad.value")
    add(
        "Granskningslogg: tabell (callback)",
        "Granskningslogg",
        "callback",
        [
            Request(
                "alla",
                lambda: dash.post(log_body)[0],
                floor_plain("SELECT * FROM audit_event ORDER BY id DESC LIMIT 1000"),
            )
        ],
    )
    add(
        "API /api/v1/indicators",
        "API",
        "api",
        [Request("indicators", get("/api/v1/indicators"), floor_plain("SELECT * FROM indicator"))],
    )
    add(
        "API /api/v1/areas",
        "API",
        "api",
        [Request("areas", get("/api/v1/areas"), floor_plain("SELECT * FROM area"))],
    )
    api_reqs = []
    for n, ind in enumerate(indicators[:4]):
        areas = county if n % 2 else [COUNTY, kommuner[n]]
        url = f"/api/v1/observations?indicator={ind}&area={','.join(areas)}"
        api_reqs.append(
            Request(
                f"{ind} {len(areas)} områden",
                get(url),
                floor_plain(
                    f"{OBS} WHERE o.indicator_id = :i AND o.area_code IN :a", i=ind, a=areas
                ),
            )
        )
    add("API /api/v1/observations", "API", "api", api_reqs)
    return cases


def _period_start(label: str) -> str:
    """'2024' → '2024-01-01'; other period labels fall back to their year's start."""
    digits = "".join(ch for ch in label if ch.isdigit())[:4]
    return f"{digits or '2024'}-01-01"


def timed(action: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    status = action()
    return (time.perf_counter() - start) * 1000, status


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": max(values) if values else float("nan"),
        "n": len(values),
    }


def profile(cases: list[Case], clear: Callable[[], None]) -> None:
    """Where a cold request's time goes: the slowest selection of each case, top functions of
    the project's own code by cumulative time."""
    import cProfile
    import pstats

    for case in cases:
        slowest = max(case.requests, key=lambda r: (clear(), timed(r.send)[0])[1])
        clear()
        profiler = cProfile.Profile()
        profiler.runcall(slowest.send)
        stats = pstats.Stats(profiler)
        total = sum(v[3] for v in stats.stats.values() if v)  # type: ignore[attr-defined]
        print(f"\n== {case.name} — {slowest.label}")
        rows = [
            (ct, f"{Path(fn).name}:{line} {name}")
            for (fn, line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()  # type: ignore[attr-defined]
            if str(ROOT) in fn and "/.venv/" not in fn and "bench/" not in fn
        ]
        for ct, where in sorted(rows, reverse=True)[:12]:
            print(f"  {ct * 1000:8.1f} ms  {where}")
        del total


def run_cases(cases: list[Case], reps: int, conn: Connection) -> list[dict[str, Any]]:
    from indicators.reads import cache

    results = []
    for case in cases:
        cold: list[float] = []
        warm: list[float] = []
        floor: list[float] = []
        errors: list[str] = []
        for _ in range(reps):
            for req in case.requests:
                cache.clear_all()
                ms, status = timed(req.send)
                cold.append(ms)
                ms2, status2 = timed(req.send)
                warm.append(ms2)
                # best of three: the floor is what the query costs, not the machine's noise
                floor.append(min(timed(lambda req=req: req.floor(conn))[0] for _ in range(3)))
                if status != 200 or status2 != 200:
                    errors.append(f"{req.label}: HTTP {status}/{status2}")
        row = {
            "name": case.name,
            "page": case.page,
            "kind": case.kind,
            "selections": [r.label for r in case.requests],
            "cold": summary(cold),
            "warm": summary(warm),
            "floor": summary(floor),
            "errors": sorted(set(errors)),
        }
        results.append(row)
        print(
            f"{case.name:58} kall p50 {row['cold']['p50']:7.1f} p95 {row['cold']['p95']:7.1f}"
            f"  varm p95 {row['warm']['p95']:6.1f}  golv p95 {row['floor']['p95']:6.1f} ms"
            + (f"  FEL {errors[:2]}" if errors else ""),
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale", choices=["demo", "national"])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--runs", type=int, default=3, help="consecutive runs, to show the spread between them"
    )
    parser.add_argument("--only", default="")
    parser.add_argument("--tag", default="", help="suffix of the result's name, e.g. 'before'")
    parser.add_argument("--postgres", default="", help="server URL: run on bench_<scale> there")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one cold request per case instead"
    )
    args = parser.parse_args()

    if args.postgres:
        built = ensure_postgres(args.scale, args.postgres)
    else:
        built = ensure_sqlite(args.scale)
    os.environ["DATABASE_URL"] = built.url
    # Preparing the store (a migration, a rebuild) may have read the settings already: read
    # them again, or the app would serve the default store instead of this one.
    from indicators.settings import get_settings

    get_settings.cache_clear()
    os.environ["INDIKATOR_SEED_DEMO"] = "false"
    # Cold is measured with the cache cleared before each request; a warmer thread filling it
    # in the background would only compete for the CPU.
    os.environ["INDIKATOR_WARM_CACHE"] = "false"
    os.environ.setdefault("INDIKATOR_HOST", "127.0.0.1")
    import logging

    logging.disable(logging.WARNING)
    from app import app  # the real app, on this store, in local single-user mode
    from bench.dash_calls import InProcessDash
    from indicators.reads import cache

    client = app.server.test_client()
    dash = InProcessDash(client)
    floor_engine = create_engine(built.url)
    with floor_engine.connect() as conn:
        cases = build_cases(client, dash, conn)
        if args.only:
            cases = [c for c in cases if args.only.lower() in c.name.lower()]
        if args.profile:
            profile(cases, cache.clear_all)
            return
        runs = []
        for run in range(args.runs):
            load = os.getloadavg()[0]
            print(f"-- körning {run + 1} av {args.runs} (belastning {load:.2f})", flush=True)
            runs.append({"load": round(load, 2), "cases": run_cases(cases, args.reps, conn)})
    write_result(
        f"callbacks-{args.scale}"
        + ("-postgresql" if args.postgres else "")
        + (f"-{args.tag}" if args.tag else ""),
        {
            "scale": args.scale,
            "backend": "postgresql" if args.postgres else "sqlite",
            "reps": args.reps,
            "store": built.__dict__,
            # The last run under the old key; every run (consecutive, same process) beside it.
            "cases": runs[-1]["cases"],
            "runs": runs,
        },
    )


if __name__ == "__main__":
    main()
