"""A case's file as a download, for the staff desk and the staff API: the caller has checked that
the user may see the case; a file gone from storage is a 404, never a 500.

`thumbnail=True` answers with the photo's thumbnail through the same checks and headers; a photo
stored before thumbnails (none made yet) answers with the photo itself, so a page never shows a
broken image; a document has no thumbnail (404)."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404

from apps.complaints.models import Attachment, Complaint
from apps.ui.downloads import user_file_response


def attachment_response(complaint: Complaint, attachment: Attachment, *, thumbnail: bool = False) -> FileResponse:
    stored, content_type, suffix = attachment.file, attachment.content_type, ""
    if thumbnail:
        if not attachment.content_type.startswith("image/"):
            raise Http404
        if attachment.thumbnail:
            stored, content_type, suffix = attachment.thumbnail, "image/jpeg", "-thumbnail"
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = mimetypes.guess_extension(content_type) or ""
    return user_file_response(handle, content_type=content_type,
                              filename=f"{complaint.tracking_code}-{attachment.pk}{suffix}{extension}")
