"""What an import will change, value by value, and what in it looks wrong: the review the
upload page and the CLI show before anything is saved, and that the save repeats under the
store's write lock.

- Every changed value is listed old → new with its indicator, area, period and gender, and
  every new value that carries a warning; new values without one are only counted (a first
  import of a Kolada series may hold a hundred thousand). At most MAX_LISTED per file.
- Plausibility warnings (indicators.imports.plausibility) become problems of the file, naming
  its row, and are shown beside the value in the list.
- Changes to published values beyond the indicator's limit must be confirmed: `confirmation`
  is a digest of exactly those changes, so a confirmation given for one preview does not
  cover different changes found at the save (another import may have landed in between)."""

import hashlib
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from indicators.imports.plausibility import history_reasons, revision_reason
from indicators.imports.records import Problem, Severity
from indicators.imports.validate import CatalogueView, ValidatedFile, shown
from indicators.vocabulary.domain import Gender, ObservationStatus, PeriodType
from indicators.vocabulary.periods import period_label

MAX_LISTED = 5000
MAX_PROBLEMS = 1000
# The CLI's --bekrafta-andringar: every change to a published value is confirmed.
CONFIRM_ALL = "alla"
NEW_WORD = "fanns inte"


@dataclass(frozen=True)
class ValueChange:
    """One value the import writes: before and after, where it is, and what looks wrong."""

    indicator_id: str
    indicator_title: str
    area_code: str
    area_name: str
    period: str  # as the dashboard writes it: 2023, 2023H1, 2023Q1, 2023M03
    gender: str  # T, K, M
    old_value: float | None
    old_status: str | None  # None: the store holds nothing for the key
    new_value: float | None
    new_status: str
    sheet: str | None = None
    row: int | None = None
    warnings: tuple[str, ...] = ()
    needs_confirmation: bool = False

    @property
    def is_new(self) -> bool:
        return self.old_status is None

    @property
    def old_text(self) -> str:
        if self.old_status is None:
            return NEW_WORD
        return _state_text(self.old_value, self.old_status)

    @property
    def new_text(self) -> str:
        return _state_text(self.new_value, self.new_status)

    @property
    def difference(self) -> float | None:
        if self.old_value is None or self.new_value is None:
            return None
        return self.new_value - self.old_value

    @property
    def gender_label(self) -> str:
        return Gender(self.gender).label

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator_id,
            "indicator_title": self.indicator_title,
            "area": self.area_code,
            "area_name": self.area_name,
            "period": self.period,
            "gender": self.gender,
            "old_value": self.old_value,
            "old_status": self.old_status,
            "old": self.old_text,
            "new_value": self.new_value,
            "new_status": self.new_status,
            "new": self.new_text,
            "difference": self.difference,
            "sheet": self.sheet,
            "row": self.row,
            "warnings": list(self.warnings),
            "needs_confirmation": self.needs_confirmation,
        }


class UnconfirmedChanges(Exception):
    """A save found changes to published values other than the ones confirmed; nothing of the
    file may be written."""

    def __init__(self, found: "Review") -> None:
        super().__init__(f"{len(found.confirmable)} ändringar av publicerade värden")
        self.review = found


@dataclass
class Review:
    changes: list[ValueChange] = field(default_factory=list)  # at most MAX_LISTED
    listable: int = 0  # how many there were to list
    problems: list[Problem] = field(default_factory=list)  # warnings, by row
    confirmable: tuple[str, ...] = ()  # one line per change that must be confirmed, sorted

    @property
    def confirmation(self) -> str | None:
        return confirmation_of([self.confirmable])


def confirmation_of(files: list[tuple[str, ...]]) -> str | None:
    """The digest a confirmation must carry for these files' changes to published values; None
    when there is none to confirm."""
    if not any(files):
        return None
    text = "\n".join(f"{index}\t{line}" for index, lines in enumerate(files) for line in lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def review(
    validated: ValidatedFile,
    new: pd.DataFrame,
    changed: pd.DataFrame,
    existing: pd.DataFrame,
    view: CatalogueView,
) -> Review:
    """The review of one file from its diff: `new` and `changed` as save.diff gives them (with
    each record's `position` in validated.records, the changed ones with their *_old state),
    `existing` what the store holds for the file's indicators and areas."""
    incoming = pd.concat([new, changed], ignore_index=True)
    if incoming.empty:
        return Review()
    kinds = {i: r.value_kind for i, r in view.indicators.items()}
    kinds |= {n.id: n.value_kind for n in validated.new_indicators}
    history = history_reasons(incoming, existing, kinds)
    revisions = _revision_reasons(changed, view)
    records = validated.records
    name = validated.parsed.name
    is_new = np.r_[np.ones(len(new), dtype=bool), np.zeros(len(changed), dtype=bool)]
    positions = incoming["position"].to_numpy(dtype=int)
    confirm = np.isin(positions, list(revisions))
    warned = confirm | np.isin(positions, list(history))
    listable = ~is_new | warned
    # Confirmations first, then other warnings, then plain changes: what the analyst must look
    # at leads the list when it is too long to show whole. Only what is shown is built (a
    # re-import may change a hundred thousand values).
    order = np.concatenate(
        [
            np.flatnonzero(confirm),
            np.flatnonzero(warned & ~confirm),
            np.flatnonzero(listable & ~warned),
        ]
    )
    changes = [
        _change(
            row,
            bool(is_new[at]),
            view,
            where,
            _warnings(row, revisions, history),
            bool(confirm[at]),
        )
        for at, row, where in _rows(incoming, records, order[:MAX_LISTED])
    ]
    problems: list[Problem] = []
    warned_at = np.flatnonzero(warned)
    for _at, row, where in _rows(incoming, records, warned_at[:MAX_PROBLEMS]):
        for warning in _warnings(row, revisions, history):
            problems.append(
                Problem(
                    file=name,
                    message=warning,
                    severity=Severity.WARNING,
                    sheet=where[0],
                    row=where[1],
                    column=where[2],
                    value=_state_text(_float(row["value"]), str(row["status"])),
                )
            )
    problems.sort(key=lambda p: (p.sheet or "", p.row or 0))
    if len(warned_at) > MAX_PROBLEMS:
        problems.append(
            Problem(
                file=name,
                message=f"… och {len(warned_at) - MAX_PROBLEMS} värden till med varningar om "
                "rimligheten (visas inte).",
                severity=Severity.WARNING,
            )
        )
    confirmed_rows = incoming.iloc[np.flatnonzero(confirm)].to_dict("records")
    return Review(
        changes=changes,
        listable=int(listable.sum()),
        problems=problems,
        confirmable=tuple(sorted(_line(row) for row in confirmed_rows)),
    )


Where = tuple[str | None, int | None, str | None]
Row = Mapping[Hashable, Any]  # one frame row as to_dict("records") gives it


def _rows(
    incoming: pd.DataFrame, records: pd.DataFrame, chosen: np.ndarray
) -> list[tuple[int, Row, Where]]:
    """The chosen incoming rows as dicts, each with its sheet, row and column in the file."""
    rows = incoming.iloc[chosen].to_dict("records")
    sources = records.iloc[[int(r["position"]) for r in rows]][["sheet", "row", "value_column"]]
    wheres = [
        (
            None if pd.isna(sheet) else str(sheet),
            None if pd.isna(row) else int(row),
            None if pd.isna(column) else str(column),
        )
        for sheet, row, column in sources.itertuples(index=False)
    ]
    return list(zip((int(a) for a in chosen), rows, wheres, strict=True))


def _warnings(row: Row, revisions: dict[int, str], history: dict[int, str]) -> list[str]:
    position = int(row["position"])
    return [w for w in (revisions.get(position), history.get(position)) if w]


def _revision_reasons(changed: pd.DataFrame, view: CatalogueView) -> dict[int, str]:
    reasons: dict[int, str] = {}
    if changed.empty:
        return reasons
    columns = ["position", "indicator_id", "value_old", "status_old", "value", "status"]
    for position, indicator, old, old_status, value, status in zip(
        *(changed[c].tolist() for c in columns), strict=True
    ):
        rules = view.indicators.get(str(indicator))
        if rules is None:
            continue
        reason = revision_reason(
            rules.value_kind,
            _nan(old),
            str(old_status),
            _nan(value),
            str(status),
            limit=view.revision_limits.get(rules.id),
            unit=rules.unit,
        )
        if reason:
            reasons[int(position)] = reason
    return reasons


def _change(
    row: Row,
    is_new: bool,
    view: CatalogueView,
    where: Where,
    warnings: list[str],
    confirm: bool,
) -> ValueChange:
    rules = view.indicators.get(str(row["indicator_id"]))
    code = str(row["area_code"])
    return ValueChange(
        indicator_id=str(row["indicator_id"]),
        indicator_title=rules.title if rules else str(row["indicator_id"]),
        area_code=code,
        area_name=view.area_names.get(code, code),
        period=period_label(PeriodType(str(row["period_type"])), row["period_start"]),
        gender=str(row["gender"]),
        old_value=None if is_new else _float(row["value_old"]),
        old_status=None if is_new else str(row["status_old"]),
        new_value=_float(row["value"]),
        new_status=str(row["status"]),
        sheet=where[0],
        row=where[1],
        warnings=tuple(warnings),
        needs_confirmation=confirm,
    )


def _line(row: Row) -> str:
    """A change to a published value as the text its confirmation digest is made of."""
    return "\t".join(
        str(part)
        for part in (
            row["indicator_id"],
            row["area_code"],
            row["period_type"],
            row["period_start"],
            row["gender"],
            row["status_old"],
            repr(_nan(row["value_old"])),
            row["status"],
            repr(_nan(row["value"])),
        )
    )


def _state_text(value: float | None, status: str) -> str:
    if status != ObservationStatus.OK.value or value is None:
        return ObservationStatus(status).gap_label
    return shown(float(value))


def _float(value: object) -> float | None:
    number = _nan(value)
    return None if math.isnan(number) else number


def _nan(value: object) -> float:
    if value is None:
        return math.nan
    try:
        number = float(value)  # type: ignore[arg-type]  # a pandas scalar of the value column
    except (TypeError, ValueError):
        return math.nan
    return number


__all__ = [
    "CONFIRM_ALL",
    "MAX_LISTED",
    "Review",
    "UnconfirmedChanges",
    "ValueChange",
    "confirmation_of",
    "review",
]
