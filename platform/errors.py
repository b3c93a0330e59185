"""Error answers in the platform's language and look: a Thai page (English when chosen) for people,
a JSON body with a Thai message for /api/. Wired as handler400/403/404/500 in both URLconfs and as
CSRF_FAILURE_VIEW; `too_big` answers a request over the upload limits (rongthuk.normalise)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from api.open311.wire import errors as open311_errors

logger = logging.getLogger(__name__)

PAGES: dict[int, tuple[Promise, Promise]] = {
    400: (_("คำขอไม่ถูกต้อง (400)"), _("ข้อมูลที่ส่งมาอ่านไม่ได้หรือไม่ครบ กรุณากลับไปแก้ไขแล้วส่งใหม่")),
    403: (_("ไม่มีสิทธิ์เข้าถึง (403)"), _("ท่านไม่มีสิทธิ์เปิดหน้านี้ หรือแบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")),
    404: (_("ไม่พบหน้านี้ (404)"), _("ไม่พบหน้าที่ท่านต้องการ ที่อยู่อาจพิมพ์ผิดหรือหน้านี้ถูกย้ายไปแล้ว")),
    413: (_("ข้อมูลใหญ่เกินกำหนด (413)"), _("ข้อมูลหรือไฟล์ที่ส่งมีขนาดใหญ่เกินกำหนด กรุณาลดขนาดไฟล์แล้วส่งใหม่")),
    500: (_("ระบบขัดข้อง (500)"), _("ขออภัย ระบบขัดข้องชั่วคราว เจ้าหน้าที่ได้รับแจ้งแล้ว กรุณาลองใหม่อีกครั้งในภายหลัง")),
}

# When even the template cannot be rendered (the database is gone, a template is broken), this is
# what a person sees: still Thai first, never Django's bare "Server Error (500)".
FALLBACK_500 = (
    '<!doctype html><html lang="th"><head><meta charset="utf-8"><title>ระบบขัดข้อง (500)</title></head>'
    '<body style="font-family:Sarabun,Tahoma,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">'
    "<h1>ระบบขัดข้อง (500)</h1><p>ขออภัย ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งในภายหลัง</p>"
    '<p lang="en">Sorry, something went wrong on our side. Please try again later.</p></body></html>'
)


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(request: HttpRequest, status: int, detail: str | Promise | None = None) -> HttpResponse:
    title, message = PAGES[status]
    text = str(detail) if detail else str(message)
    if request.path.startswith("/open311/"):  # the spec's error list, in the format the path asks for
        return open311_errors("json" if request.path.endswith(".json") else "xml", [(status, text)], status=status)
    if wants_json(request):
        return JsonResponse({"message": text, "status": status}, status=status)
    try:
        # No request context on purpose: context processors read the database, which may be what failed.
        html: str = render_to_string("errors/error.html", {"title": title, "message": text, "status": status})
    except Exception:  # noqa: BLE001 - the error page must never fail in its turn
        logger.exception("error page %s could not be rendered", status)
        html = FALLBACK_500
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(request, 403)


def too_big(request: HttpRequest) -> HttpResponse:
    return error_response(request, 413)
