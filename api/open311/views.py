"""Open311 GeoReport v2 endpoints. Thin: read parameters, call catalogue/intake/selectors, render.
One set of views serves a body (`national=False`, on its sub-domain, in its schema) and the nation
(`national=True`, on the platform domain, from the public schema's facts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from api.open311 import catalogue, intake, keys
from api.open311.params import Open311Error, list_filters, request_id
from api.open311.wire import FORMATS, document, errors, w3c
from api.parsers import RequestTooLarge, SafeJSONParser
from apps.complaints.context import current_body
from apps.complaints.public_cases import CaseFilters, PublicCase, fact_public_cases, ids_merged
from apps.complaints.selectors import complaint_public_cases
from apps.complaints.status import Status
from tenants.locate import codes_current
from tenants.models import LocalBody

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The date of the last change to what this server offers (discovery's changeset).
CHANGESET = "2026-12-01T00:00:00+07:00"


class Open311View(APIView):
    national = False
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    # JSON through the API's edge (size, depth, no NaN/Infinity, every string normalised); form
    # fields went through rongthuk.inputs already.
    parser_classes = [FormParser, MultiPartParser, SafeJSONParser]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        # The format is the path's extension (or ?format=); responses are built by api.open311.wire.
        return JSONRenderer(), "application/json"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        language = str(request.query_params.get("locale") or request.query_params.get("lang") or "th")[:2].lower()
        translation.activate("en" if language == "en" else "th")
        super().initial(request, *args, **kwargs)

    @property
    def fmt(self) -> str:
        fmt = self.kwargs.get("fmt") or self.request.query_params.get("format") or "xml"
        return fmt if fmt in FORMATS else "xml"

    def body(self) -> LocalBody | None:
        return None if self.national else current_body()

    def handle_exception(self, exc: Exception) -> HttpResponse:  # type: ignore[override]
        if isinstance(exc, Open311Error):
            return errors(self.fmt, [(exc.status, exc.message)], status=exc.status)
        if isinstance(exc, keys.KeyRefused):
            return errors(self.fmt, [(403, str(exc))], status=403)
        if isinstance(exc, keys.RateLimited):
            response = errors(self.fmt, [(429, str(exc))], status=429)
            response["Retry-After"] = "60"
            return response
        if isinstance(exc, Http404 | exceptions.NotFound):
            return errors(self.fmt, [(404, _("ไม่พบรายการที่ขอ"))], status=404)
        if isinstance(exc, exceptions.MethodNotAllowed):
            return errors(self.fmt, [(405, _("ไม่รองรับวิธีเรียกนี้"))], status=405)
        if isinstance(exc, RequestTooLarge):
            return errors(self.fmt, [(413, str(exc.detail))], status=413)
        if isinstance(exc, exceptions.ParseError):
            return errors(self.fmt, [(400, str(exc.detail))], status=400)
        if isinstance(exc, exceptions.UnsupportedMediaType):
            return errors(self.fmt, [(400, _("ส่งข้อมูลเป็น application/x-www-form-urlencoded หรือ JSON"))],
                          status=400)
        if isinstance(exc, exceptions.APIException):
            return errors(self.fmt, [(400, _("คำขอไม่ถูกต้อง"))], status=400)
        raise exc

    def services(self) -> list[catalogue.Service]:
        return catalogue.national_services() if self.national else catalogue.body_services()


class DiscoveryView(Open311View):
    def get(self, request: Request, fmt: str = "xml") -> HttpResponse:
        base = request.build_absolute_uri("/open311/v2/").rstrip("/")
        key_service = (_("กุญแจออกโดยกรมส่งเสริมการปกครองท้องถิ่นในหน้าผู้ดูแลระบบระดับประเทศ") if self.national
                       else request.build_absolute_uri("/staff/api-keys/"))
        return document(self.fmt, "discovery", {
            "changeset": CHANGESET,
            "contact": _("ผู้ดูแลระบบของหน่วยงาน (เว็บไซต์ของหน่วยงาน)") if not self.national
            else _("กรมส่งเสริมการปกครองท้องถิ่น"),
            "key_service": key_service,
            "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET,
                           "type": "production", "formats": ["text/xml", "application/json"]}],
        })


class ServiceListView(Open311View):
    def get(self, request: Request, fmt: str = "xml") -> HttpResponse:
        keys.caller_for(request, body=self.body(), write=False)
        return document(self.fmt, "services", [service.as_open311() for service in self.services()])


class ServiceDefinitionView(Open311View):
    def get(self, request: Request, code: str, fmt: str = "xml") -> HttpResponse:
        keys.caller_for(request, body=self.body(), write=False)
        service = catalogue.service_by_code(self.services(), code)
        if service is None:
            raise Open311Error(404, _("service_code: ไม่พบบริการนี้"))
        return document(self.fmt, "service_definition", catalogue.definition(service, body=self.body()))


def _status_note(status: str) -> str:
    return str(Status(status).label)


def _request_item(case: PublicCase, services: dict[int | str, catalogue.Service]) -> dict[str, Any]:
    service = services.get(case.category_id) if case.category_id is not None else None
    service = service or services.get(case.national_category)
    item = {
        "service_request_id": case.public_id,
        "status": "open" if case.is_open else "closed",
        "status_notes": _status_note(case.status),
        "service_name": service.name if service else case.national_category,
        "service_code": service.code if service else case.national_category,
        "description": case.description,
        "agency_responsible": case.body_name,
        "service_notice": None,
        "requested_datetime": w3c(case.received_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.expected_at),
        "address": case.address,
        "address_id": None,
        "zipcode": None,
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": case.media_url,
    }
    if case.external_id:
        # An extension, only on cases that have it: the case's id in the system it came from.
        item.update(external_source=case.external_source, external_id=case.external_id)
    return item


def _ids_current(filters: CaseFilters) -> CaseFilters:
    """Request ids minted before the body's upgrade carry its old DLA code, and those of a body
    merged into another its code and the case's id there: read them as the ids the cases have now."""
    if not filters.ids:
        return filters
    current = codes_current({code for code, _number in filters.ids})
    ids = [(current.get(code, code), number) for code, number in filters.ids]
    merged = ids_merged(ids)
    return replace(filters, ids=[merged[i][:2] if i in merged else i for i in ids])


def _id_merged(wanted: tuple[str, int], body: LocalBody | None) -> str | None:
    """The id today of a case that had `wanted` in a body since merged (on a body's endpoint, only
    a case that is this body's now)."""
    found = ids_merged([wanted]).get(wanted)
    if found is None or (body is not None and found[2] != body.pk):
        return None
    return f"{found[0]}-{found[1]}"


class RequestsView(Open311View):
    def _cases(self, filters: CaseFilters, codes: list[str] | None) -> tuple[list[PublicCase], dict]:
        services = self.services()
        by_key: dict[int | str, catalogue.Service] = {}
        for service in services:
            by_key.setdefault(service.national.code, service)
            if service.category_id is not None:
                by_key[service.category_id] = service
        if self.national:
            if codes is not None:
                filters = replace(filters, national_categories=codes)
            return fact_public_cases(filters=filters), by_key
        category_ids = None
        if codes is not None:
            category_ids = [s.category_id for s in services if s.code in codes and s.category_id is not None]
        return complaint_public_cases(filters=filters, category_ids=category_ids), by_key

    def get(self, request: Request, fmt: str = "xml") -> HttpResponse:
        caller = keys.caller_for(request, body=self.body(), write=False)
        filters, codes = list_filters(request.query_params)
        ticket = str(request.query_params.get("client_ticket_id") or "")
        if ticket:
            # A partner looks its cases up by its own ids: only with the key that filed them, on the body.
            if caller.key is None or self.national:
                raise Open311Error(400, _("client_ticket_id: ค้นได้เฉพาะที่ endpoint ของหน่วยงาน พร้อม api_key ที่ส่งเรื่อง"))
            tickets = [intake.ticket_key(t, key=caller.key) for t in ticket.split(",") if t.strip()]
            filters = replace(filters, tickets=tickets, received_from=None if filters.ids is None else
                              filters.received_from)
        cases, services = self._cases(_ids_current(filters), codes)
        return document(self.fmt, "service_requests", [_request_item(case, services) for case in cases])

    def post(self, request: Request, fmt: str = "xml") -> HttpResponse:
        body = self.body()
        caller = keys.caller_for(request, body=body, write=True)
        assert caller.key is not None  # a write always has a key
        data = request.data
        if not isinstance(data, Mapping):
            raise Open311Error(400, _("คำขอไม่ถูกต้อง"))
        if self.national:
            body = intake.route(data, key=caller.key)
        assert body is not None
        ticket = str(data.get("client_ticket_id") or request.headers.get("Idempotency-Key") or "")
        files = getattr(request, "FILES", None)
        item, replayed = intake.submit(data=data, body=body, key=caller.key, national=self.national, ticket=ticket,
                                       media=list(files.getlist("media")) if files is not None else [])
        return document(self.fmt, "service_requests", [item], status=200 if replayed else 201)


class RequestView(RequestsView):
    def get(self, request: Request, request_id_text: str = "", fmt: str = "xml") -> HttpResponse:  # type: ignore[override]
        keys.caller_for(request, body=self.body(), write=False)
        wanted = request_id(request_id_text)
        current = codes_current({wanted[0]}).get(wanted[0])
        if current is not None:
            # An id from before the body's upgrade: its permanent address carries the new code.
            return self._moved(request, f"{current}-{wanted[1]}")
        cases, services = self._cases(CaseFilters(ids=[wanted], limit=1), None)
        if not cases:
            # An id the case had in a body since merged into another: its address there.
            merged = _id_merged(wanted, self.body())
            if merged is not None:
                return self._moved(request, merged)
            raise Open311Error(404, _("service_request_id: ไม่พบเรื่องนี้"))
        return document(self.fmt, "service_requests", [_request_item(cases[0], services)])

    def _moved(self, request: Request, request_id: str) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        location = request.path.rsplit("/", 1)[0] + f"/{request_id}.{self.fmt}"
        response = HttpResponsePermanentRedirect(location + (f"?{query}" if query else ""))
        response["Cache-Control"] = "no-cache"
        return response

    def post(self, request: Request, fmt: str = "xml") -> HttpResponse:
        raise exceptions.MethodNotAllowed("POST")


class TokenView(Open311View):
    def get(self, request: Request, token: str, fmt: str = "xml") -> HttpResponse:
        keys.caller_for(request, body=self.body(), write=False)
        found = intake.request_id_for_token(token)
        body = self.body()
        if found is not None and "-" in found:
            # A token signed before the body's upgrade names the request by its old code, one
            # signed in a body since merged by its id there.
            code, number = found.split("-", 1)
            found = f"{codes_current({code}).get(code, code)}-{number}"
            if number.isdigit():
                found = _id_merged((found.split("-", 1)[0], int(number)), None) or found
        if found is None or (body is not None and not found.startswith(f"{body.dla_code}-")):
            raise Open311Error(404, _("token: ไม่พบ"))
        return document(self.fmt, "service_requests", [{"service_request_id": found, "token": token}])


class UnknownView(Open311View):
    """Anything else under /open311/v2/: the spec's error list, never an HTML page."""

    def get(self, request: Request, rest: str = "") -> HttpResponse:
        fmt = "json" if rest.endswith(".json") else "xml"
        return errors(fmt, [(404, _("ไม่พบรายการที่ขอ"))], status=404)

    post = get

