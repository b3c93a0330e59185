"""The receipt as a PNG image, for a citizen who keeps it in the phone's photos: the tracking code
and the anonymous PIN in large type, digits grouped, each on one line that never wraps (the image
is as wide as its widest line), in the citizen's language (the caller's active one)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from apps.complaints.models import Complaint
from apps.ui import thai
from apps.ui.pdf import SARABUN_DIR
from apps.ui.templatetags.qr import grouped

MARGIN = 48
GAP = 0.6  # blank space under each line, as a share of its type size
INK = (17, 17, 17)


@dataclass(frozen=True)
class Line:
    text: str
    size: int
    bold: bool = False


def receipt_lines(*, body_name: str, complaint: Complaint, pin: str, category: str, track_url: str) -> list[Line]:
    """What the image says, line by line (`pin` empty: a named case, no PIN to keep)."""
    lines = [Line(_("ใบรับเรื่องร้องทุกข์"), 44, bold=True), Line(body_name, 30),
             Line(_("เลขติดตามเรื่อง"), 30), Line(complaint.tracking_code, 72, bold=True)]
    if pin:
        # Groups separated by spaces drawn as such: one line, never split.
        lines += [Line(_("รหัส PIN สำหรับติดตามเรื่อง"), 30), Line(grouped(pin).replace("\u00a0", "  "), 72, bold=True),
                  Line(_("เก็บใบนี้ไว้ รหัส PIN จะไม่แสดงอีกและกู้คืนไม่ได้"), 26)]
    lines += [Line(f"{_('รับเรื่องเมื่อ')} {thai.format_datetime(complaint.received_at)} · {category}", 26),
              Line(f"{_('ติดตามเรื่องที่')} {track_url}", 26)]
    return lines


def _font(line: Line) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(SARABUN_DIR / ("Sarabun-Bold.ttf" if line.bold else "Sarabun-Regular.ttf")),
                              line.size)


def receipt_png(lines: list[Line], *, title: str) -> bytes:
    fonts = [_font(line) for line in lines]
    boxes = [font.getbbox(line.text) for font, line in zip(fonts, lines, strict=True)]
    width = int(max(box[2] for box in boxes)) + 2 * MARGIN
    heights = [int(line.size * (1.5 + GAP)) for line in lines]
    image = Image.new("RGB", (width, sum(heights) + 2 * MARGIN - int(lines[-1].size * GAP)), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for line, font, height in zip(lines, fonts, heights, strict=True):
        draw.text((MARGIN, y), line.text, font=font, fill=INK)
        y += height
    info = PngInfo()
    info.add_itxt("Title", title)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, pnginfo=info)
    return out.getvalue()
