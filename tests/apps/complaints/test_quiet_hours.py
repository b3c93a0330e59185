"""Quiet hours: no SMS and no LINE push at night (21:00–08:00 Bangkok by the platform's
settings, or the body's own window) except about an urgent class A case; what is held goes at the
window's end, through the outbox sweep. E-mail is not held."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints import notifications
from apps.complaints.body_admin import notification_settings_save
from apps.complaints.models import Complaint, Notification
from apps.reporting.models import OutboxEntry
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case

pytestmark = pytest.mark.django_db
BANGKOK = dt.timezone(dt.timedelta(hours=7))
NIGHT = dt.datetime(2026, 12, 1, 22, 30, tzinfo=BANGKOK)
MORNING = dt.datetime(2026, 12, 2, 8, 0, tzinfo=BANGKOK)


@pytest.fixture(autouse=True)
def _national_window(settings: Any) -> None:
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = 21, 8
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": "console", "email": "console"}


def outbox(body: LocalBody, complaint: Complaint) -> list[tuple[str, str, dt.datetime, dt.datetime]]:
    """(channel, status, next attempt, the sweep's due time) of the case's messages."""
    with schema_context(body.schema_name):
        rows = list(Notification.objects.filter(complaint=complaint).order_by("id"))
        due = dict(OutboxEntry.objects.filter(body=body, notification_id__in=[n.pk for n in rows])
                   .values_list("notification_id", "due_at"))
        return [(n.channel, n.status, n.next_attempt_at, due.get(n.pk)) for n in rows]


def deliver_all(body: LocalBody, complaint: Complaint) -> int:
    with schema_context(body.schema_name):
        ids = list(Notification.objects.filter(complaint=complaint).values_list("pk", flat=True))
        return notifications.deliver(ids)


def test_an_sms_at_night_waits_for_eight_in_the_morning(banlat: LocalBody) -> None:
    with time_machine.travel(NIGHT, tick=False):
        case = make_case(banlat, phone="0812345678", email="somchai@example.org")
        assert outbox(banlat, case) == [("email", "pending", NIGHT, NIGHT), ("sms", "pending", MORNING, MORNING)]
        assert deliver_all(banlat, case) == 1  # the e-mail; the SMS is still held
        assert [row[:2] for row in outbox(banlat, case)] == [("email", "sent"), ("sms", "pending")]
    with time_machine.travel(MORNING - dt.timedelta(minutes=1), tick=False):
        assert deliver_all(banlat, case) == 0
    with time_machine.travel(MORNING, tick=False):
        assert deliver_all(banlat, case) == 1
        assert [row[:2] for row in outbox(banlat, case)] == [("email", "sent"), ("sms", "sent")]


def test_an_urgent_case_is_told_at_once_even_at_night(banlat: LocalBody) -> None:
    with time_machine.travel(NIGHT, tick=False):
        case = make_case(banlat, national="urgent_hazard", phone="0812345678",
                         description="ต้นไม้ล้มทับสายไฟ ไฟช็อตริมถนน")
        assert outbox(banlat, case) == [("sms", "pending", NIGHT, NIGHT)]
        assert deliver_all(banlat, case) == 1


def test_a_retry_that_falls_in_the_night_is_held_too(banlat: LocalBody, settings: Any) -> None:
    failing = "apps.complaints.notifications.FailingBackend"
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": failing}
    evening = dt.datetime(2026, 12, 1, 20, 59, tzinfo=BANGKOK)
    with time_machine.travel(evening, tick=False):
        case = make_case(banlat, phone="0812345678")
        assert deliver_all(banlat, case) == 0  # failed: retried at 21:01, inside the window
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": "console"}
    with time_machine.travel(evening + dt.timedelta(minutes=2), tick=False):
        assert deliver_all(banlat, case) == 0
        assert outbox(banlat, case) == [("sms", "pending", MORNING, MORNING)]


def test_the_body_sets_its_own_window(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        notification_settings_save(actor=User.objects.get(username="admin"), sms_provider="", email_provider="",
                                   quiet_start=20, quiet_end=6)
    seven = dt.datetime(2026, 12, 2, 7, 0, tzinfo=BANGKOK)
    with time_machine.travel(seven, tick=False):  # the national window would hold it until 08:00
        case = make_case(banlat, phone="0812345678")
        assert outbox(banlat, case) == [("sms", "pending", seven, seven)]
    half_past_eight = dt.datetime(2026, 12, 2, 20, 30, tzinfo=BANGKOK)
    with time_machine.travel(half_past_eight, tick=False):
        late = make_case(banlat, phone="0812345678")
        six = dt.datetime(2026, 12, 3, 6, 0, tzinfo=BANGKOK)
        assert outbox(banlat, late) == [("sms", "pending", six, six)]
    with schema_context(banlat.schema_name):  # equal hours: no quiet hours at all
        notification_settings_save(actor=User.objects.get(username="admin"), sms_provider="", email_provider="",
                                   quiet_start=0, quiet_end=0)
    with time_machine.travel(NIGHT, tick=False):
        night = make_case(banlat, phone="0812345678")
        assert outbox(banlat, night) == [("sms", "pending", NIGHT, NIGHT)]
