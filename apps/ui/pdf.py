"""Printable documents: HTML rendered to PDF by WeasyPrint in the Sarabun family (the open revival
of TH Sarabun New, the government's document font), read from the fontpkg-sarabun package."""

from __future__ import annotations

from typing import Any

import fontpkg_sarabun
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

SARABUN_DIR = fontpkg_sarabun.ROOT / "files"
_FACES = (("Sarabun-Regular.ttf", 400), ("Sarabun-Bold.ttf", 700))


def sarabun_font_css() -> SafeString:
    """The @font-face rules for a document's <style>: the files on disk, never fetched over HTTP."""
    return mark_safe("".join(  # noqa: S308 - built from the package's own file paths only
        f'@font-face{{font-family:"Sarabun";src:url("{(SARABUN_DIR / name).as_uri()}");font-weight:{weight}}}'
        for name, weight in _FACES))


def sarabun_web_font_css() -> SafeString:
    """The same family for a document shown in the browser: a page cannot read file:// fonts, and
    a phone or a desk without Thai fonts would show boxes. The vendored web fonts (apps/ui/static)."""
    faces = []
    for script, ranges in (("thai", "U+0E01-0E5B,U+200C-200D,U+25CC"), ("latin", "U+0000-00FF,U+2000-206F")):
        for weight in (400, 700):
            url = static(f"ui/vendor/sarabun/sarabun-{script}-{weight}-normal.woff2")
            faces.append(f'@font-face{{font-family:"Sarabun";src:url("{url}") format("woff2");'
                         f"font-weight:{weight};unicode-range:{ranges}}}")
    return mark_safe("".join(faces))  # noqa: S308 - built from our own static paths only


def pdf_render(template: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """Render `template` (which puts {{ font_css }} in its <style>) to PDF bytes."""
    # WeasyPrint takes about a second to import: only a process that makes a PDF pays for it.
    from weasyprint import HTML

    html = render_to_string(template, {**context, "font_css": sarabun_font_css()}, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return pdf
