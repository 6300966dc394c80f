"""`python -m indicators fetch-kolada`: fetch values from the Kolada v3 API into JSON files,
optionally importing them at once."""

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from indicators.catalogue import Catalogue, CatalogueError, load_catalogue
from indicators.catalogue.models import IndicatorDef
from indicators.catalogue.similar_groups import similar_group_for
from indicators.imports.kolada_api import DEFAULT_BASE_URL, KoladaApiError, fetch_to_directory
from indicators.vocabulary.domain import (
    COUNTY_KOMMUN_CODES,
    DEFAULT_SIMILAR_KIND,
    AreaLevel,
    SimilarKind,
)

FIRST_YEAR = 1990
_KOMMUN_CODE = re.compile(r"\d{4}")


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser(
        "fetch-kolada",
        help="hämta värden från Koladas API (v3) till JSON-filer, eller importera dem med --save",
    )
    parser.add_argument(
        "--kpi",
        default="",
        help="KPI-id, kommaseparerade, t.ex. N21497 (med --liknande: standard katalogens "
        "Kolada-indikatorer på kommunnivå)",
    )
    parser.add_argument(
        "--area", default="", help="kommunkoder (eller enhets-id med --ou), kommaseparerade"
    )
    parser.add_argument(
        "--liknande",
        default="",
        help="kommunkoder (eller 'länet' för länets 13): hämta också värdena för kommunernas "
        "liknande kommuner, i den grupp katalogen anger för varje KPI",
    )
    parser.add_argument(
        "--grupp",
        choices=[k.value for k in SimilarKind],
        help="med --liknande: samma grupp av liknande kommuner för alla KPI:er",
    )
    parser.add_argument("--from", dest="year_from", type=int, required=True, help="första år")
    parser.add_argument("--to", dest="year_to", type=int, help="sista år (standard: i år)")
    parser.add_argument("--ou", action="store_true", help="organisatoriska enheter (/oudata)")
    parser.add_argument(
        "--output", type=Path, default=Path("."), help="katalog för filerna (standard: .)"
    )
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="API-adress (för test)")
    parser.add_argument(
        "--save", action="store_true", help="importera de hämtade filerna till lagret"
    )
    parser.add_argument(
        "--add-kolada-indicators",
        action="store_true",
        help="med --save: lägg till okända KPI:er ur Koladas katalog",
    )


def run(args: argparse.Namespace) -> int:
    kpis = _ids(args.kpi)
    areas = _ids(args.area)
    year_to = args.year_to if args.year_to is not None else date.today().year
    similar = _ids(args.liknande)
    usage = (
        _similar_usage_problem(similar, args.year_from, year_to, ou=args.ou)
        if similar
        else _usage_problem(kpis, areas, args.year_from, year_to, ou=args.ou)
    )
    if usage:
        print(usage, file=sys.stderr)
        return 2
    years = list(range(args.year_from, year_to + 1))
    if similar:
        try:
            queries = _similar_queries(similar, kpis, areas, args.grupp)
        except (ValueError, CatalogueError) as error:
            print(error, file=sys.stderr)
            return 2
    else:
        queries = [(kpis, areas)]
    try:
        files = [
            path
            for query_kpis, query_areas in queries
            for path in fetch_to_directory(
                args.base_url, query_kpis, query_areas, years, args.output, ou=args.ou
            )
        ]
    except KoladaApiError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Kunde inte skriva i {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    for path in files:
        print(path)
    print(f"{len(files)} sidor hämtade från Kolada till {args.output}.", file=sys.stderr)
    if args.save:
        return _save(files, add_kolada_indicators=args.add_kolada_indicators)
    return 0


def _save(files: list[Path], *, add_kolada_indicators: bool) -> int:
    """The fetched pages imported together, exactly as `python -m indicators import` would."""
    # Imported here: the import pipeline is heavy and only --save needs it.
    from indicators.imports.pipeline import save
    from indicators.imports.records import UploadedFile
    from indicators.settings import get_settings
    from indicators.store.store import Store
    from indicators.writes.bootstrap import prepare_store

    settings = get_settings()
    try:
        prepare_store(settings.model_copy(update={"seed_demo": False}))
    except CatalogueError as error:
        print(error, file=sys.stderr)
        return 1
    uploads = [UploadedFile(name=path.name, content=path.read_bytes()) for path in files]
    result = save(
        Store(settings.database_url),
        uploads,
        user=settings.user,
        add_kolada_indicators=add_kolada_indicators,
    )
    for file in result.files:
        print(
            f"{file.name}: {file.status.label} – {file.new} nya, {file.changed} ändrade, "
            f"{file.unchanged} oförändrade, {file.rejected} avvisade",
            file=sys.stderr,
        )
    for problem in result.problems:
        where = ", ".join(
            part
            for part in (
                problem.file,
                f"rad {problem.row}" if problem.row is not None else "",
                f"kolumn {problem.column}" if problem.column else "",
            )
            if part
        )
        print(f"{problem.severity.value}: {where}: {problem.message}", file=sys.stderr)
    return 0 if result.ok else 1


def _similar_queries(
    kommuner: list[str], kpis: list[str], areas: list[str], kind: str | None
) -> list[tuple[list[str], list[str]]]:
    """(KPIs, kommuner) per query: each KPI for the kommuner, their similar kommuner in the
    group the catalogue names for it (or `kind` for all), and any --area. KPIs that share the
    same kommuner go in one call. Without --kpi: the catalogue's Kolada indicators that are
    published per kommun. Groups come from the shipped data/kolada/groups.csv, so nothing but
    the data itself is fetched."""
    catalogue = load_catalogue()
    by_kpi = {i.source_id: i for i in catalogue.indicators if i.source == "Kolada" and i.source_id}
    if not kpis:
        kpis = [k for k, i in by_kpi.items() if i.area_level is not AreaLevel.REGION]
    chosen = {k: _kind(k, by_kpi, catalogue, kind) for k in kpis}
    areas_of: dict[str, list[str]] = {}
    for kpi, wanted in chosen.items():
        codes = set(kommuner) | set(areas)
        for code in kommuner:
            group = similar_group_for(code, wanted)
            if group is None:
                raise ValueError(
                    f"Det finns ingen grupp 'Liknande kommuner {wanted.kolada_word}' för "
                    f"{code} i data/kolada/groups.csv; kontrollera kommunkoden."
                )
            codes |= set(group.members)
        areas_of[kpi] = sorted(codes)
    grouped: dict[tuple[str, ...], list[str]] = {}
    for kpi, listed in areas_of.items():
        grouped.setdefault(tuple(listed), []).append(kpi)
    return [(query_kpis, list(key)) for key, query_kpis in grouped.items()]


def _kind(
    kpi: str, by_kpi: dict[str, IndicatorDef], catalogue: Catalogue, kind: str | None
) -> SimilarKind:
    if kind is not None:
        return SimilarKind(kind)
    indicator = by_kpi.get(kpi)
    return catalogue.similar_kind(indicator) if indicator else DEFAULT_SIMILAR_KIND


def _similar_usage_problem(
    kommuner: list[str], year_from: int, year_to: int, *, ou: bool
) -> str | None:
    if ou:
        return "--liknande gäller kommuner; den kan inte kombineras med --ou."
    wrong = [k for k in kommuner if not _KOMMUN_CODE.fullmatch(k)]
    if wrong:
        return (
            f"Kommunkoden {wrong[0]!r} i --liknande har inte fyra siffror; skriv t.ex. 0604 "
            "för Aneby, eller 'länet' för länets 13 kommuner."
        )
    return _years_problem(year_from, year_to)


def _usage_problem(
    kpis: list[str], areas: list[str], year_from: int, year_to: int, *, ou: bool
) -> str | None:
    if not kpis:
        return "Ange minst ett KPI-id med --kpi, t.ex. --kpi N21497."
    if not areas:
        return "Ange minst ett område med --area, t.ex. --area 0680."
    if not ou:
        wrong = [a for a in areas if not _KOMMUN_CODE.fullmatch(a)]
        if wrong:
            return (
                f"Områdeskoden {wrong[0]!r} har inte fyra siffror; skriv t.ex. 0680 för "
                "Jönköping (inledande nolla behövs)."
            )
    return _years_problem(year_from, year_to)


def _years_problem(year_from: int, year_to: int) -> str | None:
    last = date.today().year + 1
    if not FIRST_YEAR <= year_from <= last or not FIRST_YEAR <= year_to <= last:
        return f"Åren måste ligga mellan {FIRST_YEAR} och {last}."
    if year_from > year_to:
        return f"--from ({year_from}) är senare än --to ({year_to})."
    return None


def _ids(text: str) -> list[str]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    # "länet" stands for the county's 13 kommuner (only --liknande takes it).
    return [code for part in parts for code in (COUNTY_KOMMUN_CODES if part == "länet" else [part])]
