"""Following a complaint without an account: the tracking code and second factor, the case's public
timeline, rating, reopening, answering a request for information, and the files the body made public."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.complaints.deadlines import case_deadlines
from apps.complaints.downloads import attachment_response
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Attachment, Complaint, EventKind
from apps.complaints.selectors import (
    complaint_lookup_for_citizen,
    public_attachments,
    public_timeline,
    waiting_request,
)
from apps.complaints.services.contact import complaint_contact_withdraw
from apps.complaints.services.workflow import complaint_citizen_respond, complaint_rate, complaint_reopen
from apps.complaints.status import Status
from apps.portal import selectors
from apps.portal.forms import MAX_PHOTO_BYTES, MAX_PHOTOS, RateForm, ReopenForm, RespondForm, TrackForm
from apps.portal.page_cache import cached_page
from apps.portal.services import TRACK_LIMITS, throttle_exceeded, throttle_record
from apps.ui.downloads import user_file_response

from .common import RECEIPT_KEY, TRACKED_KEY, body_of, case_fact, category_label, client_ip, consents_of
from .filing import MAX_REQUEST_BYTES


def _tracked(request: HttpRequest) -> Complaint | None:
    data = request.session.get(TRACKED_KEY)
    if not data:
        return None
    return (Complaint.objects.select_related("category").filter(pk=data["id"], tracking_code=data["code"])
            .exclude(status=Status.TRANSFER_OFFERED).first())


@never_cache
@require_http_methods(["GET", "POST"])
@cached_page()
def track(request: HttpRequest) -> HttpResponse:
    initial = {"code": request.GET.get("code", "")[:20]}
    form = TrackForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        ip = {"track": client_ip(request)}
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
    return render(request, "portal/track.html", {"body": body_of(request), "form": form}, status=status)


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
    body = body_of(request)
    complaint = _tracked(request)
    if complaint is None:
        return redirect("portal:track")
    rate_form = RateForm(request.POST if request.POST.get("action") == "rate" else None)
    reopen_form = ReopenForm(request.POST if request.POST.get("action") == "reopen" else None)
    respond_form = RespondForm(request.POST if request.POST.get("action") == "respond" else None)
    window = selectors.reopen_window_days(body=body)
    status = 200
    photo_error = consent_error = ""
    if request.method == "POST" and request.POST.get("action") == "withdraw_contact":
        try:
            complaint_contact_withdraw(complaint=complaint, channels=request.POST.getlist("channel"))
        except ComplaintError as error:
            consent_error, status = str(error), 400
        else:
            messages.success(request, _("ถอนความยินยอมแล้ว เจ้าหน้าที่จะไม่ติดต่อท่านทางช่องทางนั้นอีก"))
            return redirect("portal:track-case")
    elif request.method == "POST":
        status = 400
        action = request.POST.get("action")
        form = {"rate": rate_form, "reopen": reopen_form, "respond": respond_form}.get(action or "")
        photos = request.FILES.getlist("photos") if action == "respond" else []
        if len(photos) > MAX_PHOTOS or any((p.size or 0) > MAX_PHOTO_BYTES for p in photos) \
                or int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
            # The same limits as filing; the files themselves are checked, re-encoded and stripped
            # of their EXIF data by the service (apps.complaints.attachments), as at filing.
            photo_error = _("แนบรูปได้ไม่เกิน %(max)d รูป รูปละไม่เกิน 10 MB") % {"max": MAX_PHOTOS}
            if form is not None:
                form.is_valid()
        elif form is not None and form.is_valid():
            try:
                if action == "rate":
                    complaint_rate(complaint=complaint, rating=form.cleaned_data["rating"],
                                   comment=form.cleaned_data["comment"])
                    messages.success(request, _("ขอบคุณสำหรับการประเมิน"))
                elif action == "reopen":
                    complaint_reopen(complaint=complaint, reason=form.cleaned_data["reason"], window_days=window)
                    messages.success(request, _("ส่งคำขอให้พิจารณาใหม่แล้ว หน่วยงานจะเริ่มดำเนินการรอบใหม่"))
                else:
                    complaint_citizen_respond(complaint=complaint, text=form.cleaned_data["text"], uploads=photos)
                    messages.success(request, _("ส่งข้อมูลเพิ่มเติมให้หน่วยงานแล้ว"))
            except ComplaintError as error:
                if error.field == "attachments":
                    photo_error = str(error)
                else:
                    form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                return redirect("portal:track-case")
        elif form is None:
            return HttpResponse(status=400)
    complaint.refresh_from_db()
    fact = case_fact(body, complaint)
    finished = complaint.closed_at or complaint.resolved_at
    done = complaint.status in (Status.RESOLVED, Status.CLOSED)
    reopen_until = finished + dt.timedelta(days=window) if finished else None
    events = [{"title": _event_title(e), "at": e.created_at, "text": e.text, "kind": e.kind}
              for e in public_timeline(complaint=complaint)]
    return render(request, "portal/track_case.html", {
        "body": body, "complaint": complaint, "fact": fact, "events": events,
        "attachments": list(public_attachments(complaint=complaint)),
        "deadlines": case_deadlines(complaint=complaint),
        "request_info": waiting_request(complaint=complaint) if complaint.status == Status.WAITING else None,
        "photo_error": photo_error, "max_photos": MAX_PHOTOS,
        "category": category_label(complaint.category),
        "status_label": Status(complaint.status).label if complaint.status in Status.values else complaint.status,
        "can_rate": done and complaint.rating is None,
        "can_reopen": done and reopen_until is not None and timezone.now() <= reopen_until,
        "reopen_until": reopen_until, "waiting": complaint.status == Status.WAITING,
        "rate_form": rate_form, "reopen_form": reopen_form, "respond_form": respond_form,
        "consents": consents_of(complaint), "consent_error": consent_error,
    }, status=status)


@never_cache
@require_http_methods(["POST"])
def track_forget(request: HttpRequest) -> HttpResponse:
    request.session.pop(TRACKED_KEY, None)
    request.session.pop(RECEIPT_KEY, None)
    return redirect("portal:track")


@never_cache
@require_GET
def track_file(request: HttpRequest, pk: int, thumbnail: bool = False) -> FileResponse:
    """An attachment the body made public, only for the case this browser has verified (a photo's
    thumbnail through the same check)."""
    complaint = _tracked(request)
    attachment = Attachment.objects.filter(pk=pk, complaint=complaint, is_public=True).first() \
        if complaint else None
    if attachment is None or complaint is None:
        raise Http404
    if thumbnail:
        return attachment_response(complaint, attachment, thumbnail=True)
    return user_file_response(attachment.file.open("rb"), content_type=attachment.content_type,
                              filename=attachment.original_name)
