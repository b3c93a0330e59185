"""Open311's two wire formats. XML is built with the standard library's ElementTree (building is
safe; the API never parses XML it receives). Both formats come from one Python value per document:
dicts become elements, lists repeat a child element named by LIST_ITEMS."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: S405 - building only, never parsing
from zoneinfo import ZoneInfo

from django.http import HttpResponse

BANGKOK = ZoneInfo("Asia/Bangkok")
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The spec's element for one item of each list.
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def w3c(value: dt.datetime | None) -> str | None:
    """W3C date-time with the offset, in Thai time (e.g. 2026-01-10T09:00:00+07:00)."""
    return value.astimezone(BANGKOK).isoformat(timespec="seconds") if value is not None else None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c(value) or ""
    return "" if value is None else str(value)


def _fill(parent: Element, value: Any, tag: str) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _append(parent, key, child)
    elif isinstance(value, list | tuple):
        item = LIST_ITEMS.get(tag, "item")
        for child in value:
            _append(parent, item, child)
    else:
        parent.text = _text(value)


def _append(parent: Element, tag: str, value: Any) -> None:
    _fill(SubElement(parent, tag), value, tag)


def to_xml(root: str, value: Any) -> bytes:
    element = Element(root)
    _fill(element, value, root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="utf-8", xml_declaration=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return w3c(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=_json_default).encode()


def document(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """One Open311 document. JSON is the value itself (lists are top-level arrays, as the spec's
    examples); XML wraps it in `root`."""
    fmt = fmt if fmt in FORMATS else "xml"
    body = to_json(value) if fmt == "json" else to_xml(root, value)
    response = HttpResponse(body, status=status, content_type=FORMATS[fmt])
    response["Cache-Control"] = "no-store" if status >= 400 else "no-cache"
    return response


def errors(fmt: str, problems: Iterable[tuple[int, str]], *, status: int) -> HttpResponse:
    """The spec's error list: each {code, description}; the HTTP status is the first code's."""
    return document(fmt, "errors", [{"code": code, "description": text} for code, text in problems], status=status)
