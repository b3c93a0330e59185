"""Demo set-up for `make demo`: geography, the bodies of จังหวัดเพชรบุรี, accounts, published SLA
agreements and a year of complaints in อำเภอบ้านลาด. Idempotent: a second run adds nothing.

It lives in the project core because it draws on every app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django_tenants.utils import schema_context

import tenants
from apps.accounts.models import User
from apps.complaints.demo import demo_complaints
from apps.onboarding.contacts import Contact
from apps.onboarding.models import Invitation, InvitationStatus
from apps.onboarding.services import InvitationError, invitation_claim, invitation_create
from apps.oversight.scoping import NATION
from apps.oversight.services import oversight_profile_set
from apps.sla.models import Agreement, AgreementStatus
from apps.sla.services import (
    sla_agreement_draft_create,
    sla_agreement_publish,
    sla_agreement_row_set,
    sla_agreement_update,
)
from tenants.geography import geography_load
from tenants.models import LocalBody, Subdistrict
from tenants.services import bodies_import, bodies_migrate

REGISTRY = Path(tenants.__file__).parent / "data" / "lao.csv"
DEMO_PROVINCE = "76"  # เพชรบุรี
DEMO_DISTRICT = "7606"  # บ้านลาด
DEMO_BODY_CODE = "5760601"  # เทศบาลตำบลบ้านลาด
DEMO_PASSWORD = "rongthuk-demo"  # noqa: S105 - printed to the operator; demo data only


@dataclass(frozen=True)
class DemoAccount:
    where: str
    username: str
    role: str




def demo_setup(*, say: Callable[[str], None] = print, national: bool = False,
               province: str = DEMO_PROVINCE) -> list[DemoAccount]:
    """`national`: the whole registry, and a first administrator invited for every body of
    `province` (some of them claimed, some with a published SLA), for the adoption view."""
    say("migrating the public schema, the template and any body with pending migrations ...")
    bodies_migrate(show_progress=False)
    if Subdistrict.objects.count() < 7000:
        say("loading geography (geothai) ...")
        geography_load()
    if national:
        say("importing the whole DLA registry (7,849 bodies and Bangkok; minutes on a first run) ...")
        report = bodies_import(REGISTRY, show_progress=True)
        if report.provisioned:
            say(f"provisioned {report.provisioned} bodies")
    say("importing the bodies of จังหวัดเพชรบุรี from the DLA registry ...")
    report = bodies_import(REGISTRY, provinces={DEMO_PROVINCE}, show_progress=True)
    if report.provisioned:
        say(f"provisioned {report.provisioned} bodies")
    accounts = _accounts()
    # Agreements first: cases received after their effective date carry them.
    for step in (_sla_agreements, _oversight_accounts, _complaints):
        accounts += step()
    if national:
        say(demo_invitations(province=province))
    return accounts


def demo_invitations(*, province: str) -> str:
    """Invite a first administrator for every body of the province, as the national admin would
    from a spreadsheet; a third of them claim their invitation and half of those publish an SLA.
    Idempotent: bodies invited already are skipped."""
    national = User.objects.get(username="national")
    counts = {"invited": 0, "claimed": 0, "published": 0, "skipped": 0}
    bodies = list(LocalBody.objects.live().filter(province_id=province).order_by("dla_code"))
    for n, body in enumerate(bodies):
        if Invitation.objects.filter(body=body).exclude(status=InvitationStatus.REVOKED).exists():
            counts["skipped"] += 1
            continue
        contact = Contact(full_name=f"ปลัด{body.display_name}", position="ปลัด", email=f"admin@{body.slug}.example",
                          mobile=f"08{body.dla_code[-7:]:0>8}")
        try:
            issued = invitation_create(scope=NATION, dla_code=body.dla_code, contact=contact, actor=national)
        except InvitationError:
            counts["skipped"] += 1  # a body that has its administrator already (the demo's บ้านลาด)
            continue
        counts["invited"] += 1
        if n % 3:
            continue
        token = issued.link.rstrip("/").rsplit("/", 1)[-1]
        with schema_context(body.schema_name):
            invitation_claim(body=body, token=token, username="admin", password=DEMO_PASSWORD)
        counts["claimed"] += 1
        if n % 2 == 0:
            draft = sla_agreement_draft_create(body=body, number="1/2570")
            sla_agreement_publish(agreement=draft, effective_from=timezone.localdate())
            counts["published"] += 1
    return (f"invitations in province {province}: {counts['invited']} sent, {counts['claimed']} claimed "
            f"(username admin, password {DEMO_PASSWORD}), {counts['published']} published an SLA, "
            f"{counts['skipped']} skipped")


def _user(username: str, full_name: str, **extra: object) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, DEMO_PASSWORD, full_name=full_name, **extra)
    return user


def _accounts() -> list[DemoAccount]:
    _user("national", "ผู้ดูแลระดับประเทศ (สถ.)", is_staff=True, is_superuser=True)
    body = LocalBody.objects.get(dla_code=DEMO_BODY_CODE)
    with schema_context(body.schema_name):
        _user("admin", "ผู้ดูแลระบบ เทศบาลตำบลบ้านลาด")
        _user("officer", "เจ้าหน้าที่ กองช่าง")
    return [
        DemoAccount("http://localhost:8000/admin/", "national", "national admin"),
        DemoAccount(f"http://{body.slug}.localhost:8000/", "admin", "admin, เทศบาลตำบลบ้านลาด"),
        DemoAccount(f"http://{body.slug}.localhost:8000/", "officer", "officer, เทศบาลตำบลบ้านลาด"),
    ]


def _oversight_accounts() -> list[DemoAccount]:
    """Oversight officers (public schema): the provincial office of เพชรบุรี, the district office of
    บ้านลาด, and the national admin with a nation scope."""
    national = _user("national", "ผู้ดูแลระดับประเทศ (สถ.)", is_staff=True, is_superuser=True)
    oversight_profile_set(user=national, level="nation", office_name="กรมส่งเสริมการปกครองท้องถิ่น")
    province = _user("province76", "ท้องถิ่นจังหวัดเพชรบุรี")
    oversight_profile_set(user=province, level="province", code=DEMO_PROVINCE,
                          office_name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเพชรบุรี")
    district = _user("district7606", "ท้องถิ่นอำเภอบ้านลาด")
    oversight_profile_set(user=district, level="district", code=DEMO_DISTRICT,
                          office_name="ท้องถิ่นอำเภอบ้านลาด")
    return [
        DemoAccount("http://localhost:8000/oversight/", "national", "oversight, nation"),
        DemoAccount("http://localhost:8000/oversight/", "province76", "oversight, จังหวัดเพชรบุรี"),
        DemoAccount("http://localhost:8000/oversight/", "district7606", "oversight, อำเภอบ้านลาด"),
    ]



def _complaints() -> list[DemoAccount]:
    """A few hundred complaints across the bodies of อำเภอบ้านลาด, in every state (apps.complaints.demo)."""
    return [DemoAccount(*account) for account in
            demo_complaints(district=DEMO_DISTRICT, body_code=DEMO_BODY_CODE, password=DEMO_PASSWORD)]



def _sla_agreements() -> list[DemoAccount]:
    """Two bodies of อำเภอบ้านลาด have published an agreement stricter than the national minimum;
    the other 13 have not (what the district office sees)."""
    signatories = {"5760601": ("นายสมศักดิ์ ตัวอย่าง", "นายกเทศมนตรีตำบลบ้านลาด"),
                   "6760609": ("นางสาวสมใจ ตัวอย่าง", "นายกองค์การบริหารส่วนตำบลท่าเสน")}
    for code, (name, position) in signatories.items():
        body = LocalBody.objects.get(dla_code=code)
        if Agreement.objects.filter(body=body, status=AgreementStatus.PUBLISHED).exists():
            continue
        draft = sla_agreement_draft_create(body=body, number="1/2569")
        sla_agreement_update(agreement=draft, signatory_name=name, signatory_position=position)
        sla_agreement_row_set(agreement=draft, sla_class="B", stage="resolve", days=10, day_type="calendar")
        sla_agreement_row_set(agreement=draft, sla_class="B", stage="reply", days=7, day_type="calendar")
        sla_agreement_publish(agreement=draft, effective_from=dt.date(2026, 6, 1))
    return []

