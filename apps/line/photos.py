"""Photos sent in the chat. The webhook only notes the photo's message id (LINE waits a few
seconds for its answer, and a photo can be 20 MB or LINE's content host slow): the task
line.photo_fetch fetches the content from LINE's content API, checks and re-encodes it exactly
like a web upload (EXIF gone), and puts it in the half-finished complaint or in the answer to a
request for information. LINE down: the task retries with backoff. A photo refused, or never
fetched after the last try, is told to the citizen in the chat through the outbox; the complaint
itself never waits for it (the citizen may send without the photos still arriving)."""

from __future__ import annotations

import secrets
from functools import partial

from celery import current_app  # type: ignore[attr-defined]
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.complaints import notifications
from apps.complaints.attachments import MAX_IMAGE_BYTES, clean_upload
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Complaint
from apps.complaints.publish import publish_after_commit
from apps.complaints.services.workflow import complaint_citizen_respond
from apps.line import client
from apps.line.models import LineEvent, LineUser
from apps.line.services import line_credentials
from tenants.db import current_schema

FETCH_TASK = "line.photo_fetch"


def photo_fetch_queue(*, user_id: str, message_id: str, complaint_id: int | None = None) -> None:
    """After the webhook's commit: fetch this photo in a task (by name: the task module imports
    this one). `complaint_id`: the photo answers that case's request for information."""
    schema = current_schema()
    transaction.on_commit(lambda: publish_after_commit(current_app.signature(FETCH_TASK), schema=schema,
                                                       args=[user_id, message_id, complaint_id]), robust=True)


def _answer_key(message_id: str) -> str:
    return f"photo-{message_id}"[:40]


def _fetched(message_id: str) -> SimpleUploadedFile:
    """The photo's content, checked and re-encoded like a web upload. Raises LineUnavailable
    (try again later) or ComplaintError (the photo itself is refused)."""
    credentials = line_credentials()
    if credentials is None:
        raise client.LineUnavailable("the body's LINE account is not connected")
    try:
        data = client.content_fetch(token=credentials.token, message_id=message_id, max_bytes=MAX_IMAGE_BYTES)
    except client.ContentTooLarge as exc:
        raise ComplaintError(gettext_lazy("รูปภาพต้องไม่เกิน 10 MB"), field="attachments") from exc
    except ValueError as exc:
        raise ComplaintError(gettext_lazy("รับรูปภาพจาก LINE ไม่สำเร็จ กรุณาส่งใหม่อีกครั้ง"),
                             field="attachments") from exc
    cleaned = clean_upload(SimpleUploadedFile("line-photo.jpg", data))
    if cleaned.content_type != "image/jpeg":
        raise ComplaintError(gettext_lazy("ส่งได้เฉพาะรูปภาพ"), field="attachments")
    return SimpleUploadedFile(cleaned.content.name or "line-photo.jpg", cleaned.content.read(), "image/jpeg")


def _tell(user_id: str, text: str | Promise, **params: object) -> None:
    """A message to the citizen in the chat, in their language, through the outbox (retried)."""
    user = LineUser.objects.filter(pk=user_id).first()
    language = user.language if user else "th"
    with translation.override(language):
        message = str(text) % params if params else str(text)
    notifications.queue_direct(body=current_body(), channel="line", recipient=user_id, text=message,
                               language=language)


def _take(user_id: str, message_id: str) -> LineUser | None:
    """Lock the citizen and take the photo off the list of those being fetched; None when it is
    no longer awaited (the conversation was sent, cancelled or expired, or a run did it already)."""
    user = LineUser.objects.select_for_update().filter(pk=user_id).first()
    if user is None or message_id not in (user.state or {}).get("fetching", []):
        return None
    fetching = [m for m in user.state["fetching"] if m != message_id]
    user.state = {k: v for k, v in user.state.items() if k != "fetching"} | ({"fetching": fetching} if fetching else {})
    return user


def _refuse(user_id: str, message_id: str, complaint_id: int | None, reason: str | Promise) -> str:
    with transaction.atomic():
        if complaint_id is None:
            user = _take(user_id, message_id)
            if user is None:
                return "gone"
            user.save(update_fields=["state"])
        else:
            try:
                with transaction.atomic():
                    LineEvent.objects.create(event_id=_answer_key(message_id), received_at=timezone.now())
            except IntegrityError:
                return "done"
        _tell(user_id, gettext_lazy("ไม่ได้แนบรูปภาพที่ท่านส่ง: %(reason)s"), reason=reason)
    return "refused"


def _add_to_conversation(user_id: str, message_id: str, photo: SimpleUploadedFile) -> str:
    path = default_storage.save(f"bodies/{current_schema()}/line/pending/{secrets.token_hex(12)}.jpg",
                                ContentFile(photo.read()))
    with transaction.atomic():
        user = _take(user_id, message_id)
        if user is None:
            transaction.on_commit(partial(default_storage.delete, path))
            return "gone"
        user.state = {**user.state, "photos": [*user.state.get("photos", []), path]}
        user.save(update_fields=["state"])  # not state_at: the citizen did nothing just now
    return "added"


def _add_to_answer(user_id: str, message_id: str, complaint_id: int, photo: SimpleUploadedFile) -> str:
    """The same service as the web answer; once per photo (a second run finds its key)."""
    complaint = Complaint.objects.filter(pk=complaint_id, complainant_line_id=user_id).first()
    user = LineUser.objects.filter(pk=user_id).first()
    if complaint is None or user is None:
        return "gone"
    try:
        with transaction.atomic():
            LineEvent.objects.create(event_id=_answer_key(message_id), received_at=timezone.now())
            with translation.override(user.language):
                complaint_citizen_respond(complaint=complaint, text=_("ส่งรูปภาพเพิ่มเติมทาง LINE"), uploads=[photo])
            _tell(user_id, gettext_lazy("ส่งข้อมูลเพิ่มเติมเรื่อง %(code)s ถึงหน่วยงานแล้ว"),
                  code=complaint.tracking_code)
    except IntegrityError:
        return "done"
    except ComplaintError as exc:  # the case no longer waits (answered meanwhile, or closed)
        return _refuse(user_id, message_id, complaint_id, exc.message)
    return "answered"


def line_photo_fetch(*, user_id: str, message_id: str, complaint_id: int | None, last_try: bool) -> str:
    """Fetch one photo and put it where the citizen sent it; what became of it. Raises
    LineUnavailable for the task to retry, unless this is its last try (then the citizen is told)."""
    if complaint_id is None:
        user = LineUser.objects.filter(pk=user_id).first()
        if user is None or message_id not in (user.state or {}).get("fetching", []):
            return "gone"
    elif LineEvent.objects.filter(pk=_answer_key(message_id)).exists():
        return "done"
    try:
        photo = _fetched(message_id)
    except client.LineUnavailable:
        if not last_try:
            raise
        return _refuse(user_id, message_id, complaint_id,
                       gettext_lazy("รับรูปภาพจาก LINE ไม่สำเร็จ กรุณาส่งใหม่อีกครั้ง"))
    except ComplaintError as exc:
        return _refuse(user_id, message_id, complaint_id, exc.message)
    if complaint_id is None:
        return _add_to_conversation(user_id, message_id, photo)
    return _add_to_answer(user_id, message_id, complaint_id, photo)
