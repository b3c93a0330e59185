"""Following a public report instead of filing the same case again, and stopping. The contact is
the citizen's, given with consent on the report's page (the privacy notice's version is kept);
it lives in the body's schema and is deleted when the citizen stops or the case ends."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.complaints import followers
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import CaseFollower, Complaint
from apps.complaints.public_cases import report_listed
from apps.complaints.services.intake import PRIVACY_NOTICE_VERSION
from apps.complaints.status import OPEN_STATUSES
from apps.complaints.validation import clean_email, clean_phone

LANGUAGES = ("th", "en")


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
    now = timezone.now()
    # Locked: a status change being written at the same moment tells this follower or comes after.
    complaint = report_listed(Complaint.objects.select_for_update().filter(pk=complaint_id), now=now) \
        .select_related("category").first()
    if complaint is None:
        raise ComplaintError(_("ไม่พบเรื่องนี้"), field="complaint")
    if complaint.status not in OPEN_STATUSES:
        raise ComplaintError(_("เรื่องนี้ดำเนินการแล้วเสร็จ จึงติดตามไม่ได้แล้ว"), field="complaint")
    contacts = [(channel, address) for channel, address in (("sms", phone), ("email", email)) if address]
    for channel, address in contacts:
        CaseFollower.objects.filter(complaint_id=complaint.pk, channel=channel, address=address).delete()
    created = CaseFollower.objects.bulk_create([
        CaseFollower(stop_key=secrets.token_urlsafe(24), complaint=complaint, channel=channel, address=address,
                     language=language if language in LANGUAGES else "th", site=site[:120],
                     privacy_notice_version=PRIVACY_NOTICE_VERSION, consented_at=now)
        for channel, address in contacts])
    followers.follow_confirm_queue(created, complaint, body=current_body())
    return created


@transaction.atomic
def case_follow_stop(*, stop_key: str) -> bool:
    """Stop following (the link in every message). False when the link was used already."""
    deleted, _rows = CaseFollower.objects.filter(stop_key=stop_key).delete()
    return bool(deleted)
