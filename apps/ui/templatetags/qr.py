"""QR codes drawn inline (SVG, no request of its own), and the LINE add-friend link of an
Official Account's basic id (@…), for the receipts."""

from __future__ import annotations

from urllib.parse import quote

import segno
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def qr_svg(value: str, title: str = "") -> SafeString:
    if not value:
        return mark_safe("")  # noqa: S308 - empty
    svg = segno.make(value, error="m").svg_inline(scale=4, title=title or None, svgclass="qr")
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the value is encoded as modules


@register.filter
def line_add_url(line_id: str) -> str:
    """https://line.me/R/ti/p/%40<basic id>: opens the account in LINE to add it as a friend."""
    basic = (line_id or "").strip().lstrip("@")
    return f"https://line.me/R/ti/p/%40{quote(basic)}" if basic else ""


@register.filter
def grouped(code: str, size: int = 3) -> str:
    """A code to read or copy without error: groups of `size` characters, never split by a line break."""
    raw = "".join(ch for ch in (code or "") if ch.isalnum())
    return "\u00a0".join(raw[i:i + size] for i in range(0, len(raw), size))


@register.filter
def link_code(code: str) -> str:
    """L12345678 → L 1234 5678, with no-break spaces."""
    return f"{code[:1]}\u00a0{code[1:5]}\u00a0{code[5:9]}" if code else ""
