"""Body integration keys: issued by the body's admin on /staff/tokens/, hashed, scoped (read,
write, personal data), revocable; a key acts as its integration (the timeline, the reveal log and
the audit log name it) under the role it was given, and the role's rules are the desk's."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from api.integration_keys import integration_key_issue
from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.complaints.models import Complaint, ComplaintEvent, Department, IdentityAccess, StaffMember
from apps.complaints.services.transfer import complaint_transfer
from apps.tokens.models import StaffToken, hash_token
from apps.tokens.services import TokenError
from tenants.models import LocalBody
from tests.api.test_staff_api import BASE, api, post
from tests.apps.complaints.staff_helpers import make_case, signed_in


def key(body: LocalBody, *, role: str = "clerk", scope: str = "write", personal_data: bool = False,
        department: str = "", name: str = "Traffy Fondue") -> str:
    with schema_context(body.schema_name):
        admin = User.objects.get(username="admin")
        dept = Department.objects.get(code=department) if department else None
        return integration_key_issue(actor=admin, name=name, scope=scope, personal_data=personal_data, role=role,
                                     department=dept)[1]


def test_the_admin_issues_a_key_on_the_tokens_page_and_it_is_stored_hashed(banlat: LocalBody) -> None:
    page = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        engineering = Department.objects.get(code="engineering")
    response = page.post("/staff/tokens/", {"action": "issue-integration", "name": "ระบบแผนที่ GIS", "scope": "read",
                                            "role": "officer", "department": engineering.pk, "days": 365})
    assert response.status_code == 200
    raw = response.context["integration_raw"]
    assert raw.startswith("rtk_")
    assert raw in response.content.decode()
    with schema_context(banlat.schema_name):
        token = StaffToken.objects.get(prefix=raw.split("_")[1])
        assert (token.kind, token.scope, token.personal_data, token.name) == ("integration", "read", False,
                                                                              "ระบบแผนที่ GIS")
        assert token.token_hash == hash_token(raw) and raw not in token.token_hash
        member = StaffMember.objects.select_related("user").get(user=token.user)
        assert (member.role, member.department_id, member.user.full_name) == ("officer", engineering.pk,
                                                                              "ระบบแผนที่ GIS")
        assert not member.user.has_usable_password()
        entry = AuditEntry.objects.get(kind="token.create", target_id=str(token.pk))
        assert (entry.actor_label, entry.actor_id) == ("admin", User.objects.get(username="admin").pk)
        assert entry.changes["after"]["kind"] == "integration"
        assert entry.changes["after"]["role"] == "officer"
    # The page lists it (prefix only) and not among the personal tokens.
    listed = page.get("/staff/tokens/").content.decode()
    assert f'data-integration-key="{token.prefix}"' in listed and f'data-token="{token.prefix}"' not in listed


@pytest.mark.parametrize(("username", "role", "message"), [
    ("officer", "clerk", "ออกกุญแจเชื่อมต่อระบบได้เฉพาะผู้ดูแลระบบของหน่วยงาน"),
    ("admin", "admin", "กุญแจเชื่อมต่อระบบมีบทบาทได้เฉพาะเจ้าหน้าที่รับเรื่องหรือเจ้าหน้าที่กอง/สำนัก"),
    ("admin", "executive", "กุญแจเชื่อมต่อระบบมีบทบาทได้เฉพาะเจ้าหน้าที่รับเรื่องหรือเจ้าหน้าที่กอง/สำนัก"),
    ("admin", "officer", "เจ้าหน้าที่กอง/สำนักต้องระบุกอง/สำนัก"),
])
def test_only_the_admin_issues_and_only_clerk_or_officer_roles(banlat: LocalBody, username: str, role: str,
                                                                message: str) -> None:
    with schema_context(banlat.schema_name):
        before = (User.objects.count(), StaffToken.objects.count())
        with pytest.raises(TokenError) as error:
            integration_key_issue(actor=User.objects.get(username=username), name="x", scope="write",
                                  personal_data=True, role=role)
        assert str(error.value.message) == message
        assert (User.objects.count(), StaffToken.objects.count()) == before


def test_a_non_admin_sees_no_integration_form_and_cannot_issue(banlat: LocalBody) -> None:
    page = signed_in(banlat, "clerk")
    assert "issue-integration" not in page.get("/staff/tokens/").content.decode()
    with schema_context(banlat.schema_name):
        before = StaffToken.objects.count()
    response = page.post("/staff/tokens/", {"action": "issue-integration", "name": "x", "scope": "write",
                                            "role": "clerk", "days": 30})
    assert response.status_code == 400
    with schema_context(banlat.schema_name):
        assert StaffToken.objects.count() == before


def test_a_clerk_key_acts_as_its_integration_and_withholds_personal_data(banlat: LocalBody) -> None:
    client = api(banlat, key(banlat, name="Traffy Fondue"))
    case = make_case(banlat, description="ถนนหน้าบ้านเลขที่ 12 เป็นหลุม", name="สมชาย ใจดี")
    assert post(client, f"{BASE}{case.pk}/acknowledge/", {"text": "รับเรื่องแล้ว"}).status_code == 200
    assert post(client, f"{BASE}{case.pk}/note/", {"text": "บันทึกภายในของระบบ"}).status_code == 200
    detail = client.get(f"{BASE}{case.pk}/").json()
    assert (detail["description"], detail["location_text"], detail["attachments"]) == (None, None, [])
    assert [(e["kind"], e["text"]) for e in detail["timeline"] if e["actor"] == "Traffy Fondue"] == [
        ("status", "รับเรื่องแล้ว"), ("note", None)]
    refused = post(client, f"{BASE}{case.pk}/identity/")
    assert refused.status_code == 403
    assert refused.json()["message"] == "กุญแจนี้ไม่มีสิทธิ์เข้าถึงข้อมูลส่วนบุคคลของผู้ร้อง"
    with schema_context(banlat.schema_name):
        assert not IdentityAccess.objects.filter(complaint_id=case.pk).exists()
        note = ComplaintEvent.objects.get(complaint_id=case.pk, kind="note")
        assert note.actor.username.startswith("integration-") and note.actor.full_name == "Traffy Fondue"


def test_a_key_with_the_personal_data_scope_reveals_and_each_reveal_is_recorded(banlat: LocalBody) -> None:
    raw = key(banlat, personal_data=True, name="ศูนย์ 1111")
    client = api(banlat, raw)
    case = make_case(banlat, description="ไฟดับ", name="สมหญิง ดีใจ", phone="0899998888")
    assert client.get(f"{BASE}{case.pk}/").json()["description"] == "ไฟดับ"
    for _ in range(2):
        revealed = post(client, f"{BASE}{case.pk}/identity/")
        assert revealed.status_code == 200
        assert (revealed.json()["name"], revealed.json()["phone"]) == ("สมหญิง ดีใจ", "0899998888")
    with schema_context(banlat.schema_name):
        reveals = list(IdentityAccess.objects.filter(complaint_id=case.pk).values_list("user__full_name", "context"))
    assert reveals == [("ศูนย์ 1111", f"staff API key {raw.split('_')[1]}")] * 2


def test_an_officer_key_has_the_officers_rules(banlat: LocalBody, thasen: LocalBody) -> None:
    client = api(banlat, key(banlat, role="officer", department="health"))
    road = make_case(banlat)  # routed to กองช่าง: not the key's department
    assert client.get(f"{BASE}{road.pk}/").status_code == 404
    assert road.pk not in [c["id"] for c in client.get(BASE).json()["results"]]
    with schema_context(banlat.schema_name):
        health = Department.objects.get(code="health")
    clerk = api(banlat, key(banlat, name="ระบบรับเรื่อง"))
    assert post(clerk, f"{BASE}{road.pk}/assign/", {"department": health.pk}).status_code == 200
    assert client.get(f"{BASE}{road.pk}/").status_code == 200
    # Accepting a transfer is the clerk's, not an officer's: the desk's refusal, as JSON.
    offered = make_case(thasen)
    with schema_context(thasen.schema_name):
        complaint_transfer(complaint=offered, actor=User.objects.get(username="clerk"), reason="เขตบ้านลาด",
                           to_body=banlat)
    with schema_context(banlat.schema_name):
        offer = Complaint.objects.get(tracking_code=offered.tracking_code)
        Complaint.objects.filter(pk=offer.pk).update(department=health)
    refused = post(client, f"{BASE}{offer.pk}/transfer-accept/")
    assert (refused.status_code, refused.json()["message"]) == (403, "บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้")
    assert post(clerk, f"{BASE}{offer.pk}/transfer-accept/").json()["complaint"]["status"] == "received"


def test_a_read_key_only_reads_and_a_revoked_key_stops_with_its_user(banlat: LocalBody) -> None:
    raw = key(banlat, scope="read")
    client = api(banlat, raw)
    case = make_case(banlat)
    assert client.get(f"{BASE}{case.pk}/").status_code == 200
    refused = post(client, f"{BASE}{case.pk}/note/", {"text": "x"})
    assert (refused.status_code, refused.json()["message"]) == (403, "โทเคนนี้อ่านได้อย่างเดียว ใช้ทำรายการไม่ได้")
    page = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        token = StaffToken.objects.get(prefix=raw.split("_")[1])
    assert page.post("/staff/tokens/", {"action": "revoke", "token": token.pk}).status_code == 302
    gone = client.get(f"{BASE}{case.pk}/")
    assert (gone.status_code, gone.json()["message"]) == (404, "ไม่พบเรื่อง")
    assert client.get(BASE).status_code == 403
    with schema_context(banlat.schema_name):
        token.refresh_from_db()
        assert token.revoked_at is not None and not User.objects.get(pk=token.user_id).is_active
        assert AuditEntry.objects.filter(kind="token.revoke", target_id=str(token.pk)).count() == 1


def test_another_bodys_key_is_unknown_here(banlat: LocalBody, thasen: LocalBody) -> None:
    client = Client(HTTP_HOST=f"{thasen.slug}.localhost", HTTP_AUTHORIZATION=f"Bearer {key(banlat)}")
    response = client.get(BASE)
    assert (response.status_code, response.json()["message"]) == (403, "โทเคนไม่ถูกต้อง หมดอายุ หรือถูกยกเลิกแล้ว")


def test_a_key_without_the_personal_data_scope_finds_by_tracking_code_only(banlat: LocalBody) -> None:
    case = make_case(banlat, description="น้ำท่วมซอยวัดใหม่ทุกปี")
    blind, seeing = api(banlat, key(banlat, scope="read")), api(banlat, key(banlat, scope="read", personal_data=True))
    assert [c["id"] for c in blind.get(BASE, {"q": "น้ำท่วมซอยวัดใหม่"}).json()["results"]] == []
    assert [c["id"] for c in blind.get(BASE, {"q": case.tracking_code}).json()["results"]] == [case.pk]
    assert [c["id"] for c in seeing.get(BASE, {"q": "น้ำท่วมซอยวัดใหม่"}).json()["results"]] == [case.pk]
