"""The staff REST API's case actions (`/api/staff/v1/complaints/<pk>/<action>/`): one view per desk
action, each through the desk's own service, with an Idempotency-Key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
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
from apps.complaints.case_actions import CASE_ACTIONS, ActionInput, case_action_run
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Complaint
from apps.tokens.models import StaffToken


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


def _uploads(request: Request) -> list[UploadedFile]:
    files = getattr(request, "FILES", None)
    return list(files.getlist("attachments")) if files is not None else []


def _input(name: str, request: Request, data: dict[str, Any]) -> ActionInput:
    """The request's values for the action (apps.complaints.case_actions: the desk's own table)."""
    action = CASE_ACTIONS[name]
    return ActionInput(text=data[action.field] if action.field else "",
                       uploads=_uploads(request) if action.files else (),
                       department_id=data.get("department"), assignee_id=data.get("assignee"),
                       to_body_code=data.get("to_body", "").strip(), to_agency=data.get("to_agency", ""),
                       into_code=data.get("into", ""))


# The desk's action (by its name) → (request body, summary); the path is the name with hyphens.
ACTIONS: dict[str, tuple[type[serializers.Serializer], str]] = {
    "acknowledge": (OptionalText, "Acknowledge the complaint"),
    "assign": (Assignment, "Route to a department and/or assign a staff member"),
    "reply": (RequiredText, "Reply to the complainant (multipart: files in `attachments`)"),
    "note": (RequiredText, "Internal note (never shown to the complainant)"),
    "request_info": (RequiredText, "Ask the complainant for information (the SLA clock pauses)"),
    "resume": (OptionalText, "Resume work (end a wait)"),
    "resolve": (Resolution, "Record the result (multipart: files in `attachments`)"),
    "close": (OptionalText, "Close a resolved case"),
    "reject": (Reason, "Do not accept the complaint, with the reason"),
    "reopen": (Reason, "Reopen a resolved or closed case"),
    "transfer": (Transfer, "Transfer to another body (DLA code) or an outside agency"),
    "transfer_accept": (Nothing, "Accept a case transferred to this body"),
    "transfer_return": (Reason, "Return a transferred case to its sender"),
    "merge": (Merge, "Merge this duplicate into another case (by tracking code)"),
}


class ComplaintActionView(StaffApiView):
    hide = True
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]
    action_name = ""

    def post(self, request: Request, pk: int) -> Response:
        case = self.case(request, pk)
        body_class, _summary = ACTIONS[self.action_name]
        payload = body_class(data=request.data if hasattr(request.data, "get") else {})
        if not payload.is_valid():
            return invalid(payload.errors)
        data = dict(payload.validated_data)
        try:
            replayed = action_once(complaint=case, raw_key=request.headers.get("Idempotency-Key", ""),
                                   user_id=cast(int, request.user.pk),
                                   token=request.auth if isinstance(request.auth, StaffToken) else None,
                                   run=lambda: self.run(request, case, data))
        except ComplaintError as error:
            return refusal(error)
        fresh = Complaint.objects.select_related("category").get(pk=case.pk)
        return Response({"replayed": replayed,
                         "complaint": case_detail(fresh, request.user, personal=sees_personal_data(request))})

    def run(self, request: Request, case: Complaint, data: dict[str, Any]) -> Sequence[int]:
        """The action, and the ids of the other cases it changed (a merge's target)."""
        into = case_action_run(self.action_name, complaint=case, actor=request.user,
                               given=_input(self.action_name, request, data))
        return (into.pk,) if into is not None else ()


def _action_view(name: str) -> type[ComplaintActionView]:
    body_class, summary = ACTIONS[name]
    path = name.replace("_", "-")

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
        operation_id=f"staff_complaint_{name}")(post)
    return type(f"Complaint{path.title().replace('-', '')}View", (ComplaintActionView,),
                {"action_name": name, "post": documented})


# By the path segment (`request-info`).
ACTION_VIEWS = {name.replace("_", "-"): _action_view(name) for name in ACTIONS}
