"""The edge of every request: sizes bounded, every GET and form value and every file name through
apps.ui.normalise before a view sees it.

- A body over the limits (REQUEST_MAX_BODY_BYTES for forms and JSON, REQUEST_MAX_UPLOAD_BYTES for
  multipart uploads) is answered 413 before it is read: a Thai page, JSON under /api/.
- Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS/FILES) and an
  unreadable multipart body are answered the same way here instead of surfacing later.
- A value longer than REQUEST_MAX_FIELD_CHARS (no field takes more: descriptions stop at 5,000),
  or with NUL/control characters, bidi overrides or a combining-mark flood is refused with a
  400 naming the field; every other value is replaced by its NFC form. Upload file names are made
  safe (no folders, no control or invisible characters).

Field-specific rules (names, codes, numbers, lengths) stay with the fields (apps.ui.fields) and the
services; JSON bodies are handled by the API's parser (api.parsers).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from apps.ui.normalise import Refused, normalise, safe_file_name
from rongthuk.errors import error_response, too_big, wants_json


def _refusal(request: HttpRequest, field: str, error: Refused) -> HttpResponse:
    message = _("ช่อง “%(field)s”: %(reason)s") % {"field": field[:60], "reason": error.message}
    if wants_json(request):
        return JsonResponse({"field": field[:60], "message": message, "code": error.code}, status=400)
    return error_response(request, 400, message)


def _normalised(data: QueryDict) -> QueryDict | tuple[str, Refused]:
    clean = QueryDict(mutable=True)
    limit = settings.REQUEST_MAX_FIELD_CHARS
    for key, values in data.lists():
        try:
            name = normalise(key, kind="line")
        except Refused as error:
            return key, error
        for value in values:
            if len(value) > limit:
                return name, Refused(_("ยาวเกิน %(max)d ตัวอักษร") % {"max": limit}, code="too_long")
            try:
                clean.appendlist(name, normalise(value))
            except Refused as error:
                return name, error
    clean._mutable = False
    return clean


class InputNormalisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._check(request)
        return refused if refused is not None else self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400)
        multipart = request.content_type == "multipart/form-data"
        limit = settings.REQUEST_MAX_UPLOAD_BYTES if multipart else settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            return too_big(request)

        query = _normalised(request.GET)
        if isinstance(query, tuple):
            return _refusal(request, *query)
        request.GET = query  # type: ignore[assignment]  # immutable again (_mutable = False)

        if request.method not in ("POST", "PUT", "PATCH") or request.content_type not in (
                "multipart/form-data", "application/x-www-form-urlencoded"):
            return None
        try:
            post, files = request.POST, request.FILES
        except RequestDataTooBig:
            return too_big(request)
        except (TooManyFieldsSent, TooManyFilesSent, MultiPartParserError, UnreadablePostError):
            return error_response(request, 400)
        form = _normalised(post)
        if isinstance(form, tuple):
            return _refusal(request, *form)
        request.POST = form  # type: ignore[assignment]
        for _field, uploads in files.lists():
            for upload in uploads:
                upload.name = safe_file_name(upload.name or "")
        return None
