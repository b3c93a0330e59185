"""The body's public reports: the list with its map, a report's own page (shareable, with a way to
follow it instead of filing the same case again), stopping a follow, and the open reports near
where a citizen is about to file (JSON for the complaint form). What is shown is decided by
apps.complaints.public_reports: nothing personal, never a confidential or conduct case. Not cached:
a status change shows at once, and each list page costs four statements whatever its size."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.categories.models import OVERSIGHT_CLASSES
from apps.complaints.errors import ComplaintError
from apps.complaints.linking import line_account_of, line_follow_text, line_follow_url
from apps.complaints.models import Category
from apps.complaints.notifications import citizen_channel
from apps.complaints.public_reports import (
    PublicReport,
    public_report_case,
    public_report_get,
    public_reports_nearby,
    public_reports_page,
)
from apps.complaints.services.follow import case_follow, case_follow_stop
from apps.complaints.validation import clean_coordinates
from apps.portal import selectors
from apps.portal.forms import FollowForm, ReportFilterForm
from apps.portal.services import FOLLOW_LIMITS, throttle_exceeded, throttle_record
from apps.ui.csp import allow_tiles_from

from .common import body_center, body_of, category_label, client_ip

PER_PAGE = 20
MAP_REPORTS = 50  # the newest open reports of a category drawn on the complaint form's map


def _categories() -> list[tuple[int, str]]:
    rows = Category.objects.filter(is_active=True).select_related("national_category").order_by("position", "name_th")
    return [(c.pk, category_label(c)) for c in rows if c.national_category.sla_class not in OVERSIGHT_CLASSES]


def _points(reports: list[PublicReport]) -> list[dict[str, object]]:
    return [{"lat": r.latitude, "lng": r.longitude, "label": f"{r.category} · {r.status_label}",
             "url": f"/reports/{r.public_id}/"} for r in reports if r.latitude is not None]


@require_GET
def reports_list(request: HttpRequest) -> HttpResponse:
    body = body_of(request)
    form = ReportFilterForm(request.GET or None, categories=_categories())
    data = form.cleaned_data if form.is_valid() else {}
    page = public_reports_page(status=data.get("status") or "", category_id=data.get("category"),
                               page=data.get("page") or 1, per_page=PER_PAGE)
    query = {k: v for k, v in (("status", data.get("status")), ("category", data.get("category"))) if v}
    tile_url = selectors.tile_url_for(body=body)
    return allow_tiles_from(render(request, "portal/reports_list.html", {
        "body": body, "form": form, "page": page, "query": "&".join(f"{k}={v}" for k, v in query.items()),
        "points": _points(page.reports), "tile_url": tile_url, "center": body_center(body),
    }, status=400 if form.errors else 200), tile_url)


def line_connected() -> bool:
    """The body runs its LINE Official Account here (apps.line lends the channel)."""
    channel = citizen_channel("line")
    return channel is not None and channel.connected()


def _site(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    body = body_of(request)
    found = public_report_get(public_id=public_id)
    if found is None:
        raise Http404
    report, history = found
    form = FollowForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        case = public_report_case(public_id=public_id)
        if form.is_valid() and case is not None:
            data = form.cleaned_data
            phone = "".join(ch for ch in data["phone"] if ch.isdigit())
            limits = {"follow-ip": client_ip(request), "follow-phone": phone[-9:]}
            if data["website"]:
                form.add_error(None, _("ระบบไม่สามารถรับคำขอนี้ได้ กรุณาติดต่อหน่วยงานทางโทรศัพท์"))
            elif throttle_exceeded(values=limits, limits=FOLLOW_LIMITS):
                form.add_error(None, _("มีคำขอจากเครื่องหรือหมายเลขนี้บ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"))
                status = 429
            else:
                try:
                    case_follow(complaint_id=case.pk, phone=data["phone"], email=data["email"],
                                consent=data["consent"], language=translation.get_language() or "th",
                                site=_site(request))
                except ComplaintError as error:
                    field = error.field if error.field in form.fields else None
                    form.add_error(field, str(error))
                else:
                    throttle_record(values=limits, limits=FOLLOW_LIMITS)
                    return redirect(f"/reports/{public_id}/?following=1#following")
    tile_url = selectors.tile_url_for(body=body)
    point = _points([report])
    language = translation.get_language() or "th"
    line_id = line_account_of(body) if report.is_open and line_connected() else ""
    return allow_tiles_from(render(request, "portal/report_detail.html", {
        "body": body, "report": report, "history": history, "form": form,
        "following": request.GET.get("following") == "1" and request.method == "GET",
        "share_url": request.build_absolute_uri(f"/reports/{report.public_id}/"),
        "points": point, "tile_url": tile_url, "center": body_center(body),
        "line_id": line_id, "line_follow_url": line_follow_url(line_id, report.public_id, language),
        "line_follow_text": line_follow_text(report.public_id, language),
    }, status=status), tile_url)


@require_http_methods(["GET", "POST"])
def report_follow_stop(request: HttpRequest, stop_key: str) -> HttpResponse:
    """GET asks (a link preview or a mail scanner must not stop a follow); POST stops."""
    body = body_of(request)
    stopped = None
    if request.method == "POST":
        stopped = case_follow_stop(stop_key=stop_key[:43])
    return render(request, "portal/report_stop.html", {"body": body, "stopped": stopped})


@require_GET
def reports_nearby(request: HttpRequest) -> JsonResponse:
    """Open reports of the chosen category near the pin (or in the same หมู่ที่), for the form; with
    `map=1`, the body's open reports of the category that have a pin, for the form's map."""
    try:
        category_id = int(request.GET.get("category", ""))
        latitude, longitude = clean_coordinates(request.GET.get("lat"), request.GET.get("lng"))
    except (ValueError, ComplaintError) as error:
        message = str(error) if isinstance(error, ComplaintError) else _("หมวดเรื่องไม่ถูกต้อง")
        return JsonResponse({"error": message}, status=400)
    if request.GET.get("map") == "1":
        # The form's map: the body's open reports of the category with a pin, as markers to follow.
        page = public_reports_page(status="open", category_id=category_id, per_page=MAP_REPORTS)
        return JsonResponse({"points": _points(page.reports)})
    moo = (request.GET.get("moo") or "").strip()[:20]
    reports = public_reports_nearby(category_id=category_id, latitude=latitude, longitude=longitude, moo=moo,
                                    subdistrict_code=(request.GET.get("subdistrict") or "")[:6])
    return JsonResponse({"reports": [
        {"url": f"/reports/{r.public_id}/", "category": r.category, "area": r.area, "status": r.status_label,
         "days_open": r.days_open, "overdue": r.overdue} for r in reports]})
