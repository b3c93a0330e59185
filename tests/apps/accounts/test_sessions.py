"""Signed-in sessions: idle and absolute timeouts, never cached, forms only from the body's own origin,
a Content-Security-Policy on every page."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from tests.apps.complaints.staff_helpers import signed_in
from tests.signin import account_events


def test_staff_session_ends_after_thirty_idle_minutes(banlat) -> None:  # type: ignore[no-untyped-def]
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = signed_in(banlat, "executive")
        assert client.get("/staff/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get("/staff/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29 + 31), tick=False):
        response = client.get("/staff/")
    assert (response.status_code, response["Location"]) == (302, "/staff/login/?next=%2Fstaff%2F")
    assert account_events(banlat.schema_name, "executive") == ["account.session_expired"]


def test_staff_session_ends_ten_hours_after_sign_in_even_when_busy(banlat) -> None:  # type: ignore[no-untyped-def]
    start = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = signed_in(banlat, "clerk")
        client.get("/staff/")
    for minutes in range(20, 600, 20):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/staff/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=10, minutes=1), tick=False):
        assert client.get("/staff/").status_code == 302


def test_staff_and_oversight_pages_are_no_store(banlat) -> None:  # type: ignore[no-untyped-def]
    staff = signed_in(banlat, "admin").get("/staff/")
    assert "no-store" in staff["Cache-Control"]
    assert "no-store" in Client(HTTP_HOST="localhost").get("/oversight/login/")["Cache-Control"]


def test_every_page_has_a_content_security_policy(banlat) -> None:  # type: ignore[no-untyped-def]
    for host, path in (("localhost", "/"), ("banlat.localhost", "/"), ("banlat.localhost", "/staff/login/"),
                       ("nowhere.localhost", "/")):
        policy = Client(HTTP_HOST=host).get(path)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, (host, path)
        assert "unsafe-inline" not in policy


def test_a_form_posted_from_another_bodys_origin_is_refused(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="banlat.localhost", enforce_csrf_checks=True)
    page = client.get("/staff/login/")
    token = page.cookies["csrftoken"].value
    form = {"username": "officer", "password": "x", "csrfmiddlewaretoken": token}
    foreign = client.post("/staff/login/", form, HTTP_ORIGIN="http://thasen.localhost")
    assert foreign.status_code == 403
    own = client.post("/staff/login/", form, HTTP_ORIGIN="http://banlat.localhost")
    assert own.status_code == 400  # reached the form: a wrong password, not a CSRF refusal
