"""Read and validate data/katalog.toml, naming the entry behind every error."""

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from indicators.catalogue.models import Catalogue
from indicators.paths import CATALOGUE_FILE

_SECTION_KEYS = {"strategies": "number"}


class CatalogueError(ValueError):
    """The catalogue file cannot be used; `problems` lists every reason, one entry each."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Katalogen {path.name} är ogiltig ({len(problems)} fel):\n{lines}")


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(path, [f"TOML-syntaxfel: {exc}"]) from exc
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise CatalogueError(path, [_describe(raw, err) for err in exc.errors()]) from exc


def _describe(raw: dict[str, Any], err: Any) -> str:
    loc = list(err["loc"])
    message = err["msg"].removeprefix("Value error, ")
    if len(loc) >= 2 and isinstance(loc[1], int):
        section, index, *rest = loc
        entry = raw.get(section, [])[index] if isinstance(raw.get(section), list) else {}
        key = _SECTION_KEYS.get(str(section), "id")
        name = entry.get(key, f"nr {index + 1}") if isinstance(entry, dict) else f"nr {index + 1}"
        field = ".".join(str(p) for p in rest) or "(posten)"
        return f"{section} {name!r}, fält {field}: {message}"
    field = ".".join(str(p) for p in loc) or "(katalogen)"
    return f"{field}: {message}"
