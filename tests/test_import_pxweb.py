"""PxWeb and JSON-stat files as the field exports them (SCB API v1 and v2, Folkhälsodata, other
countries' PxWeb): what each dimension restricts, SCB's total codes, the file's own status notes
and foreign region codes, through the real import pipeline into a real store (SQLite and
PostgreSQL). The files under tests/fixtures/import are described in pxweb_SOURCES.md."""

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from indicators.catalogue import Catalogue
from indicators.imports.formats import parse_upload
from indicators.imports.pipeline import FileStatus, save
from indicators.imports.records import ParsedFile, Severity, UploadedFile
from indicators.imports.values import AreaResolver
from indicators.paths import KOLADA_AREAS_FILE
from indicators.store.engine import engine_for
from indicators.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "import"
USER = "Anna Analytiker"
POPULATION = "N01951"  # Invånare totalt, antal (by gender, every area level)
RATE = "N21497"  # andel (%), kommun level, yearly


@pytest.fixture
def store(stores) -> Store:
    """A production install (catalogue and every Kolada area, no values) on each backend."""
    return Store(stores.prepared())


@pytest.fixture(scope="module")
def areas() -> AreaResolver:
    with KOLADA_AREAS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kinds = {"K": "kommun", "L": "region"}
    return AreaResolver(
        (r["id"], r["title"], "riket" if r["id"] == "0000" else kinds[r["type"]]) for r in rows
    )


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def upload(name: str, document: dict[str, Any] | None = None) -> UploadedFile:
    if document is None:
        return UploadedFile(name, (FIXTURES / name).read_bytes())
    return UploadedFile(name, json.dumps(document, ensure_ascii=False).encode())


def observations(store: Store) -> list[tuple]:
    with engine_for(store.url).connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                text(
                    "SELECT area_code, period_start, gender, value, status, status_reason "
                    "FROM observation ORDER BY area_code, period_start, gender"
                )
            )
        ]


def errors(result: Any) -> list[tuple]:
    return [
        (p.file, p.column, p.value, p.message)
        for p in result.problems
        if p.severity is Severity.ERROR
    ]


def parsed_errors(parsed: ParsedFile) -> list[tuple]:
    return [(p.column, p.value, p.message) for p in parsed.problems if p.severity is Severity.ERROR]


def cube(
    region: dict[str, str],
    *,
    extra: dict[str, dict[str, str]] | None = None,
    kon: dict[str, str] | None = None,
    values: list[Any],
    status: dict[str, str] | None = None,
    note: list[str] | None = None,
    source: str = "SCB",
) -> dict[str, Any]:
    """A JSON-stat 2.0 cube as PxWeb writes it: Region, any extra dimensions, Kon, Tid (2024)."""
    dims: dict[str, dict[str, str]] = {"Region": region, **(extra or {})}
    if kon is not None:
        dims["Kon"] = kon
    dims["Tid"] = {"2024": "2024"}
    document: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": "Uttag",
        "source": source,
        "role": {"geo": ["Region"], "time": ["Tid"]},
        "id": list(dims),
        "size": [len(d) for d in dims.values()],
        "dimension": {
            name: {
                "label": name.lower(),
                "category": {"index": {c: i for i, c in enumerate(d)}, "label": d},
            }
            for name, d in dims.items()
        },
        "value": values,
    }
    if status is not None:
        document["status"] = status
    if note is not None:
        document["note"] = note
    return document


# --- other countries' codes are never Swedish areas ------------------------------------------


def test_real_statistics_norway_file_is_refused_as_norwegian(store: Store) -> None:
    # Statistics Norway's table 07459 (population by kommune, 2022) as downloaded: 359 regions.
    result = save(
        store,
        [upload("ssb_07459_befolkning_kommuner_2022.json")],
        user=USER,
        indicator_id=POPULATION,
    )
    assert result.status is not FileStatus.SAVED
    assert errors(result) == [
        (
            "ssb_07459_befolkning_kommuner_2022.json",
            "Region",
            "Statistisk sentralbyrå",
            "Filen kommer från Statistisk sentralbyrå (Norge), inte från en svensk källa: dess "
            "regionkoder är inte svenska län och kommuner, så inga värden sparas.",
        )
    ]
    assert observations(store) == []


@pytest.mark.parametrize(
    ("label", "country"),
    [("Buskerud", "Norway's fylke 06 before 2020"), ("Pirkanmaa", "Finland's maakunta 06")],
)
def test_region_06_of_another_country_is_not_jonkopings_lan(
    store: Store, label: str, country: str
) -> None:
    # The real Statistics Norway file, its regions replaced by one county coded "06" and its
    # source left out, as a file passed on by hand would be.
    document = fixture("ssb_07459_befolkning_kommuner_2022.json")
    del document["source"]
    document["dimension"]["Region"]["category"] = {"index": {"06": 0}, "label": {"06": label}}
    document["size"][0] = 1
    document["value"] = [280000]
    result = save(store, [upload("fylke.json", document)], user=USER, indicator_id=POPULATION)
    assert result.status is not FileStatus.SAVED, country
    assert errors(result) == [
        (
            "fylke.json",
            "Region",
            "06",
            f"Regionkoden '06' heter '{label}' i filen, men 06 är Region Jönköpings län i "
            "Sverige. Filen verkar gälla ett annat land eller en annan indelning; inga värden "
            "sparas. Hämta uttaget från en svensk källa (SCB, Folkhälsomyndigheten).",
        )
    ]
    assert observations(store) == []


@pytest.mark.parametrize(
    ("code", "label", "area"),
    [
        ("06", "06 Jönköpings län", "0006"),
        ("06", "Jönköping county", "0006"),
        ("04", "Södermanlands län", "0004"),
        ("23", "Jämtlands län", "0023"),
        ("14", "Västra Götalands län", "0014"),
        ("00", "Riket", "0000"),
        ("00", "Sweden", "0000"),
        ("0680", "Jönköping", "0680"),
        ("0680", "0680 Jönköping", "0680"),
        ("0687", "Tranås kommun", "0687"),
    ],
)
def test_swedish_labels_pass_the_country_check(
    areas: AreaResolver, code: str, label: str, area: str
) -> None:
    document = cube({code: label}, values=[1.0])
    parsed = parse_upload(
        upload("se.json", document), areas=areas, max_bytes=10**6, indicator_id=POPULATION
    )
    assert parsed_errors(parsed) == []
    assert list(parsed.records["area_code"]) == [area]


def test_real_statistics_norway_oslo_03_is_not_uppsala_lan(store: Store) -> None:
    # Statistics Norway's table 12093 (PX file from PxTools' tests, served as PxWeb serves
    # JSON-stat2): one region, "03" Oslo, which is Uppsala län's code in Sweden. Refused by its
    # source; passed on without its source line, by the label of its code.
    name = "ssb_12093_barnehage_oslo.json"
    result = save(store, [upload(name)], user=USER, indicator_id=RATE)
    assert [e[3] for e in errors(result)] == [
        "Filen kommer från Statistisk sentralbyrå (Norge), inte från en svensk källa: dess "
        "regionkoder är inte svenska län och kommuner, så inga värden sparas."
    ]
    document = fixture(name)
    del document["source"]
    result = save(store, [upload("oslo.json", document)], user=USER, indicator_id=RATE)
    assert errors(result) == [
        (
            "oslo.json",
            "Region",
            "03",
            "Regionkoden '03' heter 'Oslo' i filen, men 03 är Region Uppsala i Sverige. Filen "
            "verkar gälla ett annat land eller en annan indelning; inga värden sparas. Hämta "
            "uttaget från en svensk källa (SCB, Folkhälsomyndigheten).",
        )
    ]
    assert observations(store) == []


# --- what a dimension with one value means ----------------------------------------------------


def test_real_jsonstat1_file_reports_every_dimension_problem_at_once(areas: AreaResolver) -> None:
    # SCB's database of Socialstyrelsen's causes of death, Norrbottens län (JSON-stat 1.0):
    # one cause of death (not all), twenty age groups, and no indicator named.
    parsed = parse_upload(
        upload("scb_jsonstat1_doda_norrbotten.json"), areas=areas, max_bytes=10**6
    )
    assert parsed.format == "pxweb"
    assert parsed.records.empty
    assert parsed_errors(parsed) == [
        (
            "ContentsCode",
            "HS0301A1",
            "Filen anger inte vilken indikator värdena hör till. Välj indikatorn vid "
            "uppladdningen.",
        ),
        (
            "Dodsorsak",
            "23-28",
            "Dimensionen Dodsorsak (dödsorsak) har bara värdet 'cirkulationsorganens "
            "sjukdomar' (23-28), som inte är totalen. Värdena gäller alltså bara "
            "cirkulationsorganens sjukdomar, och indikatorn säger inte det. Välj vid "
            "uppladdningen en indikator som gäller cirkulationsorganens sjukdomar, eller gör ett "
            "nytt uttag med totalen i Dodsorsak.",
        ),
        (
            "Alder",
            None,
            "Dimensionen Alder har flera värden (0, 1-4, 5-9, 10-14, 15-19, 20-24). Gör ett "
            "uttag med ett värde i den, så att varje indikator, område, period och kön har ett "
            "värde.",
        ),
    ]


def test_real_scb_file_with_every_dimension_problem_at_once(store: Store) -> None:
    # SCB's BE0101N1 (population, two kommuner of Stockholms län) from PxTools' tests, served as
    # PxWeb serves JSON-stat2: two contents, two civilstånd and two age groups. Kön is
    # eliminable and its codes 1 and 2 are read; the three problems come in one answer.
    result = save(
        store, [upload("scb_be0101n1_folkmangd.json")], user=USER, indicator_id=POPULATION
    )
    assert result.status is not FileStatus.SAVED
    assert [(e[1], e[3]) for e in errors(result)] == [
        (
            "ContentsCode",
            "Kuben har 2 tabellinnehåll (BE0101N1, BE0101N2); en vald indikator kan bara gälla "
            "ett. Gör ett uttag per tabellinnehåll.",
        ),
        (
            "Civilstand",
            "Dimensionen Civilstand har flera värden (OG, G). Gör ett uttag med ett värde i den, "
            "så att varje indikator, område, period och kön har ett värde.",
        ),
        (
            "Alder",
            "Dimensionen Alder har flera värden (45-54, 55-64). Gör ett uttag med ett värde i "
            "den, så att varje indikator, område, period och kön har ett värde.",
        ),
    ]
    assert observations(store) == []


@pytest.mark.parametrize(
    ("dimension", "code", "label"),
    [("Civilstand", "OG", "ogifta"), ("Alder", "0", "0 år")],
)
def test_one_value_that_is_not_the_total_is_refused_naming_it(
    store: Store, dimension: str, code: str, label: str
) -> None:
    document = cube(
        {"0680": "Jönköping"},
        extra={dimension: {code: label}},
        kon={"TotSa": "totalt"},
        values=[61234],
    )
    result = save(store, [upload("uttag.json", document)], user=USER, indicator_id=POPULATION)
    assert result.status is not FileStatus.SAVED
    assert errors(result) == [
        (
            "uttag.json",
            dimension,
            code,
            f"Dimensionen {dimension} ({dimension.lower()}) har bara värdet '{label}' ({code}), "
            f"som inte är totalen. Värdena gäller alltså bara {label}, och indikatorn "
            f"{POPULATION} säger inte det. Välj vid uppladdningen en indikator som gäller "
            f"{label}, eller gör ett nytt uttag med totalen i {dimension}.",
        )
    ]
    assert observations(store) == []


def test_one_value_is_accepted_for_an_indicator_that_says_so(
    areas: AreaResolver, catalogue: Catalogue
) -> None:
    narrowed = catalogue.model_copy(
        update={
            "indicators": [
                i.model_copy(update={"description": "Antal ogifta invånare den 31/12."})
                if i.id == POPULATION
                else i
                for i in catalogue.indicators
            ]
        }
    )
    document = cube({"0680": "Jönköping"}, extra={"Civilstand": {"OG": "ogifta"}}, values=[61234])
    parsed = parse_upload(
        upload("ogifta.json", document),
        areas=areas,
        max_bytes=10**6,
        indicator_id=POPULATION,
        catalogue=narrowed,
    )
    assert parsed_errors(parsed) == []
    assert list(parsed.records["value"]) == [61234.0]


# --- SCB's API v2 codes ----------------------------------------------------------------------


def test_scb_v2_totals_are_understood_and_saved(store: Store) -> None:
    # Civilstand SC, Alder TotSA and Kon TotSa are SCB API v2's totals; ".." follows the
    # file's note ("för osäker"), not Kolada's meaning of "..".
    result = save(
        store, [upload("scb_v2_folkmangd_totsa.json")], user=USER, indicator_id=POPULATION
    )
    assert result.status is FileStatus.SAVED, result.problems
    assert [p for p in result.problems if p.severity is Severity.WARNING] == []
    rows = observations(store)
    assert len(rows) == 12
    by_key = {(r[0], str(r[1]), r[2]): r[3:] for r in rows}
    assert by_key[("0006", "2024-01-01", "T")] == (371210.0, "ok", "")
    assert by_key[("0680", "2023-01-01", "M")] == (72961.0, "ok", "")
    assert by_key[("0680", "2024-01-01", "M")] == (
        None,
        "uncertain",
        "för osäkert: .. Uppgift inte tillgänglig eller för osäker för att anges",
    )


def test_scb_v2_codes_without_labels_and_english_labels(areas: AreaResolver) -> None:
    codes_only = cube(
        {"0680": "0680"}, kon={"TotSa": "TotSa", "1": "1", "2": "2"}, values=[3.0, 1.0, 2.0]
    )
    english = cube(
        {"0680": "Jönköping"},
        kon={"TotSa": "total", "1": "men", "2": "women"},
        values=[3.0, 1.0, 2.0],
    )
    for name, document in (("koder.json", codes_only), ("english.json", english)):
        parsed = parse_upload(
            upload(name, document), areas=areas, max_bytes=10**6, indicator_id=POPULATION
        )
        assert parsed_errors(parsed) == [], name
        assert list(parsed.records["gender"]) == ["T", "M", "K"], name


# --- status symbols follow the file's own notes -----------------------------------------------


def test_status_symbols_follow_the_files_notes_and_are_stored(store: Store) -> None:
    document = cube(
        {
            "0604": "Aneby",
            "0617": "Gnosjö",
            "0642": "Mullsjö",
            "0643": "Habo",
            "0662": "Gislaved",
            "0665": "Vaggeryd",
        },
        values=[None, None, None, None, 812.0, 15.0],
        status={"0": "..", "1": "×", "2": ".", "3": "-", "4": "e"},
        note=[
            "Teckenförklaring:\n.. Uppgift för osäker för att redovisas\n× Sekretess (röjande)\n"
            ". Uppgift kan inte förekomma\n- Noll\ne Uppskattat värde",
        ],
    )
    result = save(store, [upload("tecken.json", document)], user=USER, indicator_id=POPULATION)
    assert result.status is FileStatus.SAVED, result.problems
    assert [(r[0], r[3], r[4], r[5]) for r in observations(store)] == [
        ("0604", None, "uncertain", "för osäkert: .. Uppgift för osäker för att redovisas"),
        ("0617", None, "suppressed", "sekretess: × Sekretess (röjande)"),
        ("0642", None, "not_applicable", "ej tillämpligt: . Uppgift kan inte förekomma"),
        ("0643", 0.0, "ok", "- Noll"),
        ("0662", 812.0, "ok", "e Uppskattat värde"),
        ("0665", 15.0, "ok", ""),
    ]
    # The estimate flag travels with the value to the API.
    from indicators.reads.api_queries import check_observation_query
    from indicators.reads.api_queries import observations as api_observations

    query = check_observation_query(store, {"indicator": [POPULATION], "area": ["0662"]})
    served = api_observations(store, query).frame
    assert list(zip(served["value"], served["status_reason"], strict=True)) == [
        (812.0, "e Uppskattat värde")
    ]


def test_the_same_symbol_means_what_each_file_says(areas: AreaResolver) -> None:
    # Statistics Norway: ".." no data, ":" confidential; SCB: ".." too uncertain.
    norwegian = cube(
        {"0680": "Jönköping", "0687": "Tranås"},
        values=[None, None],
        status={"0": "..", "1": ":"},
        note=[".. = Tallgrunnlag mangler", ": = Vises ikke av konfidensialitetshensyn"],
    )
    parsed = parse_upload(
        upload("ssb.json", norwegian), areas=areas, max_bytes=10**6, indicator_id=POPULATION
    )
    assert list(parsed.records["status"]) == ["missing", "suppressed"]
    assert list(parsed.records["status_reason"]) == [
        "saknas: .. Tallgrunnlag mangler",
        "sekretess: : Vises ikke av konfidensialitetshensyn",
    ]


def test_a_symbol_the_file_does_not_explain_is_named(areas: AreaResolver) -> None:
    document = cube(
        {"0680": "Jönköping", "0687": "Tranås"}, values=[None, 4.0], status={"0": "×", "1": "e"}
    )
    parsed = parse_upload(
        upload("utan.json", document), areas=areas, max_bytes=10**6, indicator_id=POPULATION
    )
    assert list(parsed.records["status"]) == ["missing", "ok"]
    assert list(parsed.records["status_reason"]) == ["saknas: status ×", "e uppskattat värde"]
    assert [(p.column, p.value, p.message) for p in parsed.problems] == [
        (
            "status",
            "×",
            "Filen förklarar inte statustecknet '×' i någon fotnot; det läses som saknat värde. "
            "Kontrollera källans teckenförklaring.",
        )
    ]


def test_uncertain_comes_back_from_the_template_as_the_export_writes_it(
    areas: AreaResolver,
) -> None:
    # export.status_text writes the stored reason; the template reads its first word back.
    lines = [
        "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status",
        f"{POPULATION};0680;2024;M;;;;för osäkert: .. Uppgift för osäker för att redovisas",
    ]
    content = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    parsed = parse_upload(UploadedFile("mall.csv", content), areas=areas, max_bytes=10**6)
    assert parsed_errors(parsed) == []
    assert list(parsed.records["status"]) == ["uncertain"]


# --- pooled years: Folkhälsomyndigheten's "2018-2021" ------------------------------------------


def folkhalsodata(values: list[float | None], status: dict[str, str] | None = None) -> dict:
    """A Folkhälsodata cube (PxWeb) with pooled periods as its Tid codes, as table hlv1allmxreg
    names them ("2017-2020", "2018-2021"); the numbers are illustrative."""
    document = cube(
        {"0680": "Jönköping", "0687": "Tranås"},
        kon={"1+2": "Totalt"},
        values=values,
        status=status,
        note=[".. Uppgift för osäker för att redovisas"],
        source="Folkhälsomyndigheten",
    )
    document["dimension"]["Tid"]["category"] = {
        "index": {"2017-2020": 0, "2018-2021": 1},
        "label": {"2017-2020": "2017-2020", "2018-2021": "2018-2021"},
    }
    document["size"][-1] = 2
    return document


def test_pooled_years_are_saved_read_labelled_and_served(store: Store) -> None:
    from indicators.reads.api_queries import check_observation_query
    from indicators.reads.api_queries import observations as api_observations
    from indicators.reads.queries import indicator_series

    document = folkhalsodata([71.5, 72.25, None, 68.0], status={"2": ".."})
    result = save(store, [upload("fohm.json", document)], user=USER, indicator_id=RATE)
    assert result.status is FileStatus.SAVED, result.problems
    with engine_for(store.url).connect() as connection:
        stored = [
            tuple(r)
            for r in connection.execute(
                text(
                    "SELECT area_code, period_type, period_start, value, status FROM observation "
                    "ORDER BY area_code, period_start"
                )
            )
        ]
    assert [(a, t, str(d), v, s) for a, t, d, v, s in stored] == [
        ("0680", "years_4", "2017-01-01", 71.5, "ok"),
        ("0680", "years_4", "2018-01-01", 72.25, "ok"),
        ("0687", "years_4", "2017-01-01", None, "uncertain"),
        ("0687", "years_4", "2018-01-01", 68.0, "ok"),
    ]
    series = indicator_series(store, RATE, ["0680", "0687"])
    assert list(series["period"]) == ["2017–2020", "2018–2021", "2017–2020", "2018–2021"]
    query = check_observation_query(store, {"indicator": [RATE], "area": ["0680"]})
    served = api_observations(store, query).frame
    assert list(served["period"]) == ["2017–2020", "2018–2021"]
    assert list(served["period_type"]) == ["years_4", "years_4"]
    assert list(served["period_start"]) == ["2017-01-01", "2018-01-01"]


def test_pooled_years_in_the_template_and_refused_when_they_make_no_sense(
    areas: AreaResolver,
) -> None:
    lines = [
        "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status",
        f"{RATE};0680;2021-2024;T;70,5;;;",
        f"{RATE};0680;2024-2021;T;70,5;;;",
    ]
    content = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    parsed = parse_upload(UploadedFile("mall.csv", content), areas=areas, max_bytes=10**6)
    assert [(r.period_type, str(r.period_start)) for r in parsed.records.itertuples()] == [
        ("years_4", "2021-01-01")
    ]
    assert [(p.row, p.column, p.message) for p in parsed.problems] == [
        (
            3,
            "Period",
            "'2024-2021' slutar före eller samma år som det börjar; en sammanslagen period "
            "skrivs med första och sista året, t.ex. 2021-2024.",
        )
    ]


def test_pooled_years_are_drawn_as_segments_beside_single_years() -> None:
    from datetime import date

    import pandas as pd

    from dashboard.components.figures import time_series
    from indicators.reads.models import IndicatorSummary
    from indicators.vocabulary.domain import AreaLevel, Direction, ValueKind

    summary = IndicatorSummary(
        id="X1", title="Självskattad hälsa", short_title="Självskattad hälsa", unit="%",
        value_kind=ValueKind.RATE, direction=Direction.HIGHER_BETTER, decimals=1,
        source="Folkhälsomyndigheten", area_level=AreaLevel.ALL, headline=True,
        strategigrupper=(),
    )  # fmt: skip
    county, kommun = ("0006", "Region Jönköpings län", "region"), ("0680", "Jönköping", "kommun")
    rows = [
        (*county, "2022", date(2022, 1, 1), "T", 70.0, None, None, "ok"),
        (*county, "2023", date(2023, 1, 1), "T", 71.0, None, None, "ok"),
        (*kommun, "2021–2024", date(2021, 1, 1), "T", 69.5, None, None, "ok"),
    ]
    columns = ["area_code", "area_name", "area_kind", "period", "period_start", "gender"]
    frame = pd.DataFrame(rows, columns=[*columns, "value", "numerator", "denominator", "status"])
    figure = time_series(frame, summary, "Källa: Folkhälsomyndigheten")
    traces = {t.name: t for t in figure.data}
    segment = traces["Jönköping, sammanslagna år"]
    assert list(segment.x) == [2021.0, 2025.0, None]
    assert list(segment.y) == [69.5, 69.5, None]
    assert segment.customdata[0] == "2021–2024, sammanslagna år: 69,5\u00a0%"
    assert list(traces["Region Jönköpings län"].x) == [2022.5, 2023.5]
    assert list(figure.layout.xaxis.ticktext) == ["2021", "2022", "2023", "2024"]


def test_pooled_years_in_a_wide_sheet_sort_after_their_last_year(store: Store) -> None:
    from indicators.reads.api_queries import check_observation_query
    from indicators.reads.api_queries import observations as api_observations
    from indicators.reads.queries import indicator_series

    wide = "Kommun;2023;2024;2021-2024\r\nJönköping;70,1;70,9;69,5\r\n".encode()
    result = save(store, [UploadedFile("bred.csv", wide)], user=USER, indicator_id=RATE)
    assert result.status is FileStatus.SAVED, result.problems
    series = indicator_series(store, RATE, ["0680"])
    assert list(series["period"]) == ["2023", "2024", "2021–2024"]
    assert list(series["value"]) == [70.1, 70.9, 69.5]
    query = check_observation_query(store, {"indicator": [RATE], "area": ["0680"]})
    served = api_observations(store, query).frame
    assert list(zip(served["period"], served["period_type"], strict=True)) == [
        ("2023", "year"),
        ("2024", "year"),
        ("2021–2024", "years_4"),
    ]


def test_indikator_page_draws_pooled_years_and_lists_them_after_their_last_year(
    store: Store,
) -> None:
    from page_app import pages_app, run_callback

    from dashboard.ids import Indikator as Ids
    from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES

    wide = (
        "Kommun;2023;2024;2021-2024\r\nJönköping;70,1;70,9;69,5\r\nTranås;65,0;66,2;64,8\r\n"
    ).encode()
    result = save(store, [UploadedFile("bred.csv", wide)], user=USER, indicator_id=RATE)
    assert result.status is FileStatus.SAVED, result.problems
    app = pages_app(store)
    from dashboard.pages import indikator

    periods = indikator._periods(indikator.indicator_detail(store, RATE))
    assert periods == ["2023", "2024", "2021–2024"]
    response = run_callback(
        app,
        Ids.GRAPH,
        {
            f"{Ids.KOMMUNER}.value": ["0680", "0687"],
            f"{Ids.GENDER}.value": "T",
            f"{Ids.PERIOD}.value": periods[-1],
            f"{Ids.URL}.search": "",
            f"{Ids.TARGET_REVISION}.data": 0,
            f"{Ids.INDICATOR}.data": RATE,
            f"{Ids.KOMMUNER}.options": [{"label": c, "value": c} for c in COUNTY_KOMMUN_CODES],
            f"{Ids.PERIOD}.options": [{"label": p, "value": p} for p in periods],
        },
        trigger=f"{Ids.URL}.search",
    )
    traces = {t["name"]: t for t in response[Ids.GRAPH]["figure"]["data"]}
    assert traces["Jönköping, sammanslagna år"]["x"] == [2021.0, 2025.0, None]
    assert traces["Jönköping, sammanslagna år"]["y"] == [69.5, 69.5, None]
    assert traces["Jönköping"]["x"] == [2023.5, 2024.5]
    assert traces["Tranås, sammanslagna år"]["customdata"][0].startswith("2021–2024")
