"""Plain HTTP routes beside the Dash pages: files people download by following a link."""

from flask import Flask, Response, jsonify

from dashboard import context
from dashboard.api import api
from dashboard.audit_downloads import register_audit_downloads
from dashboard.moteslage_pdf import register_moteslage_pdf
from dashboard.plan_downloads import register_plan_downloads
from indicators.imports.template import template_csv, template_xlsx
from indicators.reads.health import store_reachable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_routes(server: Flask) -> None:
    server.register_blueprint(api)
    server.add_url_rule("/mall.csv", "mall_csv", _template_csv)
    server.add_url_rule("/mall.xlsx", "mall_xlsx", _template_xlsx)
    server.add_url_rule("/healthz", "healthz", _healthz)
    register_audit_downloads(server)
    register_moteslage_pdf(server)
    register_plan_downloads(server)


def _healthz() -> tuple[Response, int]:
    """For load balancers and Docker's HEALTHCHECK: 200 only when the database answers."""
    if store_reachable(context.store()):
        return jsonify({"status": "ok", "databas": "nåbar"}), 200
    return jsonify({"status": "fel", "databas": "nås inte"}), 503


def _attachment(content: bytes, content_type: str, filename: str) -> Response:
    response = Response(content, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _template_csv() -> Response:
    return _attachment(template_csv(), "text/csv; charset=utf-8", "importmall.csv")


def _template_xlsx() -> Response:
    return _attachment(template_xlsx(), XLSX, "importmall.xlsx")
