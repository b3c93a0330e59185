"""JSON bodies at the API's edge: bounded in size and depth, no NaN/Infinity, every string through
apps.ui.normalise (the same rules as form fields and GET parameters)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from apps.ui.normalise import Refused, normalise_data


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("ข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด")
    default_code = "too_large"


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        limit = settings.REQUEST_MAX_BODY_BYTES
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestTooLarge()
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_no_constants, parse_float=_finite)
        except RecursionError as error:
            raise ParseError(_("ข้อมูล JSON ซ้อนกันลึกเกิน %(max)d ชั้น") % {
                "max": settings.REQUEST_MAX_JSON_DEPTH}) from error
        except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, NaN, Infinity, 1e999
            raise ParseError(_("ข้อมูล JSON ไม่ถูกต้อง (ต้องเป็น JSON UTF-8 และไม่มีค่า NaN หรือ Infinity)")) from error
        try:
            return normalise_data(data, max_depth=settings.REQUEST_MAX_JSON_DEPTH,
                                  max_chars=settings.REQUEST_MAX_FIELD_CHARS)
        except Refused as error:
            raise ParseError(str(error.message)) from error
