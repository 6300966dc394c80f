"""What every format parser shares: the loaded file, and a collector that turns cells into
canonical records while gathering every problem with file, sheet, row and column."""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from indicators.catalogue import Catalogue
from indicators.imports.reading import Cell, Sheet
from indicators.imports.records import (
    RECORD_COLUMNS,
    ParsedFile,
    Problem,
    Severity,
    UploadedFile,
    empty_records,
)
from indicators.imports.values import (
    AreaResolver,
    ValueProblem,
    decimal_mark_conflict,
    missing_marker,
    parse_gender,
    parse_number,
    parse_period,
)
from indicators.vocabulary.domain import OBSERVATION_NUMBERS, Gender, ObservationStatus, PeriodType
from indicators.vocabulary.formatting import format_number
from indicators.vocabulary.text_safety import is_formula_like, neutralise_formula

SHOWN_CHARS = 60
# Problems listed per kind; the rest are counted in one closing problem (as in validation).
MAX_LISTED = 1000
# What varies between problems of one kind: quoted text and numbers.
_PARTICULARS = re.compile(r"'[^']*'|\d+(?:[,.]\d+)?")
# observation.status_reason is String(120).
MAX_REASON_CHARS = 120
CHOOSE_INDICATOR = (
    "Filen anger inte vilken indikator värdena hör till. Välj indikatorn vid uppladdningen."
)


Parsed = TypeVar("Parsed")


@dataclass
class Content:
    """A file after decoding: parsed JSON, or tables (CSV gives one, xlsx one per sheet)."""

    json: Any = None
    sheets: list[Sheet] = field(default_factory=list)

    @property
    def is_json(self) -> bool:
        return self.json is not None


@dataclass(frozen=True)
class Context:
    """What parsers may need beyond the file itself."""

    areas: AreaResolver
    indicator_id: str | None = None
    catalogue: Catalogue | None = None


@dataclass(frozen=True)
class Reading:
    """A value cell read: a number with status ok, or a status with the source's reason."""

    status: ObservationStatus
    value: float
    reason: str = ""


def text(cell: Cell | None) -> str:
    """A cell as the analyst sees it: numbers without a trailing '.0', text stripped."""
    if type(cell) is str:
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        if math.isnan(cell):
            return ""
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def shown(cell: Cell | None) -> str:
    return _short(text(cell), SHOWN_CHARS)


def fold(label: Cell | None) -> str:
    """A header folded for matching: case, surrounding space and inner spacing ignored."""
    return re.sub(r"\s+", " ", text(label)).casefold()


class Collector:
    """Builds one ParsedFile: records in canonical form and every problem on the way."""

    def __init__(self, file: UploadedFile, format_key: str, ctx: Context) -> None:
        self.file = file
        self.format = format_key
        self.ctx = ctx
        self.problems: list[Problem] = []
        # Records column by column, in the order they were added: a parser's fast path
        # extends these in bulk (add_many), between rows added one at a time (add).
        self.data: dict[str, list[Any]] = {c: [] for c in RECORD_COLUMNS}
        self.rows_read = 0
        # Set by parsers whose rows hold several values (see ParsedFile.values_read).
        self.values_read: int | None = None
        self.columns: dict[str, str] = {}
        self._parsed: dict[tuple[str, str], tuple[Any, str | None]] = {}
        # Problems per kind (severity and message with its particulars blanked), so a file
        # broken the same way in every cell lists MAX_LISTED of them and counts the rest.
        self._kinds: dict[tuple[Severity, str], int] = {}

    # -- problems -------------------------------------------------------------------------
    def error(
        self,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Cell | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        kind = (severity, _PARTICULARS.sub("…", message))
        seen = self._kinds[kind] = self._kinds.get(kind, 0) + 1
        if seen > MAX_LISTED:
            return
        self.problems.append(
            Problem(
                file=self.file.name,
                message=message,
                severity=severity,
                sheet=sheet,
                row=row,
                column=column,
                value=None if value is None else shown(value),
            )
        )

    def warning(self, message: str, **where: Any) -> None:
        self.error(message, severity=Severity.WARNING, **where)

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    # -- cells ----------------------------------------------------------------------------
    def reading(self, cell: Cell | None, **where: Any) -> Reading | None:
        """A value cell: a number, a missing marker kept as status, or None after a problem."""
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            if isinstance(cell, float) and math.isnan(cell):
                cell = None
            else:
                return Reading(ObservationStatus.OK, float(cell))
        raw = text(cell)
        if not raw:
            self.warning("Tom cell: värdet saknas och sparas som saknat.", **where)
            return Reading(ObservationStatus.MISSING, math.nan, "tom cell")
        marker = missing_marker(raw)
        if marker is not None:
            status, reason = marker
            return Reading(ObservationStatus(status), math.nan, reason)
        try:
            return Reading(ObservationStatus.OK, parse_number(raw))
        except ValueProblem as exc:
            self.error(exc.message, value=cell, **where)
            return None

    def optional_number(self, cell: Cell | None, **where: Any) -> float | None:
        """Numerator and denominator: empty or a missing marker is NaN; None after a problem."""
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return float(cell)
        raw = text(cell)
        if not raw or missing_marker(raw) is not None:
            return math.nan
        try:
            return parse_number(raw)
        except ValueProblem as exc:
            self.error(exc.message, value=cell, **where)
            return None

    def period(self, cell: Cell | None, **where: Any) -> tuple[PeriodType, date] | None:
        return self._memo("period", text(cell), _period, cell, where)

    def gender(self, cell: Cell | None, **where: Any) -> Gender | None:
        raw = text(cell)
        if not raw:
            return Gender.TOTAL
        return self._memo("gender", raw, _gender, cell, where)

    def area(self, cell: Cell | None, *, integer_ids: bool = False, **where: Any) -> str | None:
        resolve = self.ctx.areas.resolve
        return self._memo(
            f"area{integer_ids}",
            text(cell),
            lambda raw: resolve(raw, integer_ids=integer_ids),
            cell,
            where,
        )

    def _memo(
        self,
        kind: str,
        raw: str,
        parse: Callable[[str], Parsed],
        cell: Cell | None,
        where: dict[str, Any],
    ) -> Parsed | None:
        """Periods, genders and areas repeat on every row: each distinct text is parsed once,
        and a refused one is still reported on every row where it occurs."""
        key = (kind, raw)
        if key not in self._parsed:
            try:
                self._parsed[key] = (parse(raw), None)
            except ValueProblem as exc:
                self._parsed[key] = (None, exc.message)
        # One memo for every kind: the kind in the key keeps each value's type apart.
        result: Parsed | None
        result, message = self._parsed[key]
        if message is not None:
            self.error(message, value=cell, **where)
        return result

    def identifier(self, cell: Cell | None, **where: Any) -> str:
        """An id typed by the analyst. Text a spreadsheet could run as a formula is kept only
        neutralised, so that no later CSV or Excel export carries it live."""
        value = text(cell)
        if is_formula_like(value):
            self.warning(
                "Cellen börjar med ett tecken som kalkylprogram läser som en formel; den läses "
                "bara som text.",
                value=value,
                **where,
            )
            return neutralise_formula(value)
        return value

    def identifier_or_none(self, cell: Cell | None, where: dict[str, Any]) -> str | None:
        return self.identifier(cell, **where) or None

    # -- records --------------------------------------------------------------------------
    def add(
        self,
        *,
        indicator_id: str,
        area_code: str,
        period: tuple[PeriodType, date],
        gender: Gender,
        reading: Reading,
        numerator: float = math.nan,
        denominator: float = math.nan,
        sheet: str | None,
        row: int,
        value_column: str,
    ) -> None:
        record = (
            indicator_id,
            area_code,
            period[0].value,
            period[1],
            gender.value,
            reading.value if reading.status is ObservationStatus.OK else math.nan,
            float(numerator),
            float(denominator),
            reading.status.value,
            _short(reading.reason, MAX_REASON_CHARS),
            sheet,
            row,
            value_column,
        )
        for column, value in zip(self.data.values(), record, strict=True):
            column.append(value)

    def add_many(self, columns: dict[str, Any]) -> None:
        """Records already in canonical form (as add() would store them), one list or numpy
        array per RECORD_COLUMNS name, all of the same length."""
        for name, column in self.data.items():
            values = columns[name]
            # tolist(): plain Python floats, ints and objects, as add() stores them.
            column.extend(values.tolist() if isinstance(values, np.ndarray) else values)

    def count_values(self, count: int = 1) -> None:
        """Value cells seen, whatever becomes of them (see ParsedFile.values_read)."""
        self.values_read = (self.values_read or 0) + count

    @property
    def record_count(self) -> int:
        return len(self.data["row"])

    def result(self) -> ParsedFile:
        if self.record_count:
            frame = pd.DataFrame(self.data, columns=RECORD_COLUMNS)
            for column in OBSERVATION_NUMBERS:
                frame[column] = frame[column].astype(float)
            frame["row"] = frame["row"].astype(int)
        else:
            frame = empty_records()
        more = [
            Problem(
                file=self.file.name,
                message=f"… och {format_number(count - MAX_LISTED, 0)} till av samma slag "
                f"(visas inte): {kind}",
                severity=severity,
            )
            for (severity, kind), count in self._kinds.items()
            if count > MAX_LISTED
        ]
        return ParsedFile(
            name=self.file.name,
            format=self.format,
            records=frame,
            problems=[*self.problems, *more],
            rows_read=self.rows_read,
            values_read=self.values_read,
            columns=self.columns,
        )


# -- tables -------------------------------------------------------------------------------------


def is_blank_row(row: list[Cell]) -> bool:
    for c in row:
        if type(c) is str:
            # text(c) is c.strip(), which removes exactly the characters isspace() names.
            if c and not c.isspace():
                return False
        elif text(c) != "":
            return False
    return True


def find_header(sheet: Sheet, accepts: Callable[[list[str]], bool], limit: int = 30) -> int | None:
    """Index of the first row (among the first `limit`) whose folded cells `accepts`."""
    for index, row in enumerate(sheet.rows[:limit]):
        if not is_blank_row(row) and accepts([fold(c) for c in row]):
            return index
    return None


def header_columns(out: Collector, sheet: Sheet, index: int) -> dict[str, int] | None:
    """Folded header name → column index; None (after an error per name) when a name repeats,
    since the analyst's intended column cannot then be known."""
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for position, cell in enumerate(sheet.rows[index]):
        name = fold(cell)
        if not name:
            continue
        if name in seen and name not in duplicates:
            duplicates.append(name)
        seen.setdefault(name, position)
    for name in duplicates:
        label = next(text(c) for c in sheet.rows[index] if fold(c) == name)
        out.error(
            f"Kolumnen '{label}' finns mer än en gång i rubrikraden.",
            sheet=sheet.name,
            row=sheet.row_number(index),
            column=label,
        )
    return None if duplicates else seen


def refuse_mixed_decimal_marks(
    out: Collector, sheet: Sheet, rows: list[int], column: int, label: str
) -> None:
    texts = [c for i in rows if type(c := sheet.rows[i][column]) is str]
    # Only a column with both marks somewhere can conflict; most columns are spared parsing.
    if not (any("," in t for t in texts) and any("." in t for t in texts)):
        return
    cells = [(sheet.row_number(i), sheet.rows[i][column]) for i in rows]
    message = decimal_mark_conflict(cells, label)
    if message:
        out.error(message, sheet=sheet.name, column=label)


def cell(sheet: Sheet, index: int, column: int | None) -> Cell:
    if column is None:
        return ""
    row = sheet.rows[index]
    return row[column] if column < len(row) else ""


def _period(raw: str) -> tuple[PeriodType, date]:
    period_type, start = parse_period(raw)
    return PeriodType(period_type), start


def _gender(raw: str) -> Gender:
    return Gender(parse_gender(raw))


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
