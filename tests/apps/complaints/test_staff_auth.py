"""Staff sign-in per body, and the 404 wall between bodies and towards outsiders."""

from __future__ import annotations

from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import StaffMember
from tests.apps.complaints.staff_helpers import anonymous, make_case, signed_in
from tests.conftest import STAFF_PASSWORD
from tests.signin import authenticator, totp_code


def test_staff_signs_in_with_password_and_code_and_lands_on_inbox(banlat):
    client = anonymous(banlat)
    with schema_context(banlat.schema_name):
        device = authenticator(User.objects.get(username="officer"))
    response = client.post("/staff/login/", {"username": "officer", "password": STAFF_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/staff/second-factor/?next=%2Fstaff%2F")
    with schema_context(banlat.schema_name):
        code = totp_code(device)
    response = client.post("/staff/second-factor/", {"token": code, "next": "/staff/"})
    assert (response.status_code, response["Location"]) == (302, "/staff/")
    assert client.get("/staff/").status_code == 200


def test_wrong_password_is_refused_with_message(banlat):
    response = anonymous(banlat).post("/staff/login/", {"username": "officer", "password": "nope"})
    assert response.status_code == 400
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_user_of_another_body_cannot_sign_in_here(banlat, thasen):
    with schema_context(thasen.schema_name):
        only_thasen = User.objects.create_user("thasen_only", STAFF_PASSWORD)
        StaffMember.objects.create(user=only_thasen, role="admin")
    response = anonymous(banlat).post("/staff/login/", {"username": "thasen_only", "password": STAFF_PASSWORD})
    assert response.status_code == 400
    assert anonymous(thasen).post("/staff/login/", {"username": "thasen_only",
                                                     "password": STAFF_PASSWORD}).status_code == 302


def test_user_without_staff_role_cannot_sign_in(banlat):
    with schema_context(banlat.schema_name):
        User.objects.create_user("citizen_account", STAFF_PASSWORD)
    response = anonymous(banlat).post("/staff/login/", {"username": "citizen_account", "password": STAFF_PASSWORD})
    assert response.status_code == 400
    assert "ไม่ใช่เจ้าหน้าที่ของหน่วยงานนี้" in response.content.decode()


def test_anonymous_inbox_redirects_to_login(banlat):
    response = anonymous(banlat).get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")


def test_anonymous_gets_404_on_a_case_by_id(banlat):
    case = make_case(banlat)
    for url in (f"/staff/cases/{case.pk}/", f"/staff/cases/{case.pk + 100000}/"):
        response = anonymous(banlat).get(url)
        assert response.status_code == 404
        assert case.tracking_code not in response.content.decode()


def test_staff_of_another_body_gets_404_on_cases_by_id(banlat, thasen):
    case = make_case(banlat)
    # Signed in at thasen; the same browser then asks banlat's host for banlat's case.
    client = signed_in(thasen, "admin")
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404  # on thasen's host: not theirs
    response = client.get(f"/staff/cases/{case.pk}/", HTTP_HOST="banlat.localhost")
    assert response.status_code == 404
    assert case.tracking_code not in response.content.decode()
    response = client.post(f"/staff/cases/{case.pk}/acknowledge/", HTTP_HOST="banlat.localhost")
    assert response.status_code == 404


def test_session_from_another_body_is_not_honoured(banlat, thasen):
    """Even a session row copied into another schema is refused: the session names its body."""
    case = make_case(banlat)
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        session = client.session
        session["staff_schema"] = thasen.schema_name
        session.save()
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404


def test_logout(banlat):
    client = signed_in(banlat, "officer")
    assert client.post("/staff/logout/").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_language_switch_to_english_and_buddhist_era_in_thai(banlat):
    case = make_case(banlat)
    client = signed_in(banlat, "admin")
    thai = client.get(f"/staff/cases/{case.pk}/").content.decode()
    year = case.received_at.year
    assert str(year + 543) in thai
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"/staff/cases/{case.pk}/"})
    assert response.status_code == 302
    english = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert '<html lang="en">' in english
    assert str(year + 543) not in english
