"""Kolada's groups of similar kommuner ("Liknande kommuner äldreomsorg, Aneby, 2024"), read from
the shipped data/kolada/groups.csv: for each kommun and kind, the seven kommuner RKA found most
like it. The kommun itself is not a member of its own group.

The file also holds networks and associations of kommuner (G33616 the county's 13, "SmåKom"
…); only the "Liknande kommuner" groups of kommuner are read here."""

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indicators.paths import KOLADA_AREAS_FILE, KOLADA_GROUPS_FILE
from indicators.vocabulary.domain import SimilarKind

# "Liknande kommuner äldreomsorg, Aneby, 2024" and "Liknande kommuner, övergripande, Aneby, 2025"
_TITLE = re.compile(r"^Liknande kommuner,? (?P<kind>[^,]+), (?P<kommun>.+), (?P<year>\d{4})$")
_KINDS = {kind.kolada_word: kind for kind in SimilarKind}


@dataclass(frozen=True)
class SimilarGroupDef:
    id: str  # Kolada's group id, e.g. "G176488"
    kind: SimilarKind
    area_code: str  # the kommun the group is for
    title: str
    year: int
    members: tuple[str, ...]  # kommun codes, in the file's order


def read_similar_groups(
    path: Path = KOLADA_GROUPS_FILE, areas_path: Path = KOLADA_AREAS_FILE
) -> list[SimilarGroupDef]:
    """Every "Liknande kommuner" group of a kommun, one per kommun and kind (the newest year if
    the file holds several). Titles name the kommun, not its code: the shipped area list
    (data/kolada/areas.csv) gives the code."""
    with areas_path.open(encoding="utf-8", newline="") as f:
        codes = {r["title"].strip(): r["id"].strip() for r in csv.DictReader(f) if r["type"] == "K"}
    chosen: dict[tuple[SimilarKind, str], SimilarGroupDef] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            match = _TITLE.match(row["title"].strip())
            if match is None or match["kind"] not in _KINDS or match["kommun"] not in codes:
                continue
            members = tuple(
                str(m["member_id"]) for m in json.loads(row["members"]) if m.get("member_id")
            )
            group = SimilarGroupDef(
                id=row["id"].strip(),
                kind=_KINDS[match["kind"]],
                area_code=codes[match["kommun"]],
                title=row["title"].strip(),
                year=int(match["year"]),
                members=members,
            )
            key = (group.kind, group.area_code)
            if key not in chosen or chosen[key].year < group.year:
                chosen[key] = group
    return sorted(chosen.values(), key=lambda g: (g.area_code, g.kind.value))


@lru_cache(maxsize=1)
def shipped_similar_groups() -> tuple[SimilarGroupDef, ...]:
    """The shipped file's groups, read once per process (the file does not change while the
    app runs)."""
    return tuple(read_similar_groups())


def similar_group_for(area_code: str, kind: SimilarKind) -> SimilarGroupDef | None:
    return next(
        (g for g in shipped_similar_groups() if g.area_code == area_code and g.kind is kind),
        None,
    )
