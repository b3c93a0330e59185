"""Reading Open311 parameters. Every refusal is an Open311Error with the HTTP status it answers with
and a message in the request's language, naming the parameter."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from api.open311.wire import BANGKOK
from apps.complaints.public_cases import CaseFilters

REQUEST_ID = re.compile(r"^(\d{7})-(\d{1,18})$")
MAX_IDS = 100
# The spec: without dates, the most recent 90 days.
DEFAULT_WINDOW = dt.timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad(parameter: str, message: str) -> Open311Error:
    return Open311Error(400, f"{parameter}: {message}")


def request_id(value: str) -> tuple[str, int]:
    match = REQUEST_ID.match((value or "").strip())
    if match is None:
        raise bad("service_request_id", _("รูปแบบไม่ถูกต้อง (รหัส อปท. 7 หลัก-เลขเรื่อง เช่น 5760601-12)"))
    return match.group(1), int(match.group(2))


def _moment(name: str, value: str, *, end: bool = False) -> dt.datetime:
    value = value.strip()
    moment = None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(), tzinfo=BANGKOK)
    except ValueError:
        moment = None
    if moment is None:
        raise bad(name, _("วันเวลาไม่ถูกต้อง (ใช้รูปแบบ W3C เช่น 2026-01-31T17:00:00+07:00)"))
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=BANGKOK)


def _positive(name: str, value: str | None, default: int, *, maximum: int | None = None) -> int:
    if value in (None, ""):
        return default
    if not str(value).isdigit() or int(str(value)) < 1:
        raise bad(name, _("ต้องเป็นจำนวนเต็มบวก"))
    number = int(str(value))
    if maximum is not None and number > maximum:
        raise bad(name, _("ต้องไม่เกิน %(max)d") % {"max": maximum})
    return number


def list_filters(query: Mapping[str, Any]) -> tuple[CaseFilters, list[str] | None]:
    """The spec's filters and the common extensions; returns them and the service codes asked for."""
    ids = None
    if query.get("service_request_id"):
        parts = [part for part in str(query["service_request_id"]).split(",") if part.strip()]
        if len(parts) > MAX_IDS:
            raise bad("service_request_id", _("ขอได้ครั้งละไม่เกิน %(max)d เรื่อง") % {"max": MAX_IDS})
        ids = [request_id(part) for part in parts]
    codes = [c.strip() for c in str(query.get("service_code", "")).split(",") if c.strip()] or None
    statuses = {s.strip().lower() for s in str(query.get("status", "")).split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise bad("status", _("ใช้ได้เฉพาะ open หรือ closed"))
    open_ = None if len(statuses) != 1 else statuses == {"open"}
    start = _moment("start_date", str(query["start_date"])) if query.get("start_date") else None
    end = _moment("end_date", str(query["end_date"]), end=True) if query.get("end_date") else None
    if start and end and end <= start:
        raise bad("end_date", _("ต้องหลัง start_date"))
    external_ids = [e.strip() for e in str(query.get("external_id", "")).split(",") if e.strip()] or None
    external_source = str(query.get("external_source", "")).strip().lower()
    if external_ids is not None and not external_source:
        raise bad("external_source", _("ต้องระบุพร้อมกับ external_id"))
    if external_ids is not None and len(external_ids) > MAX_IDS:
        raise bad("external_id", _("ขอได้ครั้งละไม่เกิน %(max)d เรื่อง") % {"max": MAX_IDS})
    if ids is None and external_ids is None and start is None:
        # The spec's default window: the 90 days before end_date (or now).
        start = (end or timezone.now()) - DEFAULT_WINDOW
    updated_after = _moment("updated_after", str(query["updated_after"])) if query.get("updated_after") else None
    page = _positive("page", query.get("page"), 1)
    size = _positive("page_size", query.get("page_size"), settings.OPEN311_MAX_PAGE_SIZE,
                     maximum=settings.OPEN311_MAX_PAGE_SIZE)
    return CaseFilters(ids=ids, received_from=start, received_to=end, open=open_, updated_after=updated_after,
                       external_source=external_source, external_ids=external_ids,
                       offset=(page - 1) * size, limit=size), codes


def coordinates(data: Mapping[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    lat, lng = str(data.get("lat") or "").strip(), str(data.get("long") or "").strip()
    if not lat and not lng:
        return None, None
    try:
        latitude, longitude = Decimal(lat), Decimal(lng)
    except InvalidOperation as exc:
        raise bad("lat/long", _("พิกัดต้องเป็นตัวเลขทศนิยม (WGS84) ทั้ง lat และ long")) from exc
    if not (latitude.is_finite() and longitude.is_finite()):
        raise bad("lat/long", _("พิกัดต้องเป็นตัวเลขทศนิยม (WGS84) ทั้ง lat และ long"))
    return latitude, longitude


def attributes(data: Any) -> dict[str, str]:
    """`attribute[code]=value` fields (form posts) or an `attribute` object (JSON)."""
    found: dict[str, str] = {}
    nested = data.get("attribute") if hasattr(data, "get") else None
    if isinstance(nested, Mapping):
        found.update({str(k): ",".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in nested.items()})
    for name in getattr(data, "keys", list)():
        match = re.fullmatch(r"attribute\[([a-z_]+)\](\[\])?", str(name))
        if match:
            # A multivaluelist's values (`attribute[code][]` repeated) are kept comma-separated.
            many = match.group(2) and hasattr(data, "getlist")
            found[match.group(1)] = ",".join(str(v) for v in data.getlist(name)) if many else str(data.get(name) or "")
    return found
