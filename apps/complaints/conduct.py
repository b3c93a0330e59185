"""Conduct and corruption cases (DESIGN.md, "Conduct and corruption cases").

The case stays in the accused body's schema (one place for a case), but no body role sees it. The
district office handles it — the provincial office when the complaint is about the district
office's own people, or when the body has no district — through the oversight site, acting with the
same complaint services and clocks as any case (as an OfficeActor). The complainant's identity is
shown only to the handling office's officers, on an explicit reveal, and every reveal is audited in
the body's identity-access log. The body learns at most that such a complaint exists, and only when
the office chooses to tell it (a notice without the case, its code or the complainant).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.actors import OfficeActor
from apps.complaints.errors import NotAllowed
from apps.complaints.models import Complaint, ComplaintEvent, EventKind, IdentityAccess
from apps.complaints.validation import MAX_DESCRIPTION, clean_text
from tenants.models import District, LocalBody, Province

DISTRICT, PROVINCE = "district", "province"


def handling_office(body: LocalBody, *, about_district_office: bool) -> tuple[str, str]:
    """(level, DOPA code) of the office that handles the body's conduct and corruption cases."""
    if about_district_office or not body.district_id:
        return PROVINCE, body.province_id or ""
    return DISTRICT, body.district_id


def handled_by(level: str, code: str) -> Q:
    """The reporting facts of the cases an office handles (the same rule as handling_office)."""
    if level == DISTRICT and code:
        return Q(routed_to_oversight=True, district_code=code, about_district_office=False)
    if level == PROVINCE and code:
        return Q(routed_to_oversight=True, province_code=code) & (Q(about_district_office=True) | Q(district_code=""))
    return Q(pk__in=[])


def office_name(level: str, code: str) -> str:
    if level == DISTRICT:
        district = District.objects.filter(code=code).first()
        return _("สำนักงานท้องถิ่นอำเภอ%(name)s") % {"name": district.name_th if district else code}
    province = Province.objects.filter(code=code).first()
    return _("สำนักงานท้องถิ่นจังหวัด%(name)s") % {"name": province.name_th if province else code}


def handling_office_name(body: LocalBody, complaint: Complaint) -> str:
    level, code = handling_office(body, about_district_office=complaint.about_district_office)
    return office_name(level, code)


def _routed(complaint: Complaint, *, lock: bool = False) -> Complaint:
    cases = Complaint.objects.select_for_update() if lock else Complaint.objects
    found = cases.filter(pk=complaint.pk, routed_to_oversight=True).first()
    if found is None:
        raise NotAllowed(_("เรื่องนี้ไม่ใช่เรื่องร้องเรียนพฤติกรรมหรือการทุจริต"))
    return found


@transaction.atomic
def conduct_identity_reveal(*, complaint: Complaint, actor: OfficeActor, context: str) -> dict[str, str] | None:
    """The complainant's identity for an officer of the handling office (the caller has checked the
    office), audited in the body's schema with the officer's public-schema id and name; None for
    an anonymous complaint (nothing to show, nothing recorded)."""
    complaint = _routed(complaint)
    if complaint.is_anonymous:
        return None
    IdentityAccess.objects.create(complaint=complaint, user=None, office_user_id=actor.user_id,
                                  actor_label=actor.label, context=context[:60])
    return {
        "name": complaint.complainant_name,
        "phone": complaint.complainant_phone,
        "email": complaint.complainant_email,
        "national_id": complaint.complainant_national_id,
        "address": complaint.complainant_address,
        "line_id": complaint.complainant_line_id,
    }


def identity_reveals(*, complaint: Complaint) -> QuerySet[IdentityAccess]:
    return IdentityAccess.objects.filter(complaint=complaint).order_by("created_at", "id")


@transaction.atomic
def conduct_body_notify(*, complaint: Complaint, actor: OfficeActor, text: str) -> ComplaintEvent:
    """Involve the accused body: its admin and executives see the office's notice — the office's
    words, its name and the date — never the case, its code or the complainant. Not a change to
    the case: no status, no clock, nothing for the citizen."""
    text = clean_text(text, field="text", label=gettext_lazy("ข้อความถึงหน่วยงาน"), max_length=MAX_DESCRIPTION,
                      required=True)
    complaint = _routed(complaint, lock=True)
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=EventKind.BODY_NOTICE, actor_label=actor.label, text=text, is_public=False,
        data={"office": actor.office, "office_user": actor.user_id}, created_at=timezone.now())


def body_notices() -> list[dict[str, object]]:
    """What the body's admin and executives see of conduct cases: the notices offices chose to send."""
    rows = (ComplaintEvent.objects.filter(kind=EventKind.BODY_NOTICE, complaint__routed_to_oversight=True)
            .order_by("-created_at", "-id").values("created_at", "text", "data", "complaint__sla_class")[:200])
    return [{"created_at": r["created_at"], "text": r["text"], "office": (r["data"] or {}).get("office", ""),
             "sla_class": r["complaint__sla_class"]} for r in rows]
