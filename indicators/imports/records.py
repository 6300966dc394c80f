"""The shapes every import stage hands to the next: files in, records and problems out.

Stages: safety (bytes) → reading (text/tables) → formats (records in canonical form, with where
each came from) → validation (against catalogue and areas) → saving (one transaction per file).
Every stage reports problems instead of raising, so the analyst sees all of them at once."""

from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from indicators.vocabulary.domain import OBSERVATION_COLUMNS
from indicators.vocabulary.text_safety import mask_personal_numbers


class Severity(StrEnum):
    ERROR = "fel"  # blocks saving the file
    WARNING = "varning"  # informs; the file can still be saved


@dataclass(frozen=True)
class Problem:
    """One thing wrong, named so the analyst can find it in the file.

    `value` is the offending cell as shown to the analyst: already truncated and never a
    personal identity number. `row` is the row number as a spreadsheet program shows it
    (1-based, header rows included); None when the problem concerns the whole file."""

    file: str
    message: str
    severity: Severity = Severity.ERROR
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        # The last guard: whatever a stage put in a problem, it never shows a personal
        # identity number (a file holding one is refused before parsing, but a cell, a sheet
        # name or a header could still reach a message some other way).
        for name in ("file", "message", "sheet", "column", "value"):
            text = getattr(self, name)
            if text:
                object.__setattr__(self, name, mask_personal_numbers(text, PERSONAL_NUMBER_MASK))


MAX_FILE_NAME = 120
PERSONAL_NUMBER_MASK = "[personnummer dolt]"


@dataclass(frozen=True)
class UploadedFile:
    """A file as the analyst handed it over. `name` is for messages only, never a path: it is
    cleaned once, here, so every message, summary and batch shows the same safe text."""

    name: str
    content: bytes

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_file_name(self.name))

    @property
    def name_had_personal_number(self) -> bool:
        return PERSONAL_NUMBER_MASK in self.name


def clean_file_name(name: str) -> str:
    """The last path segment (browsers may send "C:\\fakepath\\…"), printable characters only,
    a personal identity number masked (it must never be echoed or stored), and short enough to
    read in a message."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in last if ch.isprintable()).strip() or "namnlös fil"
    text = mask_personal_numbers(text, PERSONAL_NUMBER_MASK)
    if len(text) > MAX_FILE_NAME:
        text = text[: MAX_FILE_NAME - 1] + "…"
    return text


# One row per value in canonical form. Provenance columns let validation name the cell.
# The observation's columns hold: indicator_id (catalogue id, e.g. "U21401"), area_code (four
# digits, "0006" region, "0000" riket), period_type (PeriodType value), period_start
# (datetime.date), gender ("T", "K", "M"), value (float, NaN unless status is "ok"), numerator
# and denominator (float or NaN), status (ObservationStatus value), status_reason (the source's
# own marker and its meaning, e.g. "..: sekretess").
RECORD_COLUMNS = [
    *OBSERVATION_COLUMNS,
    "sheet",  # str or None
    "row",  # int: the row as a spreadsheet shows it
    "value_column",  # str: the column the value came from (a year column in wide files)
]


@dataclass
class ParsedFile:
    """What a format parser made of one file."""

    name: str
    format: str  # a FORMATS key, e.g. "kolada-json"
    records: pd.DataFrame  # RECORD_COLUMNS
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0  # data rows seen, including those rejected while parsing
    # Value cells seen (a wide row holds one per period column, a Kolada entry one per gender),
    # including those refused or passed over; None when each row holds one value (rows_read).
    # Every one of them ends up saved, unchanged or rejected: the counts always add up.
    values_read: int | None = None
    # Source column names for messages about fields that are not per-record, e.g.
    # {"indicator_id": "Indikator", "area_code": "Kommun", "period": "År", "gender": "Kön"}.
    columns: dict[str, str] = field(default_factory=dict)
    # The file itself says it holds no values: the empty last page of a Kolada query. Saved
    # together with the query's other pages it is passed over; alone it is refused like any
    # file without values.
    declared_empty: bool = False


def empty_records() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in RECORD_COLUMNS})
