"""Every download of a file someone uploaded (a citizen's photo, a staff reply's PDF, a directive's
attachment) leaves through `user_file_response`.

Whatever the file really is, the browser must not run it in the platform's origin: it is always a
download (`Content-Disposition: attachment`; an <img> on our own pages still shows a photo), never
sniffed into another type (`nosniff`), and if it is opened anyway it is sandboxed with nothing
allowed (`Content-Security-Policy: default-src 'none'; sandbox`: no scripts, no forms, no plugins,
a unique origin). Not cached by shared caches: the files are personal data.
"""

from __future__ import annotations

from typing import IO

from django.http import FileResponse

from apps.ui.normalise import safe_file_name

SANDBOX_CSP = "default-src 'none'; sandbox"


def user_file_response(handle: IO[bytes], *, content_type: str, filename: str) -> FileResponse:
    response = FileResponse(handle, content_type=content_type or "application/octet-stream", as_attachment=True,
                            filename=safe_file_name(filename))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "private, no-store"
    return response
