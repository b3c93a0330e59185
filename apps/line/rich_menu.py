"""The body's rich menu (the buttons under the chat): แจ้งเรื่อง · เรื่องของฉัน · ข้อตกลงบริการ, the
same postbacks as the quick replies. Created through the Messaging API when the account is
connected (a Celery task after the connection is saved: LINE's answer never holds up the page);
saving the connection again makes a new one."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont

from apps.line import client
from apps.line.models import SINGLETON, LineChannel
from apps.line.services import line_credentials
from apps.ui.pdf import SARABUN_DIR

WIDTH, HEIGHT = 2500, 843
BUTTONS = (("a=file", _("แจ้งเรื่อง")), ("a=mine", _("เรื่องของฉัน")), ("a=sla", _("ข้อตกลงบริการ")))


def _labels() -> list[tuple[str, str]]:
    with translation.override("th"):  # the menu is one image for every user: the platform's language
        return [(data, str(label)) for data, label in BUTTONS]


def menu_request() -> dict[str, object]:
    third = WIDTH // len(BUTTONS)
    return {
        "size": {"width": WIDTH, "height": HEIGHT}, "selected": True, "name": "Rongthuk",
        "chatBarText": _labels()[0][1],
        "areas": [{"bounds": {"x": i * third, "y": 0, "width": third if i < len(BUTTONS) - 1 else WIDTH - i * third,
                              "height": HEIGHT},
                   "action": {"type": "postback", "data": data, "displayText": label}}
                  for i, (data, label) in enumerate(_labels())],
    }


def menu_image() -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), (6, 199, 85))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(SARABUN_DIR / "Sarabun-Bold.ttf"), 120)
    third = WIDTH // len(BUTTONS)
    for i, (_data, label) in enumerate(_labels()):
        if i:
            draw.line([(i * third, 60), (i * third, HEIGHT - 60)], fill=(255, 255, 255), width=6)
        box = draw.textbbox((0, 0), label, font=font)
        x = i * third + (third - (box[2] - box[0])) // 2
        draw.text((x, (HEIGHT - (box[3] - box[1])) // 2 - box[1]), label, font=font, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def line_rich_menu_setup() -> str:
    """Create the menu for the current body's connected account; its id ("" when not connected).
    Raises LineUnavailable when LINE does not take it (the task retries)."""
    credentials = line_credentials()
    if credentials is None:
        return ""
    menu_id = client.rich_menu_create(token=credentials.token, menu=menu_request(), image_png=menu_image())
    with transaction.atomic():
        LineChannel.objects.filter(pk=SINGLETON).update(rich_menu_id=menu_id[:64])
    return menu_id
