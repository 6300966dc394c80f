"""The long template analysts download from the upload page: Swedish headers, one example row
marked "exempel" in its Status column (never imported, so the untouched template changes
nothing), and in the xlsx an "Instruktioner" sheet that explains every column."""

import pandas as pd

from indicators.imports.formats.mall import EXAMPLE_ROW, TEMPLATE_COLUMNS
from indicators.spreadsheets import to_csv_bytes, to_xlsx_bytes

TEMPLATE_SHEET = "Mall"
INSTRUCTIONS_SHEET = "Instruktioner"
NUMBER_COLUMNS = ("Värde", "Täljare", "Nämnare")

COLUMN_HELP: dict[str, tuple[str, str]] = {
    "Indikator": (
        "ja",
        "Indikatorns id i katalogen, t.ex. Koladas KPI-id N21497 eller U21401.",
    ),
    "Område": (
        "ja",
        "Områdets kod som text med fyra siffror: 0680 för Jönköping (inte 680), 0006 för "
        "Region Jönköpings län, 0000 för Riket. Kommunens namn går också, t.ex. Jönköping.",
    ),
    "Period": (
        "ja",
        "År 2023, halvår 2023H1, kvartal 2023Q1 (även 2023-Q1, 2023T1, 2023K1) eller månad "
        "2023M03 (även 2023-03).",
    ),
    "Kön": (
        "nej",
        "T totalt, K kvinnor, M män (även 3, 2, 1 eller totalt, kvinnor, män). Tom cell betyder T.",
    ),
    "Värde": (
        "ja",
        "Talet, med decimalkomma eller decimalpunkt men samma i hela kolumnen, t.ex. 12,5. "
        "Andelar i procent 0–100. Lämna tom och fyll i Status när värdet saknas.",
    ),
    "Täljare": ("nej", "Antal i täljaren när värdet är en andel, t.ex. 35."),
    "Nämnare": ("nej", "Antal i nämnaren när värdet är en andel, t.ex. 40."),
    "Status": (
        "nej",
        "Tom när värdet finns. Annars saknas, sekretess eller ej tillämpligt, eller källans "
        "egen markering: - (bortfall), . (ej tillämpligt), .. (sekretess), UNK, MSK, INV. "
        "En saknad uppgift är aldrig noll. 'exempel' markerar mallens exempelrad, som aldrig "
        "läses in.",
    ),
}

GENERAL_HELP = (
    "En rad per indikator, område, period och kön. Rubrikraden ska stå kvar som den är.",
    "Exempelraden på bladet Mall visar formen. Den har Status 'exempel' och läses aldrig in, "
    "även om den står kvar; era egna rader ska ha tom Status (eller en markering för saknat "
    "värde).",
    "CSV: semikolon som avgränsare och UTF-8 (Excel: Spara som → CSV UTF-8).",
    "Personuppgifter får aldrig finnas i filen: inga personnummer, samordningsnummer, namn "
    "eller andra uppgifter om enskilda personer. En fil med personnummer tas inte emot.",
    "Små tal (under 5) visas som sekretess i instrumentpanelen så att ingen kan kännas igen.",
    "Filen förhandsgranskas först: varje rad får ett besked innan något sparas.",
)


def template_frame() -> pd.DataFrame:
    """The example row in template layout; the value columns as numbers."""
    row: dict[str, object] = {c: EXAMPLE_ROW.get(c, "") for c in TEMPLATE_COLUMNS}
    for column in NUMBER_COLUMNS:
        if column in row:
            row[column] = _number_or_text(str(row[column]))
    return pd.DataFrame([row], columns=TEMPLATE_COLUMNS)


def instructions_frame() -> pd.DataFrame:
    rows = [(column, *COLUMN_HELP.get(column, ("nej", ""))) for column in TEMPLATE_COLUMNS]
    rows.append(("", "", ""))
    rows.extend(("Att tänka på", "", text) for text in GENERAL_HELP)
    return pd.DataFrame(rows, columns=["Kolumn", "Obligatorisk", "Beskrivning"])


def template_csv() -> bytes:
    """The template as a Swedish CSV (`;`, decimal comma, UTF-8 with BOM)."""
    return to_csv_bytes(template_frame(), swedish=True)


def template_xlsx() -> bytes:
    """The template as xlsx: sheet "Mall" with headers and the example row, sheet
    "Instruktioner" explaining each column."""
    return to_xlsx_bytes(
        {TEMPLATE_SHEET: template_frame(), INSTRUCTIONS_SHEET: instructions_frame()}
    )


def _number_or_text(text: str) -> float | str:
    cleaned = text.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return float("nan")
    try:
        return float(cleaned.replace(",", "."))
    except ValueError:
        return text
