"""The citizen portal (each body's subdomain) and the platform home with the body finder.

Views parse input, call one service or selector and render; complaints are written only through
apps.complaints.services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.categories.models import OVERSIGHT_CLASSES, NationalCategory
from apps.complaints.access import staff_view
from apps.complaints.errors import ComplaintError
from apps.complaints.idempotency import scoped_key
from apps.complaints.models import Attachment, Category, Complaint, EventKind, Role
from apps.complaints.selectors import complaint_lookup_for_citizen, public_attachments, public_timeline
from apps.complaints.services.intake import complaint_submit
from apps.complaints.services.workflow import complaint_citizen_respond, complaint_rate, complaint_reopen
from apps.complaints.status import OPEN_STATUSES, Channel, Status
from apps.complaints.validation import Complainant
from apps.reporting.models import ComplaintFact
from apps.sla.selectors import PendingDeadline, pending_deadlines
from apps.ui import thai
from apps.ui.downloads import user_file_response
from apps.ui.pdf import pdf_render
from apps.ui.spreadsheet import SafeCsvWriter
from tenants.models import LocalBody, Subdistrict

from . import selectors
from .forms import (
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    BodyProfileForm,
    ComplaintForm,
    RateForm,
    ReopenForm,
    RespondForm,
    TrackForm,
)
from .resilience import new_form_key, receipt_after_commit
from .services import (
    INTAKE_LIMITS,
    TRACK_LIMITS,
    body_profile_update,
    throttle_exceeded,
    throttle_record,
)

RECEIPT_KEY = "portal_receipt"
TRACKED_KEY = "portal_tracked"
MAX_REQUEST_BYTES = 30 * 1024 * 1024


def _body(request: HttpRequest) -> LocalBody:
    return request.tenant  # type: ignore[attr-defined,no-any-return]


def _client_ip(request: HttpRequest) -> str:
    # Behind N trusted proxies (nginx appends the peer to X-Forwarded-For), the client is the Nth
    # address from the end; anything before it is whatever the client chose to send.
    trusted = int(getattr(settings, "PORTAL_TRUSTED_PROXIES", 0))
    if trusted:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= trusted:
            return chain[-trusted]
    return str(request.META.get("REMOTE_ADDR", ""))


# --- platform home: the body finder -------------------------------------------------------------

def _finder_item(request: HttpRequest, body: LocalBody) -> dict[str, str]:
    port = request.get_port()
    port = port if port not in ("80", "443") else ""
    return {
        "name": body.name_en if thai.is_english() and body.name_en else body.display_name,
        "name_th": body.display_name,
        "kind": body.get_kind_display(),
        "district": thai.localised_name(body.district),
        "province": thai.localised_name(body.province),
        "url": selectors.body_portal_url(body=body, domain=getattr(body, "primary_domain", None),
                                         scheme=request.scheme or "http", port=port),
    }


@require_GET
def platform_home(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("province", "")[:2]
    district = request.GET.get("district", "")[:4]
    query = request.GET.get("q", "")[:60]
    results: list[dict[str, str]] = []
    districts = []
    if province:
        districts = list(selectors.districts_list(province_code=province))
    if query.strip():
        results = [_finder_item(request, b) for b in selectors.bodies_search(query=query)]
    elif district:
        results = [_finder_item(request, b) for b in selectors.bodies_in_district(district_code=district)]
    return render(request, "portal/platform_home.html", {
        "provinces": selectors.provinces_list(), "districts": districts, "province": province,
        "district": district, "query": query, "results": results,
        "searched": bool(query.strip() or district),
        "finder_labels": {"found": _("จำนวนหน่วยงานที่พบ: %(n)s"), "none": _("ไม่พบหน่วยงาน ลองพิมพ์ชื่ออื่น"),
                          "pick_district": _("— เลือกอำเภอ —")},
    })


@require_GET
@cache_control(public=True, max_age=300)
def finder_districts(request: HttpRequest) -> JsonResponse:
    code = request.GET.get("province", "")[:2]
    rows = [{"code": d.code, "name": thai.localised_name(d)}
            for d in selectors.districts_list(province_code=code)]
    return JsonResponse({"districts": rows})


@require_GET
@cache_control(public=True, max_age=120)
def finder_bodies(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")[:60]
    district = request.GET.get("district", "")[:4]
    if query.strip():
        bodies = selectors.bodies_search(query=query)
    elif district:
        bodies = selectors.bodies_in_district(district_code=district)
    else:
        bodies = []
    return JsonResponse({"bodies": [_finder_item(request, b) for b in bodies]})


# --- body home ------------------------------------------------------------------------------------

@require_GET
def body_home(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    fiscal_year = selectors.current_fiscal_year()
    year = selectors.fiscal_round(fiscal_year=fiscal_year, half=False)
    return render(request, "portal/body_home.html", {
        "body": body,
        "profile": selectors.body_profile_get(body=body),
        "fiscal_year": fiscal_year,
        "figures": selectors.body_figures(body=body, start=year.start, end=year.end),
        "sla": selectors.sla_summary(body=body),
        "points": _named_points(selectors.resolved_case_points(body=body)),
        "tile_url": selectors.tile_url_for(body=body),
        "center": _body_center(body),
    })


def _named_points(points: list[dict[str, object]]) -> list[dict[str, object]]:
    names = {n.code: thai.localised_name(n) for n in NationalCategory.objects.all()}
    for point in points:
        point["category"] = names.get(str(point["category"]), point["category"])
    return points


def _body_center(body: LocalBody) -> list[float]:
    if body.latitude is not None and body.longitude is not None:
        return [float(body.latitude), float(body.longitude)]
    return [13.7367, 100.5232]  # Bangkok: only when the registry has no office location


# --- filing ---------------------------------------------------------------------------------------

def _categories(*, oversight: bool) -> list[Category]:
    rows = Category.objects.filter(is_active=True).select_related("national_category").order_by("position", "name_th")
    return [c for c in rows if (c.national_category.sla_class in OVERSIGHT_CLASSES) == oversight]


def _category_label(category: Category) -> str:
    return thai.localised_name(category)


def _subdistricts(body: LocalBody) -> list[tuple[str, str]]:
    if not body.district_id:
        return []
    return [(s.code, thai.localised_name(s))
            for s in Subdistrict.objects.filter(district_id=body.district_id).order_by("name_th")]


_SERVICE_FIELDS = {"privacy": "consent", "subdistrict": "subdistrict"}


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest, *, oversight: bool = False) -> HttpResponse:
    body = _body(request)
    categories = _categories(oversight=oversight)
    form = ComplaintForm(
        request.POST if request.method == "POST" else None,
        categories=[(c.pk, _category_label(c)) for c in categories],
        subdistricts=_subdistricts(body),
    )
    photo_error = ""
    status = 200
    if request.method == "POST":
        status = 400
        photos = request.FILES.getlist("photos")
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
        if form.is_valid():
            data = form.cleaned_data
            phone = "".join(ch for ch in data["phone"] if ch.isdigit())
            limits = {"ip": _client_ip(request), "phone": phone[-9:] if not data["anonymous"] else ""}
            if data["website"]:
                form.add_error(None, _("ระบบไม่สามารถรับเรื่องนี้ได้ กรุณาติดต่อหน่วยงานทางโทรศัพท์"))
            elif too_big or len(photos) > MAX_PHOTOS or any((p.size or 0) > MAX_PHOTO_BYTES for p in photos):
                photo_error = _("แนบรูปได้ไม่เกิน %(max)d รูป รูปละไม่เกิน 10 MB") % {"max": MAX_PHOTOS}
            elif throttle_exceeded(values=limits, limits=INTAKE_LIMITS):
                form.add_error(None, _("มีการส่งเรื่องจากเครื่องหรือหมายเลขนี้บ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"))
                status = 429
            else:
                complainant = None if data["anonymous"] else Complainant(
                    name=data["name"], phone=data["phone"], email=data["email"], line_id=data["line_id"])
                try:
                    # The header (a client's retry) or the form's hidden key (a resubmitted page).
                    key = scoped_key(request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key", ""),
                                     scope="web")
                    result = complaint_submit(
                        channel=Channel.WEB, category=data["category"], description=data["description"],
                        complainant=complainant, subdistrict_code=data["subdistrict"] or "", moo=data["moo"],
                        location_text=data["location_text"], latitude=data["latitude"],
                        longitude=data["longitude"], is_confidential=oversight,
                        about_district_office=oversight and data["about_district_office"], privacy_notice_shown=True,
                        uploads=photos, idempotency_key=key,
                    )
                except ComplaintError as error:
                    field = _SERVICE_FIELDS.get(error.field or "", error.field)
                    if field == "attachments":
                        photo_error = str(error)
                    elif field in form.fields and field not in ("latitude", "longitude", "website"):
                        form.add_error(field, str(error))
                    else:
                        form.add_error(None, str(error))
                else:
                    if not result.replayed:  # a retry is not a second use of the allowance
                        receipt_after_commit(lambda: throttle_record(values=limits, limits=INTAKE_LIMITS))
                    complaint = result.complaint
                    request.session.cycle_key()
                    request.session[RECEIPT_KEY] = {
                        "id": complaint.pk, "code": complaint.tracking_code,
                        "factor": result.second_factor, "kind": result.second_factor_kind,
                        "failed_files": list(result.failed_files),
                    }
                    request.session[TRACKED_KEY] = {"id": complaint.pk, "code": complaint.tracking_code}
                    return redirect("portal:complaint-receipt")
    national = {c.national_category_id: c.national_category for c in categories}
    return render(request, "portal/complaint_form.html", {
        "body": body, "form": form, "oversight": oversight, "photo_error": photo_error,
        "idempotency_key": new_form_key(request),
        "categories": [{"id": c.pk, "label": _category_label(c), "icon": national[c.national_category_id].icon,
                        "checked": str(form["category"].value()) == str(c.pk)} for c in categories],
        "max_photos": MAX_PHOTOS, "tile_url": selectors.tile_url_for(body=body), "center": _body_center(body),
        "retention_years": selectors.retention_years_for(body=body),
        "labels": {
            "photo": _("รูปที่"), "remove": _("ลบรูปที่"), "sending": _("กำลังส่ง…"),
            "too_many": _("แนบรูปได้ไม่เกิน %(max)d รูป") % {"max": MAX_PHOTOS},
            "pinned": _("ปักหมุดแล้ว"), "cleared": _("ลบหมุดแล้ว"), "locating": _("กำลังหาตำแหน่ง…"),
            "denied": _("ไม่สามารถระบุตำแหน่งได้ กรุณาแตะบนแผนที่หรือกรอกสถานที่"),
            "no_geo": _("เครื่องนี้ไม่รองรับการระบุตำแหน่ง"), "tiles_attribution": _("แผนที่พื้นหลัง"),
        },
    }, status=status)


def _fact(body: LocalBody, complaint: Complaint) -> ComplaintFact | None:
    return ComplaintFact.objects.filter(body=body, complaint_id=complaint.pk).first()


def _deadlines(complaint: Complaint) -> list[PendingDeadline]:
    """The citizen sees what the body still owes while the case is open."""
    return pending_deadlines(complaint=complaint) if complaint.status in OPEN_STATUSES else []


@never_cache
@require_GET
def complaint_receipt(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    receipt = request.session.get(RECEIPT_KEY)
    complaint = Complaint.objects.filter(pk=receipt["id"], tracking_code=receipt["code"]).first() \
        if receipt else None
    if complaint is None:
        return redirect("portal:complaint-new")
    # The case is stored: the code and second factor are shown even if the extras cannot be read.
    fact = receipt_after_commit(lambda: _fact(body, complaint))
    return render(request, "portal/receipt.html", {
        "body": body, "complaint": complaint, "receipt": receipt, "fact": fact,
        "deadlines": receipt_after_commit(lambda: _deadlines(complaint), default=[]),
        "category": _category_label(complaint.category),
    })


# --- following a complaint ----------------------------------------------------------------------

def _tracked(request: HttpRequest) -> Complaint | None:
    data = request.session.get(TRACKED_KEY)
    if not data:
        return None
    return (Complaint.objects.select_related("category").filter(pk=data["id"], tracking_code=data["code"])
            .exclude(status=Status.TRANSFER_OFFERED).first())


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    initial = {"code": request.GET.get("code", "")[:20]}
    form = TrackForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        ip = {"track": _client_ip(request)}
        if throttle_exceeded(values=ip, limits=TRACK_LIMITS):
            form.add_error(None, _("ค้นหาบ่อยเกินไป กรุณารอ 15 นาทีแล้วลองใหม่"))
            status = 429
        elif form.is_valid():
            complaint = complaint_lookup_for_citizen(code=form.cleaned_data["code"],
                                                     second_factor=form.cleaned_data["second_factor"])
            if complaint is None:
                throttle_record(values=ip, limits=TRACK_LIMITS)
                form.add_error(None, _("ไม่พบเรื่อง หรือข้อมูลยืนยันไม่ถูกต้อง กรุณาตรวจสอบเลขติดตามเรื่องและเลขยืนยัน"))
            else:
                request.session.cycle_key()
                request.session[TRACKED_KEY] = {"id": complaint.pk, "code": complaint.tracking_code}
                return redirect("portal:track-case")
    return render(request, "portal/track.html", {"body": _body(request), "form": form}, status=status)


def _event_title(event: Any) -> str:
    if event.kind == EventKind.CREATED:
        return _("รับเรื่องร้องทุกข์")
    if event.kind == EventKind.REPLY:
        return _("หน่วยงานตอบกลับ")
    if event.kind == EventKind.RATING:
        return _("ผู้ร้องประเมินความพึงพอใจ %(n)s/5") % {"n": event.data.get("rating", "")}
    if event.kind == EventKind.STATUS and event.to_status:
        if event.data.get("reopen"):
            return _("ขอให้พิจารณาใหม่")
        return str(Status(event.to_status).label) if event.to_status in Status.values else event.to_status
    return str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind


@never_cache
@require_http_methods(["GET", "POST"])
def track_case(request: HttpRequest) -> HttpResponseBase:
    body = _body(request)
    complaint = _tracked(request)
    if complaint is None:
        return redirect("portal:track")
    rate_form = RateForm(request.POST if request.POST.get("action") == "rate" else None)
    reopen_form = ReopenForm(request.POST if request.POST.get("action") == "reopen" else None)
    respond_form = RespondForm(request.POST if request.POST.get("action") == "respond" else None)
    window = selectors.reopen_window_days(body=body)
    status = 200
    if request.method == "POST":
        status = 400
        action = request.POST.get("action")
        form = {"rate": rate_form, "reopen": reopen_form, "respond": respond_form}.get(action or "")
        if form is not None and form.is_valid():
            try:
                if action == "rate":
                    complaint_rate(complaint=complaint, rating=form.cleaned_data["rating"],
                                   comment=form.cleaned_data["comment"])
                    messages.success(request, _("ขอบคุณสำหรับการประเมิน"))
                elif action == "reopen":
                    complaint_reopen(complaint=complaint, reason=form.cleaned_data["reason"], window_days=window)
                    messages.success(request, _("ส่งคำขอให้พิจารณาใหม่แล้ว หน่วยงานจะเริ่มดำเนินการรอบใหม่"))
                else:
                    complaint_citizen_respond(complaint=complaint, text=form.cleaned_data["text"],
                                              uploads=request.FILES.getlist("photos")[:MAX_PHOTOS])
                    messages.success(request, _("ส่งข้อมูลเพิ่มเติมให้หน่วยงานแล้ว"))
            except ComplaintError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error))
            else:
                return redirect("portal:track-case")
        elif form is None:
            return HttpResponse(status=400)
    complaint.refresh_from_db()
    fact = _fact(body, complaint)
    finished = complaint.closed_at or complaint.resolved_at
    done = complaint.status in (Status.RESOLVED, Status.CLOSED)
    reopen_until = finished + dt.timedelta(days=window) if finished else None
    events = [{"title": _event_title(e), "at": e.created_at, "text": e.text, "kind": e.kind}
              for e in public_timeline(complaint=complaint)]
    return render(request, "portal/track_case.html", {
        "body": body, "complaint": complaint, "fact": fact, "events": events,
        "attachments": list(public_attachments(complaint=complaint)),
        "deadlines": _deadlines(complaint),
        "category": _category_label(complaint.category),
        "status_label": Status(complaint.status).label if complaint.status in Status.values else complaint.status,
        "can_rate": done and complaint.rating is None,
        "can_reopen": done and reopen_until is not None and timezone.now() <= reopen_until,
        "reopen_until": reopen_until, "waiting": complaint.status == Status.WAITING,
        "rate_form": rate_form, "reopen_form": reopen_form, "respond_form": respond_form,
    }, status=status)


@never_cache
@require_http_methods(["POST"])
def track_forget(request: HttpRequest) -> HttpResponse:
    request.session.pop(TRACKED_KEY, None)
    request.session.pop(RECEIPT_KEY, None)
    return redirect("portal:track")


@never_cache
@require_GET
def track_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment the body made public, only for the case this browser has verified."""
    complaint = _tracked(request)
    attachment = Attachment.objects.filter(pk=pk, complaint=complaint, is_public=True).first() \
        if complaint else None
    if attachment is None:
        raise Http404
    return user_file_response(attachment.file.open("rb"), content_type=attachment.content_type,
                              filename=attachment.original_name)


# --- statistics (ITA) -----------------------------------------------------------------------------

def _stats_context(request: HttpRequest) -> dict[str, Any]:
    body = _body(request)
    current = selectors.current_fiscal_year()
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        year = current
    year = min(max(year, current - 5), current)
    half = request.GET.get("round") == "h1"
    period = selectors.fiscal_round(fiscal_year=year, half=half)
    names = {n.code: thai.localised_name(n) for n in NationalCategory.objects.all()}
    general = selectors.body_figures(body=body, start=period.start, end=period.end, detail=True)
    integrity = selectors.body_figures(body=body, start=period.start, end=period.end, oversight=True, detail=True)
    for figures in (general, integrity):
        for row in figures.by_category:
            row["name"] = names.get(str(row["national_category"]), row["national_category"])
    return {
        "body": body, "year": year, "half": half, "period": period,
        "period_end_shown": period.end - dt.timedelta(days=1),
        "years": list(range(current, current - 3, -1)), "general": general, "integrity": integrity,
        "generated_at": timezone.now(),
        "chart": {
            "labels": [thai.format_date(m["month"]).split(" ", 1)[1] for m in general.by_month],
            "received": [m["received"] for m in general.by_month],
            "resolved": [m["resolved"] for m in general.by_month],
        },
    }


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/stats.html", _stats_context(request))


def _stats_filename(context: dict[str, Any], extension: str) -> str:
    round_name = "h1" if context["half"] else "full"
    return f"stats-{context['body'].dla_code}-{thai.buddhist_year(context['year'])}-{round_name}.{extension}"


@require_GET
def stats_csv(request: HttpRequest) -> HttpResponse:
    context = _stats_context(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_stats_filename(context, "csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 Thai correctly only with a BOM
    writer = SafeCsvWriter(response)
    period = f"{thai.format_date(context['period'].start)} – {thai.format_date(context['period_end_shown'])}"
    writer.writerow([_("หน่วยงาน"), context["body"].display_name, context["body"].dla_code])
    writer.writerow([_("ช่วงเวลา"), period])
    writer.writerow([])
    writer.writerow([_("ประเภท"), _("หมวด"), _("รับเรื่อง"), _("ดำเนินการแล้วเสร็จ"), _("อยู่ระหว่างดำเนินการ"),
                     _("ไม่รับเรื่อง"), _("ส่งต่อ"), _("ทันเวลา"), _("เกินเวลา"), _("ร้อยละทันเวลา"),
                     _("ค่ามัธยฐาน (วัน)")])
    for kind, figures in ((_("เรื่องร้องทุกข์ทั่วไป"), context["general"]),
                          (_("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"), context["integrity"])):
        writer.writerow([kind, _("รวม"), figures.received, figures.resolved, figures.in_progress, figures.rejected,
                         figures.transferred, figures.on_time, figures.late,
                         "" if figures.on_time_percent is None else figures.on_time_percent,
                         "" if figures.median_days is None else figures.median_days])
        for row in figures.by_category:
            writer.writerow([kind, row["name"], row["received"], row["resolved"], "", "", "", row["on_time"],
                             row["late"], "", ""])
    return response


@require_GET
def stats_pdf(request: HttpRequest) -> HttpResponse:
    context = _stats_context(request)
    pdf = pdf_render("portal/stats_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_stats_filename(context, "pdf")}"'
    return response


# --- the body's public profile (its admin) ---------------------------------------------------------

@never_cache
@staff_view(roles=(Role.ADMIN,), hide=True)  # the same 404 for "not signed in" and "not the admin"
@require_http_methods(["GET", "POST"])
def body_profile_edit(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    profile = selectors.body_profile_get(body=body)
    initial = {"reopen_window_days": 30}
    if profile:
        initial = {name: getattr(profile, name) for name in
                   ("phone", "email", "line_id", "office_hours", "reopen_window_days", "tile_url",
                    "retention_years")}
    form = BodyProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body_profile_update(body=body, phone=data["phone"], email=data["email"], line_id=data["line_id"],
                            office_hours=data["office_hours"], reopen_window_days=data["reopen_window_days"],
                            tile_url=data["tile_url"], logo=data.get("logo") or None,
                            remove_logo=data["remove_logo"], retention_years=data["retention_years"],
                            actor=request.user)
        messages.success(request, _("บันทึกข้อมูลหน่วยงานแล้ว"))
        return redirect("portal:body-profile")
    national = _("เว้นว่างเพื่อใช้ค่ากลางของประเทศ (%(years)s ปี) เมื่อครบกำหนด ระบบจะลบชื่อ ที่อยู่ "
                 "ข้อมูลติดต่อ และรูปถ่ายของผู้ร้องออก โดยยังเก็บเรื่องไว้เป็นสถิติ") % {
        "years": settings.PDPA_RETENTION_YEARS}
    return render(request, "portal/body_profile.html", {"body": body, "form": form, "profile": profile,
                                                        "national_retention": national},
                  status=400 if form.errors else 200)



