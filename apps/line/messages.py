"""The messages the body's LINE account sends, built in the active language (the caller wraps
them in the citizen's language with translation.override)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _
from linebot.v3.messaging import (
    CameraAction,
    CameraRollAction,
    FlexContainer,
    FlexMessage,
    LocationAction,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

from apps.complaints.models import Category, Complaint
from apps.ui import thai
from tenants.models import LocalBody

LABEL_MAX = 20  # LINE refuses a quick reply label longer than this
CATEGORIES_PER_PAGE = 11  # 13 items at most: 11 categories, "more" and "cancel"


def data(action: str, **values: object) -> str:
    return urlencode({"a": action, **{k: str(v) for k, v in values.items()}})


def _item(label: str, action: str, *, display: str = "", **values: object) -> QuickReplyItem:
    return QuickReplyItem(action=PostbackAction(label=label[:LABEL_MAX], data=data(action, **values),
                                                displayText=(display or label)[:300]))


def text(value: str, items: Sequence[QuickReplyItem] = ()) -> TextMessage:
    return TextMessage(text=value[:5000], quickReply=QuickReply(items=list(items)[:13]) if items else None)


def menu_items(language: str) -> list[QuickReplyItem]:
    other = _item("English", "lang", v="en") if language != "en" else _item("ภาษาไทย", "lang", v="th")
    return [
        _item(_("แจ้งเรื่อง"), "file"),
        _item(_("เรื่องของฉัน"), "mine"),
        _item(_("ข้อตกลงบริการ"), "sla", display=_("ข้อตกลงระดับการให้บริการ")),
        other,
    ]


def menu(value: str, language: str) -> TextMessage:
    return text(value, menu_items(language))


def categories(items: Sequence[Category], *, page: int, english: bool) -> TextMessage:
    start = page * CATEGORIES_PER_PAGE
    shown = list(items)[start:start + CATEGORIES_PER_PAGE]
    choices = [_item((c.name_en if english and c.name_en else c.name_th), "cat", id=c.pk) for c in shown]
    if start + CATEGORIES_PER_PAGE < len(items):
        choices.append(_item(_("หมวดอื่น ๆ"), "cats", p=page + 1))
    choices.append(_item(_("ยกเลิก"), "cancel"))
    return text(_("เลือกหมวดเรื่องที่ต้องการแจ้ง"), choices)


def details_prompt(value: str, *, photos: int, max_photos: int) -> TextMessage:
    items: list[QuickReplyItem] = []
    if photos < max_photos:
        items += [QuickReplyItem(action=CameraAction(label=_("ถ่ายรูป"))),
                  QuickReplyItem(action=CameraRollAction(label=_("เลือกรูป")))]
    items += [QuickReplyItem(action=LocationAction(label=_("ส่งตำแหน่ง"))),
              _item(_("ตรวจทานและส่ง"), "review"), _item(_("ยกเลิก"), "cancel")]
    return text(value, items)


def confirmation(*, category: str, description: str, photos: int, location: str) -> TextMessage:
    summary = _("ตรวจทานเรื่องที่จะแจ้ง\nหมวด: %(category)s\nรายละเอียด: %(description)s\nรูปภาพ: %(photos)d รูป\n"
                "ตำแหน่ง: %(location)s\n\nข้อมูลของท่านใช้เพื่อดำเนินการเรื่องนี้และติดต่อกลับเท่านั้น") % {
        "category": category, "description": description[:500], "photos": photos,
        "location": location or _("ไม่ได้ระบุ")}
    # PDPA: the handling officers reach the citizen in this chat only if the citizen says so.
    summary += "\n\n" + _("กด “ส่ง ให้ติดต่อทางLINE” เพื่อส่งเรื่องและยินยอมให้เจ้าหน้าที่ที่รับผิดชอบติดต่อท่าน"
                          "ทางแชตนี้ หรือ “ยืนยันส่งเรื่อง” เพื่อส่งโดยไม่ยินยอม (ท่านยังได้รับแจ้งความคืบหน้าทางแชตนี้)")
    return text(summary, [_item(_("ส่ง ให้ติดต่อทางLINE"), "submit", contact=1), _item(_("ยืนยันส่งเรื่อง"), "submit"),
                          _item(_("แก้ไขต่อ"), "edit"), _item(_("ยกเลิก"), "cancel")])


def receipt(*, body: LocalBody, complaint: Complaint, deadlines: Sequence[Any]) -> FlexMessage:
    """The receipt: the tracking code and every promised deadline of the case."""
    rows: list[dict[str, Any]] = [
        {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
            {"type": "text", "text": d.stage_label, "size": "sm", "color": "#555555", "flex": 3, "wrap": True},
            {"type": "text", "text": thai.format_datetime(d.due_at), "size": "sm", "flex": 4, "wrap": True},
        ]}
        for d in deadlines
    ]
    url = f"https://{body.slug}.{settings.PLATFORM_DOMAIN}/"
    bubble = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            {"type": "text", "text": _("รับเรื่องแล้ว"), "weight": "bold", "size": "lg"},
            {"type": "text", "text": body.display_name, "size": "sm", "color": "#555555", "wrap": True},
            {"type": "text", "text": _("เลขติดตามเรื่อง"), "size": "sm"},
            {"type": "text", "text": complaint.tracking_code, "weight": "bold", "size": "xxl"},
            {"type": "separator"},
            {"type": "text", "text": _("หน่วยงานจะดำเนินการภายใน"), "size": "sm", "weight": "bold"},
            *rows,
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "link", "action": {"type": "uri", "label": _("ติดตามเรื่องบนเว็บไซต์")[:LABEL_MAX],
                                                            "uri": url}},
        ]},
    }
    alt = _("รับเรื่องแล้ว เลขติดตามเรื่อง %(code)s") % {"code": complaint.tracking_code}
    return FlexMessage(altText=alt, contents=FlexContainer.from_dict(bubble))


def rating_items(complaint: Complaint) -> list[QuickReplyItem]:
    stars = [_item("★" * n, "rate", c=complaint.pk, v=n, display=_("ให้คะแนน %(n)d") % {"n": n})
             for n in range(1, 6)]
    return [*stars, _item(_("ขอเปิดเรื่องใหม่"), "reopen", c=complaint.pk)]


def as_messages(*messages: Message | None) -> list[Message]:
    return [m for m in messages if m is not None]
