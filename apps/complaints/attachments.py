"""Attachments: photos and PDFs only, recognised by their content (never their file name),
size-limited; photos are re-encoded, which drops EXIF (GPS location, camera serial).

Photos: at most MAX_PIXELS pixels, checked from the header before anything is decoded (Pillow's
own guard only raises at twice its MAX_IMAGE_PIXELS; here the documented limit is the limit).

PDFs: a PDF that can run anything when opened (JavaScript, open/page actions, launch, form
submission, embedded files, XFA forms, rich media) is refused, not cleaned. Cleaning would mean
rewriting the citizen's document (breaking signatures, losing what a reader might depend on) with a
tool that may miss a construct; a refusal with a message ("save it again with Print → PDF") is
exact, and scanned letters and office exports, the PDFs that complaints carry, have none of these.
An encrypted PDF cannot be inspected and is refused too.

Thumbnails: every photo of a case also gets a small JPEG (longest side THUMBNAIL_SIDE, made from
the same decoded image in the same step, so it is as clean as the photo) that the pages show in
place of the photo; `thumbnail_make` makes one for a photo stored before thumbnails existed."""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from apps.complaints.errors import ComplaintError
from apps.ui.normalise import safe_file_name

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_IMAGE_SIDE = 2048
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
THUMBNAIL_SIDE = 320  # the case page's grid shows 120 px tiles: sharp at a phone's 2–3× density
THUMBNAIL_QUALITY = 75

# Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; clean_upload checks MAX_PIXELS
# itself first, so Pillow's guard is only the second line.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# PDF names that make a document act when opened or clicked (ISO 32000-1 §12.6, §12.7.4, §13).
ACTIVE_PDF_KEYS = frozenset({"/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/SubmitForm",
                             "/ImportData", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia",
                             "/GoToE", "/GoToR", "/Sound", "/Movie"})


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile
    content_type: str
    original_name: str
    thumbnail: ContentFile | None = None  # photos only (JPEG); never for a PDF or a logo


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


def _pdf_is_active(data: bytes) -> bool:
    """True when any object of the PDF carries an active key; raises PyPdfError/ValueError when the
    file cannot be read as a PDF. Walks every object, compressed object streams included."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return True
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = item.idnum, item.generation
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if ACTIVE_PDF_KEYS & set(item.keys()) or item.get("/S") in ACTIVE_PDF_KEYS:
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        if len(seen) > 200_000:  # a PDF this large is not a complaint's attachment
            return True
    return False


def clean_upload(upload: UploadedFile) -> CleanFile:
    """Validate one upload and return what may be stored; raise ComplaintError otherwise."""
    name = safe_file_name(upload.name or "")
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
        try:
            active = _pdf_is_active(data)
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise ComplaintError(_("ไฟล์ PDF “%(name)s” เสียหาย") % {"name": name}, field="attachments") from exc
        if active:
            raise ComplaintError(
                _("ไฟล์ PDF “%(name)s” มีสคริปต์ คำสั่งอัตโนมัติ ไฟล์แนบซ่อน หรือการเข้ารหัส จึงไม่ได้บันทึก "
                  "กรุณาบันทึกเป็น PDF ใหม่ (สั่งพิมพ์ → บันทึกเป็น PDF) แล้วแนบอีกครั้ง") % {"name": name},
                field="attachments")
        return CleanFile(ContentFile(data, name=f"{secrets.token_hex(12)}.pdf"), "application/pdf", name)
    return clean_image(upload, name=name)


def clean_image(upload: UploadedFile, *, name: str | None = None, max_side: int = MAX_IMAGE_SIDE,
                lossless: bool = False) -> CleanFile:
    """An uploaded photo (JPEG, PNG, WebP), at most MAX_IMAGE_BYTES and MAX_PIXELS (read from the
    header before decoding), re-encoded without its metadata: JPEG, or PNG keeping transparency when
    `lossless` (a logo). Raises ComplaintError (field "attachments") otherwise."""
    name = name if name is not None else safe_file_name(upload.name or "")
    upload.seek(0)
    if _kind(upload.read(16)) != "image":
        raise ComplaintError(_("ไฟล์ “%(name)s” ไม่ใช่รูปภาพ (JPEG, PNG, WebP) จึงไม่ได้บันทึก") % {"name": name},
                             field="attachments")
    upload.seek(0)
    if (upload.size or 0) > MAX_IMAGE_BYTES:
        raise ComplaintError(_("รูปภาพต้องไม่เกิน 10 MB"), field="attachments")
    too_many_pixels = ComplaintError(
        _("รูปภาพ “%(name)s” ใหญ่เกิน %(max)d ล้านพิกเซล จึงไม่ได้บันทึก") % {
            "name": name, "max": MAX_PIXELS // 1_000_000},
        field="attachments")
    small = b""
    try:
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it; the check below refuses that range.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            source = Image.open(upload)
        with source:
            width, height = source.size
            if width * height > MAX_PIXELS:
                raise too_many_pixels
            source.load()
            image = ImageOps.exif_transpose(source)  # keep the orientation the EXIF asked for
            keep = ("RGB", "L", "RGBA", "LA") if lossless else ("RGB", "L")
            if image.mode not in keep:
                image = image.convert("RGBA" if lossless else "RGB")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            # Saving without exif= writes no EXIF at all: location and device data are gone.
            if lossless:
                image.save(out, format="PNG", optimize=True)
            else:
                image.save(out, format="JPEG", quality=85, optimize=True)
                small = _thumbnail_bytes(image)
    except Image.DecompressionBombError as exc:
        raise too_many_pixels from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ComplaintError(
            _("อ่านรูปภาพ “%(name)s” ไม่ได้ จึงไม่ได้บันทึก") % {"name": name}, field="attachments"
        ) from exc
    if lossless:
        return CleanFile(ContentFile(out.getvalue(), name=f"{secrets.token_hex(12)}.png"), "image/png", name)
    stem = secrets.token_hex(12)
    return CleanFile(ContentFile(out.getvalue(), name=f"{stem}.jpg"), "image/jpeg", name,
                     thumbnail=ContentFile(small, name=f"{stem}-thumb.jpg"))


def _thumbnail_bytes(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def thumbnail_make(data: bytes) -> bytes:
    """The thumbnail of a photo already stored (cleaned at intake: no EXIF, RGB or L, at most
    MAX_IMAGE_SIDE). Raises OSError/ValueError when the stored file cannot be read as an image."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        source = Image.open(io.BytesIO(data))
    with source:
        width, height = source.size
        if width * height > MAX_PIXELS:
            raise ValueError("too many pixels for a stored photo")
        source.load()
        image = ImageOps.exif_transpose(source)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        return _thumbnail_bytes(image)


def clean_uploads(uploads: list[UploadedFile]) -> list[CleanFile]:
    """All or nothing: one bad file refuses the lot, so nothing is half saved."""
    if len(uploads) > MAX_FILES:
        raise ComplaintError(_("แนบไฟล์ได้ไม่เกิน %(max)d ไฟล์") % {"max": MAX_FILES}, field="attachments")
    return [clean_upload(upload) for upload in uploads]
