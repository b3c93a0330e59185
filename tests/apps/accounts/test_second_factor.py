"""The second factor: a password alone reaches nothing — not the staff pages, not the staff JSON
API, not the Django admin — until the account has enrolled an authenticator and passed it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tests.conftest import STAFF_PASSWORD
from tests.signin import account_events, authenticator, totp_code

PENDING = "/staff/second-factor/setup/?next=%2Fstaff%2F"


def _password(client: Client, username: str = "admin", prefix: str = "/staff") -> str:
    response = client.post(f"{prefix}/login/", {"username": username, "password": STAFF_PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def _no_devices(body) -> None:  # type: ignore[no-untyped-def]
    """The standing cast as if new (tests on committed data may have enrolled them)."""
    with schema_context(body.schema_name):
        TOTPDevice.objects.all().delete()
        StaticDevice.objects.all().delete()


def _kinds(schema: str, username: str) -> list[str]:
    return [kind.removeprefix("account.") for kind in account_events(schema, username)]


@pytest.mark.parametrize("role", ["admin", "executive", "clerk", "officer"])
def test_every_staff_role_must_enrol_before_any_page(banlat, role: str) -> None:  # type: ignore[no-untyped-def]
    _no_devices(banlat)
    client = Client(HTTP_HOST="banlat.localhost")
    assert _password(client, role) == PENDING
    for url in ("/staff/", "/staff/admin/staff/", "/staff/directives/", "/sla/manage/", "/settings/profile/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/staff/second-factor/setup/?next="), url


def test_admin_without_second_factor_is_refused_by_the_staff_api(banlat) -> None:  # type: ignore[no-untyped-def]
    _no_devices(banlat)
    client = Client(HTTP_HOST="banlat.localhost")
    _password(client, "admin")
    response = client.get("/api/staff/v1/complaints/1/")
    assert response.status_code == 403
    assert response.json() == {"message": "ต้องยืนยันตัวตนขั้นที่สองก่อน"}
    posted = client.post("/api/staff/v1/complaints/", {"channel": "phone"}, content_type="application/json")
    assert posted.status_code == 403


def test_enrolment_shows_a_qr_code_then_opens_the_pages_and_gives_recovery_codes(banlat) -> None:  # type: ignore[no-untyped-def]
    _no_devices(banlat)
    client = Client(HTTP_HOST="banlat.localhost")
    _password(client, "admin")
    page = client.get(PENDING)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'id="totp-qr"' in html
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)  # type: ignore[union-attr]
    with schema_context(banlat.schema_name):
        device = TOTPDevice.objects.get(user__username="admin", confirmed=False)
        assert len(secret) == 32
        wrong = client.post(PENDING, {"token": "000000" if totp_code(device) != "000000" else "111111"})
        assert wrong.status_code == 400
        device.refresh_from_db()
        device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
        device.save()
        done = client.post(PENDING, {"token": totp_code(device), "next": "/staff/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/staff/").status_code == 200
    assert client.get("/api/staff/v1/complaints/999999/").status_code == 404
    assert _kinds(banlat.schema_name, "admin") == ["login", "otp_failed", "otp_enable"]


def test_a_second_password_sign_in_cannot_enrol_another_phone(banlat) -> None:  # type: ignore[no-untyped-def]
    with schema_context(banlat.schema_name):
        authenticator(User.objects.get(username="executive"))
    client = Client(HTTP_HOST="banlat.localhost")
    assert _password(client, "executive") == "/staff/second-factor/?next=%2Fstaff%2F"
    response = client.get(PENDING)
    assert (response.status_code, response["Location"]) == (302, "/staff/second-factor/?next=%2Fstaff%2F")
    with schema_context(banlat.schema_name):
        assert TOTPDevice.objects.filter(user__username="executive").count() == 1


def test_wrong_code_is_refused_in_thai_and_audited(banlat) -> None:  # type: ignore[no-untyped-def]
    with schema_context(banlat.schema_name):
        device = authenticator(User.objects.get(username="clerk"))
        good = totp_code(device)
    client = Client(HTTP_HOST="banlat.localhost")
    _password(client, "clerk")
    response = client.post("/staff/second-factor/", {"token": "111111" if good != "111111" else "222222"})
    assert response.status_code == 400
    assert "รหัสไม่ถูกต้องหรือหมดอายุ" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert _kinds(banlat.schema_name, "clerk") == ["login", "otp_failed"]


def test_recovery_code_works_once(banlat) -> None:  # type: ignore[no-untyped-def]
    from apps.accounts.second_factor import recovery_codes_replace

    with schema_context(banlat.schema_name):
        user = User.objects.get(username="officer")
        authenticator(user)
        code = recovery_codes_replace(user=user)[0]
    first = Client(HTTP_HOST="banlat.localhost")
    _password(first, "officer")
    response = first.post("/staff/second-factor/", {"token": code.upper(), "next": "/staff/"})
    assert (response.status_code, response["Location"]) == (302, "/staff/")
    assert first.get("/staff/").status_code == 200
    first.post("/staff/logout/")
    second = Client(HTTP_HOST="banlat.localhost")
    _password(second, "officer")
    assert second.post("/staff/second-factor/", {"token": code}).status_code == 400
    assert second.get("/staff/").status_code == 302
    assert _kinds(banlat.schema_name, "officer") == ["login", "recovery_code_use", "logout", "login", "otp_failed"]


def test_national_admin_reaches_the_django_admin_only_after_the_second_factor(db) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_superuser("national-2fa", "long-enough-pass-1")
    client = Client(HTTP_HOST="localhost")
    login = client.get("/admin/")
    assert (login.status_code, login["Location"]) == (302, "/admin/login/?next=/admin/")
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/oversight/login/?next=/admin/"
    response = client.post("/oversight/login/", {"username": "national-2fa", "password": "long-enough-pass-1",
                                                 "next": "/admin/"})
    assert response["Location"] == "/oversight/second-factor/setup/?next=%2Fadmin%2F"
    for url in ("/admin/", "/admin/tenants/localbody/", "/oversight/"):
        refused = client.get(url)
        assert refused.status_code == 302
        assert refused["Location"].startswith("/oversight/second-factor/setup/"), url
    client.get("/oversight/second-factor/setup/")
    device = TOTPDevice.objects.get(user__username="national-2fa", confirmed=False)
    assert client.post("/oversight/second-factor/setup/", {"token": totp_code(device)}).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/oversight/").status_code == 200
    assert _kinds("public", "national-2fa") == ["login", "otp_enable"]
