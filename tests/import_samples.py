"""Real bytes of awkward uploads, built on the fly so every test sees exactly what an analyst's
program would write: Swedish CSV in cp1252 and UTF-8 with BOM, broken encodings, xlsx written by
openpyxl (which never stores cached values of formulas) and patched xlsx archives."""

import io
import re
import zipfile
from collections.abc import Callable

from openpyxl import Workbook

SEMICOLON_CSV = "Kommun;Kön;2022;2023\r\nJönköping;T;12,5;1 234,5\r\nVärnamo;K;−5;45 %\r\n"


def cp1252_csv() -> bytes:
    # cp1252 has no U+2212, so this variant writes the ASCII minus as Swedish Excel does.
    return SEMICOLON_CSV.replace("−", "-").encode("cp1252")


def utf8_bom_csv() -> bytes:
    return "\ufeff".encode() + SEMICOLON_CSV.encode("utf-8")


def mojibake_csv() -> bytes:
    """UTF-8 that was once read as cp1252 and saved again as UTF-8: "Jönköping" → "JÃ¶nkÃ¶ping"."""
    damaged = SEMICOLON_CSV.encode("utf-8").decode("cp1252", errors="replace")
    return damaged.encode("utf-8")


def invalid_utf8_csv() -> bytes:
    # 0x81 is undefined in cp1252 as well, so neither reading is plausible.
    return b"Kommun;V\x81rde\r\nAneby;\x81\x8d\r\n"


def xlsx_bytes(rows: list[list[object]], title: str = "Data") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def patch_zip(content: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """A copy of a zip archive with one entry rewritten."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, change(data) if item.filename == name else data)
    return out.getvalue()


def stale_dimension_xlsx(rows: int = 40) -> bytes:
    """A sheet of `rows` data rows whose <dimension> record claims only A1:B2."""
    content = xlsx_bytes([["Kommun", "2023"]] + [[f"{i:04d}", i] for i in range(1, rows + 1)])
    return patch_zip(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', xml),
    )


def uncached_formula_xlsx() -> bytes:
    """B7 holds =SUM(B2:B6), never calculated: openpyxl writes formulas without <v> values."""
    rows: list[list[object]] = [["Kommun", "2023"]]
    rows += [[code, 10 * i] for i, code in enumerate(["0604", "0617", "0642", "0643", "0662"])]
    rows.append(["Summa", "=SUM(B2:B6)"])
    return xlsx_bytes(rows)


def cached_formula_xlsx() -> bytes:
    """As uncached_formula_xlsx, but with the cached value Excel would have stored."""
    return patch_zip(
        uncached_formula_xlsx(),
        "xl/worksheets/sheet1.xml",
        # openpyxl writes the empty value as <v /> (et_xmlfile) or <v></v> (with lxml).
        lambda xml: re.sub(
            rb"<f>SUM\(B2:B6\)</f><v\s*(?:/>|></v>)", b"<f>SUM(B2:B6)</f><v>100</v>", xml
        ),
    )


def xlsx_bomb(megabytes: int = 30) -> bytes:
    """A valid-looking workbook plus one entry of zeros that inflates about 1000-fold."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes([["a"]]))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        with target.open("xl/media/zeros.bin", "w") as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                entry.write(chunk)
    return out.getvalue()


def with_vba_project(content: bytes) -> bytes:
    """An xlsx archive with a macro project added, as Excel stores one in .xlsm files."""
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really vba")
    return out.getvalue()


TEMPLATE_HEADER = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status\n"


def template_csv(*rows: str) -> bytes:
    """The long template as an analyst fills it in: the header, then one line per row."""
    return (TEMPLATE_HEADER + "".join(f"{r}\n" for r in rows)).encode("utf-8")
