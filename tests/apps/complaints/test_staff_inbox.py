"""The staff inbox: filters, pagination, a fixed number of queries, bulk actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint, Department
from apps.reporting.models import ComplaintFact
from tests.apps.complaints.staff_helpers import fresh, make_case, signed_in, user


def codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.tracking_code for c, _due in response.context["rows"]}


def test_officer_sees_only_their_department(banlat):
    road = make_case(banlat, national="road")  # routed to กองช่าง by default
    waste = make_case(banlat, national="waste", description="ขยะไม่ได้เก็บสามวัน")  # กองสาธารณสุข
    officer = signed_in(banlat, "officer").get("/staff/")
    assert road.tracking_code in codes(officer)
    assert waste.tracking_code not in codes(officer)
    health = signed_in(banlat, "health_officer").get("/staff/")
    assert waste.tracking_code in codes(health)
    assert road.tracking_code not in codes(health)
    assert signed_in(banlat, "officer").get(f"/staff/cases/{waste.pk}/").status_code == 404
    everyone = signed_in(banlat, "admin").get("/staff/")
    assert codes(everyone) == {road.tracking_code, waste.tracking_code}


def test_filters_status_department_category_channel_code(banlat):
    road = make_case(banlat, national="road", channel="phone")
    waste = make_case(banlat, national="waste", channel="letter", description="ขยะล้น")
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        client.post(f"/staff/cases/{waste.pk}/acknowledge/")
        health = Department.objects.get(code="health")
        road_category = road.category_id
    assert codes(client.get("/staff/?status=acknowledged")) == {waste.tracking_code}
    assert road.tracking_code in codes(client.get("/staff/?status=open"))
    by_department = codes(client.get(f"/staff/?department={health.pk}"))
    assert waste.tracking_code in by_department and road.tracking_code not in by_department
    by_category = codes(client.get(f"/staff/?category={road_category}"))
    assert road.tracking_code in by_category and waste.tracking_code not in by_category
    by_channel = codes(client.get("/staff/?channel=letter"))
    assert waste.tracking_code in by_channel and road.tracking_code not in by_channel
    assert codes(client.get(f"/staff/?q={road.tracking_code.lower().replace('-', '')}")) == {road.tracking_code}


def test_due_filters_read_the_fact_deadlines(banlat):
    overdue = make_case(banlat)
    soon = make_case(banlat)
    later = make_case(banlat)
    now = timezone.now()
    for case, due in ((overdue, now - dt.timedelta(hours=3)), (soon, now + dt.timedelta(hours=20)),
                      (later, now + dt.timedelta(days=9))):
        ComplaintFact.objects.filter(body=banlat, complaint_id=case.pk).update(resolve_due_at=due)
    client = signed_in(banlat, "admin")
    assert codes(client.get("/staff/?due=overdue")) == {overdue.tracking_code}
    assert codes(client.get("/staff/?due=soon")) == {soon.tracking_code}
    page = client.get("/staff/?due=overdue").content.decode()
    assert "due--overdue" in page


def test_pagination(banlat):
    with schema_context(banlat.schema_name):
        before = Complaint.objects.filter(routed_to_oversight=False).count()
    made = [make_case(banlat, description=f"ไฟฟ้าส่องสว่างดับ จุดที่ {i}") for i in range(30)]
    client = signed_in(banlat, "admin")
    first = client.get("/staff/?per=25")
    second = client.get("/staff/?per=25&page=2")
    assert first.context["page"].paginator.count == before + 30
    assert len(first.context["rows"]) == 25
    assert codes(first).isdisjoint(codes(second))
    assert made[-1].tracking_code in codes(first)  # newest first


@pytest.mark.parametrize("count", [5, 50])
def test_inbox_runs_a_fixed_number_of_queries(banlat, count, django_assert_num_queries, settings):
    settings.TENANT_CACHE_CHECK_SECONDS = 3600  # the host table's version check stays out of the count
    with schema_context(banlat.schema_name):
        Complaint.objects.all().delete()
    for i in range(count):
        make_case(banlat, description=f"ถนนชำรุด {i}")
    client = signed_in(banlat, "admin")
    client.get("/staff/")  # warm the host cache
    # session, user, its second-factor device, staff role, body profile (base page), departments,
    # categories, count, the page, the page's ids, its rows, their deadlines from the facts:
    # the same for 5 rows as for 50.
    with django_assert_num_queries(INBOX_QUERIES):
        response = client.get("/staff/?per=100")
    assert len(response.context["rows"]) == count


INBOX_QUERIES = 12


def test_bulk_assign_each_case_through_the_service(banlat):
    cases = [make_case(banlat, national="waste", description=f"ขยะ {i}") for i in range(3)]
    with schema_context(banlat.schema_name):
        engineering = Department.objects.get(code="engineering")
    client = signed_in(banlat, "admin")
    response = client.post("/staff/bulk/", {"action": "assign", "department": engineering.pk,
                                            "ids": [c.pk for c in cases]}, follow=True)
    assert "มอบหมายแล้ว 3 เรื่อง" in response.content.decode()
    for case in cases:
        case = fresh(banlat, case)
        assert (case.status, case.department_id) == ("in_progress", engineering.pk)


def test_bulk_close_reports_refusals_per_case_and_changes_nothing_for_them(banlat):
    resolved = make_case(banlat)
    open_case = make_case(banlat)
    admin = signed_in(banlat, "admin")
    admin.post(f"/staff/cases/{resolved.pk}/assign/", {"assign-department": fresh(banlat, resolved).department_id})
    admin.post(f"/staff/cases/{resolved.pk}/resolve/", {"resolve-resolution": "ซ่อมถนนแล้ว"})
    assert fresh(banlat, resolved).status == "resolved"
    response = admin.post("/staff/bulk/", {"action": "close", "ids": [resolved.pk, open_case.pk, 99999999]},
                          follow=True)
    page = response.content.decode()
    assert "ปิดเรื่องแล้ว 1 เรื่อง" in page
    assert f"{open_case.tracking_code}: ไม่สามารถเปลี่ยนสถานะจาก" in page
    assert "ไม่พบเรื่องหมายเลข 99999999" in page
    assert fresh(banlat, resolved).status == "closed"
    assert fresh(banlat, open_case).status == "received"


def test_bulk_is_limited_to_what_the_user_sees(banlat):
    waste = make_case(banlat, national="waste", description="ขยะ")
    with schema_context(banlat.schema_name):
        engineering = Department.objects.get(code="engineering")
    response = signed_in(banlat, "officer").post(
        "/staff/bulk/", {"action": "assign", "department": engineering.pk, "ids": [waste.pk]}, follow=True)
    assert f"ไม่พบเรื่องหมายเลข {waste.pk}" in response.content.decode()
    assert fresh(banlat, waste).department_id != engineering.pk
    assert user(banlat, "officer")
