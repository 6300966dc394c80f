"""The read API, `/api/v1`: indicators, areas and observations as JSON or CSV, for people who
want the dashboard's figures in their own tools.

Reads only; sign-in and roles are the request gate's (dashboard.auth), which answers 401 JSON
for /api/* without a sign-in and lets every role read. Values come from
indicators.reads.api_queries, suppressed exactly as on the pages. CSV is written by
indicators.spreadsheets, the one writer."""

import json
import logging
from typing import Any

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from dashboard import context
from dashboard.api.openapi import openapi_document
from indicators.reads.api_params import ApiProblem, ApiQueryError
from indicators.reads.api_queries import (
    area_list,
    base_meta,
    check_observation_query,
    indicator_list,
    observation_records,
    observations,
    observations_meta,
)
from indicators.reads.queries import has_demo_data
from indicators.spreadsheets import to_csv_bytes

PREFIX = "/api/v1"
CACHE_CONTROL = "private, max-age=60"

HTTP_MESSAGES = {
    400: "Felaktig fråga.",
    401: "Inloggning krävs.",
    403: "Din roll får inte göra detta.",
    404: "Finns inte.",
    405: "Metoden stöds inte: API:t läser bara (GET).",
    500: "Internt fel i servern. Försök igen senare.",
}

log = logging.getLogger(__name__)
api = Blueprint("api_v1", __name__, url_prefix=PREFIX)


def _json(payload: Any, status: int = 200) -> Response:
    # Numbers stay numbers, å/ä/ö stay themselves; NaN must never reach a JSON reader.
    body = json.dumps(payload, ensure_ascii=False, allow_nan=False)
    return Response(body, status=status, content_type="application/json; charset=utf-8")


def _error(status: int, problems: list[ApiProblem]) -> Response:
    return _json(
        {
            "error": {
                "status": status,
                "message": " ".join(p.message for p in problems),
                "problems": [
                    {"parameter": p.parameter, "value": p.value, "message": p.message}
                    for p in problems
                ],
            }
        },
        status,
    )


@api.after_request
def _headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Per signed-in person, and errors are not worth keeping.
    response.headers["Cache-Control"] = CACHE_CONTROL if response.status_code == 200 else "no-store"
    response.vary.add("Cookie")
    return response


@api.errorhandler(Exception)
def _failed(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        # The request gate's 401/403 (and Flask's own) keep their code; a prepared response
        # is passed on untouched.
        if error.response is not None:
            return error.response
        code = error.code or 500
        return _error(code, [ApiProblem("", "", HTTP_MESSAGES.get(code, str(error.description)))])
    # No traceback leaves the server: the log has it, the caller gets a plain sentence.
    log.exception("Fel i API:t: %s", request.path)
    return _error(500, [ApiProblem("", "", HTTP_MESSAGES[500])])


@api.get("/indicators")
def indicators() -> Response:
    store = context.store()
    rows = [row.model_dump() for row in indicator_list(store)]
    return _json({"data": rows, "meta": base_meta(len(rows), has_demo_data(store))})


@api.get("/areas")
def areas() -> Response:
    store = context.store()
    rows = [row.model_dump() for row in area_list(store)]
    return _json({"data": rows, "meta": base_meta(len(rows), has_demo_data(store))})


@api.get("/observations")
def observations_view() -> Response:
    store = context.store()
    try:
        query = check_observation_query(store, request.args.to_dict(flat=False))
    except ApiQueryError as error:
        return _error(400, error.problems)
    result = observations(store, query)
    if query.format == "csv":
        response = Response(
            to_csv_bytes(result.frame, swedish=query.sep == "sv"),
            content_type="text/csv; charset=utf-8",
        )
        response.headers["Content-Disposition"] = 'attachment; filename="observationer.csv"'
        return response
    return _json({"data": observation_records(result.frame), "meta": observations_meta(result)})


@api.get("/openapi.json")
def openapi() -> Response:
    return _json(openapi_document(request.host_url.rstrip("/") + PREFIX))


@api.route("/", defaults={"rest": ""})
@api.route("/<path:rest>")
def not_found(rest: str) -> Response:
    return _error(
        404,
        [
            ApiProblem(
                "",
                f"{PREFIX}/{rest}",
                f"Finns inte: {PREFIX}/{rest}. Se {PREFIX}/openapi.json för vad API:t har.",
            )
        ],
    )
