"""The OpenAPI 3.1 description of `/api/v1`. Paths are written out by hand; the row schemas and
the observation parameters come from the pydantic models the API itself uses, so the document
cannot drift from what is served."""

from typing import Any

from pydantic.json_schema import models_json_schema

from indicators.reads.api_params import (
    FORMATS,
    MAX_COMBINATIONS,
    MAX_YEAR,
    MIN_YEAR,
    SEPARATORS,
    ObservationQuery,
)
from indicators.reads.api_queries import AreaOut, IndicatorOut, ObservationOut

REF = "#/components/schemas/{model}"
YEAR = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
PARAMETER_SCHEMAS: dict[str, dict[str, Any]] = {
    "indicator": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "area": {"type": "array", "items": {"type": "string"}},
    "from": YEAR,
    "to": YEAR,
    "gender": {
        "type": "array",
        "items": {"type": "string", "enum": ["T", "K", "M"]},
        "default": ["T"],
    },
    "format": {"type": "string", "enum": list(FORMATS), "default": "json"},
    "sep": {"type": "string", "enum": list(SEPARATORS), "default": "sv"},
}


def _schemas() -> dict[str, Any]:
    _, top = models_json_schema(
        [(model, "serialization") for model in (IndicatorOut, AreaOut, ObservationOut)],
        ref_template=REF,
    )
    schemas = dict(top["$defs"])
    schemas["Meta"] = {
        "type": "object",
        "required": ["count", "suppression_threshold", "generated_at", "demo_data", "source"],
        "properties": {
            "count": {"type": "integer", "description": "Antal rader i data."},
            "suppression_threshold": {
                "type": "integer",
                "description": "Värden som bygger på färre personer än så döljs.",
            },
            "generated_at": {"type": "string", "format": "date-time"},
            "demo_data": {
                "type": "boolean",
                "description": "Lagret innehåller Exempeldata (påhittade värden).",
            },
            "source": {"type": "string", "description": "Om uppgifternas ursprung och sekretess."},
            "query": {"type": "object", "description": "Frågan som besvarades (observations)."},
        },
    }
    schemas["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message", "problems"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string", "description": "Alla problem, på svenska."},
                    "problems": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "parameter": {"type": "string"},
                                "value": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            }
        },
    }
    # What the request gate (dashboard.auth.gate) answers before the API is reached.
    schemas["Refusal"] = {
        "type": "object",
        "required": ["fel", "status"],
        "properties": {"fel": {"type": "string"}, "status": {"type": "integer"}},
    }
    return schemas


def _envelope(row: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data", "meta"],
        "properties": {
            "data": {"type": "array", "items": {"$ref": REF.format(model=row)}},
            "meta": {"$ref": REF.format(model="Meta")},
        },
    }


def _ok(description: str, row: str, csv: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": _envelope(row)}}
    if csv:
        content["text/csv"] = {
            "schema": {"type": "string"},
            "example": "indicator;area;area_name;period;…\r\nU01405;0680;Jönköping;2021;…",
        }
    return {"description": description, "content": content}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
    }


def _refusal(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model="Refusal")}}},
    }


def _parameters() -> list[dict[str, Any]]:
    """One query parameter per field of ObservationQuery, named by its alias (from, to), with
    the field's own description."""
    params = []
    for field_name, field in ObservationQuery.model_fields.items():
        name = field.alias or field_name
        schema = PARAMETER_SCHEMAS[name]
        params.append(
            {
                "name": name,
                "in": "query",
                "required": field.is_required(),
                "description": field.description or "",
                "schema": schema,
                # ?indicator=a&indicator=b; ?indicator=a,b works too.
                **({"style": "form", "explode": True} if schema["type"] == "array" else {}),
            }
        )
    return params


def openapi_document(server_url: str) -> dict[str, Any]:
    bad = _error("Felaktig fråga: varje problem med parameter, värde och förklaring.")
    unauthorised = _refusal("Inte inloggad (eller, bakom en inloggningsproxy, 403).")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tillsammans 2021–2030 – uppföljningens läs-API",
            "version": "1",
            "description": (
                "Indikatorer, områden och värden ur uppföljningen av strategin Tillsammans "
                "2021–2030 i Jönköpings län. Samma inloggning och samma sekretess som "
                "instrumentpanelen: ett dolt värde har status suppressed och value null, och "
                "varken täljare eller nämnare lämnas ut."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"session": []}],
        "paths": {
            "/indicators": {
                "get": {
                    "summary": "Alla indikatorer med strategier, mätområden och strategigrupper",
                    "operationId": "listIndicators",
                    "responses": {
                        "200": _ok("Indikatorerna.", "IndicatorOut"),
                        "401": unauthorised,
                    },
                }
            },
            "/areas": {
                "get": {
                    "summary": "Alla områden: Riket, regionerna och kommunerna",
                    "operationId": "listAreas",
                    "responses": {"200": _ok("Områdena.", "AreaOut"), "401": unauthorised},
                }
            },
            "/observations": {
                "get": {
                    "summary": "Värden för indikatorer × områden × år × kön",
                    "description": (
                        f"Högst {MAX_COMBINATIONS} kombinationer av indikator och område per "
                        "anrop. format=csv ger en fil; sep=sv (standard) har semikolon och "
                        "decimalkomma i UTF-8 med BOM, sep=int komma och decimalpunkt."
                    ),
                    "operationId": "listObservations",
                    "parameters": _parameters(),
                    "responses": {
                        "200": _ok("Värdena i områdenas ordning.", "ObservationOut", csv=True),
                        "400": bad,
                        "401": unauthorised,
                    },
                }
            },
        },
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "Inloggningskakan från /logga-in (eller inloggningsproxyn).",
                }
            },
        },
    }
