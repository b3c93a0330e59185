"""Every password a person sets goes through AUTH_PASSWORD_VALIDATORS, with Thai messages."""

from __future__ import annotations

from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tests.apps.complaints.staff_helpers import signed_in
from tests.signin import verified_login


def test_a_body_admin_cannot_give_staff_a_weak_password(banlat) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(banlat, "admin")
    response = client.post("/staff/admin/staff/", {"username": "new_clerk", "full_name": "เจ้าหน้าที่ใหม่",
                                                   "role": "clerk", "is_active": "on", "password": "1234567890"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "รหัสผ่านนี้ใช้กันทั่วไปเกินไป" in html
    assert "รหัสผ่านเป็นตัวเลขล้วน" in html
    with schema_context(banlat.schema_name):
        assert not User.objects.filter(username="new_clerk").exists()


def test_a_body_admin_cannot_change_a_password_to_a_short_one(banlat) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        clerk = User.objects.get(username="clerk")
    response = client.post(f"/staff/admin/staff/{clerk.pk}/", {"username": "clerk", "role": "clerk",
                                                              "is_active": "on", "password": "kx7#q"})
    assert response.status_code == 400
    assert "รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย 10 ตัวอักษร" in response.content.decode()
    with schema_context(banlat.schema_name):
        assert not User.objects.get(username="clerk").check_password("kx7#q")


def test_a_good_password_is_accepted(banlat) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(banlat, "admin")
    response = client.post("/staff/admin/staff/", {"username": "new_clerk2", "role": "clerk", "is_active": "on",
                                                   "password": "ตะวันออก-เฉียงเหนือ-77"})
    assert response.status_code == 302
    with schema_context(banlat.schema_name):
        assert User.objects.get(username="new_clerk2").check_password("ตะวันออก-เฉียงเหนือ-77")


def test_the_national_admin_cannot_set_a_weak_password_in_the_admin(db) -> None:  # type: ignore[no-untyped-def]
    operator = User.objects.create_superuser("operator-pw", "long-enough-pass-1")
    client = verified_login(Client(HTTP_HOST="localhost"), operator)
    response = client.post("/admin/password_change/", {"old_password": "long-enough-pass-1",
                                                       "new_password1": "1234567890", "new_password2": "1234567890"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "รหัสผ่านนี้ใช้กันทั่วไปเกินไป" in html
    operator.refresh_from_db()
    assert operator.check_password("long-enough-pass-1")
