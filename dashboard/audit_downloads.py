"""The audit log as files for administrators: /granskningslogg.csv and /granskningslogg.xlsx,
filtered by the same words as the page's address (vad, vem, fran, till)."""

from datetime import UTC, datetime

from flask import Flask, Response, request

from dashboard import context
from dashboard.auth import role_required
from indicators.reads.audit import AuditFilter, audit_csv, audit_xlsx
from indicators.vocabulary.domain import Role
from indicators.vocabulary.formatting import STOCKHOLM

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_audit_downloads(server: Flask) -> None:
    server.add_url_rule("/granskningslogg.csv", "granskningslogg_csv", audit_log_csv)
    server.add_url_rule("/granskningslogg.xlsx", "granskningslogg_xlsx", audit_log_xlsx)


def _file(content: bytes, content_type: str, extension: str) -> Response:
    day = datetime.now(UTC).astimezone(STOCKHOLM).date().isoformat()
    # content_type, not mimetype: Flask would add a second charset to a type that has one.
    response = Response(content, content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="granskningslogg-{day}.{extension}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Who did what is not for shared caches or the browser's back button.
    response.headers["Cache-Control"] = "no-store"
    return response


@role_required(Role.ADMINISTRATOR)
def audit_log_csv() -> Response:
    chosen = AuditFilter.from_query(request.args)
    return _file(audit_csv(context.store(), **chosen.kwargs()), "text/csv; charset=utf-8", "csv")


@role_required(Role.ADMINISTRATOR)
def audit_log_xlsx() -> Response:
    chosen = AuditFilter.from_query(request.args)
    return _file(audit_xlsx(context.store(), **chosen.kwargs()), XLSX, "xlsx")
