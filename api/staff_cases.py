"""The staff REST API on a body's sub-domain (`/api/staff/v1/`): the staff desk's cases as JSON.

Who: a signed-in staff session (second factor passed, CSRF token) or a staff member's personal
access token (`Authorization: Bearer`, apps.tokens): the same gate as the desk
(apps.complaints.access), the same visibility (apps.complaints.policies.visible_complaints) and the
same services (apps.complaints.services.*) with their role rules. A `read` token may only read.
Pages about one case answer every refusal with the same 404, like the desk. Errors are Thai, or
English with `Accept-Language: en` (or the site's language cookie). Every POST takes an
`Idempotency-Key` (api.idempotency)."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import StaffTokenAuthentication
from api.idempotency import action_once
from api.parsers import SafeJSONParser
from api.staff import ComplaintIntakeView
from apps.complaints.access import IsStaffOfThisBody
from apps.complaints.errors import ComplaintError, NotAllowed
from apps.complaints.models import Complaint, Department, StaffMember
from apps.complaints.policies import can_close, can_view_identity, complainant_identity, get_complaint_for_user
from apps.complaints.selectors import InboxFilters, inbox, inbox_due_dates, normalise_code
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
from apps.complaints.status import Channel, Status
from apps.complaints.workflow import available_actions
from apps.tokens.models import StaffToken
from apps.ui.downloads import user_file_response
from tenants.models import LocalBody

STAFF_TAGS = ["staff (on each body's sub-domain: a staff session or `Authorization: Bearer <token>`)"]
NOT_FOUND = _("ไม่พบเรื่อง")
IDEMPOTENCY = OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                               description="The same key on a retry returns the first result; nothing is done twice.")
REFUSAL = OpenApiResponse(inline_serializer("StaffRefusal", {
    "message": serializers.CharField(required=False), "field": serializers.CharField(allow_null=True, required=False),
    "errors": serializers.DictField(required=False),
    "detail": serializers.CharField(required=False, help_text="unreadable input (DRF's parser)")}),
    description="Refused, in Thai (English when chosen): `message` (and `field` or `errors`), or `detail`")


class ReadOnlyToken(exceptions.PermissionDenied):
    default_detail = _("โทเคนนี้อ่านได้อย่างเดียว ใช้ทำรายการไม่ได้")


def choose_language(request: Request) -> None:
    """Thai unless the client asks for English: `Accept-Language: en` (an API client says what it
    wants; pages ignore the browser's setting) or the site's language cookie (the middleware)."""
    accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "").strip().lower()
    if accept.startswith("en"):
        translation.activate("en")
    elif accept.startswith("th"):
        translation.activate("th")


class StaffApiView(APIView):
    authentication_classes = [StaffTokenAuthentication, SessionAuthentication]
    permission_classes = [IsStaffOfThisBody]
    # Pages about one case: every refusal is the same 404 (the desk's rule).
    hide = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        choose_language(request)
        super().initial(request, *args, **kwargs)
        token = request.auth
        if request.method not in ("GET", "HEAD", "OPTIONS") and isinstance(token, StaffToken) and not token.can_write:
            raise ReadOnlyToken

    def handle_exception(self, exc: Exception) -> Response:
        hidden = (exceptions.NotAuthenticated, exceptions.AuthenticationFailed, exceptions.PermissionDenied,
                  exceptions.NotFound, Http404)
        if self.hide and isinstance(exc, hidden) and not isinstance(exc, ReadOnlyToken):
            return Response({"message": str(NOT_FOUND)}, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed,
                            exceptions.PermissionDenied)):
            # A refusal answers 403 with the message (not DRF's 401 challenge), like the session API.
            return Response({"message": str(exc.detail)}, status=status.HTTP_403_FORBIDDEN)
        return super().handle_exception(exc)

    def case(self, request: Request, pk: int) -> Complaint:
        return get_complaint_for_user(request.user, pk)


def refusal(error: ComplaintError) -> Response:
    code = status.HTTP_403_FORBIDDEN if isinstance(error, NotAllowed) else status.HTTP_400_BAD_REQUEST
    return Response({"field": error.field, "message": str(error)}, status=code)


def invalid(errors: Any) -> Response:
    return Response({"message": str(_("ข้อมูลไม่ถูกต้อง")), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


# --- representation ---------------------------------------------------------------------------------

def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def case_summary(case: Complaint, due: Any = None) -> dict[str, Any]:
    return {
        "id": case.pk, "tracking_code": case.tracking_code, "status": case.status, "channel": case.channel,
        "category": case.category_id, "category_name": case.category.name_th if case.category_id else "",
        "national_category": case.national_category, "sla_class": case.sla_class,
        "department": case.department_id, "assignee": case.assignee_id,
        "received_at": _iso(case.received_at), "updated_at": _iso(case.updated_at), "resolve_due_at": _iso(due),
        "external_source": case.external_source or None, "external_id": case.external_id or None,
    }


def case_detail(case: Complaint, user: Any) -> dict[str, Any]:
    due = inbox_due_dates(complaint_ids=[case.pk]).get(case.pk)
    events = case.events.select_related("actor").order_by("created_at", "id")
    return {
        **case_summary(case, due),
        "description": case.description, "subdistrict_code": case.subdistrict_code, "moo": case.moo,
        "location_text": case.location_text,
        "latitude": str(case.latitude) if case.latitude is not None else None,
        "longitude": str(case.longitude) if case.longitude is not None else None,
        "is_anonymous": case.is_anonymous, "is_confidential": case.is_confidential,
        "routed_to_oversight": case.routed_to_oversight, "resolution": case.resolution,
        "reject_reason": case.reject_reason, "merged_into": case.merged_into_id, "reopen_count": case.reopen_count,
        "rating": case.rating,
        "actions": sorted(available_actions(case.status)), "can_close": can_close(user, case),
        "can_view_identity": can_view_identity(user, case),
        "timeline": [{
            "id": e.pk, "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status, "text": e.text,
            "is_public": e.is_public, "at": _iso(e.created_at),
            "actor": (e.actor.get_full_name() or e.actor.username) if e.actor_id and e.actor else e.actor_label,
        } for e in events],
        "attachments": [{
            "id": a.pk, "content_type": a.content_type, "size": a.size, "name": a.original_name,
            "is_public": a.is_public, "created_at": _iso(a.created_at),
        } for a in case.attachments.order_by("created_at", "id")],
    }


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    status = serializers.CharField(help_text="apps.complaints.status.Status")
    channel = serializers.CharField(help_text="apps.complaints.status.Channel")
    category = serializers.IntegerField()
    category_name = serializers.CharField(allow_blank=True)
    national_category = serializers.CharField()
    sla_class = serializers.CharField()
    department = serializers.IntegerField(allow_null=True)
    assignee = serializers.IntegerField(allow_null=True)
    received_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    resolve_due_at = serializers.DateTimeField(allow_null=True)
    external_source = serializers.CharField(allow_null=True)
    external_id = serializers.CharField(allow_null=True)


class TimelineEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    is_public = serializers.BooleanField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_blank=True)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    is_public = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class CaseDetailSerializer(CaseSummarySerializer):
    description = serializers.CharField(allow_blank=True)
    subdistrict_code = serializers.CharField(allow_blank=True)
    moo = serializers.CharField(allow_blank=True)
    location_text = serializers.CharField(allow_blank=True)
    latitude = serializers.CharField(allow_null=True)
    longitude = serializers.CharField(allow_null=True)
    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()
    routed_to_oversight = serializers.BooleanField()
    resolution = serializers.CharField(allow_blank=True)
    reject_reason = serializers.CharField(allow_blank=True)
    merged_into = serializers.IntegerField(allow_null=True)
    reopen_count = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True)
    actions = serializers.ListField(child=serializers.CharField())
    can_close = serializers.BooleanField()
    can_view_identity = serializers.BooleanField()
    timeline = TimelineEventSerializer(many=True)
    attachments = AttachmentSerializer(many=True)


ACTION_RESULT = inline_serializer("StaffActionResult", {
    "replayed": serializers.BooleanField(), "complaint": CaseDetailSerializer()})


# --- the list -----------------------------------------------------------------------------------------

class CasePagination(CursorPagination):
    """Newest first; the cursor is opaque and stable while cases are added."""

    ordering = ("-received_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ListFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=["open", *Status.values], required=False)
    department = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    category = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    channel = serializers.ChoiceField(choices=Channel.values, required=False)
    overdue = serializers.BooleanField(required=False)
    due_soon = serializers.BooleanField(required=False)
    updated_since = serializers.DateTimeField(required=False)
    q = serializers.CharField(required=False, max_length=100)
    external_source = serializers.CharField(required=False, max_length=40)
    external_id = serializers.CharField(required=False, max_length=80)


LIST_PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=["open", *Status.values],
                     description="`open`: every status before resolution"),
    OpenApiParameter("department", OpenApiTypes.INT), OpenApiParameter("category", OpenApiTypes.INT),
    OpenApiParameter("channel", OpenApiTypes.STR, enum=Channel.values),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="past the resolution deadline"),
    OpenApiParameter("due_soon", OpenApiTypes.BOOL, description="resolution deadline within two days"),
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="changed after this moment"),
    OpenApiParameter("q", OpenApiTypes.STR, description="a tracking code, or words of the description"),
    OpenApiParameter("external_source", OpenApiTypes.STR), OpenApiParameter("external_id", OpenApiTypes.STR),
]


class ComplaintCollectionView(StaffApiView, generics.GenericAPIView):  # type: ignore[misc]
    """GET: the cases this staff member may see (the inbox's rule), filtered, cursor-paginated.
    POST: intake (api.staff.ComplaintIntakeView)."""

    pagination_class = CasePagination
    serializer_class = CaseSummarySerializer

    @extend_schema(summary="Cases this staff member may see, newest first (cursor pagination)", tags=STAFF_TAGS,
                   parameters=LIST_PARAMETERS, responses={200: CaseSummarySerializer(many=True), 400: REFUSAL,
                                                          403: REFUSAL})
    def get(self, request: Request) -> Response:
        query = ListFilters(data=request.query_params)
        if not query.is_valid():
            return invalid(query.errors)
        wanted = query.validated_data
        due = "overdue" if wanted.get("overdue") else ("soon" if wanted.get("due_soon") else "")
        cases = inbox(user=request.user, filters=InboxFilters(
            status=wanted.get("status", ""), department=wanted.get("department"), category=wanted.get("category"),
            channel=wanted.get("channel", ""), due=due, query=wanted.get("q", "")))
        if "updated_since" in wanted:
            cases = cases.filter(updated_at__gt=wanted["updated_since"])
        if "external_id" in wanted:
            cases = cases.filter(external_id=wanted["external_id"].strip())
        if "external_source" in wanted:
            cases = cases.filter(external_source=wanted["external_source"].strip().lower())
        page = self.paginate_queryset(cases)
        assert page is not None
        dues = inbox_due_dates(complaint_ids=[case.pk for case in page])
        return self.get_paginated_response([case_summary(case, dues.get(case.pk)) for case in page])


# --- one case -----------------------------------------------------------------------------------------

class ComplaintDetailView(StaffApiView):
    hide = True

    @extend_schema(summary="One case with its timeline and files (404 for a case this user may not see)",
                   tags=STAFF_TAGS, responses={200: CaseDetailSerializer, 404: REFUSAL})
    def get(self, request: Request, pk: int) -> Response:
        return Response(case_detail(self.case(request, pk), request.user))


class ComplaintIdentityView(StaffApiView):
    hide = True

    @extend_schema(summary="The complainant's identity, for a role allowed to see it (every reveal is recorded)",
                   tags=STAFF_TAGS, request=None, responses={200: inline_serializer("StaffIdentity", {
                       name: serializers.CharField(allow_blank=True)
                       for name in ("name", "phone", "email", "national_id", "address", "line_id")}),
                       403: REFUSAL, 404: REFUSAL})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        identity = complainant_identity(request.user, case, context="staff API")
        if identity is None:
            return Response({"field": None, "message": str(_("บทบาทของท่านไม่มีสิทธิ์ดูข้อมูลผู้ร้องของเรื่องนี้"))},
                            status=status.HTTP_403_FORBIDDEN)
        return Response(identity)


class ComplaintAttachmentView(StaffApiView):
    hide = True

    @extend_schema(summary="Download one of the case's files", tags=STAFF_TAGS,
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: REFUSAL})
    def get(self, request: Request, pk: int, attachment_id: int) -> HttpResponseBase:
        case = self.case(request, pk)
        attachment = case.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        extension = mimetypes.guess_extension(attachment.content_type) or ""
        return user_file_response(handle, content_type=attachment.content_type,
                                  filename=f"{case.tracking_code}-{attachment.pk}{extension}")


# --- actions ------------------------------------------------------------------------------------------

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
        return Response({"replayed": replayed, "complaint": case_detail(fresh, request.user)})


def _action_view(name: str) -> type[ComplaintActionView]:
    body_class, _run, summary = ACTIONS[name]

    # A function of its own per action: the schema decorator annotates the function it is given.
    def post(self: ComplaintActionView, request: Request, pk: int) -> Response:
        return ComplaintActionView.post(self, request, pk)

    documented = extend_schema(
        summary=summary, tags=STAFF_TAGS, parameters=[IDEMPOTENCY], request=body_class,
        responses={200: ACTION_RESULT, 400: REFUSAL, 403: REFUSAL, 404: REFUSAL},
        operation_id=f"staff_complaint_{name.replace('-', '_')}")(post)
    return type(f"Complaint{name.title().replace('-', '')}View", (ComplaintActionView,),
                {"action_name": name, "post": documented})


ACTION_VIEWS = {name: _action_view(name) for name in ACTIONS}


class ComplaintsView(ComplaintCollectionView):
    """`/api/staff/v1/complaints/`: GET the list, POST a new complaint (intake)."""

    post = ComplaintIntakeView.post
