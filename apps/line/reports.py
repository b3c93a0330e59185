"""Following a public report in the chat instead of filing the same case again: a report named in a
message (its link, or "ติดตาม <public id>" typed in by the report page's LINE link) or found near
the place a citizen is filing gets a bubble with a follow button; its pushes carry a stop button.
The same services as the portal's follow form (apps.complaints.services.follow)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from linebot.v3.messaging import FlexContainer, FlexMessage, Message

from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import CaseFollower
from apps.complaints.public_reports import PublicReport, public_report_case, public_report_get, public_reports_nearby
from apps.complaints.services.follow import case_follow_line, case_follow_line_stop
from apps.line import messages as m
from apps.line.conversation import pending_delete, state_set
from apps.line.models import LineUser


def _site() -> str:
    return f"https://{current_body().slug}.{settings.PLATFORM_DOMAIN}"


def _bubble(report: PublicReport, *, following: bool) -> dict[str, Any]:
    facts = [report.status_label, *([report.area] if report.area else []),
             _("เปิดมา %(n)d วัน") % {"n": report.days_open}]
    if report.overdue:
        facts.append(_("เกินกำหนด"))
    if following:
        action = {"type": "postback", "label": _("เลิกติดตาม")[:m.LABEL_MAX],
                  "data": m.data("unfollow", r=report.public_id), "displayText": _("เลิกติดตาม")}
    else:
        action = {"type": "postback", "label": _("ติดตามเรื่องนี้")[:m.LABEL_MAX],
                  "data": m.data("follow", r=report.public_id), "displayText": _("ติดตามเรื่องนี้")}
    return {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "text", "text": report.category, "weight": "bold", "wrap": True},
            {"type": "text", "text": " · ".join(facts), "size": "sm", "color": "#555555", "wrap": True},
            {"type": "text", "text": _("ได้รับแจ้งทางแชตนี้เมื่อสถานะเปลี่ยน จนกว่าจะเลิกติดตามหรือปิดเรื่อง"),
             "size": "xs", "color": "#555555", "wrap": True},
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "action": action},
            {"type": "button", "style": "link", "action": {
                "type": "uri", "label": _("ดูรายละเอียด")[:m.LABEL_MAX],
                "uri": f"{_site()}/reports/{report.public_id}/"}},
        ]},
    }


def _following(user: LineUser, public_ids: list[str]) -> set[str]:
    return set(CaseFollower.objects.filter(channel="line", address=user.user_id,
                                           complaint__public_id__in=public_ids)
               .values_list("complaint__public_id", flat=True))


def reports_card(user: LineUser, reports: list[PublicReport], alt: str) -> FlexMessage:
    following = _following(user, [r.public_id for r in reports])
    bubbles = [_bubble(r, following=r.public_id in following) for r in reports[:10]]
    contents = bubbles[0] if len(bubbles) == 1 else {"type": "carousel", "contents": bubbles}
    return FlexMessage(altText=alt[:400], contents=FlexContainer.from_dict(contents))


def report_shown(user: LineUser, public_id: str) -> list[Message]:
    """A report named in a message: its bubble, or that it cannot be followed."""
    found = public_report_get(public_id=public_id)
    if found is None:
        return [m.menu(_("ไม่พบเรื่องนี้"), user.language)]
    report = found[0]
    if not report.is_open:
        return [m.menu(_("เรื่องนี้ดำเนินการแล้วเสร็จ จึงติดตามไม่ได้แล้ว"), user.language)]
    return [reports_card(user, [report], _("เรื่อง %(about)s") % {"about": report.category})]


def nearby_shown(user: LineUser, state: dict[str, Any]) -> list[Message]:
    """While filing, once the place is known: open reports of the same category near it."""
    if not state.get("category") or not state.get("lat"):
        return []
    reports = public_reports_nearby(category_id=int(state["category"]), latitude=Decimal(state["lat"]),
                                    longitude=Decimal(state["lng"]))
    if not reports:
        return []
    return [m.text(_("มีผู้แจ้งเรื่องเดียวกันไว้ใกล้ตำแหน่งนี้แล้ว %(n)d เรื่อง ติดตามเรื่องเดิมแทนการแจ้งซ้ำได้ "
                     "หรือแจ้งเรื่องของท่านต่อ") % {"n": len(reports)}),
            reports_card(user, reports, _("เรื่องที่มีผู้แจ้งไว้ใกล้ ๆ"))]


def follow(user: LineUser, public_id: str, now: datetime) -> list[Message]:
    """The follow button: follows the report; a complaint being filed about it is dropped."""
    case = public_report_case(public_id=public_id)
    if case is None:
        return [m.menu(_("ไม่พบเรื่องนี้"), user.language)]
    try:
        created = case_follow_line(complaint_id=case.pk, line_user_id=user.user_id, language=user.language,
                                   site=_site())
    except ComplaintError as exc:
        return [m.menu(str(exc.message), user.language)]
    if user.state:
        pending_delete(user.state)
        state_set(user, {}, now)
    if created is None:
        return [m.menu(_("ท่านติดตามเรื่องนี้อยู่แล้ว"), user.language)]
    return [m.menu(_("ติดตามเรื่องนี้แล้ว จะแจ้งทางแชตนี้เมื่อสถานะเปลี่ยน กด “เลิกติดตาม” ในข้อความแจ้งเมื่อไม่ต้องการแล้ว"),
                   user.language)]


def unfollow(user: LineUser, public_id: str) -> list[Message]:
    case = public_report_case(public_id=public_id)
    stopped = case is not None and case_follow_line_stop(complaint_id=case.pk, line_user_id=user.user_id)
    return [m.menu(_("เลิกติดตามเรื่องนี้แล้ว") if stopped else _("ท่านไม่ได้ติดตามเรื่องนี้อยู่"), user.language)]
