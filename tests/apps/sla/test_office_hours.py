"""A body's office hours and working days feed its SLA calendar: a body open on Saturday mornings
owes a one-working-day acknowledgement on Saturday; the default stays 08:30–16:30 Monday–Friday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from apps.sla.calendar import Calendar
from apps.sla.models import BodyOfficeHours
from apps.sla.services import sla_office_hours_set
from tests.apps.complaints.staff_helpers import signed_in
from tests.apps.sla.helpers import at, clock_sync, complaint_make

pytestmark = pytest.mark.django_db
FRIDAY = "2025-03-07"


def test_a_saturday_service_point_makes_saturday_a_working_day() -> None:
    weekdays = Calendar.build()
    saturdays = Calendar.build(office_start=dt.time(8, 0), office_end=dt.time(12, 0), weekdays=range(6))
    assert weekdays.add_working_days(at(FRIDAY, "15:00"), 1) == at("2025-03-10", "15:00")
    assert saturdays.add_working_days(at(FRIDAY, "11:00"), 1) == at("2025-03-08", "11:00")
    assert saturdays.is_working_day(dt.date(2025, 3, 8)) and not saturdays.is_working_day(dt.date(2025, 3, 9))
    # A public holiday on one of the working weekdays is still a day off (Chakri Day, Monday 6 April 2026).
    assert not saturdays.is_working_day(dt.date(2026, 4, 6))


def test_deadlines_follow_the_bodys_hours(banlat, thasen) -> None:  # type: ignore[no-untyped-def]
    sla_office_hours_set(body=banlat, opens_at=dt.time(8, 0), closes_at=dt.time(12, 0), weekdays="123456")
    received = at(FRIDAY, "11:00")
    with schema_context(banlat.schema_name):
        saturday = clock_sync(banlat, complaint_make(banlat, received), received)
    with schema_context(thasen.schema_name):
        default = clock_sync(thasen, complaint_make(thasen, received), received)
    # One working day to acknowledge: four office hours at banlat, eight at thasen.
    assert saturday.ack_due_at == at("2025-03-08", "11:00")
    assert default.ack_due_at == at("2025-03-10", "11:00")


def test_the_body_admin_sets_the_hours_on_the_calendar_page(banlat) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(banlat, "admin")
    page = admin.get("/sla/calendar/").content.decode()
    assert 'name="opens_at" type="time" required value="08:30"' in page
    assert 'value="5" checked' in page and 'value="6">' in page

    response = admin.post("/sla/calendar/", {"action": "hours", "opens_at": "08:00", "closes_at": "16:00",
                                             "weekdays": ["1", "2", "3", "4", "5", "6"]})
    assert response.status_code == 302
    hours = BodyOfficeHours.objects.get(body=banlat)
    assert (hours.opens_at, hours.closes_at, hours.weekdays) == (dt.time(8, 0), dt.time(16, 0), "123456")
    with schema_context(banlat.schema_name):
        entry = AuditEntry.objects.get(kind="calendar.hours")
    assert entry.actor_label == "admin"
    assert entry.changes == {"before": {"opens_at": "08:30:00", "closes_at": "16:30:00", "weekdays": "12345"},
                             "after": {"opens_at": "08:00:00", "closes_at": "16:00:00", "weekdays": "123456"}}


@pytest.mark.parametrize(("data", "message"), [
    ({"opens_at": "08:30", "closes_at": "16:30"}, "กรุณาเลือกวันทำการอย่างน้อยหนึ่งวัน"),
    ({"opens_at": "16:30", "closes_at": "08:30", "weekdays": "1"}, "เวลาเปิดทำการต้องก่อนเวลาปิดทำการ"),
    ({"opens_at": "25:00", "closes_at": "16:30", "weekdays": "1"}, "กรุณาระบุเวลาให้ถูกต้อง (ชั่วโมง:นาที)"),
    ({"opens_at": "08:30", "closes_at": "16:30", "weekdays": "9"}, "กรุณาเลือกวันทำการอย่างน้อยหนึ่งวัน"),
])
def test_bad_hours_are_refused_in_thai_and_nothing_stored(banlat, data, message) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(banlat, "admin").post("/sla/calendar/", {"action": "hours", **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert not BodyOfficeHours.objects.filter(body=banlat).exists()


def test_an_officer_cannot_reach_the_hours(banlat) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(banlat, "officer").post("/sla/calendar/", {"action": "hours", "opens_at": "08:00",
                                                                    "closes_at": "12:00", "weekdays": "1"})
    assert response.status_code == 404
    assert not BodyOfficeHours.objects.filter(body=banlat).exists()
    with pytest.raises(ValidationError):
        sla_office_hours_set(body=banlat, opens_at=dt.time(9), closes_at=dt.time(9), weekdays="1")
