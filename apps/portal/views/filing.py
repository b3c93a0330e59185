"""Filing a complaint (general, or conduct and corruption for the district office) and its receipt.
Complaints are written only through apps.complaints.services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.categories.models import OVERSIGHT_CLASSES
from apps.complaints.deadlines import case_deadlines
from apps.complaints.errors import ComplaintError
from apps.complaints.idempotency import scoped_key
from apps.complaints.linking import line_account_of
from apps.complaints.models import Category, Complaint
from apps.complaints.services.intake import complaint_submit
from apps.complaints.status import Channel
from apps.complaints.validation import Complainant
from apps.portal import selectors
from apps.portal.forms import MAX_PHOTO_BYTES, MAX_PHOTOS, ComplaintForm
from apps.portal.page_cache import cached_page
from apps.portal.receipt_image import receipt_lines, receipt_png
from apps.portal.resilience import new_form_key, receipt_after_commit
from apps.portal.services import INTAKE_LIMITS, throttle_exceeded, throttle_record
from apps.ui import thai
from apps.ui.csp import allow_tiles_from
from apps.ui.pdf import pdf_render, sarabun_font_css
from tenants.models import LocalBody, Subdistrict

from .common import (
    RECEIPT_KEY,
    TRACKED_KEY,
    body_center,
    body_of,
    case_fact,
    category_label,
    client_ip,
    consents_of,
)

MAX_REQUEST_BYTES = 30 * 1024 * 1024


def _categories(*, oversight: bool) -> list[Category]:
    rows = Category.objects.filter(is_active=True).select_related("national_category").order_by("position", "name_th")
    return [c for c in rows if (c.national_category.sla_class in OVERSIGHT_CLASSES) == oversight]


def _subdistricts(body: LocalBody) -> list[tuple[str, str]]:
    if not body.district_id:
        return []
    return [(s.code, thai.localised_name(s))
            for s in Subdistrict.objects.filter(district_id=body.district_id).order_by("name_th")]


_SERVICE_FIELDS = {"privacy": "consent", "subdistrict": "subdistrict"}


@never_cache
@require_http_methods(["GET", "POST"])
@cached_page()
def complaint_new(request: HttpRequest, *, oversight: bool = False) -> HttpResponse:
    body = body_of(request)
    categories = _categories(oversight=oversight)
    form = ComplaintForm(
        request.POST if request.method == "POST" else None,
        categories=[(c.pk, category_label(c)) for c in categories],
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
            limits = {"ip": client_ip(request), "phone": phone[-9:] if not data["anonymous"] else ""}
            if data["website"]:
                form.add_error(None, _("ระบบไม่สามารถรับเรื่องนี้ได้ กรุณาติดต่อหน่วยงานทางโทรศัพท์"))
            elif too_big or len(photos) > MAX_PHOTOS or any((p.size or 0) > MAX_PHOTO_BYTES for p in photos):
                photo_error = _("แนบรูปได้ไม่เกิน %(max)d รูป รูปละไม่เกิน 10 MB") % {"max": MAX_PHOTOS}
            elif throttle_exceeded(values=limits, limits=INTAKE_LIMITS):
                form.add_error(None, _("มีการส่งเรื่องจากเครื่องหรือหมายเลขนี้บ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"))
                status = 429
            else:
                complainant = None if data["anonymous"] else Complainant(
                    name=data["name"], phone=data["phone"], email=data["email"], line_id=data["line_id"],
                    contact_allowed=form.contact_allowed())
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
                        uploads=photos, idempotency_key=key, language=translation.get_language() or "th",
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
                        "failed_files": list(result.failed_files), "line_code": result.line_link_code,
                    }
                    request.session[TRACKED_KEY] = {"id": complaint.pk, "code": complaint.tracking_code}
                    return redirect("portal:complaint-receipt")
    national = {c.national_category_id: c.national_category for c in categories}
    tile_url = selectors.tile_url_for(body=body)
    return allow_tiles_from(render(request, "portal/complaint_form.html", {
        "body": body, "form": form, "oversight": oversight, "photo_error": photo_error,
        "idempotency_key": new_form_key(request),
        "categories": [{"id": c.pk, "label": category_label(c), "icon": national[c.national_category_id].icon,
                        "checked": str(form["category"].value()) == str(c.pk)} for c in categories],
        "max_photos": MAX_PHOTOS, "tile_url": tile_url, "center": body_center(body),
        "retention_years": selectors.retention_years_for(body=body),
        "labels": {
            "photo": _("รูปที่"), "remove": _("ลบรูปที่"), "sending": _("กำลังส่ง…"),
            "too_many": _("แนบรูปได้ไม่เกิน %(max)d รูป") % {"max": MAX_PHOTOS},
            "pinned": _("ปักหมุดแล้ว"), "cleared": _("ลบหมุดแล้ว"), "locating": _("กำลังหาตำแหน่ง…"),
            "denied": _("ไม่สามารถระบุตำแหน่งได้ กรุณาแตะบนแผนที่หรือกรอกสถานที่"),
            "no_geo": _("เครื่องนี้ไม่รองรับการระบุตำแหน่ง"), "tiles_attribution": _("แผนที่พื้นหลัง"),
        },
        "nearby_labels": {"days": _("เปิดมา %d วัน"), "overdue": _("เกินกำหนด")},
    }, status=status), tile_url)


def _receipt_case(request: HttpRequest) -> tuple[dict[str, Any], Complaint] | None:
    """The receipt this session was given for the case it just filed, and the case; None: none."""
    receipt: dict[str, Any] | None = request.session.get(RECEIPT_KEY)
    if not receipt:
        return None
    complaint = Complaint.objects.filter(pk=receipt["id"], tracking_code=receipt["code"]).first()
    return (receipt, complaint) if complaint is not None else None


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_GET
def complaint_receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The receipt to keep (the PIN is shown once): an A6 PDF, in the citizen's language."""
    body = body_of(request)
    found = _receipt_case(request)
    if found is None:
        return redirect("portal:complaint-new")
    receipt, complaint = found
    pdf = pdf_render("portal/receipt_pdf.html", {
        "body": body, "complaint": complaint, "receipt": receipt, "category": category_label(complaint.category),
        "font_css": sarabun_font_css(), "track_url": request.build_absolute_uri(reverse("portal:track"))},
        request=request)
    return _download(pdf, content_type="application/pdf", filename=f"receipt-{complaint.tracking_code}.pdf")


@never_cache
@require_GET
def complaint_receipt_png(request: HttpRequest) -> HttpResponse:
    """The same receipt as an image (kept with the phone's photos), in the citizen's language."""
    body = body_of(request)
    found = _receipt_case(request)
    if found is None:
        return redirect("portal:complaint-new")
    receipt, complaint = found
    lines = receipt_lines(body_name=body.display_name, complaint=complaint,
                          pin=receipt["factor"] if receipt.get("kind") == "pin" else "",
                          category=category_label(complaint.category),
                          track_url=request.build_absolute_uri(reverse("portal:track")))
    return _download(receipt_png(lines, title=complaint.tracking_code), content_type="image/png",
                     filename=f"receipt-{complaint.tracking_code}.png")


@never_cache
@require_GET
def complaint_receipt(request: HttpRequest) -> HttpResponse:
    body = body_of(request)
    found = _receipt_case(request)
    if found is None:
        return redirect("portal:complaint-new")
    receipt, complaint = found
    # The case is stored: the code and second factor are shown even if the extras cannot be read.
    fact = receipt_after_commit(lambda: case_fact(body, complaint))
    return render(request, "portal/receipt.html", {
        "body": body, "complaint": complaint, "receipt": receipt, "fact": fact,
        "deadlines": receipt_after_commit(lambda: case_deadlines(complaint=complaint), default=[]),
        "category": category_label(complaint.category), "consents": consents_of(complaint),
        "line_id": (receipt_after_commit(lambda: line_account_of(body), default="")
                    if receipt.get("line_code") else ""),
    })
