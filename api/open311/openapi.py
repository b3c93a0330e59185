"""An OpenAPI 3.0 description of the Open311 GeoReport v2 endpoints, in the spec's shape, served
at /open311/v2/openapi.json on a body's sub-domain (its endpoint) and on the platform domain (the
national one). Kept apart from the national and staff APIs' document (drf-spectacular, /api/schema/):
Open311 follows its own specification, with its own formats and errors.

The document describes the JSON format (the path's `.json`); the XML format (`.xml`, the spec's
default) carries the same values, wrapped as the spec's examples show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

NULLABLE_STRING: dict[str, Any] = {"type": "string", "nullable": True}
ERRORS: dict[str, Any] = {"$ref": "#/components/schemas/Errors"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _refusals(*codes: int) -> dict[str, Any]:
    words = {400: "bad input (the description names the parameter)", 403: "missing, read-only, revoked or foreign key",
             404: "not found", 405: "method not allowed", 429: "too many requests (Retry-After: 60)"}
    return {str(code): _json(ERRORS, words[code]) for code in codes}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


_KEY = _query("api_key", "a key (or the X-Api-Key header); reads need none")
_LOCALE = _query("locale", "the language of descriptions and errors: th (default) or en",
                 {"type": "string", "enum": ["th", "en"]})

SCHEMAS: dict[str, Any] = {
    "Errors": {"type": "array", "items": {
        "type": "object", "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}},
    "Discovery": {"type": "object", "required": ["changeset", "endpoints"], "properties": {
        "changeset": {"type": "string"}, "contact": {"type": "string"}, "key_service": {"type": "string"},
        "endpoints": {"type": "array", "items": {"type": "object", "properties": {
            "specification": {"type": "string"}, "url": {"type": "string"}, "changeset": {"type": "string"},
            "type": {"type": "string"}, "formats": {"type": "array", "items": {"type": "string"}}}}}}},
    "Service": {"type": "object", "required": ["service_code", "service_name", "metadata", "type"], "properties": {
        "service_code": {"type": "string"}, "service_name": {"type": "string"}, "description": {"type": "string"},
        "metadata": {"type": "boolean"}, "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"}, "group": {"type": "string"}}},
    "ServiceDefinition": {"type": "object", "required": ["service_code", "attributes"], "properties": {
        "service_code": {"type": "string"},
        "attributes": {"type": "array", "items": {"type": "object", "required": ["code", "datatype"], "properties": {
            "variable": {"type": "boolean"}, "code": {"type": "string"}, "datatype": {"type": "string"},
            "required": {"type": "boolean"}, "datatype_description": {"type": "string"},
            "order": {"type": "integer"}, "description": {"type": "string"},
            "values": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}, "name": {"type": "string"}}}}}}}}},
    "ServiceRequest": {"type": "object", "required": ["service_request_id", "status"], "properties": {
        "service_request_id": {"type": "string"}, "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": NULLABLE_STRING, "service_name": NULLABLE_STRING, "service_code": NULLABLE_STRING,
        "description": NULLABLE_STRING, "agency_responsible": NULLABLE_STRING, "service_notice": NULLABLE_STRING,
        "requested_datetime": NULLABLE_STRING, "updated_datetime": NULLABLE_STRING,
        "expected_datetime": NULLABLE_STRING, "address": NULLABLE_STRING, "address_id": NULLABLE_STRING,
        "zipcode": NULLABLE_STRING, "lat": {"type": "number", "nullable": True},
        "long": {"type": "number", "nullable": True}, "media_url": NULLABLE_STRING}},
    "Created": {"type": "object", "required": ["service_request_id", "token"], "properties": {
        "service_request_id": {"type": "string"}, "token": {"type": "string"}, "service_notice": NULLABLE_STRING,
        "account_id": NULLABLE_STRING}},
    "Token": {"type": "object", "required": ["service_request_id", "token"], "properties": {
        "service_request_id": {"type": "string"}, "token": {"type": "string"}}},
    "NewRequest": {"type": "object", "required": ["service_code", "description"], "properties": {
        "api_key": {"type": "string"}, "jurisdiction_id": {"type": "string"},
        "service_code": {"type": "string"}, "description": {"type": "string", "maxLength": 5000},
        "lat": {"type": "number"}, "long": {"type": "number"}, "address_string": {"type": "string"},
        "address_id": {"type": "string"}, "email": {"type": "string"}, "device_id": {"type": "string"},
        "account_id": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"},
        "phone": {"type": "string"}, "media_url": {"type": "string"}, "client_ticket_id": {"type": "string"},
        "attribute[moo]": {"type": "string"}, "attribute[subdistrict]": {"type": "string"},
        "attribute[conduct]": {"type": "string", "enum": ["true", "false"]},
        "attribute[contact_allowed]": {
            "type": "string", "pattern": "^((phone|email)(,(phone|email))*)?$",
            "description": "comma-separated channels the complainant allows the officers handling the request "
                           "to reach them by (phone: calls and SMS; email), each with its contact given; "
                           "none when absent. The service definition's multivaluelist: "
                           "attribute[contact_allowed][] repeated is the same"}}},
}


def _array(name: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}


def document(*, base_url: str, national: bool) -> dict[str, Any]:
    where = "every body on the platform (facts only: no description, place or point)" if national \
        else "this body's service requests"
    paths: dict[str, Any] = {
        "/discovery.json": {"get": {
            "operationId": "discovery", "summary": "the endpoint, its formats and where keys come from",
            "parameters": [_LOCALE], "responses": {"200": _json({"$ref": "#/components/schemas/Discovery"}, "ok")}}},
        "/services.json": {"get": {
            "operationId": "services", "summary": "the services (categories) requests may be filed under",
            "parameters": [_KEY, _LOCALE],
            "responses": {"200": _json(_array("Service"), "ok"), **_refusals(400, 403, 429)}}},
        "/services/{service_code}.json": {"get": {
            "operationId": "service_definition", "summary": "a service's attributes",
            "parameters": [{"name": "service_code", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": "^[a-z0-9_.-]+$"}}, _KEY, _LOCALE],
            "responses": {"200": _json({"$ref": "#/components/schemas/ServiceDefinition"}, "ok"),
                          **_refusals(400, 403, 404, 429)}}},
        "/requests.json": {
            "get": {
                "operationId": "requests", "summary": f"{where}, newest first (90 days by default)",
                "parameters": [
                    _query("service_request_id", "ids, comma-separated (<DLA code>-<case number>)"),
                    _query("service_code", "service codes, comma-separated"),
                    _query("start_date", "W3C date-time"), _query("end_date", "W3C date-time"),
                    _query("status", "open or closed", {"type": "string", "enum": ["open", "closed"]}),
                    _query("updated_after", "W3C date-time"),
                    _query("page", "from 1", {"type": "integer", "minimum": 1}),
                    _query("page_size", "at most OPEN311_MAX_PAGE_SIZE", {"type": "integer", "minimum": 1}),
                    _query("client_ticket_id", "the client's own ids (with the key that filed them)"),
                    _KEY, _LOCALE],
                "responses": {"200": _json(_array("ServiceRequest"), "ok"), **_refusals(400, 403, 429)}},
            "post": {
                "operationId": "request_create",
                "summary": "file a request (a write key); nationally routed by jurisdiction_id, subdistrict or point",
                "parameters": [_LOCALE],
                "requestBody": {"required": True, "content": {
                    "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/NewRequest"}},
                    "multipart/form-data": {"schema": {"allOf": [{"$ref": "#/components/schemas/NewRequest"}, {
                        "type": "object", "properties": {"media": {
                            "type": "array", "maxItems": 5, "items": {"type": "string", "format": "binary"},
                            "description": "photos (JPEG, PNG, WebP, at most 10 MB: re-encoded, EXIF removed) or "
                                           "PDFs (at most 10 MB, no scripts), checked like the portal form's"}}}]}}}},
                "responses": {"201": _json(_array("Created"), "created"),
                              "200": _json(_array("Created"), "the same request sent again (client_ticket_id)"),
                              **_refusals(400, 403, 404, 429)}}},
        "/requests/{service_request_id}.json": {"get": {
            "operationId": "request", "summary": "one request",
            "parameters": [{"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}},
                           _KEY, _LOCALE],
            "responses": {"200": _json(_array("ServiceRequest"), "ok"), **_refusals(400, 403, 404, 429)}}},
        "/tokens/{token}.json": {"get": {
            "operationId": "token", "summary": "the request id a POST's token stands for",
            "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}},
                           _KEY, _LOCALE],
            "responses": {"200": _json(_array("Token"), "ok"), **_refusals(400, 403, 404, 429)}}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Rongthuk Open311 GeoReport v2" + (" (national)" if national else ""), "version": "v2",
                 "description": "http://wiki.open311.org/GeoReport_v2 — JSON shown; .xml carries the same values."},
        "servers": [{"url": base_url}],
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}},
        "paths": paths,
    }


def openapi_view(request: HttpRequest, *, national: bool) -> JsonResponse:
    base = request.build_absolute_uri("/open311/v2").rstrip("/")
    return JsonResponse(document(base_url=base, national=national), json_dumps_params={"ensure_ascii": False})
