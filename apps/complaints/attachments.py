"""Attachments: photos and PDFs only, recognised by their content (never their file name),
size-limited; photos are re-encoded, which drops EXIF (GPS location, camera serial)."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.complaints.errors import ComplaintError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_IMAGE_SIDE = 2048
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile
    content_type: str
    original_name: str


def _kind(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def _safe_name(name: str) -> str:
    return "".join(ch for ch in name if ch.isprintable() and ch not in "/\\")[:200]


def clean_upload(upload: UploadedFile) -> CleanFile:
    """Validate one upload and return what may be stored; raise ComplaintError otherwise."""
    name = _safe_name(upload.name or "")
    size = upload.size or 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = _kind(head)
    if kind is None:
        raise ComplaintError(
            _("ไฟล์ “%(name)s” ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF จึงไม่ได้บันทึก") % {"name": name},
            field="attachments",
        )
    if kind == "pdf":
        if size > MAX_PDF_BYTES:
            raise ComplaintError(_("ไฟล์ PDF ต้องไม่เกิน 10 MB"), field="attachments")
        data = upload.read()
        if b"%%EOF" not in data[-2048:]:
            raise ComplaintError(_("ไฟล์ PDF “%(name)s” เสียหาย") % {"name": name}, field="attachments")
        return CleanFile(ContentFile(data, name=f"{secrets.token_hex(12)}.pdf"), "application/pdf", name)
    if size > MAX_IMAGE_BYTES:
        raise ComplaintError(_("รูปภาพต้องไม่เกิน 10 MB"), field="attachments")
    try:
        with Image.open(upload) as source:
            source.load()
            image = ImageOps.exif_transpose(source)  # keep the orientation the EXIF asked for
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            out = io.BytesIO()
            # Saving without exif= writes no EXIF at all: location and device data are gone.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ComplaintError(
            _("อ่านรูปภาพ “%(name)s” ไม่ได้ จึงไม่ได้บันทึก") % {"name": name}, field="attachments"
        ) from exc
    return CleanFile(ContentFile(out.getvalue(), name=f"{secrets.token_hex(12)}.jpg"), "image/jpeg", name)


def clean_uploads(uploads: list[UploadedFile]) -> list[CleanFile]:
    """All or nothing: one bad file refuses the lot, so nothing is half saved."""
    if len(uploads) > MAX_FILES:
        raise ComplaintError(_("แนบไฟล์ได้ไม่เกิน %(max)d ไฟล์") % {"max": MAX_FILES}, field="attachments")
    return [clean_upload(upload) for upload in uploads]
