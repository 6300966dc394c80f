"""`python -m indicators <command>`: the parser and the small commands; `--help` lists them."""

import argparse
import sys

from indicators.catalogue import CatalogueError
from indicators.catalogue.kolada import kolada_catalogue
from indicators.cli import export, fetch_kolada, import_files, users
from indicators.reads.queries import data_status
from indicators.settings import get_settings
from indicators.store.store import Store
from indicators.writes.bootstrap import StoreBusy, prepare_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m indicators",
        description="Uppföljning 2021–2030: lagret bakom instrumentpanelen.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "prepare",
        help="migrera lagret, läs in katalog och områden, fyll på Exempeldata om lagret är tomt",
    )
    sub.add_parser("status", help="visa vad lagret innehåller")
    kolada = sub.add_parser("kolada", help="sök i Koladas KPI-katalog på id, titel och definition")
    kolada.add_argument("query", nargs="+", help="KPI-id eller sökord, t.ex. 'fast omsorgskontakt'")
    kolada.add_argument("--limit", type=int, default=20)
    export.register(sub)
    fetch_kolada.register(sub)
    import_files.register(sub)
    users.register(sub)
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except StoreBusy as busy:
        # Another process (an import in the web app, say) kept the store locked past the busy
        # timeout: nothing was written. Said in Swedish, never a traceback.
        print(busy, file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command in import_files.COMMANDS:
        return import_files.run(args)
    if args.command == "users":
        return users.run(args)
    if args.command == "export":
        return export.run(args)
    if args.command == "fetch-kolada":
        return fetch_kolada.run(args)
    if args.command == "kolada":
        return _kolada(" ".join(args.query), args.limit)
    settings = get_settings()
    try:
        # Like every command, status first brings the store to the latest migration and
        # catalogue; only prepare seeds Exempeldata into an empty store.
        report = prepare_store(
            settings
            if args.command == "prepare"
            else settings.model_copy(update={"seed_demo": False})
        )
    except CatalogueError as error:
        print(error, file=sys.stderr)
        return 1
    if args.command == "prepare":
        print(
            f"Lagret är klart ({settings.database_url}): {report.catalogue_changes} "
            f"katalogändringar, {report.area_changes} områdesändringar, "
            f"{report.demo_observations} nya observationer med Exempeldata."
        )
        return 0
    status = data_status(Store.from_settings(settings))
    print(f"Lager: {settings.database_url}")
    print(f"Observationer: {status.observations}")
    print(f"Exempeldata: {'ja' if status.has_demo_data else 'nej'}")
    print(f"Senaste import: {status.last_import or '–'}")
    return 0


def _kolada(query: str, limit: int) -> int:
    catalogue = kolada_catalogue()
    exact = catalogue.get(query)
    hits = [exact] if exact else catalogue.search(query, limit)
    if not hits:
        print(f"Inga Kolada-KPI:er matchar {query!r}.")
        return 1
    for kpi in hits:
        ended = " (avslutad)" if kpi.discontinued else ""
        print(f"{kpi.id}  {kpi.title}{ended}")
        if exact:
            print(f"\n{kpi.description}")
    return 0
