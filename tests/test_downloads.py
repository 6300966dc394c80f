"""The download component's data path: a frame stored on the page comes back as the same
numbers in CSV and Excel, gaps stay gaps, and formula-like text is neutralised."""

import base64
import io
import json

import pandas as pd
from openpyxl import load_workbook

from dashboard.components.interactive.downloads import download_file, frame_payload, payload_frames


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Område": ["0680", '=HYPERLINK("http://example.org")', "Aneby"],
            "Period": ["2024", "2024", "2024"],
            "Värde": [45.25, float("nan"), 1234.5],
            "Status": ["", "sekretess", ""],
        }
    )


def _bytes(data: dict) -> bytes:
    assert data["base64"] is True
    return base64.b64decode(data["content"])


def test_the_payload_survives_json_and_keeps_order_and_gaps():
    payload = json.loads(json.dumps(frame_payload(_frame())))
    (name, frame), *_ = payload_frames(payload).items()
    assert name == "Data"
    assert list(frame.columns) == ["Område", "Period", "Värde", "Status"]
    assert frame["Område"].tolist()[0] == "0680"  # codes keep their leading zero
    assert frame["Värde"].tolist()[0] == 45.25
    assert pd.isna(frame["Värde"].tolist()[1])


def test_csv_is_swedish_has_the_same_numbers_and_neutralises_formulas():
    data = download_file(frame_payload(_frame()), "csv", "vy")
    assert data["filename"] == "vy.csv"
    raw = _bytes(data)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(
        io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Område": str}
    )
    assert back["Värde"].tolist()[0] == 45.25
    assert back["Värde"].tolist()[2] == 1234.5
    assert pd.isna(back["Värde"].tolist()[1])  # a suppressed value is empty, never 0
    assert back["Område"].tolist()[0] == "0680"
    texts = back["Område"].tolist()
    assert not any(t.startswith("=") for t in texts)
    assert texts[1].lstrip("'").startswith("=HYPERLINK")


def test_xlsx_has_numbers_as_numbers_and_no_formula_cells():
    payload = frame_payload({"Värden": _frame(), "Källa": pd.DataFrame({"Källa": ["Kolada"]})})
    data = download_file(payload, "xlsx", "vy")
    assert data["filename"] == "vy.xlsx"
    book = load_workbook(io.BytesIO(_bytes(data)))
    assert book.sheetnames == ["Värden", "Källa"]
    sheet = book["Värden"]
    assert sheet["C2"].value == 45.25
    assert sheet["C3"].value is None
    assert sheet["A2"].value == "0680"
    assert sheet["B3"].data_type == "s" and sheet["A3"].data_type == "s"
    assert not str(sheet["A3"].value).startswith("=")


def test_a_payload_can_name_its_own_file():
    data = download_file(frame_payload(_frame(), filename="strategi-2-0680"), "csv", "vy")
    assert data["filename"] == "strategi-2-0680.csv"
