"""Following a public report instead of filing the same case again, and stopping. The contact is
the citizen's, given with consent on the report's page (the privacy notice's version is kept) or
by the follow button in the body's LINE chat; it lives in the body's schema and is deleted when the
citizen stops or the case ends. Each follow and each stop writes an entry in the body's audit log
in the same transaction: the follower's reference and channel, never the contact itself."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.audit.services import audit_record
from apps.complaints import followers
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import CaseFollower, Complaint
from apps.complaints.public_cases import report_listed
from apps.complaints.services.intake import PRIVACY_NOTICE_VERSION
from apps.complaints.status import OPEN_STATUSES
from apps.complaints.validation import clean_email, clean_phone

LANGUAGES = ("th", "en")
# Who acted, in the body's log: a citizen who is not the complainant, not signed in.
FOLLOWER = gettext_noop("ผู้ติดตามเรื่อง")


def follower_ref(stop_key: str) -> str:
    """The follower as the audit log names it: a digest of its stop key (the key itself is a
    capability that stops the follow, so it is never written there)."""
    return hashlib.sha256(f"follower:{stop_key}".encode()).hexdigest()[:12]


def _audit(kind: str, complaint_id: int, code: str, removed: Sequence[tuple[str, str]], via: str) -> None:
    for stop_key, channel in removed:
        audit_record(kind=kind, actor_label=FOLLOWER, target_type="complaints.complaint", target_id=complaint_id,
                     target_label=code, changes={"follower": follower_ref(stop_key), "channel": channel, "via": via})


def _followable(complaint_id: int) -> Complaint:
    # Locked: a status change being written at the same moment tells this follower or comes after.
    complaint = report_listed(Complaint.objects.select_for_update().filter(pk=complaint_id), now=timezone.now()) \
        .select_related("category").first()
    if complaint is None:
        raise ComplaintError(_("ไม่พบเรื่องนี้"), field="complaint")
    if complaint.status not in OPEN_STATUSES:
        raise ComplaintError(_("เรื่องนี้ดำเนินการแล้วเสร็จ จึงติดตามไม่ได้แล้ว"), field="complaint")
    return complaint


def _start(complaint: Complaint, contacts: Sequence[tuple[str, str]], *, language: str, site: str,
           via: str) -> list[CaseFollower]:
    now = timezone.now()
    created = CaseFollower.objects.bulk_create([
        CaseFollower(stop_key=secrets.token_urlsafe(24), complaint=complaint, channel=channel, address=address,
                     language=language if language in LANGUAGES else "th", site=site[:120],
                     privacy_notice_version=PRIVACY_NOTICE_VERSION, consented_at=now)
        for channel, address in contacts])
    _audit("follow.start", complaint.pk, complaint.tracking_code,
           [(f.stop_key, f.channel) for f in created], via)
    # In the LINE chat the reply to the follow button is the confirmation.
    followers.follow_confirm_queue([f for f in created if f.channel != "line"], complaint, body=current_body())
    return created


@transaction.atomic
def case_follow(*, complaint_id: int, phone: str, email: str, consent: bool, language: str,
                site: str) -> list[CaseFollower]:
    """Follow an open public report by SMS and/or e-mail; following again with the same contact
    replaces the earlier follow (a new stop link). Each new follower is sent a first message."""
    if not consent:
        raise ComplaintError(_("กรุณายอมรับประกาศความเป็นส่วนตัวก่อนติดตามเรื่อง"), field="consent")
    phone, email = clean_phone(phone), clean_email(email)
    if not phone and not email:
        raise ComplaintError(_("กรุณากรอกหมายเลขโทรศัพท์หรืออีเมลอย่างน้อยหนึ่งช่องทาง"), field="phone")
    complaint = _followable(complaint_id)
    contacts = [(channel, address) for channel, address in (("sms", phone), ("email", email)) if address]
    for channel, address in contacts:
        _stop(CaseFollower.objects.filter(complaint_id=complaint.pk, channel=channel, address=address), via="again")
    return _start(complaint, contacts, language=language, site=site, via="web")


@transaction.atomic
def case_follow_line(*, complaint_id: int, line_user_id: str, language: str, site: str) -> CaseFollower | None:
    """Follow an open public report in the body's LINE chat (the follow button of the report's
    bubble): told by push, like the complainant. None: this LINE user follows it already."""
    complaint = _followable(complaint_id)
    if complaint.complainant_line_id and complaint.complainant_line_id == line_user_id:
        raise ComplaintError(_("ท่านเป็นผู้แจ้งเรื่องนี้ จะได้รับแจ้งความคืบหน้าทางแชตนี้อยู่แล้ว"), field="complaint")
    if CaseFollower.objects.filter(complaint_id=complaint.pk, channel="line", address=line_user_id).exists():
        return None
    return _start(complaint, [("line", line_user_id)], language=language, site=site, via="line")[0]


def _stop(rows: QuerySet[CaseFollower], *, via: str) -> int:
    """Delete these follows, each with its audit entry."""
    found = list(rows.select_for_update(of=("self",))
                 .values_list("stop_key", "channel", "complaint_id", "complaint__tracking_code"))
    for stop_key, channel, complaint_id, code in found:
        _audit("follow.stop", complaint_id, code, [(stop_key, channel)], via)
    CaseFollower.objects.filter(stop_key__in=[row[0] for row in found]).delete()
    return len(found)


@transaction.atomic
def case_follow_stop(*, stop_key: str) -> bool:
    """Stop following (the link in every message). False when the link was used already."""
    return bool(_stop(CaseFollower.objects.filter(stop_key=stop_key), via="link"))


@transaction.atomic
def case_follow_line_stop(*, complaint_id: int, line_user_id: str) -> bool:
    """Stop following in the LINE chat (the button on each push). False when not following."""
    return bool(_stop(CaseFollower.objects.filter(complaint_id=complaint_id, channel="line", address=line_user_id),
                      via="line"))


@transaction.atomic
def case_follows_line_end(*, line_user_id: str) -> int:
    """The citizen blocked the body's LINE account: pushes can no longer reach them, so every follow
    they had there ends (and is deleted)."""
    return _stop(CaseFollower.objects.filter(channel="line", address=line_user_id), via="unfollow")
