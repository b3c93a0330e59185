"""Lockout after repeated failures (django-axes): per account, where an account is (body, username),
and per client IP across accounts. The Thai lockout page answers 429, never a 500."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.test import Client

from tests.conftest import STAFF_PASSWORD
from tests.signin import account_events

LOCKED = "ระงับการเข้าสู่ระบบชั่วคราว"


def _post(client: Client, username: str, password: str, ip: str = "10.1.1.1"):  # type: ignore[no-untyped-def]
    return client.post("/staff/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_figures_are_settings() -> None:
    assert (settings.AUTH_LOCKOUT_FAILURES, settings.AUTH_LOCKOUT_MINUTES) == (5, 15)
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME) == (5, dt.timedelta(minutes=15))


def test_thirty_wrong_passwords_then_the_right_one_is_refused(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="banlat.localhost")
    statuses = [_post(client, "officer", f"wrong-{n}").status_code for n in range(30)]
    assert statuses == [400] * 4 + [429] * 26
    right = _post(client, "officer", STAFF_PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert "15 นาที" in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert account_events(banlat.schema_name, "officer") == ["account.login_failed"] * 4 + ["account.locked"] * 27


def test_lockout_is_per_body_account(banlat, thasen) -> None:  # type: ignore[no-untyped-def]
    banlat_client = Client(HTTP_HOST="banlat.localhost")
    for n in range(5):
        _post(banlat_client, "officer", f"wrong-{n}", ip="10.2.2.2")
    assert _post(banlat_client, "officer", STAFF_PASSWORD, ip="10.2.2.3").status_code == 429
    # thasen's officer has the same username but is another account.
    thasen_client = Client(HTTP_HOST="thasen.localhost")
    assert _post(thasen_client, "officer", STAFF_PASSWORD, ip="10.2.2.3").status_code == 302


def test_lockout_per_ip_across_accounts(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="banlat.localhost")
    codes = [_post(client, username, "guess-1", ip="10.3.3.3").status_code
             for username in ("admin", "executive", "clerk", "health_officer", "nobody")]
    assert codes == [400, 400, 400, 400, 429]  # the fifth failure from the address locks it
    refused = _post(client, "officer", STAFF_PASSWORD, ip="10.3.3.3")
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    # The same account from another address is fine: no account here had five failures.
    assert _post(Client(HTTP_HOST="banlat.localhost"), "officer", STAFF_PASSWORD, ip="10.3.3.4").status_code == 302


def test_lockout_ends_after_the_window(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="banlat.localhost")
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        for n in range(5):
            _post(client, "clerk", f"wrong-{n}", ip="10.4.4.4")
        assert _post(client, "clerk", STAFF_PASSWORD, ip="10.4.4.4").status_code == 429
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 14, tzinfo=dt.UTC), tick=False):
        assert _post(client, "clerk", STAFF_PASSWORD, ip="10.4.4.4").status_code == 429
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 30, 1, tzinfo=dt.UTC), tick=False):
        assert _post(client, "clerk", STAFF_PASSWORD, ip="10.4.4.4").status_code == 302


def test_oversight_sign_in_locks_out_too(db) -> None:  # type: ignore[no-untyped-def]
    from apps.accounts.models import User

    User.objects.create_superuser("national-lock", "long-enough-pass-1")
    client = Client(HTTP_HOST="localhost")
    for n in range(5):
        client.post("/oversight/login/", {"username": "national-lock", "password": f"x{n}"}, REMOTE_ADDR="10.5.5.5")
    response = client.post("/oversight/login/", {"username": "national-lock", "password": "long-enough-pass-1"},
                           REMOTE_ADDR="10.5.5.5")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
