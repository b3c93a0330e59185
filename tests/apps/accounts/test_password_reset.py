"""Password reset by e-mail: a one-time link on the body's own host, that expires, and an answer that
never tells whether an address has an account."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tests.signin import account_events

NEW_PASSWORD = "ลืมง่าย-แต่ยาวพอ-2569"  # noqa: S105 - test data


def _request(client: Client, email: str):  # type: ignore[no-untyped-def]
    return client.post("/staff/password-reset/", {"email": email})


def _link() -> str:
    return re.search(r"http://banlat\.localhost(/staff/password-reset/\S+/)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]


def test_reset_link_works_once(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="banlat.localhost")
    response = _request(client, "officer@banlat.example")
    assert (response.status_code, response["Location"]) == (302, "/staff/password-reset/sent/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["officer@banlat.example"]
    link = _link()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert (done.status_code, done["Location"]) == (302, "/staff/password-reset/done/")
    signed = Client(HTTP_HOST="banlat.localhost").post("/staff/login/", {"username": "officer",
                                                                         "password": NEW_PASSWORD})
    assert signed.status_code == 302
    again = Client(HTTP_HOST="banlat.localhost").get(link, follow=True)
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in again.content.decode()
    assert account_events(banlat.schema_name, "officer") == [
        "account.password_reset_request", "account.password_reset", "account.login"]


def test_reset_link_expires_after_an_hour(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="banlat.localhost")
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        _request(client, "clerk@banlat.example")
        link = _link()
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 1, tzinfo=dt.UTC), tick=False):
        page = client.get(link, follow=True)
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in page.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_mail(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="banlat.localhost")
    known = _request(client, "admin@banlat.example")
    unknown = _request(client, "nobody@banlat.example")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m.to for m in mail.outbox] == [["admin@banlat.example"]]


def test_a_link_of_one_body_does_not_work_on_another(banlat, thasen) -> None:  # type: ignore[no-untyped-def]
    _request(Client(HTTP_HOST="banlat.localhost"), "executive@banlat.example")
    link = _link()
    page = Client(HTTP_HOST="thasen.localhost").get(link, follow=True)
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in page.content.decode()


def test_a_weak_new_password_is_refused_in_thai(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="banlat.localhost")
    _request(client, "admin@banlat.example")
    set_url = client.get(_link(), follow=True).redirect_chain[-1][0]
    refused = client.post(set_url, {"new_password1": "1234567890", "new_password2": "1234567890"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "รหัสผ่านนี้ใช้กันทั่วไปเกินไป" in html and "รหัสผ่านเป็นตัวเลขล้วน" in html
    with schema_context(banlat.schema_name):
        assert not User.objects.get(username="admin").check_password("1234567890")


def test_oversight_users_reset_on_the_platform_domain(db) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_superuser("national-reset", "long-enough-pass-1", email="national@dla.example")
    client = Client(HTTP_HOST="localhost")
    response = client.post("/oversight/password-reset/", {"email": "national@dla.example"})
    assert (response.status_code, response["Location"]) == (302, "/oversight/password-reset/sent/")
    assert "http://localhost/oversight/password-reset/" in mail.outbox[-1].body
