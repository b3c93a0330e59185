"""PDPA retention and data-subject requests (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562).

A closed case keeps the complainant's identity for the body's retention period (the one it chose
on its profile page, portal.BodyProfile.retention_years, else settings.PDPA_RETENTION_YEARS)
counted from when it finished; after that the retention job removes the identity and contact
data, the complainant's own photos and the copies of messages sent to them, while the case
(description, place, timeline, staff's work) and its reporting fact stay for statistics (PDPA
s.33, s.37(3): erase or make unidentifiable when no longer needed; the case record itself is the
body's official record).

A data-subject request (access, erasure) is recorded in the audit log with its outcome: an
access request exports what the body holds about the person; an erasure is the same
anonymisation, refused with the reason while any of the person's cases is still open.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_context

from apps.audit.services import audit_record
from apps.complaints import webhooks
from apps.complaints.access import staff_role
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError, NotAllowed
from apps.complaints.models import (
    Attachment,
    CaseFollower,
    Complaint,
    ComplaintEvent,
    EventKind,
    IdentityAccess,
    Notification,
    OutboxStatus,
    Role,
)
from apps.complaints.notifications import citizen_channels
from apps.complaints.policies import Actor
from apps.complaints.status import Status
from apps.reporting.models import ComplaintFact
from tenants.db import current_schema
from tenants.models import LocalBody

# A case is finished, and its retention period runs, in these statuses. A resolved case is not:
# the complainant may still reopen it.
FINISHED = (Status.CLOSED, Status.REJECTED, Status.TRANSFERRED, Status.MERGED)
# Cleared on anonymisation. The complaint keeps is_anonymous/is_confidential (they describe how
# it was filed, for statistics), its description, place and timeline.
IDENTITY_FIELDS = ("complainant_name", "complainant_phone", "complainant_email", "complainant_national_id",
                   "complainant_address", "complainant_line_id", "phone_last4", "pin_hash", "line_link_hash")
IDENTIFIERS = {
    "phone": ("complainant_phone", _("หมายเลขโทรศัพท์")),
    "email": ("complainant_email", _("อีเมล")),
    "national_id": ("complainant_national_id", _("เลขประจำตัวประชาชน")),
    "line_id": ("complainant_line_id", _("LINE ID")),
    "tracking_code": ("tracking_code", _("เลขติดตามเรื่อง")),
}
REQUEST_KINDS = {"access": _("ขอเข้าถึงข้อมูล (สำเนา)"), "erasure": _("ขอให้ลบข้อมูล")}


@dataclass
class AnonymiseReport:
    complaints: int = 0
    attachments: int = 0
    notifications: int = 0
    line_users: int = 0
    followers: int = 0
    tracking_codes: list[str] = field(default_factory=list)


def _citizen_attachments(ids: list[int]) -> QuerySet[Attachment]:
    """The complainant's own files (they may show people, faces, homes, number plates): those filed
    with the complaint and any not uploaded by staff. Staff's photos of the work stay."""
    return Attachment.objects.filter(complaint_id__in=ids).filter(
        Q(uploaded_by__isnull=True) | Q(event__kind=EventKind.CREATED))


@transaction.atomic
def complaints_anonymise(*, complaint_ids: list[int], actor: Actor = None, kind: str = "retention.anonymise",
                         details: dict[str, Any] | None = None, now: dt.datetime | None = None) -> AnonymiseReport:
    """Remove the complainant's identity and contact data from these cases of the current body, in
    one transaction with their facts' `anonymised_at` and one audit entry. Cases already
    anonymised are skipped (the job may run twice). Files are deleted after commit."""
    now = now or timezone.now()
    report = AnonymiseReport()
    cases = list(Complaint.objects.select_for_update().filter(pk__in=complaint_ids, anonymised_at__isnull=True)
                 .order_by("pk").values_list("pk", "tracking_code", "routed_to_oversight"))
    if not cases:
        return report
    ids = [pk for pk, _code, _routed in cases]
    line_ids = set(Complaint.objects.filter(pk__in=ids).exclude(complainant_line_id="")
                   .values_list("complainant_line_id", flat=True))
    report.complaints = Complaint.objects.filter(pk__in=ids).update(
        **dict.fromkeys(IDENTITY_FIELDS, ""), contact_allowed=[], anonymised_at=now, updated_at=now)
    rows = list(_citizen_attachments(ids).values_list("pk", "file", "thumbnail"))
    removed = [pk for pk, _file, _thumbnail in rows]
    report.attachments = len(removed)
    Attachment.objects.filter(pk__in=removed).delete()
    # The outbox's copies of what was sent to the complainant hold their address and often their name.
    # Webhook events still to be delivered go out without the person (apps.complaints.webhooks).
    undelivered = webhooks.webhook_rows_depersonalise(complaint_ids=ids)
    outbox = Notification.objects.filter(complaint_id__in=ids).exclude(pk__in=undelivered)
    report.notifications = outbox.update(recipient="", body="")
    outbox.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).update(
        status=OutboxStatus.FAILED, last_error="anonymised (PDPA)")
    # Citizens following these cases' public reports: a finished case has none left (they go when it
    # ends), but whatever is still there goes with the case's identity.
    report.followers = CaseFollower.objects.filter(complaint_id__in=ids).delete()[0]
    if line_ids:
        # The LINE chat record (user id, language, conversation state) goes with the person's last
        # identified case: someone who still has an open or unexpired case, or still follows a
        # public report in the chat, keeps it.
        kept = set(Complaint.objects.filter(complainant_line_id__in=line_ids).values_list("complainant_line_id",
                                                                                         flat=True))
        kept |= set(CaseFollower.objects.filter(channel="line", address__in=line_ids)
                    .values_list("address", flat=True))
        report.line_users = sum(channel.forget(line_ids - kept) for channel in citizen_channels())
    body = current_body()
    ComplaintFact.objects.filter(body_id=body.pk, complaint_id__in=ids).update(anonymised_at=now)
    report.tracking_codes = [code for _pk, code, _routed in cases]
    # The body's log is read by its admin: conduct cases (never the body's to see) are not named there.
    shown = [code for _pk, code, routed in cases if not routed]
    if shown:
        audit_record(kind=kind, actor=actor, actor_label="" if actor else gettext_noop("ระบบ"), at=now,
                     target_type="complaints.complaint", target_label=_("%(count)d เรื่อง") % {"count": len(shown)},
                     changes={**(details or {}), "complaints": len(shown), "tracking_codes": shown,
                              "cleared": list(IDENTITY_FIELDS), "attachments_removed": len(removed),
                              "line_users_removed": report.line_users, "followers_removed": report.followers})
    prefix = f"bodies/{current_schema()}/"
    # A transferred case's copy in another body points at the sender's files: only this body's own
    # files are deleted from storage.
    names = [name for _pk, *stored in rows for name in stored if name and name.startswith(prefix)]
    transaction.on_commit(lambda: _delete_files(names))
    return report


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# --- the retention job (all bodies) ---------------------------------------------------------------

# The periods bodies chose for themselves, lent by the app whose page sets them (apps.portal's
# profile page, above complaints) from its AppConfig.ready(): body id -> years, for the given
# bodies (None: every body that chose one). None registered: every body has the national period.
RetentionPeriods = Callable[[Sequence[int] | None], Mapping[int, int]]
_period_sources: list[RetentionPeriods] = []


def retention_periods_register(source: RetentionPeriods) -> None:
    _period_sources[:] = [source]


def _own_periods(body_ids: Sequence[int] | None) -> Mapping[int, int]:
    return _period_sources[0](body_ids) if _period_sources else {}


def retention_years_for(*, body: LocalBody) -> int:
    """Years a closed case keeps the complainant's identity: the body's own period, else the
    national default (settings.PDPA_RETENTION_YEARS)."""
    return int(_own_periods([body.pk]).get(body.pk) or settings.PDPA_RETENTION_YEARS)


_DUE_SQL = """
SELECT f.body_id, f.complaint_id
FROM reporting_complaintfact f
LEFT JOIN unnest(%(own_bodies)s::bigint[], %(own_years)s::int[]) AS p(body_id, retention_years)
  ON p.body_id = f.body_id
WHERE f.anonymised_at IS NULL
  AND f.status IN ('closed', 'rejected', 'transferred', 'merged')
  AND COALESCE(f.closed_at, f.rejected_at, f.transferred_at, f.updated_at) < %(bound)s
  AND COALESCE(f.closed_at, f.rejected_at, f.transferred_at, f.updated_at)
      < %(now)s - make_interval(years => COALESCE(p.retention_years, %(default)s))
ORDER BY COALESCE(f.closed_at, f.rejected_at, f.transferred_at, f.updated_at)
LIMIT %(limit)s
"""


def retention_due(*, now: dt.datetime, limit: int) -> dict[int, list[int]]:
    """Cases past their body's retention period, by body id: one indexed query on the facts (the
    shortest period allowed bounds the index range), never a loop over schemas."""
    bound = now - dt.timedelta(days=365 * settings.PDPA_RETENTION_MIN_YEARS)
    due: dict[int, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        own = _own_periods(None)
        cursor.execute(_DUE_SQL, {"bound": bound, "now": now, "default": settings.PDPA_RETENTION_YEARS,
                                  "own_bodies": list(own), "own_years": list(own.values()), "limit": limit})
        for body_id, complaint_id in cursor.fetchall():
            due[body_id].append(complaint_id)
    return dict(due)


@dataclass
class SweepReport:
    complaints: int = 0
    attachments: int = 0
    batches: int = 0
    bodies: set[int] = field(default_factory=set)


def retention_sweep(*, now: dt.datetime | None = None, batch: int | None = None,
                    max_batches: int = 100) -> SweepReport:
    """Anonymise every case past retention, a batch per transaction, body by body in the body's
    schema (schema_context). Idempotent: a case is anonymised once, and a batch that failed is
    found again by the next run."""
    now = now or timezone.now()
    batch = batch or settings.PDPA_RETENTION_BATCH
    report = SweepReport()
    for _round in range(max_batches):
        due = retention_due(now=now, limit=batch)
        if not due:
            break
        bodies = LocalBody.objects.in_bulk(list(due))
        for body_id, ids in due.items():
            body = bodies[body_id]
            with schema_context(body.schema_name):
                done = complaints_anonymise(complaint_ids=ids, now=now, details={
                    "retention_years": retention_years_for(body=body)})
            report.complaints += done.complaints
            report.attachments += done.attachments
            report.bodies.add(body_id)
        report.batches += 1
        if sum(len(ids) for ids in due.values()) < batch:
            break
    return report


# --- data-subject requests ------------------------------------------------------------------------

@dataclass
class DataRequestResult:
    kind: str
    tracking_codes: list[str]
    export: bytes = b""
    refused: str = ""
    follows_removed: int = 0


def _require_admin(actor: Actor) -> None:
    if staff_role(actor) != Role.ADMIN:
        raise NotAllowed(_("เฉพาะผู้ดูแลระบบของหน่วยงานเท่านั้น"))


def _matching(identifier: str, value: str) -> QuerySet[Complaint]:
    column = IDENTIFIERS[identifier][0]
    value = value.strip().upper() if identifier == "tracking_code" else value.strip()
    # Conduct and corruption cases are not the body's to find, export or erase: the oversight
    # office that handles them holds them for the complainant.
    cases = Complaint.objects.filter(routed_to_oversight=False)
    if identifier == "email":
        return cases.filter(**{f"{column}__iexact": value})
    return cases.filter(**{column: value})


def _following(identifier: str, value: str) -> list[CaseFollower]:
    """The person's follows of public reports, by the contact they gave (their LINE user id in the chat)."""
    value = value.strip()
    if identifier == "phone":
        digits = "".join(ch for ch in value if ch.isdigit())
        rows = CaseFollower.objects.filter(channel="sms", address=digits) if digits else CaseFollower.objects.none()
    elif identifier == "email":
        rows = CaseFollower.objects.filter(channel="email", address__iexact=value)
    elif identifier == "line_id":
        rows = CaseFollower.objects.filter(channel="line", address=value)
    else:
        return []
    return list(rows.select_related("complaint").order_by("consented_at", "stop_key"))


def _export(cases: list[Complaint], follows: Sequence[CaseFollower] = ()) -> bytes:
    """What the body holds about the person, as JSON (PDPA s.30)."""
    with translation.override("th"):
        items = []
        for case in cases:
            items.append({
                "tracking_code": case.tracking_code,
                "received_at": case.received_at, "status": str(Status(case.status).label),
                "category": case.category.name_th, "channel": case.channel,
                "description": case.description, "location": case.location_text, "moo": case.moo,
                "subdistrict_code": case.subdistrict_code,
                "latitude": case.latitude, "longitude": case.longitude,
                "identity": {"name": case.complainant_name, "phone": case.complainant_phone,
                             "email": case.complainant_email, "national_id": case.complainant_national_id,
                             "address": case.complainant_address, "line_id": case.complainant_line_id},
                "privacy_notice_version": case.privacy_notice_version, "contact_allowed": case.contact_allowed,
                "rating": case.rating, "rating_comment": case.rating_comment,
                "messages": [{"at": e.created_at, "kind": e.kind, "text": e.text}
                             for e in ComplaintEvent.objects.filter(complaint=case, is_public=True)
                             .order_by("created_at", "id")],
                "files": [{"name": a.original_name, "type": a.content_type, "size": a.size}
                          for a in Attachment.objects.filter(complaint=case).order_by("id")],
                "identity_viewed_by": [{"at": v.created_at, "user": v.user.get_username() if v.user else v.actor_label,
                                        "context": v.context}
                                       for v in IdentityAccess.objects.filter(complaint=case)
                                       .select_related("user").order_by("created_at", "id")],
            })
    following = [{"report": f.complaint.public_id, "channel": f.channel, "contact": f.address,
                  "since": f.consented_at, "privacy_notice_version": f.privacy_notice_version} for f in follows]
    return json.dumps({"body": current_body().display_name, "complaints": items, "following": following},
                      cls=DjangoJSONEncoder,
                      ensure_ascii=False, indent=2).encode()


@transaction.atomic
def data_request_carry_out(*, actor: Actor, request_kind: str, identifier: str, value: str,
                           reference: str = "") -> DataRequestResult:
    """Record a data-subject request and carry it out. The identifier's value is used to find the
    cases and is not written to the log (the matched tracking codes are)."""
    _require_admin(actor)
    if request_kind not in REQUEST_KINDS:
        raise ComplaintError(_("กรุณาเลือกประเภทคำขอ"), field="request_kind")
    if identifier not in IDENTIFIERS:
        raise ComplaintError(_("กรุณาเลือกข้อมูลที่ใช้ค้นหา"), field="identifier")
    if not (value or "").strip():
        raise ComplaintError(_("กรุณากรอกข้อมูลที่ใช้ค้นหา"), field="value")
    reference = (reference or "").strip()[:200]
    cases = list(_matching(identifier, value).select_related("category").order_by("received_at", "id"))
    follows = _following(identifier, value)
    codes = [c.tracking_code for c in cases]
    details = {"request": request_kind, "identifier": identifier, "reference": reference, "tracking_codes": codes,
               "follows": len(follows)}
    audit_record(kind="data_request.create", actor=actor, target_type="complaints.complaint",
                 target_label=reference or str(REQUEST_KINDS[request_kind]), changes=details)
    if not cases and not follows:
        return DataRequestResult(kind="none", tracking_codes=[], refused=str(_("ไม่พบเรื่องที่ตรงกับข้อมูลที่ระบุ")))
    if request_kind == "access":
        export = _export(cases, follows)
        audit_record(kind="data_request.access", actor=actor, target_type="complaints.complaint",
                     target_label=reference or ", ".join(codes), changes=details)
        return DataRequestResult(kind="access", tracking_codes=codes, export=export)
    still_open = [c.tracking_code for c in cases if c.status not in FINISHED]
    if still_open:
        reason = str(_("ลบข้อมูลไม่ได้ เพราะเรื่องต่อไปนี้ยังดำเนินการอยู่: %(codes)s "
                       "ต้องใช้ข้อมูลติดต่อผู้ร้องจนกว่าจะปิดเรื่อง") % {"codes": ", ".join(still_open)})
        audit_record(kind="data_request.refuse", actor=actor, target_type="complaints.complaint",
                     target_label=reference or ", ".join(codes), changes={**details, "open": still_open,
                                                                         "reason": reason})
        return DataRequestResult(kind="refused", tracking_codes=codes, refused=reason)
    # Following a report is not a case of theirs: it ends with the erasure, open or not.
    removed = CaseFollower.objects.filter(pk__in=[f.pk for f in follows]).delete()[0]
    erased = {"request": request_kind, "identifier": identifier, "reference": reference, "follows_removed": removed}
    if not cases:
        audit_record(kind="data_request.erase", actor=actor, target_type="complaints.complaint",
                     target_label=reference or str(REQUEST_KINDS[request_kind]), changes=erased)
        return DataRequestResult(kind="erasure", tracking_codes=[], follows_removed=removed)
    done = complaints_anonymise(complaint_ids=[c.pk for c in cases], actor=actor, kind="data_request.erase",
                                details=erased)
    return DataRequestResult(kind="erasure", tracking_codes=done.tracking_codes or codes, follows_removed=removed)
