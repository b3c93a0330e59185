"""Citizens following a public report (apps.complaints.models.CaseFollower): what they are told and
when. Every status change of a case passes `status_set` (services.record), which calls
`followers_status_queue` in the change's transaction; the messages go through the one outbox
(`notifications.queue_messages`), each in its follower's language, each with the report's link and
the follower's own stop link. Never the tracking code nor any text of the case: the category, the
area and the new status. When the case ends (closed, rejected, transferred, merged) the followers
are told and their contacts deleted.

One officer action may walk the case through several statuses (assigning a case not yet
acknowledged acknowledges it, then starts the work): a follower is told once per action, of the
status it ends in. The case's locked instance is the action's (services.record.case_locked re-reads
it for each one), so the messages it queued are kept on it and rewritten by the next step."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext as _

from apps.complaints.context import current_body
from apps.complaints.models import CaseFollower, Complaint, Notification
from apps.complaints.notifications import CaseMessage, queue_messages
from apps.complaints.public_reports import report_area
from apps.complaints.status import Status
from apps.ui import thai
from tenants.models import LocalBody, Subdistrict

TOLD = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED,
                  Status.REJECTED, Status.TRANSFERRED, Status.MERGED})
ENDS = frozenset({Status.CLOSED, Status.REJECTED, Status.TRANSFERRED, Status.MERGED})


def report_path(public_id: str) -> str:
    return f"/reports/{public_id}/"


def stop_path(stop_key: str) -> str:
    return f"/reports/stop/{stop_key}/"


def _about(complaint: Complaint) -> str:
    """"ไฟฟ้าสาธารณะ หมู่ที่ 3 ตำบลบ้านลาด", in the language being rendered."""
    place = Subdistrict.objects.filter(code=complaint.subdistrict_code).first() if complaint.subdistrict_code else None
    area = report_area(moo=complaint.moo, subdistrict=place)
    return " ".join(part for part in (thai.localised_name(complaint.category), area) if part)


def _message(follower: CaseFollower, complaint: Complaint, body: LocalBody, text: str) -> CaseMessage:
    subject = _("เรื่องที่ท่านติดตาม: %(body)s") % {"body": body.display_name}
    return CaseMessage(follower.channel, follower.address, follower.language, subject, text)


def _render(followers: Sequence[CaseFollower], complaint: Complaint, body: LocalBody, *,
            status: str, ended: bool) -> list[CaseMessage]:
    messages = []
    for follower in followers:
        with translation.override(follower.language):
            text = _("%(body)s: เรื่อง %(about)s ที่ท่านติดตาม เปลี่ยนสถานะเป็น \"%(status)s\" %(url)s") % {
                "body": body.display_name, "about": _about(complaint), "status": Status(status).label,
                "url": follower.site + report_path(complaint.public_id)}
            tail = _("การติดตามเรื่องนี้สิ้นสุดแล้ว") if ended else \
                _("เลิกติดตาม: %(url)s") % {"url": follower.site + stop_path(follower.stop_key)}
            messages.append(_message(follower, complaint, body, f"{text} {tail}"))
    return messages


# The attribute of the action's Complaint instance holding what this action told each follower.
_TOLD_IN_ACTION = "_followers_told"


def followers_status_queue(complaint: Complaint, *, previous: str, target: str,
                           body: LocalBody | None = None) -> list[Notification]:
    """Tell the case's followers of its new status (in the case's transaction); forget them when it
    ends. Waiting for the complainant and back is the complainant's business, not news. A second
    status in the same action rewrites the message the first queued (one message per action)."""
    if target not in TOLD or previous == Status.WAITING:
        return []
    followers = list(CaseFollower.objects.filter(complaint_id=complaint.pk).order_by("consented_at", "stop_key"))
    if not followers:
        return []
    body = body or current_body()
    ended = target in ENDS
    told: dict[str, Notification] = complaint.__dict__.setdefault(_TOLD_IN_ACTION, {})
    fresh: list[tuple[CaseFollower, CaseMessage]] = []
    for follower, message in zip(followers, _render(followers, complaint, body, status=target, ended=ended),
                                 strict=True):
        earlier = told.get(follower.stop_key)
        if earlier is None:
            fresh.append((follower, message))
        else:
            earlier.subject, earlier.body = message.subject, message.text
            earlier.save(update_fields=["subject", "body"])
    created = queue_messages(complaint, [message for _follower, message in fresh], body=body)
    told.update((follower.stop_key, notification) for (follower, _m), notification in zip(fresh, created, strict=True))
    if ended:
        CaseFollower.objects.filter(complaint_id=complaint.pk).delete()
    return [*(told[f.stop_key] for f in followers if f.stop_key in told)]


def follow_confirm_queue(followers: Sequence[CaseFollower], complaint: Complaint, *,
                         body: LocalBody) -> list[Notification]:
    """The first message to each new follower: what they follow, and how to stop."""
    messages = []
    for follower in followers:
        with translation.override(follower.language):
            text = _("ท่านติดตามเรื่อง %(about)s ที่%(body)s แล้ว จะได้รับแจ้งเมื่อสถานะเปลี่ยน %(url)s "
                     "เลิกติดตาม: %(stop)s") % {
                "about": _about(complaint), "body": body.display_name,
                "url": follower.site + report_path(complaint.public_id),
                "stop": follower.site + stop_path(follower.stop_key)}
            messages.append(_message(follower, complaint, body, text))
    return queue_messages(complaint, messages, body=body)
