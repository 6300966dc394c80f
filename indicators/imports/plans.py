"""A strategigrupp's handlingsplan as an Excel workbook: written for editing, read back with a
verdict on every row. The sheet "Handlingsplan" holds one activity per row; the sheet
"Utveckling" (written, never read) shows how each indicator moved since the activity started.

Reading goes through the same safety checks as every import (size, macros, formulas without
values, personal identity numbers); a file with any problem saves nothing."""

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from indicators.imports.reading import Cell, cell_name, column_letter, read_xlsx
from indicators.imports.records import Problem, UploadedFile
from indicators.imports.safety import check_upload
from indicators.reads.models import ActivityFields, ActivityInfo
from indicators.spreadsheets import to_xlsx_bytes
from indicators.store.store import Store
from indicators.vocabulary.domain import ActivityStatus
from indicators.writes.plans import PlanError, check_activity, replace_plan

PLAN_SHEET = "Handlingsplan"
TREND_SHEET = "Utveckling"
COLUMNS = ("Aktivitet", "Ansvarig", "Start", "Slut", "Status", "Beskrivning", "Indikatorer")
MAX_PLAN_BYTES = 5 * 1024 * 1024
_SEPARATORS = (",", ";", "\n")


@dataclass(frozen=True)
class PlanFile:
    """What a plan file holds: the activities when it is good, else the problems."""

    activities: tuple[ActivityFields, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def plan_workbook(activities: list[ActivityInfo]) -> bytes:
    """The plan as xlsx: the editable sheet first, then how each indicator moved."""
    plan = pd.DataFrame(
        [
            {
                "Aktivitet": a.title,
                "Ansvarig": a.owner,
                "Start": a.start_date,
                "Slut": a.end_date,
                "Status": a.status.value,
                "Beskrivning": a.description,
                "Indikatorer": ", ".join(a.indicator_ids),
            }
            for a in activities
        ],
        columns=list(COLUMNS),
    )
    trend = pd.DataFrame(
        [
            {
                "Aktivitet": a.title,
                "Indikator": aim.indicator_id,
                "Namn": aim.short_title or aim.title,
                "Före start, period": aim.start_period,
                "Före start, värde": aim.start_value,
                "Senast, period": aim.latest_period,
                "Senast, värde": aim.latest_value,
                "Enhet": aim.unit,
                "Utveckling": aim.change.label,
            }
            for a in activities
            for aim in a.aims
        ],
        columns=[
            "Aktivitet",
            "Indikator",
            "Namn",
            "Före start, period",
            "Före start, värde",
            "Senast, period",
            "Senast, värde",
            "Enhet",
            "Utveckling",
        ],
    )
    return to_xlsx_bytes({PLAN_SHEET: plan, TREND_SHEET: trend})


def read_plan_file(file: UploadedFile, known_indicators: set[str]) -> PlanFile:
    """Every row of the plan sheet checked; problems name file, sheet, row and column."""
    problems = check_upload(file, max_bytes=MAX_PLAN_BYTES)
    if problems:
        return PlanFile((), tuple(problems))
    if not file.name.lower().endswith(".xlsx"):
        return PlanFile(
            (),
            (
                _problem(
                    file.name,
                    "Handlingsplanen läses från en Excel-fil (.xlsx): "
                    "ladda ner planen, ändra i den och ladda upp den igen.",
                ),
            ),
        )
    sheets, problems = read_xlsx(file)
    if problems:
        return PlanFile((), tuple(problems))
    sheet = next((s for s in sheets if s.name == PLAN_SHEET), sheets[0] if sheets else None)
    if sheet is None:
        return PlanFile((), (_problem(file.name, "Arbetsboken har inga blad."),))
    header_index = next(
        (i for i, row in enumerate(sheet.rows) if _text(row[0] if row else "") == "Aktivitet"),
        None,
    )
    if header_index is None:
        return PlanFile(
            (),
            (
                _problem(
                    file.name,
                    f"Bladet '{sheet.name}' saknar rubrikraden ({', '.join(COLUMNS)}). "
                    "Utgå från den nedladdade handlingsplanen.",
                    sheet=sheet.name,
                ),
            ),
        )
    header = [_text(c) for c in sheet.rows[header_index]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return PlanFile(
            (),
            (
                _problem(
                    file.name,
                    f"Rubrikraden saknar kolumnen {', '.join(missing)}.",
                    sheet=sheet.name,
                    row=header_index + 1,
                ),
            ),
        )
    position = {name: header.index(name) for name in COLUMNS}
    activities: list[ActivityFields] = []
    found: list[Problem] = []
    for index in range(header_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if all(_text(c) == "" for c in row):
            continue
        row_number = index + 1
        cells = {name: row[col] if col < len(row) else "" for name, col in position.items()}
        fields, cell_problems = _fields(cells)
        for column, message in cell_problems:
            found.append(
                _cell_problem(file.name, sheet.name, row_number, position[column], message)
            )
        if cell_problems:
            continue
        for message in check_activity(fields.cleaned(), known_indicators):
            column = next((name for name in COLUMNS if message.startswith(f"{name}:")), "Aktivitet")
            found.append(
                _cell_problem(file.name, sheet.name, row_number, position[column], message)
            )
        activities.append(fields)
    if not activities and not found:
        found.append(
            _problem(
                file.name,
                f"Bladet '{sheet.name}' har inga aktiviteter under rubrikraden. En tom plan "
                "sparas inte från fil; ta bort aktiviteterna en och en på sidan i stället.",
                sheet=sheet.name,
            )
        )
    return PlanFile(tuple(activities) if not found else (), tuple(found))


def import_plan(
    store: Store, group_id: str, file: UploadedFile, known_indicators: set[str], actor: str
) -> tuple[int, list[Problem]]:
    """Replace the group's plan with the file's: (number saved, problems). Nothing is saved
    when there is any problem."""
    plan = read_plan_file(file, known_indicators)
    if not plan.ok:
        return 0, list(plan.problems)
    try:
        return replace_plan(store, group_id, plan.activities, actor, file.name), []
    except PlanError as error:
        return 0, [_problem(file.name, m) for m in error.messages]


def _fields(cells: dict[str, Cell]) -> tuple[ActivityFields, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    start = _date(cells["Start"])
    end = _date(cells["Slut"])
    if start is None and _text(cells["Start"]):
        problems.append(("Start", f"Start: '{_text(cells['Start'])}' är inget datum (ÅÅÅÅ-MM-DD)."))
    if end is None and _text(cells["Slut"]):
        problems.append(("Slut", f"Slut: '{_text(cells['Slut'])}' är inget datum (ÅÅÅÅ-MM-DD)."))
    status_text = _text(cells["Status"]).casefold()
    status = next((s for s in ActivityStatus if s.value == status_text), None)
    if status is None and status_text:
        choices = ", ".join(s.value for s in ActivityStatus)
        problems.append(("Status", f"Status: '{_text(cells['Status'])}' är inte en av {choices}."))
    raw_ids = _text(cells["Indikatorer"])
    for separator in _SEPARATORS:
        raw_ids = raw_ids.replace(separator, " ")
    fields = ActivityFields(
        title=_text(cells["Aktivitet"]),
        owner=_text(cells["Ansvarig"]),
        start_date=start,
        end_date=end,
        status=status,
        description=_text(cells["Beskrivning"]),
        indicator_ids=tuple(raw_ids.split()),
    )
    return fields, problems


def _date(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _text(cell: Cell) -> str:
    if isinstance(cell, datetime | date):
        return cell.isoformat()[:10]
    return str(cell).strip() if cell is not None else ""


def _problem(
    file_name: str, message: str, *, sheet: str | None = None, row: int | None = None
) -> Problem:
    return Problem(file=file_name, message=message, sheet=sheet, row=row)


def _cell_problem(file_name: str, sheet: str | None, row: int, col: int, message: str) -> Problem:
    where = f"bladet '{sheet}', cell {cell_name(row, col)}"
    return Problem(
        file=file_name,
        message=f"Filen '{file_name}', {where} (rad {row}): {message}",
        sheet=sheet,
        row=row,
        column=column_letter(col),
    )
