"""Bytes to text and raw tables: the encodings, separators and spreadsheets analysts bring.

Nothing here knows about indicators or formats; it turns a file into a grid of cells (or a JSON
document) and reports, in Swedish with row and column, what makes the file unreadable. Every
reader also scans all text for personal identity numbers and refuses the file if it finds one."""

import csv
import io
import json
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, cast

from indicators.imports.records import Problem, Severity, UploadedFile
from indicators.imports.safety import looks_like_utf16, personal_number_problem
from indicators.vocabulary.formatting import format_number
from indicators.vocabulary.text_safety import contains_personal_number, personal_number_line

# What a grid cell may hold. CSV cells are always str. xlsx cells keep their type: numbers stay
# int/float, dates datetime (or date/time), booleans bool, text str. Empty cells are "" in both,
# so a caller tests `cell == ""`. Strings are stripped of surrounding whitespace (incl. NBSP).
Cell = str | int | float | bool | datetime | date | time


@dataclass
class Sheet:
    """One table as read: `rows[i]` is the row a spreadsheet program shows as row i + 1 (empty
    rows are kept, so numbering never drifts). Rows are padded with "" to the same width.

    `name` is the sheet name for xlsx, None for CSV. `delimiter` and `encoding` are set for
    delimited text."""

    name: str | None
    rows: list[list[Cell]]
    delimiter: str | None = None
    encoding: str | None = None
    # For xlsx: {(row, column_index0): formula text} for cells that held a formula with a
    # cached value (the value is in `rows`); parsers may warn about them.
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    def row_number(self, index: int) -> int:
        """The 1-based row number of rows[index], as a spreadsheet program shows it."""
        return index + 1


def column_letter(index: int) -> str:
    """Spreadsheet column name for a 0-based column index: 0 → "A", 27 → "AB"."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def cell_name(row: int, index: int) -> str:
    """ "B7" for row 7 (1-based) and column index 1 (0-based)."""
    return f"{column_letter(index)}{row}"


# --- Text --------------------------------------------------------------------------------------

# What UTF-8 looks like when it was read as Windows-1252 and saved again: "Ã" or "Â" followed by
# one of the characters cp1252 gives the bytes 0x80–0xBF, or "â€" followed by one (– — ’ “ ”).
# Swedish text never has them; their presence means the file was damaged before it reached us.
_CONTINUATION = "".join(sorted(set(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore"))))
_MOJIBAKE = re.compile(f"[ÃÂ][{re.escape(_CONTINUATION)}]|â€[{re.escape(_CONTINUATION)}]?")
# Controls that never occur in honest text; in a cp1252 candidate they mean binary bytes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MAX_PROBLEMS_PER_KIND = 50
# The widest honest table: a column per month over three decades (about 400), or per kommun in
# a sheet turned on its side (290). Wider is refused before any parser looks at the cells, so a
# hostile file of a million columns costs a split of its text, not a problem per column.
MAX_COLUMNS = 1_000


def find_mojibake(text: str) -> tuple[int, str] | None:
    """(offset, the damaged characters) of the first mojibake in `text`, or None."""
    match = _MOJIBAKE.search(text)
    return (match.start(), match.group()) if match else None


def decode_text(file: UploadedFile) -> tuple[str | None, str | None, list[Problem]]:
    """(text, encoding, problems) for a text file. Tries UTF-8 (with or without BOM, encoding
    reported as "utf-8-sig" / "utf-8"), then Windows-1252 ("cp1252") when the bytes are
    plausible cp1252. UTF-16 (NUL bytes) and undecodable bytes are refused with a hint; text
    with mojibake is refused naming line and column. On refusal text and encoding are None.
    Line endings are left as they are (the csv module handles \\r\\n)."""
    name, content = file.name, file.content
    if looks_like_utf16(content):
        return None, None, [_error(name, _UTF16_MESSAGE.format(name=name))]
    candidates = ["utf-8-sig"] if content.startswith(b"\xef\xbb\xbf") else ["utf-8", "cp1252"]
    text = encoding = None
    first_error: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            decoded = content.decode(candidate)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        if "\x00" in decoded or (candidate == "cp1252" and _CONTROL.search(decoded)):
            continue  # NUL never occurs in text; other controls only in binary read as cp1252
        text, encoding = decoded, candidate
        break
    if text is None:
        line = content.count(b"\n", 0, first_error.start if first_error else 0) + 1
        return None, None, [_error(name, _UNDECODABLE_MESSAGE.format(name=name), row=line)]
    if (hit := find_mojibake(text)) is not None:
        offset, chars = hit
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return (
            None,
            None,
            [_mojibake_problem(name, chars, row=line, where=f"rad {line}, tecken {column}")],
        )
    return text, encoding, []


_UTF16_MESSAGE = (
    "Filen '{name}' är sparad som UTF-16 (\"Unicode-text\"), som inte tas emot. Spara den i Excel "
    'som "CSV UTF-8 (kommaavgränsad)" eller "CSV (semikolonavgränsad)" och försök igen.'
)
_UNDECODABLE_MESSAGE = (
    "Filen '{name}' innehåller tecken som inte går att läsa, varken som UTF-8 eller som "
    "Windows-1252. Den kan vara skadad eller inte vara en textfil. Spara den i Excel som "
    '"CSV UTF-8" och försök igen.'
)


def _mojibake_problem(
    name: str,
    chars: str,
    *,
    row: int,
    where: str,
    sheet: str | None = None,
    column: str | None = None,
) -> Problem:
    return _error(
        name,
        f"Filen '{name}' innehåller felkodade tecken ('{chars}' på {where}), troligen å, ä "
        "eller ö som har sparats om i fel teckenkodning. Filen tas inte emot; utgå från "
        "originalfilen och spara den som CSV UTF-8 eller Excel-arbetsbok.",
        row=row,
        sheet=sheet,
        column=column,
        value=chars,
    )


DELIMITERS = (";", "\t", ",")
SAMPLE_LINES = 500
DELIMITER_NAMES = {";": "semikolon (;)", "\t": "tabb", ",": "komma (,)"}


def read_delimited(
    file: UploadedFile, *, delimiter: str | None = None
) -> tuple[list[Sheet], list[Problem]]:
    """A CSV/TSV file as one Sheet(name=None). The separator is chosen among ; , and tab by
    which gives the most rows with one consistent column count (a `,` file may carry decimal
    commas only inside quotes); ties prefer ; then tab then ,. `delimiter` overrides the
    choice. A file that would read as a single column while another separator gives a
    consistent table is refused, never read as one column.

    Problems: "Filen är tom"; a row with more non-empty fields than the table has columns
    (error naming the row); personal identity numbers (error naming row and column).
    On any ERROR the returned list of sheets is empty."""
    name = file.name
    text, encoding, problems = decode_text(file)
    if text is None:
        return [], problems
    if not text.strip():
        return [], [_error(name, f"Filen '{name}' är tom.")]
    # The separator is chosen on a sample, so a large file is split only once.
    sample = "".join(text.splitlines(keepends=True)[:SAMPLE_LINES])
    scores: dict[str, tuple[int, int]] = {}
    splits: dict[str, list[list[Cell]]] = {}
    for sep in DELIMITERS:
        try:
            splits[sep] = _split(sample, sep)
            scores[sep] = _table_score(splits[sep])
        except csv.Error:
            scores[sep] = (0, 0)
    chosen = delimiter or max(DELIMITERS, key=lambda sep: (scores[sep], -DELIMITERS.index(sep)))
    if (wide := _too_wide(name, splits.get(chosen) or [])) is not None:
        return [], scan_text(name, text) or [wide]
    try:
        rows = _split(text, chosen)
    except csv.Error:
        return [], scan_text(name, text) or [
            _error(
                name,
                f"Filen '{name}' kan inte läsas som CSV med {DELIMITER_NAMES[chosen]} som "
                "avgränsare (ett citattecken saknar sin motpart eller ett fält är orimligt "
                "långt). Kontrollera filen och spara den på nytt som CSV.",
            )
        ]
    if (wide := _too_wide(name, rows)) is not None:
        return [], scan_text(name, text) or [wide]
    width = _modal_width(rows)
    if width < 2:
        refusal = _single_column_refusal(name, sample, chosen, scores)
        if refusal is not None:
            # A personal number outranks every other reason to refuse.
            return [], scan_text(name, text) or [refusal]
    # In a comma-separated file an unquoted decimal comma adds a field, so there even an
    # empty extra field means the row has shifted.
    grid, problems = _rectangular(name, rows, max(width, 1), strict=chosen == ",")
    if problems:
        return [], scan_text(name, text) or problems
    sheet = Sheet(name=None, rows=grid, delimiter=chosen, encoding=encoding)
    found = scan_sheets(name, [sheet])
    return ([], found) if found else ([sheet], [])


def _too_wide(
    name: str, rows: Sequence[Sequence[object]], sheet: str | None = None
) -> Problem | None:
    """A refusal naming the first row with a filled cell beyond MAX_COLUMNS. Empty cells past
    the table's edge (a spreadsheet's trailing separators) do not count."""
    for index, row in enumerate(rows):
        if len(row) > MAX_COLUMNS and any(_filled(c) for c in row[MAX_COLUMNS:]):
            width = len(row) - next(i for i, c in enumerate(reversed(row)) if _filled(c))
            where = f"bladet '{sheet}', rad {index + 1}" if sheet else f"rad {index + 1}"
            return _error(
                name,
                f"Filen '{name}' har {format_number(width, 0)} kolumner ({where}), fler än "
                f"gränsen {format_number(MAX_COLUMNS, 0)}. Inget av formaten som läses in har så "
                "många kolumner; kontrollera att det är rätt fil, eller dela upp tabellen.",
                row=index + 1,
                sheet=sheet,
            )
    return None


def _filled(cell: object) -> bool:
    return cell is not None and cell != ""


def _split(text: str, sep: str) -> list[list[Cell]]:
    """Rows of stripped text; typed as cells because they become a Sheet's rows as they are."""
    if '"' not in text:
        # Without a quote character the csv module only splits lines and fields; str.split
        # does the same about twice as fast on a large file (measured 5.7 → 3.1 s per million
        # template rows). Anything else (quotes, a field over the csv module's size limit,
        # which must still be refused) goes through the csv module.
        rows = _split_unquoted(text, sep)
        if rows is not None:
            return rows
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=False)
    return [list(map(str.strip, row)) for row in reader]


# Whitespace other than a line break: what str.strip takes from a cell's edge (and the tab,
# unless the tab is the separator: _has_edge_space looks at the neighbours).
_SPACE = re.compile(r"[^\S\r\n]")


def _has_edge_space(text: str, sep: str) -> bool:
    """Whether some cell of the unquoted text starts or ends with whitespace str.strip would
    take. Each space is found by a C scan; only its neighbours are looked at in Python."""
    edges = f"{sep}\r\n"
    last = len(text) - 1
    for match in _SPACE.finditer(text):
        at = match.start()
        if match.group() == sep:
            continue
        if at == 0 or at == last or text[at - 1] in edges or text[at + 1] in edges:
            return True
    return False


def _split_unquoted(text: str, sep: str) -> list[list[Cell]] | None:
    """What csv.reader (and the strip of each cell) gives for text without a quote character:
    a row per line ending (\\r\\n, \\r or \\n; none after the last line), [] for an empty line.
    None when a line is longer than the csv module's field limit (it refuses such a field)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None
    if not _has_edge_space(text, sep):
        # Cells of text are cells; the split lists are handed over as they are, not copied.
        return cast(list[list[Cell]], [line.split(sep) if line else [] for line in lines])
    return [list(map(str.strip, line.split(sep))) if line else [] for line in lines]


def _non_blank_widths(rows: Sequence[Sequence[Cell]]) -> list[int]:
    """Per row with a non-empty field, its width (blank rows ignored). The last non-empty
    field lies within the row, so such a row is as wide as it is long."""
    return [len(row) for row in rows if any(row)]


def _modal_width(rows: Sequence[Sequence[Cell]]) -> int:
    widths = [w for w in _non_blank_widths(rows) if w >= 2]
    if not widths:
        return 1
    return Counter(widths).most_common(1)[0][0]


def _table_score(rows: Sequence[Sequence[Cell]]) -> tuple[int, int]:
    """(rows sharing the most common width ≥ 2, minus rows of another width ≥ 2)."""
    widths = [w for w in _non_blank_widths(rows) if w >= 2]
    if not widths:
        return (0, 0)
    _, count = Counter(widths).most_common(1)[0]
    return (count, -(len(widths) - count))


def _single_column_refusal(
    name: str, text: str, chosen: str, scores: dict[str, tuple[int, int]]
) -> Problem | None:
    """A refusal when the text is a table under another reading (another separator, or the
    same one ignoring quotes that wrap whole lines); None for a true one-column file."""
    for sep in DELIMITERS:
        if sep != chosen and scores.get(sep, (0, 0))[0] >= 2:
            return _one_column_problem(name, chosen, sep)
    lines = [line for line in text.splitlines() if line.strip()]
    for sep in DELIMITERS:
        widths = Counter(len(line.split(sep)) for line in lines)
        width, count = widths.most_common(1)[0]
        if width >= 2 and count >= 2 and count >= len(lines) // 2:
            return _one_column_problem(name, chosen, sep)
    return None


def _one_column_problem(name: str, chosen: str, other: str) -> Problem:
    if chosen == other:
        return _error(
            name,
            f"Filen '{name}' blir bara en kolumn eftersom varje rad står inom citattecken, fast "
            f"raderna är avgränsade med {DELIMITER_NAMES[chosen]}. Filen tas inte emot; spara "
            "den på nytt som CSV från Excel (utan citattecken runt hela rader).",
        )
    return _error(
        name,
        f"Filen '{name}' blir bara en kolumn med {DELIMITER_NAMES[chosen]} som avgränsare, men "
        f"ser ut att vara avgränsad med {DELIMITER_NAMES[other]}. Filen tas inte emot; "
        "kontrollera avgränsaren (och att inte hela rader står inom citattecken) och spara "
        "filen på nytt som CSV.",
    )


def _rectangular(
    name: str, rows: list[list[Cell]], width: int, *, strict: bool = False
) -> tuple[list[list[Cell]], list[Problem]]:
    grid: list[list[Cell]] = []
    problems: list[Problem] = []
    unlisted = 0
    for index, row in enumerate(rows):
        if len(row) > width and (strict or any(row[width:])):
            if len(problems) >= MAX_PROBLEMS_PER_KIND:
                unlisted += 1
            else:
                number = index + 1
                problems.append(
                    _error(
                        name,
                        f"Rad {number} har {len(row)} fält men tabellen har {width} kolumner. "
                        "Kontrollera avgränsare och citattecken (ett tal med decimalkomma i en "
                        "kommaavgränsad fil måste stå inom citattecken).",
                        row=number,
                    )
                )
            continue
        if len(row) == width:
            grid.append(row)  # already a fresh list from _split: no copy needed
            continue
        cells: list[Cell] = list(row[:width])
        cells.extend([""] * (width - len(cells)))
        grid.append(cells)
    return grid, problems + _unlisted(name, unlisted)


def _unlisted(name: str, count: int) -> list[Problem]:
    """The closing problem for those of one kind past MAX_PROBLEMS_PER_KIND."""
    if not count:
        return []
    return [_error(name, f"… och {format_number(count, 0)} till av samma slag (visas inte).")]


def read_xlsx(file: UploadedFile) -> tuple[list[Sheet], list[Problem]]:
    """Every worksheet of an xlsx as a Sheet, with cached values of formulas. A formula without
    a cached value (never calculated, e.g. written by a program) is an error naming sheet, cell
    and row. Rows are read in full regardless of a stale <dimension> record. Leading-zero codes
    stored as text stay text ("0680"). Personal identity numbers are refused.
    Call safety.check_upload first: this opens the workbook. On any ERROR the list is empty.

    The workbook is opened twice in read-only (streaming) mode: once for formulas, once for
    cached values. reset_dimensions() makes openpyxl ignore the <dimension> record, which
    programs often leave stale, and read every row the sheet XML holds."""
    name = file.name
    try:
        fast = _read_values_fast(file.content)
        if fast is not None:
            values = fast
            formulas: list[tuple[str, list[tuple[Any, ...]]]] = [(t, []) for t, _ in fast]
        else:
            formulas = _read_workbook(file.content, data_only=False)
            values = _read_workbook(file.content, data_only=True)
    except Exception:  # openpyxl raises many kinds on broken or hostile files
        return [], [
            _error(
                name,
                f"Filen '{name}' kan inte läsas som Excel-arbetsbok. Öppna den i Excel och "
                "spara den på nytt som Excel-arbetsbok (.xlsx).",
            )
        ]
    # Sheet names and formula texts reach messages before the cells are scanned.
    if (hidden := _scan_names_and_formulas(name, formulas)) is not None:
        return [], [hidden]
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    unlisted = 0
    for (title, formula_rows), (_, value_rows) in zip(formulas, values, strict=True):
        if (wide := _too_wide(name, value_rows, sheet=title)) is not None:
            return [], [wide]
        sheet = Sheet(name=title, rows=[])
        width = max((len(r) for r in value_rows), default=0)
        for index, raw in enumerate(value_rows):
            row_number = index + 1
            cells: list[Cell] = [_cell(v) for v in raw]
            cells.extend([""] * (width - len(cells)))
            for col, formula in _formulas_in(formula_rows, index):
                if raw[col] is None if col < len(raw) else True:
                    if len(problems) < MAX_PROBLEMS_PER_KIND:
                        problems.append(_uncalculated(name, title, row_number, col, formula))
                    else:
                        unlisted += 1
                else:
                    sheet.formulas[(row_number, col)] = formula
            sheet.rows.append(cells)
        sheets.append(sheet)
    if problems:
        return [], problems + _unlisted(name, unlisted)
    for sheet in sheets:
        for index, row in enumerate(sheet.rows):
            for col, cell in enumerate(row):
                if isinstance(cell, str) and (hit := find_mojibake(cell)) is not None:
                    where = f"bladet '{sheet.name}', cell {cell_name(index + 1, col)}"
                    return [], [
                        _mojibake_problem(
                            name,
                            hit[1],
                            row=index + 1,
                            where=where,
                            sheet=sheet.name,
                            column=column_letter(col),
                        )
                    ]
    found = scan_sheets(name, sheets)
    return ([], found) if found else (sheets, [])


def _scan_names_and_formulas(
    name: str, formulas: list[tuple[str, list[tuple[Any, ...]]]]
) -> Problem | None:
    for title, _ in formulas:
        if contains_personal_number(title):
            return personal_number_problem(name, part="i ett bladnamn")
    for title, rows in formulas:
        for index, row in enumerate(rows):
            for col, value in enumerate(row):
                if value is not None and contains_personal_number(_formula_text(value)):
                    return personal_number_problem(
                        name,
                        sheet=title,
                        row=index + 1,
                        column=column_letter(col),
                        part="i en formel",
                    )
    return None


# What calamine would not hand over as openpyxl does: a formula element in a worksheet's XML
# (<f>, <f t="shared" …/>, with or without a namespace prefix), and an error cell (t="e", such
# as #N/A), which calamine gives as an empty cell and openpyxl as its text, to be refused.
_OPENPYXL_ONLY = re.compile(rb"<(?:\w+:)?f[\s>/]|\st=[\"']e[\"']")
# Cells calamine may hand over at once: it fills the used range densely, so a stray cell far
# to the right or below would cost memory for every empty cell; openpyxl streams those.
MAX_FAST_CELLS = 5_000_000


def _read_values_fast(content: bytes) -> list[tuple[str, list[tuple[Any, ...]]]] | None:
    """Cell values through calamine (Rust; measured about 15 times faster than openpyxl on a
    10 000-row export, bench/parse_files.md), shaped as _read_workbook(data_only=True) gives
    them: numbers stored as integers as int, dates as datetime, from cell A1 on. None when the
    workbook holds a formula (openpyxl reads formulas and their cached values), an error cell
    or a sheet too large to fill densely; the caller then reads it with openpyxl."""
    import zipfile

    from python_calamine import CalamineWorkbook, SheetTypeEnum

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [
            i
            for i in archive.infolist()
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
        ]
        for info in sheets:
            with archive.open(info) as xml:
                tail = b""  # a tag split between two chunks is still found
                while chunk := xml.read(1 << 20):
                    if _OPENPYXL_ONLY.search(tail + chunk):
                        return None
                    tail = chunk[-16:]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    result = []
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart sheets hold no cells; openpyxl's worksheets leave them out too
        sheet = workbook.get_sheet_by_name(meta.name)
        if sheet.total_height * sheet.total_width > MAX_FAST_CELLS:
            return None
        rows = sheet.to_python(skip_empty_area=False)
        result.append((meta.name, [tuple(_as_openpyxl(v) for v in row) for row in rows]))
    return result


def _as_openpyxl(value: Any) -> Any:
    """A calamine value as openpyxl gives it, so every later step sees the same cell."""
    if value == "" and isinstance(value, str):
        return None
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return value


def _read_workbook(content: bytes, *, data_only: bool) -> list[tuple[str, list[tuple[Any, ...]]]]:
    from openpyxl import load_workbook  # heavy; only needed for xlsx

    with warnings.catch_warnings():
        # openpyxl warns about extensions it ignores (data validation, conditional formats).
        warnings.simplefilter("ignore")
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=data_only, keep_links=False
        )
        try:
            result = []
            for worksheet in workbook.worksheets:
                worksheet.reset_dimensions()
                if data_only:
                    rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
                else:
                    rows = [
                        tuple(
                            cell.value if getattr(cell, "data_type", None) == "f" else None
                            for cell in row
                        )
                        for row in worksheet.iter_rows()
                    ]
                result.append((worksheet.title, rows))
            return result
        finally:
            workbook.close()


def _formulas_in(formula_rows: list[tuple[Any, ...]], index: int) -> list[tuple[int, str]]:
    if index >= len(formula_rows):
        return []
    return [
        (col, _formula_text(value))
        for col, value in enumerate(formula_rows[index])
        if value is not None
    ]


def _formula_text(value: Any) -> str:
    text = getattr(value, "text", value)  # ArrayFormula keeps its text in .text
    return str(text)


def _cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float | bool | datetime | date | time):
        return value
    return str(value)  # timedelta and other rarities: as text, for the parser to refuse


def _uncalculated(name: str, sheet: str, row: int, col: int, formula: str) -> Problem:
    cell = cell_name(row, col)
    return _error(
        name,
        f"Cell {cell} (rad {row}) på bladet '{sheet}' innehåller en formel utan beräknat "
        "värde; filen har inte räknats om och sparats i Excel. Öppna filen i Excel, spara den "
        "och försök igen, eller ersätt formeln med sitt värde.",
        sheet=sheet,
        row=row,
        column=column_letter(col),
        value=_truncate(formula),
    )


def read_json(file: UploadedFile) -> tuple[Any, list[Problem]]:
    """The decoded JSON document (None on error): decoding as decode_text, a syntax error names
    line and column, and the whole text is scanned for personal identity numbers (the problem
    names the line)."""
    name = file.name
    text, _, problems = decode_text(file)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [_error(name, f"Filen '{name}' är tom.")]
    found = scan_text(name, text)
    if found:
        return None, found
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [
            _error(
                name,
                f"Filen '{name}' är inte giltig JSON (fel på rad {exc.lineno}, tecken "
                f"{exc.colno}). Kontrollera att filen är hel och inte har redigerats för hand.",
                row=exc.lineno,
            )
        ]
    except RecursionError:
        return None, [_error(name, f"Filen '{name}' är för djupt nästlad för att läsas.")]
    if "\\u" in text:
        # Escapes (\u2013, full-width digits as \uff11) hide a number from the scan of the
        # text; the decoded strings show it. Where it stood is not known any more.
        try:
            decoded = json.dumps(document, ensure_ascii=False)
        except RecursionError:
            return None, [_error(name, f"Filen '{name}' är för djupt nästlad för att läsas.")]
        if contains_personal_number(decoded):
            return None, [personal_number_problem(name)]
    return document, []


def scan_sheets(file_name: str, sheets: list[Sheet]) -> list[Problem]:
    """One personal-number problem per file at most (the first hit, with sheet, row and column
    letter, plus the header text when a header row lies above); [] when none is found. Sheet
    names are scanned first: a sheet named after a person is refused without being named."""
    for sheet in sheets:
        if sheet.name and contains_personal_number(sheet.name):
            return [personal_number_problem(file_name, part="i ett bladnamn")]
    for sheet in sheets:
        # One regex pass over the whole sheet (cells joined by tabs, rows by newlines), then
        # the cell is located only for a hit: a 25 MB file is scanned in well under a second.
        index = personal_number_line("\n".join(_scan_line(row) for row in sheet.rows))
        if index is None:
            continue
        row = sheet.rows[index]
        col = next(c for c, cell in enumerate(row) if contains_personal_number(_scan_text(cell)))
        column = column_letter(col)
        header = _header_above(sheet.rows, index, col)
        if header:
            column = f"{column} ({header})"
        return [personal_number_problem(file_name, sheet=sheet.name, row=index + 1, column=column)]
    return []


def _scan_line(row: list[Cell]) -> str:
    try:
        line = "\t".join(row)  # type: ignore[arg-type]  # a row of text, as every CSV row is
    except TypeError:
        return "\t".join(_scan_text(cell) for cell in row)
    # A line break inside a quoted cell would shift every later row by one.
    if "\n" in line or "\r" in line:
        return "\t".join(_scan_text(cell) for cell in row)
    return line


def _scan_text(cell: Cell) -> str:
    if isinstance(cell, str):
        return cell.replace("\r", " ").replace("\n", " ")
    if isinstance(cell, bool):
        return ""
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float) and cell.is_integer() and abs(cell) >= 1e9:
        return str(int(cell))  # a number stored as 1212121212.0 is still the same digits
    return ""


def _header_above(rows: list[list[Cell]], index: int, col: int) -> str | None:
    """The text in column `col` of the first row above `index` with at least two filled
    cells, if it is plain text and holds no personal number itself."""
    for row in rows[:index]:
        if sum(1 for c in row if c != "") >= 2:
            cell = row[col] if col < len(row) else ""
            if isinstance(cell, str) and cell and not contains_personal_number(cell):
                return _truncate(cell, 40)
            return None
    return None


def scan_text(file_name: str, text: str) -> list[Problem]:
    """As scan_sheets for plain text: the problem names the line."""
    line = personal_number_line(text)
    if line is None:
        return []
    return [personal_number_problem(file_name, row=line + 1)]


def _truncate(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error(
    name: str,
    message: str,
    *,
    row: int | None = None,
    sheet: str | None = None,
    column: str | None = None,
    value: str | None = None,
) -> Problem:
    return Problem(
        file=name,
        message=message,
        severity=Severity.ERROR,
        sheet=sheet,
        row=row,
        column=column,
        value=value,
    )
