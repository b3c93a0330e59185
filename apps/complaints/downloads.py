"""A case's file as a download, for the staff desk and the staff API: the caller has checked that
the user may see the case; a file gone from storage is a 404, never a 500."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404

from apps.complaints.models import Attachment, Complaint
from apps.ui.downloads import user_file_response


def attachment_response(complaint: Complaint, attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = mimetypes.guess_extension(attachment.content_type) or ""
    return user_file_response(handle, content_type=attachment.content_type,
                              filename=f"{complaint.tracking_code}-{attachment.pk}{extension}")
