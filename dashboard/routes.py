"""Plain HTTP routes beside the Dash pages: files people download by following a link."""

from flask import Flask, Response

from indicators.imports.template import template_csv, template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_routes(server: Flask) -> None:
    server.add_url_rule("/mall.csv", "mall_csv", _template_csv)
    server.add_url_rule("/mall.xlsx", "mall_xlsx", _template_xlsx)


def _attachment(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _template_csv() -> Response:
    return _attachment(template_csv(), "text/csv; charset=utf-8", "importmall.csv")


def _template_xlsx() -> Response:
    return _attachment(template_xlsx(), XLSX, "importmall.xlsx")
