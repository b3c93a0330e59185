"""Inviting a body's first administrator: one at a time or from a spreadsheet, by the national
admin or an office for the bodies in its area; the e-mail through the body's outbox to a real
SMTP server; claiming through the link in that e-mail (password, second factor, checklist)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django_tenants.utils import schema_context
from openpyxl import Workbook

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.complaints.models import Notification, Role, StaffMember
from apps.onboarding.models import Invitation, InvitationBatch, InvitationStatus
from apps.onboarding.services import token_hash
from tenants.models import LocalBody
from tests.apps.onboarding.mailbox import Mailbox, deliver_outbox
from tests.apps.oversight.factories import officer
from tests.signin import totp_code, verified_login

PASSWORD = "ตั้งใหม่-ยาวพอ-2569-บ้านทาน"  # noqa: S105 - test data
BANTHAN = "6760604"  # อบต.บ้านทาน, อำเภอบ้านลาด: no staff yet
RAIKHOK = "6760610"  # อบต.ไร่โคก, อำเภอบ้านลาด
CONTACT = {"full_name": "สมศรี ใจดี", "position": "ปลัด อบต.", "email": "palad@banthan.go.th", "mobile": "081-234-5678"}


@pytest.fixture
def district(db: None) -> User:
    return officer("ban-lat-district", "district", "7606")


def platform_log_kinds(code: str = BANTHAN) -> list[tuple[str, str]]:
    """The platform log's entries about this body's invitations."""
    with schema_context("public"):
        ids = [str(pk) for pk in Invitation.objects.filter(body__dla_code=code).values_list("pk", flat=True)]
        return list(AuditEntry.objects.filter(kind__startswith="invitation.", target_type="onboarding.invitation",
                                              target_id__in=ids).order_by("id").values_list("kind", "actor_label"))


def _client(user: User) -> Client:
    return verified_login(Client(HTTP_HOST="localhost"), user)


def _invite(client: Client, code: str = BANTHAN, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/oversight/invitations/", {"dla_code": code, **CONTACT, **extra})


def test_an_invitation_is_mailed_and_claimed_through_the_link_in_the_mail(district: User, mailbox: Mailbox) -> None:
    client = _client(district)
    response = _invite(client)
    assert (response.status_code, response["Location"]) == (302, "/oversight/invitations/")
    invitation = Invitation.objects.get(body__dla_code=BANTHAN)
    assert (invitation.status, invitation.email, invitation.mobile, invitation.send_count) == (
        "pending", "palad@banthan.go.th", "0812345678", 1)
    body = LocalBody.objects.get(dla_code=BANTHAN)
    assert deliver_outbox(body) == 1
    [message] = mailbox.to("palad@banthan.go.th")
    assert str(message["Subject"]).strip() == "คำเชิญเป็นผู้ดูแลระบบรับเรื่องร้องทุกข์ขององค์การบริหารส่วนตำบลบ้านทาน"
    text = Mailbox.text(message)
    assert text.startswith("เรียน สมศรี ใจดี (ปลัด อบต.)")
    link = mailbox.link("palad@banthan.go.th")
    # Only the token's hash is kept.
    assert invitation.token_hash == token_hash(link.split("/")[-2])
    assert link.split("/")[-2] not in str(list(Invitation.objects.values()))

    browser = Client(HTTP_HOST="banthan.localhost")
    page = browser.get(link)
    assert page.status_code == 200
    assert "สมศรี ใจดี (ปลัด อบต.) ได้รับเชิญเป็นผู้ดูแลระบบรับเรื่องร้องทุกข์ขององค์การบริหารส่วนตำบลบ้านทาน" in \
        page.content.decode()
    claimed = browser.post(link, {"username": "somsri", "password1": PASSWORD, "password2": PASSWORD})
    assert (claimed.status_code, claimed["Location"]) == (302, "/staff/second-factor/setup/?next=%2Fstaff%2Fsetup%2F")
    # Until the second factor is enrolled, the checklist is out of reach.
    assert browser.get("/staff/setup/").status_code == 302
    setup = browser.get(claimed["Location"])
    assert setup.status_code == 200
    with schema_context(body.schema_name):
        user = User.objects.get(username="somsri")
        assert (user.full_name, user.email, user.phone) == ("สมศรี ใจดี", "palad@banthan.go.th", "0812345678")
        assert StaffMember.objects.get(user=user).role == Role.ADMIN
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=user, confirmed=False)
        code = totp_code(device)
    enrolled = browser.post(claimed["Location"], {"token": code})
    assert enrolled.status_code == 200
    assert "/staff/setup/" in enrolled.content.decode()
    checklist = browser.get("/staff/setup/")
    assert checklist.status_code == 200
    html = checklist.content.decode()
    assert "ทำแล้ว 0 จาก 7 รายการ" in html
    for url in ("/settings/profile/", "/staff/admin/departments/", "/staff/admin/categories/", "/staff/admin/staff/",
                "/sla/calendar/", "/sla/manage/", "/staff/admin/line/"):
        assert f'href="{url}"' in html
    invitation.refresh_from_db()
    assert (invitation.status, invitation.claimed_username) == ("claimed", "somsri")
    # The link works once, and the outbox's copy of the e-mail no longer holds it.
    with schema_context(body.schema_name):
        kept = Notification.objects.get(recipient="palad@banthan.go.th").body
    assert "/staff/welcome/-/" in kept and link.split("/")[-2] not in kept
    again = Client(HTTP_HOST="banthan.localhost").get(link)
    assert again.status_code == 404
    assert "ลิงก์คำเชิญนี้ใช้ไม่ได้แล้ว" in again.content.decode()
    assert platform_log_kinds() == [("invitation.create", "ban-lat-district"), ("invitation.claim", "somsri@6760604")]
    with schema_context(body.schema_name):
        body_kinds = list(AuditEntry.objects.exclude(kind__startswith="account.").order_by("id")
                          .values_list("kind", "actor_label"))
        assert body_kinds == [("staff.create", "somsri"), ("invitation.claim", "somsri")]
        assert AuditEntry.objects.get(kind="staff.create").changes["after"]["password_set"] is True


def test_checklist_ticks_from_the_bodys_data(district: User, mailbox: Mailbox) -> None:
    from apps.complaints.models import Department
    from apps.portal.models import BodyProfile
    from apps.sla.models import BodyClosure
    from apps.sla.services import sla_agreement_draft_create

    _invite(_client(district))
    body = LocalBody.objects.get(dla_code=BANTHAN)
    deliver_outbox(body)
    browser = Client(HTTP_HOST="banthan.localhost")
    browser.post(mailbox.link("palad@banthan.go.th"), {"username": "somsri", "password1": PASSWORD,
                                                       "password2": PASSWORD})
    with schema_context(body.schema_name):
        admin = User.objects.get(username="somsri")
    verified_login(browser, admin, schema=body.schema_name)
    assert browser.post("/staff/admin/staff/", {"username": "clerk1", "full_name": "เสมียน หนึ่ง", "role": "clerk",
                                                "is_active": "on", "password": "long-enough-password-1"}
                        ).status_code == 302
    with schema_context(body.schema_name):
        department = Department.objects.get(code="engineering")
    assert browser.post(f"/staff/admin/departments/{department.pk}/", {
        "code": "engineering", "name_th": "กองช่าง อบต.บ้านทาน", "name_en": "", "is_active": "on",
        "position": department.position}).status_code == 302
    BodyProfile.objects.update_or_create(body=body, defaults={"logo": "bodies/x/logo.png", "phone": "032-000-111"})
    BodyClosure.objects.create(body=body, date=dt.date(2026, 12, 24), reason="งานประจำปี")
    sla_agreement_draft_create(body=body, number="1/2569")
    html = browser.get("/staff/setup/").content.decode()
    assert "ทำแล้ว 5 จาก 7 รายการ" in html
    done = {key for key in ("profile", "departments", "categories", "staff", "calendar", "sla_draft",
                            "sla_published", "line") if f'data-item="{key}" class="done"' in html}
    assert done == {"profile", "departments", "staff", "calendar", "sla_draft"}


def test_resend_makes_a_new_link_and_the_old_one_stops_working(district: User, mailbox: Mailbox) -> None:
    client = _client(district)
    _invite(client)
    body = LocalBody.objects.get(dla_code=BANTHAN)
    deliver_outbox(body)
    first = mailbox.link("palad@banthan.go.th")
    invitation = Invitation.objects.get(body=body)
    response = client.post(f"/oversight/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    deliver_outbox(body)
    second = mailbox.link("palad@banthan.go.th")
    assert len(mailbox.to("palad@banthan.go.th")) == 2 and first != second
    assert Client(HTTP_HOST="banthan.localhost").get(first).status_code == 404
    assert Client(HTTP_HOST="banthan.localhost").get(second).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).send_count == 2


def test_a_revoked_invitation_cannot_be_claimed(district: User, mailbox: Mailbox) -> None:
    client = _client(district)
    _invite(client)
    body = LocalBody.objects.get(dla_code=BANTHAN)
    deliver_outbox(body)
    link = mailbox.link("palad@banthan.go.th")
    invitation = Invitation.objects.get(body=body)
    assert client.post(f"/oversight/invitations/{invitation.pk}/revoke/").status_code == 302
    refused = Client(HTTP_HOST="banthan.localhost").post(link, {"username": "somsri", "password1": PASSWORD,
                                                                 "password2": PASSWORD})
    assert refused.status_code == 404
    with schema_context(body.schema_name):
        assert not User.objects.filter(username="somsri").exists()
    assert [k for k, _ in platform_log_kinds()] == ["invitation.create", "invitation.revoke"]


def test_an_expired_link_is_refused_and_a_new_invitation_replaces_it(district: User, mailbox: Mailbox) -> None:
    client = _client(district)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        _invite(client)
    body = LocalBody.objects.get(dla_code=BANTHAN)
    deliver_outbox(body)
    link = mailbox.link("palad@banthan.go.th")
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 1, tzinfo=dt.UTC), tick=False):
        assert Client(HTTP_HOST="banthan.localhost").get(link).status_code == 404
        again = _client(district)
        assert _invite(again).status_code == 302
    assert sorted(Invitation.objects.filter(body=body).values_list("status", flat=True)) == ["expired", "pending"]


def test_nobody_claims_a_body_twice(district: User, mailbox: Mailbox) -> None:
    client = _client(district)
    _invite(client)
    body = LocalBody.objects.get(dla_code=BANTHAN)
    deliver_outbox(body)
    link = mailbox.link("palad@banthan.go.th")
    first = Client(HTTP_HOST="banthan.localhost")
    assert first.post(link, {"username": "somsri", "password1": PASSWORD, "password2": PASSWORD}).status_code == 302
    second = Client(HTTP_HOST="banthan.localhost").post(link, {"username": "other", "password1": PASSWORD,
                                                                "password2": PASSWORD})
    assert second.status_code == 404
    # Nor can a new invitation be sent to a claimed body.
    refused = _invite(client, email="another@banthan.go.th")
    assert refused.status_code == 400
    assert "หน่วยงานนี้มีผู้ดูแลระบบที่รับคำเชิญแล้ว" in refused.content.decode()
    # A body whose administrator exists already (made before invitations) is refused too.
    existing = _invite(client, code="6760609")
    assert "หน่วยงานนี้มีผู้ดูแลระบบอยู่แล้ว" in existing.content.decode()
    with schema_context(body.schema_name):
        assert list(StaffMember.objects.values_list("user__username", "role")) == [("somsri", "admin")]


def test_a_weak_password_is_refused_in_thai_and_nothing_is_stored(district: User, mailbox: Mailbox) -> None:
    _invite(_client(district))
    body = LocalBody.objects.get(dla_code=BANTHAN)
    deliver_outbox(body)
    link = mailbox.link("palad@banthan.go.th")
    refused = Client(HTTP_HOST="banthan.localhost").post(link, {"username": "somsri", "password1": "1234567890",
                                                                 "password2": "1234567890"})
    assert refused.status_code == 400
    assert "รหัสผ่านเป็นตัวเลขล้วน" in refused.content.decode()
    with schema_context(body.schema_name):
        assert not User.objects.filter(username="somsri").exists()
    assert Invitation.objects.get(body=body).status == InvitationStatus.PENDING


def test_a_link_of_one_body_does_not_work_on_another(district: User, mailbox: Mailbox) -> None:
    _invite(_client(district))
    deliver_outbox(LocalBody.objects.get(dla_code=BANTHAN))
    link = mailbox.link("palad@banthan.go.th")
    assert Client(HTTP_HOST="raikhok.localhost").get(link).status_code == 404


def test_bad_contact_is_refused_in_thai_and_nothing_is_stored(district: User) -> None:
    response = _invite(_client(district), email="not-an-address", mobile="12345")
    assert response.status_code == 400
    html = response.content.decode()
    assert "อีเมล not-an-address ไม่ถูกต้อง" in html
    assert "หมายเลขโทรศัพท์มือถือ 12345 ไม่ถูกต้อง (ตัวเลข 10 หลัก ขึ้นต้นด้วย 06, 08 หรือ 09)" in html
    assert not Invitation.objects.filter(body__dla_code=BANTHAN).exists()


def test_another_districts_officer_sees_404_and_changes_nothing(district: User, mailbox: Mailbox) -> None:
    _invite(_client(district))
    invitation = Invitation.objects.get(body__dla_code=BANTHAN)
    outsider = _client(officer("mueang-district", "district", "7601"))
    refused = outsider.post("/oversight/invitations/", {"dla_code": RAIKHOK, **CONTACT})
    assert refused.status_code == 400
    assert "ไม่พบหน่วยงานรหัส 6760610 ในพื้นที่ที่ท่านกำกับดูแล" in refused.content.decode()
    assert outsider.post(f"/oversight/invitations/{invitation.pk}/revoke/").status_code == 404
    assert outsider.post(f"/oversight/invitations/{invitation.pk}/resend/").status_code == 404
    assert "palad@banthan.go.th" not in outsider.get("/oversight/invitations/").content.decode()
    assert outsider.get("/oversight/adoption/?district=7606").status_code == 404
    assert outsider.post("/oversight/adoption/remind/", {"district": "7606", "missing": "claimed"}).status_code == 404
    invitation.refresh_from_db()
    assert (invitation.status, invitation.send_count) == ("pending", 1)
    assert Invitation.objects.filter(body__district_id="7606").count() == 1


def test_the_national_admin_invites_anywhere(db: None, mailbox: Mailbox) -> None:
    national = User.objects.create_superuser("national-t", "pw-national-1")
    assert _invite(_client(national), code=RAIKHOK).status_code == 302
    assert Invitation.objects.get(body__dla_code=RAIKHOK).invited_by_label == "กรมส่งเสริมการปกครองท้องถิ่น"


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["รหัส อปท.", "ชื่อ-นามสกุล", "ตำแหน่ง", "อีเมล", "โทรศัพท์มือถือ"]


def _upload(client: Client, name: str, content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/oversight/invitations/upload/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_spreadsheet_is_checked_row_by_row_and_resumable(district: User, mailbox: Mailbox, fmt: str) -> None:
    rows = [HEADER,
            ["6760604", "สมศรี ใจดี", "ปลัด อบต.", "palad@banthan.go.th", "0812345678"],
            ["6760610", "สมชาย รักดี", "ปลัด อบต.", "palad@raikhok.go.th", "๐๘๙๑๒๓๔๕๖๗"],
            ["6760610", "ซ้ำ", "ปลัด", "dup@raikhok.go.th", "0891234567"],
            ["4760102", "นอก เขต", "ปลัด", "x@mueang.go.th", "0891234567"],
            ["6760611", "", "ปลัด อบต.", "bad-address", "02-123"],
            ["67606", "สั้น", "ปลัด", "short@x.go.th", "0891234567"],
            ["6760609", "มี ผู้ดูแล", "ปลัด", "palad@thasen.go.th", "0891234567"]]
    if fmt == "xlsx":
        content = _xlsx(rows)
    else:
        content = "\n".join(",".join(str(c) for c in r) for r in rows).encode("utf-8-sig")
    client = _client(district)
    response = _upload(client, f"invite.{fmt}", content)
    batch = InvitationBatch.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/oversight/invitations/batches/{batch.pk}/")
    assert [(r["line"], r["dla_code"], r["outcome"], r["message"]) for r in batch.report] == [
        (2, "6760604", "invited", "ส่งคำเชิญถึง palad@banthan.go.th แล้ว"),
        (3, "6760610", "invited", "ส่งคำเชิญถึง palad@raikhok.go.th แล้ว"),
        (4, "6760610", "refused", "รหัส อปท. ซ้ำกับแถวที่ 3"),
        (5, "4760102", "refused", "ไม่พบหน่วยงานรหัส 4760102 ในพื้นที่ที่ท่านกำกับดูแล"),
        (6, "6760611", "refused", "กรุณากรอกชื่อ-นามสกุล · อีเมล bad-address ไม่ถูกต้อง · "
                                  "หมายเลขโทรศัพท์มือถือ 02123 ไม่ถูกต้อง (ตัวเลข 10 หลัก ขึ้นต้นด้วย 06, 08 หรือ 09)"),
        (7, "67606", "refused", "รหัส อปท. ต้องเป็นตัวเลข 7 หลัก (พบ 67606)"),
        (8, "6760609", "refused", "หน่วยงานนี้มีผู้ดูแลระบบอยู่แล้ว"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert '<b id="count-invited">2</b>' in page and '<b id="count-refused">5</b>' in page
    # The same file again: the rows done are skipped, nothing is sent twice.
    again = _upload(client, f"invite.{fmt}", content)
    second = InvitationBatch.objects.exclude(pk=batch.pk).get()
    assert again.status_code == 302
    assert [(r["line"], r["outcome"]) for r in second.report][:2] == [(2, "skipped"), (3, "skipped")]
    assert second.report[0]["message"] == "เชิญแล้ว (ส่งถึง palad@banthan.go.th) จึงข้าม"
    assert Invitation.objects.count() == 2
    for code, address in (("6760604", "palad@banthan.go.th"), ("6760610", "palad@raikhok.go.th")):
        deliver_outbox(LocalBody.objects.get(dla_code=code))
        assert len(mailbox.to(address)) == 1


def test_an_unreadable_or_headerless_file_is_refused_in_thai(district: User) -> None:
    client = _client(district)
    broken = _upload(client, "invite.xlsx", b"not a workbook")
    assert broken.status_code == 400
    assert "อ่านไฟล์ไม่ได้ กรุณาตรวจสอบว่าเป็นไฟล์ Excel (.xlsx) หรือ CSV (UTF-8)" in broken.content.decode()
    headerless = _upload(client, "invite.csv", "6760604,สมศรี,ปลัด,a@b.go.th,0812345678\n".encode())
    assert "ไม่พบคอลัมน์: รหัส อปท., ชื่อ-นามสกุล, ตำแหน่ง, อีเมล, โทรศัพท์มือถือ" in headerless.content.decode()
    assert not InvitationBatch.objects.exists() and not Invitation.objects.exists()


def test_another_officers_batch_is_404(district: User) -> None:
    client = _client(district)
    content = "\n".join([",".join(HEADER), "6760604,สมศรี ใจดี,ปลัด,palad@banthan.go.th,0812345678"]).encode()
    _upload(client, "a.csv", content)
    batch = InvitationBatch.objects.get()
    other = _client(officer("other-district", "district", "7601"))
    assert other.get(f"/oversight/invitations/batches/{batch.pk}/").status_code == 404

