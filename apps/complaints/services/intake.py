"""Filing a complaint, from the citizen's portal form or from staff for walk-in, phone, letter,
LINE, e-mail and 1111 forwards: the case, its tracking code, its first events and files, its fact
and SLA clocks, and the citizen's receipt, in one transaction."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.categories.models import OVERSIGHT_CLASSES
from apps.complaints import idempotency, linking, notifications
from apps.complaints.attachments import clean_uploads
from apps.complaints.conduct import handling_office
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Category, Complaint, EventKind, Role
from apps.complaints.policies import Actor
from apps.complaints.services.record import CITIZEN, SYSTEM, case_sync, event_add, files_store, staff_require
from apps.complaints.status import Channel, Status
from apps.complaints.validation import (
    MAX_DESCRIPTION,
    Complainant,
    clean_complainant,
    clean_coordinates,
    clean_media_url,
    clean_text,
)
from apps.sla.services import sla_snapshot_for
from tenants.models import LocalBody, Subdistrict

# 2026-2: the complainant chooses the channels the handling officers may reach them by.
PRIVACY_NOTICE_VERSION = "2026-2"
# Crockford-like alphabet without 0/O, 1/I/L: easy to read out over the phone.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class SubmitResult:
    complaint: Complaint
    # Shown once on the receipt: the phone's last 4 digits, or the PIN for anonymous complaints.
    second_factor: str
    second_factor_kind: str  # "phone" or "pin"
    # The original names of photos the file store could not take (the case is stored without them).
    failed_files: tuple[str, ...] = ()
    # True when an Idempotency-Key matched a case filed earlier: nothing new was created.
    replayed: bool = False
    # Shown once on the receipt: sent in the body's LINE chat, it makes the case followable there.
    line_link_code: str = ""


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def complaint_submit(
    *,
    channel: str,
    category: Category | int,
    description: str,
    complainant: Complainant | None = None,
    subdistrict_code: str = "",
    moo: str = "",
    location_text: str = "",
    latitude: object = None,
    longitude: object = None,
    is_confidential: bool = False,
    about_district_office: bool = False,
    privacy_notice_shown: bool = True,
    uploads: Sequence[UploadedFile[bytes]] = (),
    actor: Actor = None,
    received_at: datetime | None = None,
    notify: bool = True,
    idempotency_key: str = "",
    source_label: str = "",
    media_url: str = "",
    external_source: str = "",
    external_id: str = "",
    language: str = "th",
) -> SubmitResult:
    """File a complaint from any channel: the citizen on the portal, staff for walk-in, phone,
    letter, LINE, e-mail and 1111 forwards, or another system through Open311 (the caller has
    checked its API key; `source_label` names it on the timeline). `complainant=None` is an
    anonymous complaint. `media_url`: a photo the other system holds (kept as a link, never fetched).
    `language` is the citizen's (the portal's or the LINE chat's; staff file in Thai unless the
    citizen asked for English): everything sent to them or shown on their timeline is in it.
    `idempotency_key` (already scoped, apps.complaints.idempotency) returns the case filed earlier
    with the same key instead of a second one. Conduct and corruption complaints go to the
    oversight office at receipt (the provincial one when `about_district_office`), never to the
    body's inbox."""
    if channel not in Channel.values or channel == Channel.TRANSFER:
        raise ComplaintError(_("ช่องทางรับเรื่องไม่ถูกต้อง"), field="channel")
    # The citizen files on the portal or in the body's LINE chat (apps.line); other channels are staff's,
    # except Open311, whose caller has checked the integration's API key.
    citizen = actor is None and channel in (Channel.WEB, Channel.LINE)
    if not citizen and channel not in (Channel.WEB, Channel.OPEN311):
        staff_require(actor, Role.ADMIN, Role.EXECUTIVE, Role.OFFICER, Role.CLERK)
    if (earlier := idempotency.existing(idempotency_key)) is not None:
        return _replayed(earlier)
    external_source, external_id = external_ref_clean(external_source, external_id)
    if external_id and (earlier := _by_external_ref(external_source, external_id)) is not None:
        return _replayed(earlier)
    media_url = clean_media_url(media_url)
    category_obj = _active_category(category)
    description = clean_text(description, field="description", label=_("รายละเอียด"),
                             max_length=MAX_DESCRIPTION, required=True)
    person = clean_complainant(complainant)
    latitude, longitude = clean_coordinates(latitude, longitude)
    subdistrict_code = clean_text(subdistrict_code, field="subdistrict", label=_("ตำบล"), max_length=6, kind="code")
    if subdistrict_code and not Subdistrict.objects.filter(code=subdistrict_code).exists():
        raise ComplaintError(_("ไม่พบตำบลที่เลือก"), field="subdistrict")
    moo = clean_text(moo, field="moo", label=_("หมู่ที่"), max_length=20, kind="code")
    location_text = clean_text(location_text, field="location_text", label=_("สถานที่"), max_length=300,
                               kind="name")
    files = clean_uploads(list(uploads))
    if channel == Channel.WEB and not privacy_notice_shown:
        raise ComplaintError(_("กรุณารับทราบประกาศความเป็นส่วนตัวก่อนส่งเรื่อง"), field="privacy")

    body = current_body()
    now = received_at or timezone.now()
    national = category_obj.national_category
    routed = national.sla_class in OVERSIGHT_CLASSES
    pin = "" if person and person.phone else f"{secrets.randbelow(10**6):06d}"
    complaint = Complaint(
        channel=channel, category=category_obj, national_category=national.code, sla_class=national.sla_class,
        description=description, subdistrict_code=subdistrict_code, moo=moo, location_text=location_text,
        latitude=latitude, longitude=longitude, is_anonymous=person is None,
        is_confidential=is_confidential or routed, routed_to_oversight=routed,
        about_district_office=routed and about_district_office,
        privacy_notice_version=PRIVACY_NOTICE_VERSION if privacy_notice_shown else "",
        privacy_notice_shown_at=now if privacy_notice_shown else None,
        phone_last4=person.phone[-4:] if person and person.phone else "",
        pin_hash=make_password(pin) if pin else "",
        received_at=now, cycle_started_at=now, status=Status.RECEIVED,
        sla_snapshot=sla_snapshot_for(body=body, sla_class=national.sla_class, at=now),
        idempotency_key=idempotency_key, external_source=external_source, external_id=external_id,
        complainant_language="en" if (language or "").startswith("en") else "th",
    )
    link_code = ""
    if person and channel != Channel.LINE and not routed:
        link_code = linking.new_link_code()
        complaint.line_link_hash = linking.link_hash(link_code)
    if person:
        complaint.complainant_name = person.name
        complaint.complainant_phone = person.phone
        complaint.complainant_email = person.email
        complaint.complainant_national_id = person.national_id
        complaint.complainant_address = person.address
        complaint.complainant_line_id = person.line_id
        complaint.contact_allowed = list(person.contact_allowed)
    auto_route = not routed and category_obj.department_id is not None
    if auto_route:
        # Default routing per category: the department sees it in its inbox at once.
        complaint.department_id = category_obj.department_id
    if auto_route or routed:
        complaint.routed_at = now
    try:
        _save_with_unique_code(complaint)
    except IntegrityError as error:
        if _constraint(error) == EXTERNAL_REF_CONSTRAINT:
            return _replayed(Complaint.objects.get(external_source=external_source, external_id=external_id))
        if not idempotency.is_clash(error):
            raise
        # Another request with the same key won the race: its case is the answer.
        return _replayed(Complaint.objects.get(idempotency_key=idempotency_key))
    actor_label = source_label[:120] or (CITIZEN if channel == Channel.WEB or citizen else "")
    created_data: dict[str, object] = {"channel": channel}
    if media_url:
        created_data["media_url"] = media_url
    created = event_add(complaint, EventKind.CREATED, actor=actor, actor_label=actor_label, is_public=True,
                        to_status=Status.RECEIVED, data=created_data, at=now)
    failed = files_store(complaint, files, event=created, uploaded_by=actor, is_public=False)
    if auto_route:
        event_add(complaint, EventKind.ASSIGN, actor_label=SYSTEM, data={"department": category_obj.department_id,
                                                                      "automatic": True}, at=now)
    elif routed:  # the route stage is met at receipt: the case is the office's from the start
        office = handling_office(body, about_district_office=complaint.about_district_office)[0]
        event_add(complaint, EventKind.ASSIGN, actor_label=SYSTEM, data={"office": office, "automatic": True}, at=now)
    _sync_new(complaint, body)
    if notify:  # False only for historical imports: the citizen was told at the time
        notifications.queue(complaint, "received", body=body)
    if pin:
        return SubmitResult(complaint, pin, "pin", failed_files=failed, line_link_code=link_code)
    return SubmitResult(complaint, complaint.phone_last4, "phone", failed_files=failed, line_link_code=link_code)


EXTERNAL_REF_CONSTRAINT = "complaint_external_ref_unique"
_SOURCE = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")


def external_ref_clean(source: str, external_id: str) -> tuple[str, str]:
    """A source is a short lower-case name (`traffy`, `1111`, `provincial-app`); an id is up to 80
    visible ASCII characters. Both or neither."""
    source, external_id = (source or "").strip().lower(), (external_id or "").strip()
    if not source and not external_id:
        return "", ""
    if not external_id:
        raise ComplaintError(_("กรุณาระบุเลขอ้างอิงของระบบต้นทาง"), field="external_id")
    if not _SOURCE.fullmatch(source):
        raise ComplaintError(_("ชื่อระบบต้นทางต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข . _ หรือ - ไม่เกิน 40 ตัว"),
                             field="external_source")
    if len(external_id) > 80 or not all(33 <= ord(ch) < 127 for ch in external_id):
        raise ComplaintError(_("เลขอ้างอิงของระบบต้นทางต้องเป็นอักขระ ASCII ที่มองเห็นได้ ไม่เกิน 80 ตัว"),
                             field="external_id")
    return source, external_id


def _by_external_ref(source: str, external_id: str) -> Complaint | None:
    return Complaint.objects.filter(external_source=source, external_id=external_id).first()


def _constraint(error: IntegrityError) -> str | None:
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)


def _replayed(complaint: Complaint) -> SubmitResult:
    factor, kind = idempotency.second_factor(complaint)
    return SubmitResult(complaint, factor, kind, replayed=True)


def _active_category(category: Category | int) -> Category:
    category_id = category.pk if isinstance(category, Category) else category
    found = Category.objects.select_related("national_category").filter(pk=category_id, is_active=True).first()
    if found is None:
        raise ComplaintError(_("กรุณาเลือกหมวดเรื่อง"), field="category")
    return found


_CODE_ATTEMPTS = 8


def _is_code_clash(error: IntegrityError) -> bool:
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    return constraint in {"complaint_tracking_code_unique", "fact_tracking_code_unique"}


def _save_with_unique_code(complaint: Complaint) -> None:
    """A fresh code, unique in the body (its own unique index)."""
    for _attempt in range(_CODE_ATTEMPTS):
        complaint.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                complaint.save()
            return
        except IntegrityError as error:
            if not _is_code_clash(error):
                raise
            complaint.pk = None
            complaint._state.adding = True
    raise ComplaintError(_("ระบบไม่สามารถออกเลขติดตามเรื่องได้ กรุณาลองใหม่"))


def _sync_new(complaint: Complaint, body: LocalBody) -> None:
    """The first fact of a new case. Codes are unique across the platform, and the fact's unique
    index is the arbiter: on a clash (about one in 10^11) the case takes another code."""
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                case_sync(complaint, body=body, new=True)
            return
        except IntegrityError as error:
            if not _is_code_clash(error):
                raise
            complaint.tracking_code = new_tracking_code()
            complaint.save(update_fields=["tracking_code"])
    raise ComplaintError(_("ระบบไม่สามารถออกเลขติดตามเรื่องได้ กรุณาลองใหม่"))
