"""Staff API on a body's sub-domain: JSON intake for the body's own systems and front desks
(POST `/api/staff/v1/complaints/`). Staff of this body only (a session or a token); the same
service, validation and Thai error messages as the intake form. The rest of the staff API is
api.staff_cases."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.complaints.access import IsStaffOfThisBody
from apps.complaints.errors import ComplaintError, NotAllowed
from apps.complaints.idempotency import scoped_key
from apps.complaints.services.intake import complaint_submit
from apps.complaints.status import Channel, ContactChannel
from apps.complaints.validation import Complainant


class ComplainantSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    phone = serializers.CharField(allow_blank=True, required=False, default="", max_length=20)
    email = serializers.CharField(allow_blank=True, required=False, default="", max_length=254)
    national_id = serializers.CharField(allow_blank=True, required=False, default="", max_length=20)
    address = serializers.CharField(allow_blank=True, required=False, default="", max_length=300)
    line_id = serializers.CharField(allow_blank=True, required=False, default="", max_length=64)
    contact_allowed = serializers.ListField(
        child=serializers.ChoiceField(choices=ContactChannel.values), required=False, default=list, max_length=3,
        help_text="the channels the complainant allows the officers handling the case to reach them by "
                  "(phone: calls and SMS, email, line), each one with its contact given; none by default "
                  "(PDPA: the complainant's explicit choice)")


class IntakeSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=[c for c in Channel.choices if c[0] not in ("web", "transfer", "open311")])
    category = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    description = serializers.CharField(allow_blank=True, max_length=5000)
    complainant = ComplainantSerializer(required=False, allow_null=True, default=None)
    subdistrict_code = serializers.CharField(allow_blank=True, required=False, default="", max_length=6)
    moo = serializers.CharField(allow_blank=True, required=False, default="", max_length=20)
    location_text = serializers.CharField(allow_blank=True, required=False, default="", max_length=300)
    latitude = serializers.CharField(allow_blank=True, required=False, allow_null=True, default=None, max_length=20)
    longitude = serializers.CharField(allow_blank=True, required=False, allow_null=True, default=None, max_length=20)
    is_confidential = serializers.BooleanField(required=False, default=False)
    # Conduct and corruption complaints about the district office's own people go to the province.
    about_district_office = serializers.BooleanField(required=False, default=False)
    # The case's id in the system it came from, unique per source: the same reference again
    # returns the case filed with it.
    external_source = serializers.CharField(allow_blank=True, required=False, default="", max_length=40)
    external_id = serializers.CharField(allow_blank=True, required=False, default="", max_length=80)


# multipart/form-data: the same fields, the complainant's as `complainant.name`, `complainant.phone`, …
# (DRF's nested form fields), and the photos or PDFs in `attachments`, checked and stored like the
# portal form's (apps.complaints.attachments, through the intake service).
IntakeUpload = inline_serializer("StaffIntakeUpload", {
    **{name: field for name, field in IntakeSerializer().get_fields().items() if name != "complainant"},
    **{f"complainant.{name}": field for name, field in ComplainantSerializer().get_fields().items()},
    "attachments": serializers.ListField(
        child=serializers.FileField(), required=False, max_length=5,
        help_text="photos (JPEG, PNG, WebP: at most 10 MB, re-encoded, EXIF removed) or PDF (at most 10 MB, "
                  "no scripts); at most 5"),
})

INTAKE_RESULT = inline_serializer("StaffIntakeResult", {
    "id": serializers.IntegerField(), "tracking_code": serializers.CharField(), "status": serializers.CharField(),
    "second_factor": serializers.CharField(allow_blank=True), "second_factor_kind": serializers.CharField(),
    "department": serializers.IntegerField(allow_null=True), "replayed": serializers.BooleanField(),
    "attachments_not_received": serializers.ListField(child=serializers.CharField()),
})
REFUSAL = OpenApiResponse(OpenApiTypes.OBJECT, description="Refused, with a Thai message (English when chosen)")
STAFF_TAGS = ["staff (on each body's sub-domain, signed-in staff)"]


def _refusal(error: ComplaintError) -> dict[str, Any]:
    return {"field": error.field, "message": str(error)}


class ComplaintIntakeView(APIView):
    """POST of the staff API's complaints collection (api.staff_cases.ComplaintsView)."""

    permission_classes = [IsStaffOfThisBody]

    @extend_schema(summary="File a complaint received at the front desk, by phone, letter, LINE or e-mail",
                   tags=STAFF_TAGS,
                   request={"application/json": IntakeSerializer, "multipart/form-data": IntakeUpload},
                   parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
                   responses={201: INTAKE_RESULT, 200: INTAKE_RESULT, 400: REFUSAL, 403: REFUSAL, 413: REFUSAL})
    def post(self, request: Request) -> Response:
        payload = IntakeSerializer(data=request.data)
        if not payload.is_valid():
            return Response({"errors": payload.errors}, status=status.HTTP_400_BAD_REQUEST)
        data = dict(payload.validated_data)
        person = data.pop("complainant")
        files = getattr(request, "FILES", None)
        uploads = list(files.getlist("attachments")) if files is not None else []
        try:
            # A client retrying after a timeout sends the same key and gets the same case.
            key = scoped_key(request.headers.get("Idempotency-Key", ""), scope=f"staff-{request.user.pk}")
            result = complaint_submit(
                complainant=Complainant(**person) if person else None, actor=request.user,
                privacy_notice_shown=True, idempotency_key=key, uploads=uploads, **data,
            )
        except NotAllowed as error:
            return Response(_refusal(error), status=status.HTTP_403_FORBIDDEN)
        except ComplaintError as error:
            return Response(_refusal(error), status=status.HTTP_400_BAD_REQUEST)
        case = result.complaint
        return Response({
            "id": case.pk, "tracking_code": case.tracking_code, "status": case.status,
            "second_factor": result.second_factor, "second_factor_kind": result.second_factor_kind,
            "department": case.department_id, "replayed": result.replayed,
            "attachments_not_received": list(result.failed_files),
        }, status=status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED)
