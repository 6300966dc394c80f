"""A strategigrupp's handlingsplan as files: /handlingsplan/<grupp>.xlsx (the plan to edit and
upload again, with how each indicator moved) and /handlingsplan/<grupp>/uppfoljning-<år>.docx
(the yearly follow-up for the boards). Readable by everyone who may read the pages."""

from datetime import date

from flask import Flask, Response, abort

from dashboard import context
from dashboard.components.source_note import source_note_text
from indicators.imports.plan_report import yearly_followup_docx
from indicators.imports.plans import plan_workbook
from indicators.reads.followup.strategy import strategigrupp_view
from indicators.reads.plans import handlingsplan
from indicators.settings import get_settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR = 2021  # the strategy's first year


def register_plan_downloads(server: Flask) -> None:
    server.add_url_rule("/handlingsplan/<grupp>.xlsx", "handlingsplan_xlsx", plan_xlsx)
    server.add_url_rule(
        "/handlingsplan/<grupp>/uppfoljning-<int:year>.docx", "handlingsplan_docx", plan_docx
    )


def _file(content: bytes, content_type: str, filename: str) -> Response:
    response = Response(content, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def plan_xlsx(grupp: str) -> Response:
    store = context.store()
    view = strategigrupp_view(store, grupp, get_settings().baseline_year)
    if view is None:
        abort(404)
    content = plan_workbook(handlingsplan(store, grupp))
    return _file(content, XLSX, f"handlingsplan-{grupp}-{date.today().isoformat()}.xlsx")


def plan_docx(grupp: str, year: int) -> Response:
    store = context.store()
    view = strategigrupp_view(store, grupp, get_settings().baseline_year)
    if view is None or not FIRST_YEAR <= year <= date.today().year + 1:
        abort(404)
    content = yearly_followup_docx(
        view.name,
        year,
        handlingsplan(store, grupp),
        demo=view.provenance.has_demo_data,
        source=source_note_text(view.provenance),
    )
    return _file(content, DOCX, f"arlig-uppfoljning-{grupp}-{year}.docx")
