"""The staff REST API's case actions (`/api/staff/v1/complaints/<pk>/<action>/`): one view per desk
action, each through the desk's own service, with an Idempotency-Key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.idempotency import action_once
from api.parsers import SafeJSONParser
from api.staff_cases import (
    ACTION_RESULT,
    IDEMPOTENCY,
    REFUSAL,
    STAFF_TAGS,
    StaffApiView,
    case_detail,
    invalid,
    refusal,
    sees_personal_data,
)
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Complaint, Department, StaffMember
from apps.complaints.selectors import InboxFilters, inbox, normalise_code
from apps.complaints.services.merge import complaint_merge
from apps.complaints.services.transfer import (
    complaint_transfer,
    complaint_transfer_accept,
    complaint_transfer_return,
)
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_close,
    complaint_note,
    complaint_reject,
    complaint_reopen,
    complaint_reply,
    complaint_request_info,
    complaint_resolve,
    complaint_resume,
)
from apps.tokens.models import StaffToken
from tenants.models import LocalBody


class OptionalText(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


class RequiredText(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=10000)


class Resolution(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True, max_length=10000)


class Reason(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=10000)


class Assignment(serializers.Serializer):
    department = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                          max_value=2**31 - 1)
    assignee = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                        max_value=2**31 - 1)


class Transfer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=10000)
    to_body = serializers.CharField(required=False, allow_blank=True, default="", max_length=7,
                                    help_text="the receiving body's DLA code")
    to_agency = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class Merge(serializers.Serializer):
    into = serializers.CharField(max_length=20, help_text="the tracking code of the case that goes on")


class Nothing(serializers.Serializer):
    pass


class ReplyUpload(RequiredText):
    attachments = serializers.ListField(child=serializers.FileField(), required=False, max_length=5,
                                        help_text="photos (JPEG, PNG, WebP: re-encoded, EXIF removed) or PDF")


class ResolutionUpload(Resolution):
    attachments = serializers.ListField(child=serializers.FileField(), required=False, max_length=5,
                                        help_text="photos (JPEG, PNG, WebP: re-encoded, EXIF removed) or PDF")


# Actions that take files: JSON, or multipart/form-data with the files in `attachments`, checked
# like the desk's uploads (apps.complaints.attachments); a refused file is the desk's Thai refusal.
MULTIPART: dict[str, type[serializers.Serializer]] = {"reply": ReplyUpload, "resolve": ResolutionUpload}


def _uploads(request: Request) -> list[Any]:
    files = getattr(request, "FILES", None)
    return list(files.getlist("attachments")) if files is not None else []


def _assign(request: Request, case: Complaint, data: dict[str, Any]) -> Sequence[int]:
    department = None
    if data["department"] is not None:
        department = Department.objects.filter(pk=data["department"], is_active=True).first()
        if department is None:
            raise ComplaintError(_("กรุณาเลือกกอง/สำนักหรือผู้รับผิดชอบจากรายการ"), field="department")
    assignee = None
    if data["assignee"] is not None:
        member = StaffMember.objects.select_related("user").filter(user_id=data["assignee"],
                                                                   user__is_active=True).first()
        if member is None:
            raise ComplaintError(_("ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ของหน่วยงานนี้"), field="assignee")
        assignee = member.user
    complaint_assign(complaint=case, actor=request.user, department=department, assignee=assignee)
    return ()


def _transfer(request: Request, case: Complaint, data: dict[str, Any]) -> Sequence[int]:
    to_body = None
    if data["to_body"].strip():
        to_body = LocalBody.objects.live().filter(dla_code=data["to_body"].strip()).first()
        if to_body is None:
            raise ComplaintError(_("หน่วยงานปลายทางไม่ถูกต้อง"), field="to_body")
    complaint_transfer(complaint=case, actor=request.user, reason=data["reason"], to_body=to_body,
                       to_agency=data["to_agency"])
    return ()


def _merge(request: Request, case: Complaint, data: dict[str, Any]) -> Sequence[int]:
    code = normalise_code(data["into"])
    into = inbox(user=request.user, filters=InboxFilters()).filter(tracking_code=code).first() if code else None
    if into is None:
        raise ComplaintError(_("ไม่พบเรื่องเลขที่ที่ระบุ"), field="into")
    complaint_merge(duplicate=case, into=into, actor=request.user)
    return (into.pk,)


def _simple(service: Callable[..., object], field: str, *, files: bool = False,
            **fixed: object) -> Callable[[Request, Complaint, dict[str, Any]], Sequence[int]]:
    def run(request: Request, case: Complaint, data: dict[str, Any]) -> Sequence[int]:
        extra: dict[str, Any] = {"uploads": _uploads(request)} if files else {}
        if field:
            extra[field] = data[field if field in data else "text"]
        service(complaint=case, actor=request.user, **extra, **fixed)
        return ()
    return run


def _resolution(request: Request, case: Complaint, data: dict[str, Any]) -> Sequence[int]:
    complaint_resolve(complaint=case, actor=request.user, resolution=data["resolution"], uploads=_uploads(request))
    return ()


# path segment → (request body, what it does, summary)
ACTIONS: dict[str, tuple[type[serializers.Serializer], Callable[[Request, Complaint, dict[str, Any]],
                                                               Sequence[int]], str]] = {
    "acknowledge": (OptionalText, _simple(complaint_acknowledge, "text"), "Acknowledge the complaint"),
    "assign": (Assignment, _assign, "Route to a department and/or assign a staff member"),
    "reply": (RequiredText, _simple(complaint_reply, "text", files=True),
              "Reply to the complainant (multipart: files in `attachments`)"),
    "note": (RequiredText, _simple(complaint_note, "text"), "Internal note (never shown to the complainant)"),
    "request-info": (RequiredText, _simple(complaint_request_info, "text"),
                     "Ask the complainant for information (the SLA clock pauses)"),
    "resume": (OptionalText, _simple(complaint_resume, "text"), "Resume work (end a wait)"),
    "resolve": (Resolution, _resolution, "Record the result (multipart: files in `attachments`)"),
    "close": (OptionalText, _simple(complaint_close, "text"), "Close a resolved case"),
    "reject": (Reason, _simple(complaint_reject, "reason"), "Do not accept the complaint, with the reason"),
    "reopen": (Reason, _simple(complaint_reopen, "reason"), "Reopen a resolved or closed case"),
    "transfer": (Transfer, _transfer, "Transfer to another body (DLA code) or an outside agency"),
    "transfer-accept": (Nothing, _simple(complaint_transfer_accept, ""), "Accept a case transferred to this body"),
    "transfer-return": (Reason, _simple(complaint_transfer_return, "reason"),
                        "Return a transferred case to its sender"),
    "merge": (Merge, _merge, "Merge this duplicate into another case (by tracking code)"),
}


class ComplaintActionView(StaffApiView):
    hide = True
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]
    action_name = ""

    def post(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        body_class, run, _summary = ACTIONS[self.action_name]
        payload = body_class(data=request.data if hasattr(request.data, "get") else {})
        if not payload.is_valid():
            return invalid(payload.errors)
        data = dict(payload.validated_data)
        try:
            replayed = action_once(complaint=case, raw_key=request.headers.get("Idempotency-Key", ""),
                                   user_id=cast(int, request.user.pk),
                                   token=request.auth if isinstance(request.auth, StaffToken) else None,
                                   run=lambda: run(request, case, data))
        except ComplaintError as error:
            return refusal(error)
        fresh = Complaint.objects.select_related("category").get(pk=case.pk)
        return Response({"replayed": replayed,
                         "complaint": case_detail(fresh, request.user, personal=sees_personal_data(request))})


def _action_view(name: str) -> type[ComplaintActionView]:
    body_class, _run, summary = ACTIONS[name]

    # A function of its own per action: the schema decorator annotates the function it is given.
    def post(self: ComplaintActionView, request: Request, pk: int) -> Response:
        return ComplaintActionView.post(self, request, pk)

    # A body of no fields is still a request body: an empty JSON object (`{}`).
    request: Any = body_class if body_class().fields else {"application/json": OpenApiTypes.OBJECT}
    if name in MULTIPART:
        request = {"application/json": body_class, "multipart/form-data": MULTIPART[name]}
    documented = extend_schema(
        summary=summary, tags=STAFF_TAGS, parameters=[IDEMPOTENCY], request=request,
        responses={200: ACTION_RESULT, 400: REFUSAL, 403: REFUSAL, 404: REFUSAL},
        operation_id=f"staff_complaint_{name.replace('-', '_')}")(post)
    return type(f"Complaint{name.title().replace('-', '')}View", (ComplaintActionView,),
                {"action_name": name, "post": documented})


ACTION_VIEWS = {name: _action_view(name) for name in ACTIONS}
