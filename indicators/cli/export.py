"""`python -m indicators export`: the stored values in the long template, for Excel."""

import argparse
import sys
from pathlib import Path

from indicators.catalogue import CatalogueError
from indicators.imports.export import export_observations, to_json_bytes
from indicators.settings import get_settings
from indicators.spreadsheets import to_csv_bytes, to_xlsx_bytes
from indicators.store.store import Store
from indicators.writes.bootstrap import prepare_store

FORMATS = ("csv", "xlsx", "json")
SHEET_NAME = "Värden"


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser(
        "export",
        help="skriv lagrets värden i den långa mallen (CSV, Excel eller JSON)",
        description="Lagrets observationer i den långa mallen; importeras filen igen blir det "
        "inga ändringar.",
    )
    parser.add_argument("--indicator", help="indikator-id, kommaseparerade (standard: alla)")
    parser.add_argument("--area", help="områdeskoder, kommaseparerade, t.ex. 0680,0687")
    parser.add_argument(
        "--format", choices=FORMATS, help="csv (standard), xlsx eller json; annars filändelsen"
    )
    parser.add_argument("--output", type=Path, help="fil att skriva (standard: skärmen)")


def run(args: argparse.Namespace) -> int:
    output: Path | None = args.output
    fmt = args.format or _format_of(output)
    if fmt == "xlsx" and output is None:
        print(
            "Excel-formatet kräver --output FIL.xlsx (det kan inte skrivas till skärmen).",
            file=sys.stderr,
        )
        return 2
    settings = get_settings()
    try:
        prepare_store(settings.model_copy(update={"seed_demo": False}))
    except CatalogueError as error:
        print(error, file=sys.stderr)
        return 1
    frame = export_observations(
        Store(settings.database_url),
        indicator_ids=_ids(args.indicator),
        area_codes=_ids(args.area),
    )
    if fmt == "xlsx":
        content = to_xlsx_bytes({SHEET_NAME: frame})
    elif fmt == "json":
        content = to_json_bytes(frame)
    else:
        content = to_csv_bytes(frame, swedish=True)
    if frame.empty:
        print("Inga lagrade värden matchar urvalet.", file=sys.stderr)
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return 0
    try:
        output.write_bytes(content)
    except OSError as error:
        print(f"Kunde inte skriva {output}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"{len(frame)} värden skrivna till {output}.", file=sys.stderr)
    return 0


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "csv"


def _ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]
