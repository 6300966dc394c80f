"""A strategigrupp's yearly follow-up of its handlingsplan as a Word document (docx), for the
boards that adopted the strategy: what ran during the year, who owned it, where it stands, and
how the county moved on each indicator the activity aims at since it started.

Word, not PDF, because the boards' secretaries edit and merge it into their own minutes."""

import io
from datetime import date

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt

from indicators.reads.models import ActivityInfo
from indicators.vocabulary.formatting import format_date, format_value

DEMO_NOTICE = (
    "EXEMPELDATA – påhittade aktiviteter och värden för att visa verktyget. "
    "Dokumentet beskriver inte verkliga förhållanden."
)


def ran_during(activity: ActivityInfo, year: int) -> bool:
    """Whether any part of the activity fell within the year."""
    starts_in_time = activity.start_date <= date(year, 12, 31)
    not_ended_before = activity.end_date is None or activity.end_date >= date(year, 1, 1)
    return starts_in_time and not_ended_before


def yearly_followup_docx(
    group_name: str, year: int, activities: list[ActivityInfo], *, demo: bool, source: str
) -> bytes:
    """The document for one strategigrupp and year. `source` names where the values come from
    and when they were last updated (the pages' source note)."""
    ran = [a for a in activities if ran_during(a, year)]
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(f"Årlig uppföljning {year}: handlingsplan för {group_name}", level=0)
    if demo or any(a.is_demo for a in ran):
        notice = document.add_paragraph()
        run = notice.add_run(DEMO_NOTICE)
        run.bold = True
    document.add_paragraph(
        "Strategin Tillsammans möter vi framtidens behov inom området främjande, hälsa, stöd, "
        f"omsorg och vård 2021–2030. Strategigruppen {group_name} följer här upp de "
        f"aktiviteter i sin handlingsplan som pågick under {year}, och hur länets värden har "
        "utvecklats för de indikatorer som varje aktivitet syftar till att påverka: det senaste "
        "värdet före aktivitetens start jämfört med det senaste värdet, bedömt i indikatorns "
        "riktning och med den precision värdet visas med."
    )
    if not ran:
        document.add_paragraph(f"Inga aktiviteter i handlingsplanen pågick under {year}.")
    counts = {status: sum(a.status is status for a in ran) for status in {a.status for a in ran}}
    if counts:
        document.add_paragraph(
            "Aktiviteter under året: "
            + ", ".join(f"{n} {status.value}" for status, n in sorted(counts.items()))
            + "."
        )
    for activity in ran:
        _activity_section(document, activity)
    document.add_paragraph(f"Källa: {source}", style="Caption")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _activity_section(document: WordDocument, activity: ActivityInfo) -> None:
    document.add_heading(activity.title, level=1)
    period = f"{format_date(activity.start_date)} – " + (
        format_date(activity.end_date) if activity.end_date else "tills vidare"
    )
    document.add_paragraph(
        f"Ansvarig: {activity.owner}. Tid: {period}. Status: {activity.status.value}."
    )
    if activity.description:
        document.add_paragraph(activity.description)
    if not activity.aims:
        document.add_paragraph("Aktiviteten är inte kopplad till någon indikator.")
        return
    table = document.add_table(rows=1, cols=4)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(
        table.rows[0].cells,
        ("Indikator", "Före start", "Senast", "Utveckling"),
        strict=True,
    ):
        cell.text = text
    for aim in activity.aims:
        row = table.add_row().cells
        row[0].text = aim.short_title or aim.title
        row[1].text = _value(aim.start_value, aim.start_period, aim.decimals, aim.unit)
        row[2].text = _value(aim.latest_value, aim.latest_period, aim.decimals, aim.unit)
        row[3].text = aim.change.label if aim.latest_period else "inga nya värden sedan start"


def _value(value: float | None, period: str | None, decimals: int, unit: str) -> str:
    if value is None or period is None:
        return "–"
    return f"{format_value(value, decimals, unit)} ({period})"
