"""Hostile files, generated here: decompression bombs, polyglots, PDFs with JavaScript, oversize."""

from __future__ import annotations

import io
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from apps.complaints.attachments import MAX_IMAGE_BYTES, MAX_PIXELS


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def png_bomb(pixels: int = MAX_PIXELS + 8000) -> bytes:
    """A small PNG whose header claims `pixels` pixels (mode 1, all zero: it compresses to KBs)."""
    width = 8000
    height = -(-pixels // width)
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG", optimize=False)
    return out.getvalue()


def png_claimed_huge() -> bytes:
    """A PNG header claiming 100,000 × 100,000 pixels over a tiny truncated body (header-only bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    ihdr = (100_000).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + \
        chunk(b"IEND", b"")


def pdf(*, javascript: str = "", open_action_uri: str = "", launch: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:  # a document-level script in the /Names tree, run when the PDF opens
        action = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(javascript)}))
        writer._root_object[NameObject("/Names")] = DictionaryObject({
            NameObject("/JavaScript"): DictionaryObject({
                NameObject("/Names"): ArrayObject([TextStringObject("init"), action])})})
    if open_action_uri:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(open_action_uri)})
    if launch:
        page = writer.pages[0]
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
            NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_html_polyglot() -> bytes:
    """Starts like a JPEG, carries HTML and script: must never be served so a browser renders it."""
    return b"\xff\xd8\xff\xe0" + b"<html><script>alert(document.cookie)</script></html>" * 20


def pdf_html_polyglot() -> bytes:
    return b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n"


def oversize_jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0" + b"\0" * (MAX_IMAGE_BYTES + 1)


# name → (file name, content type, bytes factory, what must happen)
HOSTILE_FILES = {
    "decompression bomb (just over the pixel limit)": ("bomb.png", "image/png", png_bomb),
    "header-only bomb (100000×100000)": ("huge.png", "image/png", png_claimed_huge),
    "PDF with JavaScript": ("letter.pdf", "application/pdf", lambda: pdf(javascript="app.alert('x')")),
    "PDF with an open action": ("letter.pdf", "application/pdf", lambda: pdf(open_action_uri="http://evil.example/")),
    "PDF with a launch action": ("letter.pdf", "application/pdf", lambda: pdf(launch=True)),
    "JPEG/HTML polyglot": ("photo.jpg", "image/jpeg", jpeg_html_polyglot),
    "PDF/HTML polyglot": ("doc.pdf", "application/pdf", pdf_html_polyglot),
    "HTML named .jpg": ("photo.jpg", "image/jpeg", lambda: b"<html><script>alert(1)</script></html>"),
    "SVG with script": ("map.svg", "image/svg+xml",
                        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "empty file": ("empty.jpg", "image/jpeg", lambda: b""),
    "oversize JPEG (10 MB + 1)": ("big.jpg", "image/jpeg", oversize_jpeg),
}
