"""An account's administrator gets its owner back in: a password reset by e-mail ends the account's
lockout; a body's admin resets a staff member's lost second factor, the national admin an oversight
or national user's; each reset is audited in the account's own log and the user must enrol a new
authenticator at the next sign-in (a session they still have loses its second factor)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.accounts.second_factor import recovery_codes_replace
from tenants.models import LocalBody
from tests.apps.accounts.test_lockout import LOCKED
from tests.apps.audit.helpers import entries_since, last_id
from tests.apps.complaints.staff_helpers import signed_in
from tests.apps.oversight.factories import officer
from tests.conftest import STAFF_PASSWORD
from tests.signin import authenticator, verified_login

NEW_PASSWORD = "ลืมง่าย-แต่ยาวพอ-2569"  # noqa: S105 - test data
RESET_DONE = ("รีเซ็ตการยืนยันตัวตนสองขั้นตอนของ {} แล้ว เมื่อเข้าสู่ระบบครั้งถัดไป "
              "ผู้ใช้ต้องลงทะเบียนแอปยืนยันตัวตนใหม่")


def _sign_in(host: str, prefix: str, username: str, password: str, ip: str) -> object:
    return Client(HTTP_HOST=host).post(f"{prefix}/login/", {"username": username, "password": password},
                                       REMOTE_ADDR=ip)


def test_a_password_reset_by_email_ends_the_accounts_lockout(banlat: LocalBody) -> None:
    for n in range(5):
        _sign_in("banlat.localhost", "/staff", "clerk", f"wrong-{n}", "10.60.0.1")
    locked = _sign_in("banlat.localhost", "/staff", "clerk", STAFF_PASSWORD, "10.60.0.2")
    assert locked.status_code == 429 and LOCKED in locked.content.decode()  # type: ignore[attr-defined]

    client = Client(HTTP_HOST="banlat.localhost")
    client.post("/staff/password-reset/", {"email": "clerk@banlat.example"}, REMOTE_ADDR="10.60.0.3")
    link = re.search(r"http://banlat\.localhost(/staff/password-reset/\S+/)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    form = client.get(link, follow=True, REMOTE_ADDR="10.60.0.3")
    before = last_id(banlat.schema_name)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                       REMOTE_ADDR="10.60.0.3")
    assert (done.status_code, done["Location"]) == (302, "/staff/password-reset/done/")
    (entry,) = entries_since(banlat.schema_name, before)
    assert (entry.kind, entry.target_label, entry.changes) == (
        "account.password_reset", "clerk", {"lockout_cleared": 2, "ip": "10.60.0.3"})  # one per address

    # The account may sign in again at once, from either address.
    assert _sign_in("banlat.localhost", "/staff", "clerk", NEW_PASSWORD, "10.60.0.1").status_code == 302  # type: ignore[attr-defined]
    assert _sign_in("banlat.localhost", "/staff", "clerk", NEW_PASSWORD, "10.60.0.2").status_code == 302  # type: ignore[attr-defined]


def test_a_reset_leaves_an_addresss_failures_against_other_accounts(banlat: LocalBody) -> None:
    for username in ("admin", "executive", "health_officer", "nobody", "officer"):
        _sign_in("banlat.localhost", "/staff", username, "guess", "10.63.0.1")
    client = Client(HTTP_HOST="banlat.localhost")
    client.post("/staff/password-reset/", {"email": "officer@banlat.example"})
    link = re.search(r"http://banlat\.localhost(/staff/password-reset/\S+/)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # Four failures from that address remain (against other accounts): one more locks the address,
    # while the account itself signs in from elsewhere.
    _sign_in("banlat.localhost", "/staff", "clerk", "guess", "10.63.0.1")
    assert _sign_in("banlat.localhost", "/staff", "officer", NEW_PASSWORD, "10.63.0.1").status_code == 429  # type: ignore[attr-defined]
    assert _sign_in("banlat.localhost", "/staff", "officer", NEW_PASSWORD, "10.63.0.2").status_code == 302  # type: ignore[attr-defined]


def _devices(user: User) -> tuple[int, int]:
    return (TOTPDevice.objects.filter(user=user).count(), StaticDevice.objects.filter(user=user).count())


def test_the_bodys_admin_resets_a_staff_members_second_factor(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        officer_user = User.objects.get(username="officer")
        admin_user = User.objects.get(username="admin")
        authenticator(officer_user)
        recovery_codes_replace(user=officer_user)
        assert _devices(officer_user) == (1, 1)
    still_signed_in = signed_in(banlat, "officer")
    assert still_signed_in.get("/staff/").status_code == 200
    admin = signed_in(banlat, "admin")
    page = admin.get(f"/staff/admin/staff/{officer_user.pk}/").content.decode()
    assert "ลงทะเบียนแอปยืนยันตัวตนแล้ว" in page and "รีเซ็ตการยืนยันตัวตนสองขั้นตอน" in page

    before, public_before = last_id(banlat.schema_name), last_id("public")
    response = admin.post(f"/staff/admin/staff/{officer_user.pk}/second-factor/reset/", follow=True)
    assert response.redirect_chain == [(f"/staff/admin/staff/{officer_user.pk}/", 302)]
    page = response.content.decode()
    assert RESET_DONE.format("officer") in page
    assert "ยังไม่ได้ลงทะเบียนแอปยืนยันตัวตน (จะลงทะเบียนเมื่อเข้าสู่ระบบครั้งถัดไป)" in page
    with schema_context(banlat.schema_name):
        assert _devices(officer_user) == (0, 0)
    (entry,) = entries_since(banlat.schema_name, before)
    assert (entry.kind, entry.actor_id, entry.actor_label, entry.target_type, entry.target_id,
            entry.target_label) == ("account.otp_reset", admin_user.pk, "admin", "accounts.user",
                                    str(officer_user.pk), "officer")
    assert entry.changes == {"before": {"authenticator": True, "recovery_codes": 10},
                             "after": {"authenticator": False, "recovery_codes": 0}, "ip": "127.0.0.1"}
    assert entries_since("public", public_before) == []  # nothing in the platform's log
    assert 'data-kind="account.otp_reset"' in admin.get("/staff/admin/audit/").content.decode()

    # The session the officer still had has lost its second factor: enrolment first.
    stale = still_signed_in.get("/staff/")
    assert (stale.status_code, stale["Location"]) == (302, "/staff/second-factor/setup/?next=%2Fstaff%2F")
    # And so has the next sign-in.
    fresh = _sign_in("banlat.localhost", "/staff", "officer", STAFF_PASSWORD, "10.61.0.1")
    assert (fresh.status_code, fresh["Location"]) == (302, "/staff/second-factor/setup/?next=%2Fstaff%2F")  # type: ignore[attr-defined]


def test_an_admin_cannot_reset_their_own_second_factor_nor_can_an_officer(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        admin_user = User.objects.get(username="admin")
        clerk = User.objects.get(username="clerk")
        authenticator(clerk)
    admin = signed_in(banlat, "admin")
    assert "รีเซ็ตการยืนยันตัวตนสองขั้นตอน</button>" not in admin.get(f"/staff/admin/staff/{admin_user.pk}/").content.decode()
    before = last_id(banlat.schema_name)
    response = admin.post(f"/staff/admin/staff/{admin_user.pk}/second-factor/reset/", follow=True)
    assert "ไม่สามารถรีเซ็ตการยืนยันตัวตนสองขั้นตอนของตนเองได้ กรุณาให้ผู้ดูแลระบบอีกคนดำเนินการ" in \
        response.content.decode()
    assert signed_in(banlat, "officer").post(f"/staff/admin/staff/{clerk.pk}/second-factor/reset/").status_code == 403
    assert admin.get(f"/staff/admin/staff/{clerk.pk}/second-factor/reset/").status_code == 405
    with schema_context(banlat.schema_name):
        assert _devices(admin_user)[0] == 1 and _devices(clerk)[0] == 1
    assert entries_since(banlat.schema_name, before) == []


def test_the_national_admin_resets_an_oversight_users_second_factor(db: None) -> None:
    national = User.objects.create_superuser("national-reset", "long-enough-password-9")
    district = officer("district-lost-phone", "district", "7606")
    authenticator(district)
    recovery_codes_replace(user=district)
    admin = verified_login(Client(HTTP_HOST="localhost"), national)
    assert "/admin/second-factor-reset/" in admin.get("/admin/").content.decode()

    unknown = admin.post("/admin/second-factor-reset/", {"username": "nobody-here"})
    assert unknown.status_code == 400 and "ไม่พบผู้ใช้ชื่อ nobody-here" in unknown.content.decode()
    own = admin.post("/admin/second-factor-reset/", {"username": "national-reset"})
    assert own.status_code == 400
    assert "ไม่สามารถรีเซ็ตการยืนยันตัวตนสองขั้นตอนของตนเองได้" in own.content.decode()
    assert _devices(national)[0] == 1

    before = last_id("public")
    response = admin.post("/admin/second-factor-reset/", {"username": "district-lost-phone"}, follow=True)
    assert response.redirect_chain == [("/admin/second-factor-reset/", 302)]
    assert RESET_DONE.format("district-lost-phone") in response.content.decode()
    assert _devices(district) == (0, 0)
    (entry,) = entries_since("public", before)
    assert (entry.kind, entry.actor_id, entry.target_id, entry.target_label) == (
        "account.otp_reset", national.pk, str(district.pk), "district-lost-phone")
    assert entry.changes["before"] == {"authenticator": True, "recovery_codes": 10}
    signed = _sign_in("localhost", "/oversight", "district-lost-phone", "pw-officer-1", "10.62.0.1")
    assert signed["Location"].startswith("/oversight/second-factor/setup/")  # type: ignore[index]


def test_only_a_national_superuser_reaches_the_reset_page(db: None) -> None:
    district = officer("district-no-admin", "district", "7606")
    client = verified_login(Client(HTTP_HOST="localhost"), district)
    assert client.post("/admin/second-factor-reset/", {"username": "district-no-admin"}).status_code == 302
    assert _devices(district)[0] == 1
