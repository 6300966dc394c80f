"""`python -m indicators import|undo|history`: import files, undo an import, list imports.

Exit codes of `import`: 0 saved, or nothing new to save (every value already stored), or, with
--dry-run, would be saved; 1 rejected (including a file that yields no values, files that
disagree about a value, and changes to published values without --bekrafta-andringar); 2 usage
errors (argparse's own, or a path that is not a readable file).

Before the verdict the summary lists every changed value old → new (and new values with a
warning), with the plausibility warnings beside them, as the upload page does."""

import argparse
import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indicators.catalogue import CatalogueError
from indicators.imports.formats import FORMATS
from indicators.imports.pipeline import (
    CONFIRM_ALL,
    FileStatus,
    ImportResult,
    ValueChange,
    preview,
    save,
    undo_batch,
)
from indicators.imports.records import Problem, UploadedFile
from indicators.reads.batches import import_batches
from indicators.reads.models import BatchSummary
from indicators.settings import Settings, get_settings
from indicators.store.store import Store
from indicators.vocabulary.formatting import format_moment, format_number
from indicators.writes.bootstrap import prepare_store

COMMANDS = ("import", "undo", "history")


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    imp = sub.add_parser(
        "import",
        help="läs in filer (Kolada, Vården i siffror, Socialstyrelsen, PxWeb, mallen, egna)",
        description="Kontrollerar varje rad och sparar varje fil i en transaktion (allt eller "
        "inget). Har någon fil fel sparas ingen av filerna.",
    )
    imp.add_argument("paths", nargs="+", metavar="PATH", help="filer att läsa in")
    imp.add_argument("--format", choices=list(FORMATS), help="formatet, om det inte ska gissas")
    imp.add_argument("--indicator", metavar="ID", help="indikatorn, för filer som inte anger den")
    imp.add_argument("--dry-run", action="store_true", help="kontrollera bara; spara inget")
    imp.add_argument("--json", action="store_true", help="skriv sammanfattningen som JSON")
    imp.add_argument(
        "--add-kolada-indicators",
        action="store_true",
        help="lägg till indikatorer som saknas i katalogen men finns i Koladas katalog",
    )
    imp.add_argument(
        "--bekrafta-andringar",
        action="store_true",
        dest="confirm_changes",
        help="bekräfta ändringar av publicerade värden som är större än indikatorns gräns "
        "(utan flaggan sparas inget när sådana finns)",
    )
    imp.add_argument("--user", help="namnet importen sparas med (standard: inställningen user)")
    undo = sub.add_parser("undo", help="ångra en import och återställ värdena före den")
    undo.add_argument("batch_id", type=int, metavar="BATCH_ID", help="importens nummer")
    undo.add_argument("--user", help="namnet ångringen sparas med")
    history = sub.add_parser("history", help="lista importerna, nyast först")
    history.add_argument("--json", action="store_true", help="skriv listan som JSON")


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    if args.command == "import":
        paths = [Path(p) for p in args.paths]
        missing = [p for p in paths if not p.is_file()]
        if missing:
            for p in missing:
                print(f"Filen finns inte eller är ingen vanlig fil: {p}", file=sys.stderr)
            return 2
    try:
        # An import never seeds Exempeldata: a store that receives real data starts without it.
        prepare_store(settings.model_copy(update={"seed_demo": False}))
    except CatalogueError as error:
        print(error, file=sys.stderr)
        return 1
    store = Store(settings.database_url)
    user = getattr(args, "user", None) or settings.user
    if args.command == "undo":
        result = undo_batch(store, args.batch_id, user=user)
        print(result.message, file=sys.stdout if result.undone else sys.stderr)
        return 0 if result.undone else 1
    if args.command == "history":
        return _history(store, as_json=args.json)
    return _import(store, settings, args, user)


def _import(store: Store, settings: Settings, args: argparse.Namespace, user: str) -> int:
    try:
        files = [UploadedFile(name=Path(p).name, content=Path(p).read_bytes()) for p in args.paths]
    except OSError as error:
        print(f"Filen kunde inte läsas: {error.filename}", file=sys.stderr)
        return 2
    options = {
        "format": args.format,
        "indicator_id": args.indicator,
        "add_kolada_indicators": args.add_kolada_indicators,
    }
    with _collecting_rarely():
        if args.dry_run:
            result = preview(store, files, **options)
        else:
            confirmed = CONFIRM_ALL if args.confirm_changes else None
            result = save(store, files, user=user, confirmed=confirmed, **options)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(_summary(result))
    return 0 if result.ok else 1


@contextmanager
def _collecting_rarely() -> Iterator[None]:
    """The cyclic collector less often while files are imported. A large file becomes millions
    of container objects that live until the import ends (the grid's rows, the rows handed to
    the driver); with the default thresholds the collector traversed them again and again, its
    full passes over the whole heap among them: 2.5–4 s per million template rows, against
    0.6 s with these (bench/notes.md). Short-lived cycles are still collected. Only the
    command's own process is tuned: the web workers keep their collector as it is."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _n(value: int) -> str:
    return format_number(value, 0)


def _table(header: list[str], rows: list[list[str]], align: str) -> str:
    """A plain text table; align has one letter per column, "l" or "r"."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(r, widths, align, strict=True)
        ).rstrip()
        for r in [header, ["-" * w for w in widths], *rows]
    )


def _where(p: Problem) -> str:
    parts = [p.file]
    if p.sheet:
        parts.append(f"blad {p.sheet}")
    if p.row is not None:
        parts.append(f"rad {p.row}")
    if p.column:
        parts.append(f"kolumn {p.column}")
    return ", ".join(parts)


def _summary(result: ImportResult) -> str:
    header = ["Fil", "Format", "Lästa", "Nya", "Ändrade", "Oförändrade", "Avvisade", "Status"]
    rows = [
        [
            f.name,
            f.format or "–",
            _n(f.rows_read),
            _n(f.new),
            _n(f.changed),
            _n(f.unchanged),
            _n(f.rejected),
            f.status.label + (f" (import {f.batch_id})" if f.batch_id else ""),
        ]
        for f in result.files
    ]
    out = [_table(header, rows, "llrrrrrl"), ""]
    out.extend(_changes(result))
    problems = result.problems
    if problems:
        out.append(f"Problem ({_n(len(problems))}):")
        for p in problems:
            value = f' "{p.value}"' if p.value else ""
            out.append(f"  {p.severity.value:<7} {_where(p)}:{value} – {p.message}")
        out.append("")
    confirm = result.needs_confirmation
    if result.dry_run:
        verdict = (
            "Provkörning: filerna kan sparas. Inget har sparats."
            if result.ok
            else "Provkörning: filerna har fel och skulle inte sparas. Inget har sparats."
        )
        if result.ok and confirm:
            verdict += (
                f" {_n(confirm)} ändring(ar) av publicerade värden måste bekräftas: spara med "
                "--bekrafta-andringar."
            )
    elif result.status is FileStatus.UNCHANGED:
        verdict = (
            "Inget nytt att spara: alla värden finns redan med samma värden. "
            "Ingen import lades till i historiken."
        )
    elif result.ok:
        verdict = "Sparat."
    elif all(f.unconfirmed or not f.errors for f in result.files):
        verdict = (
            f"Inget sparades: {_n(confirm)} ändring(ar) av publicerade värden (listade ovan) "
            "måste bekräftas. Granska dem och kör igen med --bekrafta-andringar."
        )
    else:
        verdict = "Inget sparades från filer med fel; rätta felen och läs in filerna igen."
    out.append(verdict)
    return "\n".join(out)


def _changes(result: ImportResult) -> list[str]:
    """Every listed change as one line, old → new, with its warnings indented below."""
    out: list[str] = []
    for f in result.files:
        if not f.changes:
            continue
        shown = len(f.changes)
        more = f" (visar {_n(shown)})" if shown < f.changes_total else ""
        out.append(f"Ändringar i {f.name}: {_n(f.changes_total)}{more}")
        header = ["Rad", "Indikator", "Område", "Period", "Kön", "Före", "Efter", "Varningar"]
        rows = [_change_row(c) for c in f.changes]
        out.extend("  " + line for line in _table(header, rows, "rllllrrl").split("\n"))
        out.append("")
    return out


def _change_row(c: ValueChange) -> list[str]:
    return [
        str(c.row) if c.row is not None else "–",
        c.indicator_id,
        f"{c.area_code} {c.area_name}",
        c.period,
        c.gender_label,
        c.old_text,
        c.new_text,
        _warning_cell(c),
    ]


def _warning_cell(c: ValueChange) -> str:
    count = _n(len(c.warnings)) if c.warnings else ""
    return f"{count} (bekräftas)" if c.needs_confirmation else count


def _history(store: Store, *, as_json: bool) -> int:
    batches = import_batches(store)
    if as_json:
        print(json.dumps([_batch_json(b) for b in batches], ensure_ascii=False, indent=2))
        return 0
    if not batches:
        print("Inga importer ännu.")
        return 0
    header = ["Nr", "Fil", "Tid (svensk tid)", "Av", "Nya", "Ändrade", "Oförändrade", "Status"]
    rows = [
        [
            str(b.id),
            b.source_name,
            format_moment(b.imported_at),
            b.imported_by,
            _n(b.rows_new),
            _n(b.rows_changed),
            _n(b.rows_unchanged),
            b.state_label,
        ]
        for b in batches
    ]
    print(_table(header, rows, "rlllrrrl"))
    return 0


def _batch_json(b: BatchSummary) -> dict[str, object]:
    return {
        "id": b.id,
        "file": b.source_name,
        "sha256": b.sha256,
        "format": b.format,
        "imported_by": b.imported_by,
        "imported_at": b.imported_at.isoformat(),
        "is_demo": b.is_demo,
        "rows_read": b.rows_read,
        "new": b.rows_new,
        "changed": b.rows_changed,
        "unchanged": b.rows_unchanged,
        "rejected": b.rows_rejected,
        "undone_at": b.undone_at.isoformat() if b.undone_at else None,
        "undone_by": b.undone_by,
    }
