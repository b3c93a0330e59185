"""Staff API on a body's sub-domain: JSON intake for the body's own systems and front desks
(`/api/staff/v1/complaints/`). Signed-in staff of this body only; the same service, validation and
Thai error messages as the intake form."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.complaints.access import IsStaffOfThisBody
from apps.complaints.errors import ComplaintError, NotAllowed
from apps.complaints.idempotency import scoped_key
from apps.complaints.policies import get_complaint_for_user
from apps.complaints.services.intake import complaint_submit
from apps.complaints.status import Channel
from apps.complaints.validation import Complainant


class ComplainantSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, required=False, default="")
    phone = serializers.CharField(allow_blank=True, required=False, default="")
    email = serializers.CharField(allow_blank=True, required=False, default="")
    national_id = serializers.CharField(allow_blank=True, required=False, default="")
    address = serializers.CharField(allow_blank=True, required=False, default="")
    line_id = serializers.CharField(allow_blank=True, required=False, default="")


class IntakeSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=[c for c in Channel.choices if c[0] not in ("web", "transfer", "open311")])
    category = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True)
    complainant = ComplainantSerializer(required=False, allow_null=True, default=None)
    subdistrict_code = serializers.CharField(allow_blank=True, required=False, default="")
    moo = serializers.CharField(allow_blank=True, required=False, default="")
    location_text = serializers.CharField(allow_blank=True, required=False, default="")
    latitude = serializers.CharField(allow_blank=True, required=False, allow_null=True, default=None)
    longitude = serializers.CharField(allow_blank=True, required=False, allow_null=True, default=None)
    is_confidential = serializers.BooleanField(required=False, default=False)
    # Conduct and corruption complaints about the district office's own people go to the province.
    about_district_office = serializers.BooleanField(required=False, default=False)


def _refusal(error: ComplaintError) -> dict[str, Any]:
    return {"field": error.field, "message": str(error)}


class ComplaintIntakeView(APIView):
    permission_classes = [IsStaffOfThisBody]

    def post(self, request: Request) -> Response:
        payload = IntakeSerializer(data=request.data)
        if not payload.is_valid():
            return Response({"errors": payload.errors}, status=status.HTTP_400_BAD_REQUEST)
        data = dict(payload.validated_data)
        person = data.pop("complainant")
        try:
            # A client retrying after a timeout sends the same key and gets the same case.
            key = scoped_key(request.headers.get("Idempotency-Key", ""), scope=f"staff-{request.user.pk}")
            result = complaint_submit(
                complainant=Complainant(**person) if person else None, actor=request.user,
                privacy_notice_shown=True, idempotency_key=key, **data,
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


class ComplaintDetailView(APIView):
    permission_classes = [IsStaffOfThisBody]

    def get(self, request: Request, pk: int) -> Response:
        try:
            case = get_complaint_for_user(request.user, pk)
        except Http404:
            return Response({"message": "ไม่พบเรื่อง"}, status=status.HTTP_404_NOT_FOUND)
        return Response({
            "id": case.pk, "tracking_code": case.tracking_code, "status": case.status,
            "channel": case.channel, "category": case.category_id, "department": case.department_id,
            "received_at": case.received_at, "routed_to_oversight": case.routed_to_oversight,
        })
