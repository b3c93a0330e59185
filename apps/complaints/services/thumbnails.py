"""Thumbnails for photos stored before thumbnails were made at intake (`rongthuk thumbnails`).

A new photo gets its thumbnail in the write that stores it (`record.files_store`); this makes the
missing ones afterwards, from the stored photo (already cleaned: no EXIF). Idempotent: only a photo
with no thumbnail is visited, each under its row lock (taken with SKIP LOCKED, so two runs at once
never make one twice), and a run may stop anywhere. A photo whose file is gone or unreadable is
counted and left as it is (the pages show the photo, or nothing, as before)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django_tenants.utils import schema_context

from apps.complaints.attachments import thumbnail_make
from apps.complaints.models import Attachment
from apps.reporting.models import ComplaintFact
from tenants.connections import body_served
from tenants.models import LocalBody


@dataclass
class ThumbnailReport:
    made: int = 0
    failed: int = 0
    bodies: list[str] = field(default_factory=list)


def _missing() -> list[int]:
    return list(Attachment.objects.filter(thumbnail="", content_type__startswith="image/")
                .order_by("id").values_list("pk", flat=True))


def _one_make(pk: int) -> bool | None:
    """True when made, False when the photo could not be read, None when there is nothing to do."""
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update(skip_locked=True).filter(pk=pk, thumbnail="").first()
        if attachment is None:
            return None
        try:
            with attachment.file.open("rb") as handle:
                small = thumbnail_make(handle.read())
        except (OSError, ValueError, SyntaxError):
            return False
        stem = (attachment.file.name or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        attachment.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(small), save=False)
        attachment.save(update_fields=["thumbnail"])
        return True


def attachment_thumbnails_make() -> ThumbnailReport:
    """Make the missing thumbnails of the current body's photos."""
    report = ThumbnailReport()
    for pk in _missing():
        made = _one_make(pk)
        if made is True:
            report.made += 1
        elif made is False:
            report.failed += 1
    return report


def thumbnails_backfill(*, dla_codes: list[str] | None = None) -> ThumbnailReport:
    """Every body that has cases (one query over the facts finds them), or those named: each in its
    own schema, the connection recycled as the web workers' are (tenants.connections)."""
    bodies = LocalBody.objects.filter(pk__in=ComplaintFact.objects.values("body_id")).order_by("pk")
    if dla_codes:
        bodies = LocalBody.objects.filter(dla_code__in=dla_codes).order_by("pk")
    total = ThumbnailReport()
    for body in bodies.only("pk", "schema_name", "dla_code"):
        with schema_context(body.schema_name):
            done = attachment_thumbnails_make()
            body_served(body.schema_name)
        total.made += done.made
        total.failed += done.failed
        if done.made or done.failed:
            total.bodies.append(body.dla_code)
    return total
