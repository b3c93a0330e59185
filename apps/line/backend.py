"""The LINE providers of the outbox (apps.complaints.notifications): a push from the body's own
LINE account to the LINE user who filed the case, and the making of the account's rich menu."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from apps.complaints.models import CaseFollower, ComplaintEvent, EventKind, Notification
from apps.complaints.status import Status
from apps.line import client, rich_menu
from apps.line import messages as m
from apps.line.models import LineUser
from apps.line.services import line_credentials


class LinePushBackend:
    """Raises on any failure (account not connected, LINE down): the outbox keeps the message and
    retries it with backoff. The retry key is the same on every attempt, so LINE delivers once."""

    def send(self, notification: Notification, *, idempotency_key: str) -> None:
        credentials = line_credentials()
        if credentials is None:
            raise ConnectionError("the body's LINE account is not connected")
        user = LineUser.objects.filter(pk=notification.recipient).first()
        complaint = notification.complaint
        # What the message announced: the case's status when it was queued (a retry may come later).
        announced = (ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.STATUS,
                                                   created_at__lte=notification.created_at)
                     .order_by("-created_at", "-id").values_list("to_status", flat=True).first()
                     if complaint is not None else None)
        # A citizen following the public report, not the complainant: no rating, and a stop
        # button while the follow lasts (the last status message ends it).
        follower = complaint is not None and complaint.complainant_line_id != notification.recipient
        with translation.override(user.language if user else (notification.language or "th")):
            items = []
            body = notification.body
            if follower and complaint is not None:
                if CaseFollower.objects.filter(complaint=complaint, channel="line",
                                               address=notification.recipient).exists():
                    items = [m._item(_("เลิกติดตาม"), "unfollow", r=complaint.public_id)]
            elif complaint is not None and announced in (Status.RESOLVED, Status.CLOSED) and complaint.rating is None:
                body += "\n\n" + _("กรุณาให้คะแนนความพึงพอใจ 1–5 หรือขอเปิดเรื่องใหม่หากยังไม่เรียบร้อย")
                items = m.rating_items(complaint)
            elif announced == Status.WAITING:
                body += "\n\n" + _("ตอบกลับในแชตนี้ได้เลย เป็นข้อความหรือรูปภาพ")
            message = m.text(body, items)
        client.push(token=credentials.token, to=notification.recipient, messages=[message],
                    retry_key=idempotency_key)


class LineRichMenuBackend:
    """The body's rich menu as an outbox delivery (queued when the admin saves the connection):
    LINE down when the account is connected, the sweep makes the menu later, with backoff."""

    def send(self, notification: Notification, *, idempotency_key: str) -> str | None:
        return rich_menu.line_rich_menu_setup() or None
