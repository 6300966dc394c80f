"""The export formats analysts bring, one module each, and `parse_upload`, which takes one
uploaded file through the safety checks, reading, format detection and the format's parser.

Each format module exposes KEY, LABEL, `sniff(file, content) -> float` (how surely the file is
in that format, 0..1) and `parse(file, content, ctx) -> ParsedFile`."""

from typing import Protocol

from indicators.catalogue import Catalogue, CatalogueError, load_catalogue
from indicators.imports.formats import (
    bred,
    kolada_csv,
    kolada_json,
    kolada_web,
    mall,
    pxweb,
    socialstyrelsen,
    socialstyrelsen_web,
    vis,
)
from indicators.imports.formats.common import Content, Context, shown
from indicators.imports.reading import read_delimited, read_json, read_xlsx
from indicators.imports.records import ParsedFile, Problem, UploadedFile, empty_records
from indicators.imports.safety import (
    JSON_EXTENSIONS,
    XLSX_EXTENSIONS,
    check_upload,
    extension,
)
from indicators.imports.values import AreaResolver


class _Format(Protocol):
    """What each format module offers."""

    KEY: str
    LABEL: str

    def sniff(self, file: UploadedFile, content: Content) -> float: ...

    def parse(self, file: UploadedFile, content: Content, ctx: Context) -> ParsedFile: ...


# Detection order breaks ties: the more specific format first.
_MODULES: tuple[_Format, ...] = (
    kolada_json,
    socialstyrelsen,
    pxweb,
    kolada_csv,
    mall,
    vis,
    socialstyrelsen_web,
    kolada_web,
    bred,
)
FORMATS: dict[str, str] = {m.KEY: m.LABEL for m in _MODULES}
_BY_KEY = {m.KEY: m for m in _MODULES}
# Below this, no format is taken to fit.
MIN_CONFIDENCE = 0.5

__all__ = ["FORMATS", "AreaResolver", "detect", "parse_upload"]


def parse_upload(
    file: UploadedFile,
    *,
    areas: AreaResolver,
    format: str | None = None,
    max_bytes: int,
    indicator_id: str | None = None,
    catalogue: Catalogue | None = None,
) -> ParsedFile:
    """Everything the format layer can say about one file. Problems are collected, never
    raised: a refused file comes back with no records and its reasons as errors.

    `format` (a FORMATS key) overrides detection; `indicator_id` names the indicator for files
    that do not (Kolada web export without id, Vården i siffror titles not in the catalogue,
    Socialstyrelsen, PxWeb, wide sheets). `catalogue` defaults to data/katalog.toml."""
    if format is not None and format not in FORMATS:
        known = ", ".join(FORMATS)
        return _refused(file, format, [_problem(file, f"Okänt format '{format}'. Kända: {known}.")])
    problems = check_upload(file, max_bytes=max_bytes)
    if problems:
        return _refused(file, format or "", problems)
    content, reading_problems = _read(file)
    if content is None:
        return _refused(file, format or "", reading_problems)
    key = format or detect(file, content)
    if key is None:
        listed = "; ".join(FORMATS.values())
        message = (
            f"Filens format känns inte igen. Formaten som läses är: {listed}. Välj format vid "
            "uppladdningen om filen ändå är ett av dem."
        )
        return _refused(file, "", [_problem(file, message)])
    if catalogue is None:
        catalogue = _catalogue()
    ctx = Context(areas=areas, indicator_id=indicator_id or None, catalogue=catalogue)
    module = _BY_KEY[key]
    if module is socialstyrelsen and not content.is_json:
        # Socialstyrelsen chosen for a table: the statistikdatabas's web export.
        module, key = socialstyrelsen_web, socialstyrelsen_web.KEY
    if module in (kolada_json, socialstyrelsen, pxweb) and not content.is_json:
        return _refused(file, key, [_problem(file, f"{FORMATS[key]} är JSON; filen är en tabell.")])
    if module not in (kolada_json, socialstyrelsen, pxweb) and content.is_json:
        return _refused(file, key, [_problem(file, f"{FORMATS[key]} är en tabell; filen är JSON.")])
    parsed = module.parse(file, content, ctx)
    parsed.problems[:0] = reading_problems  # warnings from reading, e.g. formulas
    return parsed


def detect(file: UploadedFile, content: Content) -> str | None:
    """The format whose sniff is surest (at least MIN_CONFIDENCE), or None."""
    scores = [(m.sniff(file, content), -i, m.KEY) for i, m in enumerate(_MODULES)]
    best = max(scores)
    return best[2] if best[0] >= MIN_CONFIDENCE else None


def _read(file: UploadedFile) -> tuple[Content | None, list[Problem]]:
    ext = extension(file.name)
    if ext in JSON_EXTENSIONS:
        document, problems = read_json(file)
        if problems or document is None:
            return None, problems or [_problem(file, f"Filen '{shown(file.name)}' är tom (null).")]
        return Content(json=document), []
    if ext in XLSX_EXTENSIONS:
        sheets, problems = read_xlsx(file)
    else:
        sheets, problems = read_delimited(file)
    if not sheets:
        return None, problems or [_problem(file, f"Filen '{shown(file.name)}' är tom.")]
    return Content(sheets=sheets), problems


def _catalogue() -> Catalogue | None:
    try:
        return load_catalogue()
    except CatalogueError:
        return None  # validation reports the catalogue; here titles simply do not match


def _problem(file: UploadedFile, message: str) -> Problem:
    return Problem(file=file.name, message=message)


def _refused(file: UploadedFile, key: str, problems: list[Problem]) -> ParsedFile:
    return ParsedFile(name=file.name, format=key, records=empty_records(), problems=problems)
