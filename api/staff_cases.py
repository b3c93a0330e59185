"""The staff REST API on a body's sub-domain (`/api/staff/v1/`): the staff desk's cases as JSON.

Who: a signed-in staff session (second factor passed, CSRF token) or a staff member's personal
access token (`Authorization: Bearer`, apps.tokens): the same gate as the desk
(apps.complaints.access), the same visibility (apps.complaints.policies.visible_complaints) and the
same services (apps.complaints.services.*) with their role rules. A `read` token may only read.
Pages about one case answer every refusal with the same 404, like the desk. Errors are Thai, or
English with `Accept-Language: en` (or the site's language cookie). Every POST takes an
`Idempotency-Key` (api.idempotency)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import StaffTokenAuthentication
from api.staff import ComplaintIntakeView
from apps.complaints.access import IsStaffOfThisBody
from apps.complaints.downloads import attachment_response
from apps.complaints.errors import ComplaintError, NotAllowed
from apps.complaints.models import Complaint
from apps.complaints.policies import can_close, can_view_identity, complainant_identity, get_complaint_for_user
from apps.complaints.selectors import InboxFilters, inbox, inbox_due_dates, normalise_code
from apps.complaints.status import Channel, Status
from apps.complaints.workflow import available_actions
from apps.tokens.models import StaffToken

STAFF_TAGS = ["staff (on each body's sub-domain: a staff session or `Authorization: Bearer <token>`)"]
NOT_FOUND = _("ไม่พบเรื่อง")
NO_PERSONAL_DATA = _("กุญแจนี้ไม่มีสิทธิ์เข้าถึงข้อมูลส่วนบุคคลของผู้ร้อง")
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


def sees_personal_data(request: Request) -> bool:
    """A session or a personal token: the user's role decides. An integration key: its scope too."""
    return not isinstance(request.auth, StaffToken) or request.auth.sees_personal_data


def case_detail(case: Complaint, user: Any, *, personal: bool = True) -> dict[str, Any]:
    """The case for this user; without `personal` (an integration key without the personal-data
    scope) the description, the place, internal text and the files are withheld."""
    due = inbox_due_dates(complaint_ids=[case.pk]).get(case.pk)
    events = case.events.select_related("actor").order_by("created_at", "id")
    return {
        **case_summary(case, due),
        "description": case.description if personal else None, "subdistrict_code": case.subdistrict_code,
        "moo": case.moo if personal else None, "location_text": case.location_text if personal else None,
        "latitude": str(case.latitude) if case.latitude is not None and personal else None,
        "longitude": str(case.longitude) if case.longitude is not None and personal else None,
        "is_anonymous": case.is_anonymous, "is_confidential": case.is_confidential,
        "routed_to_oversight": case.routed_to_oversight, "resolution": case.resolution,
        "reject_reason": case.reject_reason, "merged_into": case.merged_into_id, "reopen_count": case.reopen_count,
        "rating": case.rating,
        "actions": sorted(available_actions(case.status)), "can_close": can_close(user, case),
        "can_view_identity": can_view_identity(user, case),
        "timeline": [{
            "id": e.pk, "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
            "text": e.text if (personal or e.is_public) else None,
            "is_public": e.is_public, "at": _iso(e.created_at),
            "actor": (e.actor.get_full_name() or e.actor.username) if e.actor_id and e.actor else e.actor_label,
        } for e in events],
        "attachments": [{
            "id": a.pk, "content_type": a.content_type, "size": a.size, "name": a.original_name,
            "is_public": a.is_public, "created_at": _iso(a.created_at),
        } for a in (case.attachments.order_by("created_at", "id") if personal else [])],
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
    text = serializers.CharField(allow_blank=True, allow_null=True)
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
    description = serializers.CharField(allow_blank=True, allow_null=True,
                                        help_text="null for an integration key without the personal-data scope")
    subdistrict_code = serializers.CharField(allow_blank=True)
    moo = serializers.CharField(allow_blank=True, allow_null=True)
    location_text = serializers.CharField(allow_blank=True, allow_null=True)
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
    OpenApiParameter("q", OpenApiTypes.STR, description="a tracking code, or words of the description (a tracking "
                     "code only for an integration key without the personal-data scope)"),
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
        words, personal = wanted.get("q", ""), sees_personal_data(request)
        cases = inbox(user=request.user, filters=InboxFilters(
            status=wanted.get("status", ""), department=wanted.get("department"), category=wanted.get("category"),
            channel=wanted.get("channel", ""), due=due, query=words if personal else ""))
        if words and not personal:
            # A key that may not read descriptions may not search them either: a tracking code only.
            cases = cases.filter(tracking_code=normalise_code(words))
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
        return Response(case_detail(self.case(request, pk), request.user, personal=sees_personal_data(request)))


class ComplaintIdentityView(StaffApiView):
    hide = True

    @extend_schema(summary="The complainant's identity, for a role allowed to see it (every reveal is recorded)",
                   tags=STAFF_TAGS, request={"application/json": OpenApiTypes.OBJECT},
                   responses={200: inline_serializer("StaffIdentity", {
                       name: serializers.CharField(allow_blank=True)
                       for name in ("name", "phone", "email", "national_id", "address", "line_id")}),
                       403: REFUSAL, 404: REFUSAL})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        if not sees_personal_data(request):
            return Response({"field": None, "message": str(NO_PERSONAL_DATA)}, status=status.HTTP_403_FORBIDDEN)
        token = request.auth
        context = f"staff API key {token.prefix}" if isinstance(token, StaffToken) and token.is_integration \
            else "staff API"
        identity = complainant_identity(request.user, case, context=context)
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
        if attachment is None or not sees_personal_data(request):
            raise Http404
        return attachment_response(case, attachment)


# --- actions ------------------------------------------------------------------------------------------


class ComplaintsView(ComplaintCollectionView):
    """`/api/staff/v1/complaints/`: GET the list, POST a new complaint (intake)."""

    post = ComplaintIntakeView.post
