import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.errors import ComplaintError, NotAllowed, WorkflowError
from apps.complaints.models import Complaint, ComplaintEvent, Department, EventKind, Notification
from apps.complaints.selectors import complaint_lookup_for_citizen
from apps.complaints.services.merge import complaint_merge
from apps.complaints.services.transfer import complaint_transfer, complaint_transfer_accept, complaint_transfer_return
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_citizen_respond,
    complaint_close,
    complaint_rate,
    complaint_reject,
    complaint_reopen,
    complaint_reply,
    complaint_request_info,
    complaint_resolve,
)
from apps.complaints.validation import Complainant
from apps.reporting.models import ComplaintFact, OutboxEntry
from tenants.models import LocalBody
from tests.apps.complaints.helpers import SOMCHAI, category, file_complaint


def _user(name: str) -> User:
    return User.objects.get(username=name)


def test_web_intake_gives_a_readable_code_routes_by_category_and_writes_the_fact(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        result = file_complaint()
        case = result.complaint
        assert len(case.tracking_code) == 9 and case.tracking_code[4] == "-"
        assert not set(case.tracking_code) & set("01OIL")
        assert (result.second_factor, result.second_factor_kind) == ("5678", "phone")
        assert case.status == "received"
        assert case.department.code == "engineering"  # default routing of streetlights
        kinds = list(case.events.values_list("kind", flat=True))
        assert kinds == [EventKind.CREATED, EventKind.ASSIGN]
        assert Notification.objects.filter(complaint=case).count() == 2  # e-mail and SMS
        notification_ids = list(Notification.objects.filter(complaint=case).values_list("pk", flat=True))
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=case.pk)
    assert (fact.tracking_code, fact.status, fact.channel, fact.national_category, fact.sla_class) == (
        case.tracking_code, "received", "web", "streetlight", "B")
    assert (fact.province_code, fact.district_code) == ("76", "7606")
    assert OutboxEntry.objects.filter(body=banlat, notification_id__in=notification_ids).count() == 2


def test_anonymous_intake_gets_a_pin_and_no_notifications(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        result = file_complaint(complainant=None)
        assert result.second_factor_kind == "pin" and len(result.second_factor) == 6
        assert result.complaint.is_anonymous
        assert not Notification.objects.filter(complaint=result.complaint).exists()
        found = complaint_lookup_for_citizen(code=result.complaint.tracking_code, second_factor=result.second_factor)
        assert found == result.complaint


def test_a_code_alone_or_with_the_wrong_factor_reveals_nothing(banlat: LocalBody, thasen: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = file_complaint().complaint
        assert complaint_lookup_for_citizen(code=case.tracking_code, second_factor="") is None
        assert complaint_lookup_for_citizen(code=case.tracking_code, second_factor="0000") is None
        assert complaint_lookup_for_citizen(code=case.tracking_code.lower().replace("-", ""),
                                            second_factor="5678") == case
    with schema_context(thasen.schema_name):
        assert complaint_lookup_for_citizen(code=case.tracking_code, second_factor="5678") is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "   "}, "description"),
        ({"complainant": Complainant(name="ก", phone="12345")}, "phone"),
        ({"complainant": Complainant(name="ก", national_id="1101700203451", phone="0812345678")}, "national_id"),
        ({"complainant": Complainant(name="", phone="0812345678")}, "name"),
        ({"complainant": Complainant(name="ก")}, "phone"),
        ({"latitude": "48.85", "longitude": "2.35"}, "location"),
        ({"subdistrict_code": "999999"}, "subdistrict"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(banlat: LocalBody, changes: dict,
                                                                      field: str) -> None:
    with schema_context(banlat.schema_name):
        before = Complaint.objects.count()
        kwargs = {"channel": "web", "category": category(), "description": "ถนนเป็นหลุม",
                  "complainant": SOMCHAI, **changes}
        from apps.complaints.services.intake import complaint_submit

        with pytest.raises(ComplaintError) as refused:
            complaint_submit(**kwargs)
        assert refused.value.field == field
        assert str(refused.value)  # a Thai message for the user
        assert Complaint.objects.count() == before
    assert not ComplaintFact.objects.filter(body=banlat, status="received", tracking_code="").exists()


def test_walk_in_intake_needs_a_staff_member(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        with pytest.raises(NotAllowed):
            file_complaint(channel="walk_in", actor=None)
        result = file_complaint(channel="walk_in", actor=_user("clerk"))
        assert result.complaint.channel == "walk_in"


def test_full_workflow_records_every_step_in_the_timeline_and_the_fact(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        officer = _user("officer")
        case = file_complaint().complaint
        case = complaint_acknowledge(complaint=case, actor=officer)
        case = complaint_assign(complaint=case, actor=officer, department=Department.objects.get(code="engineering"),
                                assignee=officer)
        complaint_reply(complaint=case, actor=officer, text="ส่งช่างไปตรวจสอบแล้ว")
        case = complaint_request_info(complaint=case, actor=officer, text="ขอทราบเลขเสาไฟ")
        case = complaint_citizen_respond(complaint=case, text="เสาหมายเลข 12")
        case = complaint_resolve(complaint=case, actor=officer, resolution="เปลี่ยนหลอดไฟแล้ว")
        case = complaint_close(complaint=case, actor=officer)
        statuses = list(case.events.filter(kind=EventKind.STATUS).values_list("from_status", "to_status"))
        assert statuses == [("received", "acknowledged"), ("acknowledged", "in_progress"),
                            ("in_progress", "waiting"), ("waiting", "in_progress"),
                            ("in_progress", "resolved"), ("resolved", "closed")]
        assert case.events.filter(kind=EventKind.REPLY, is_public=True).count() == 1
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=case.pk)
    assert fact.status == "closed"
    assert fact.acknowledged_at and fact.first_reply_at and fact.resolved_at and fact.closed_at


def test_illegal_transitions_are_refused_and_change_nothing(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        officer = _user("officer")
        case = file_complaint().complaint
        events = case.events.count()
        with pytest.raises(WorkflowError) as refused:
            complaint_resolve(complaint=case, actor=officer, resolution="เสร็จ")
        assert "ไม่สามารถเปลี่ยนสถานะ" in str(refused.value)
        with pytest.raises(WorkflowError):
            complaint_close(complaint=case, actor=officer)
        case.refresh_from_db()
        assert case.status == "received"
        assert case.events.count() == events
    assert ComplaintFact.objects.get(body=banlat, complaint_id=case.pk).status == "received"


def test_complex_cases_need_an_executive_to_close(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        officer, executive = _user("officer"), _user("executive")
        case = file_complaint("building").complaint
        complaint_assign(complaint=case, actor=officer, department=Department.objects.get(code="engineering"))
        case = complaint_resolve(complaint=case, actor=officer, resolution="ตรวจแล้ว")
        with pytest.raises(NotAllowed):
            complaint_close(complaint=case, actor=officer)
        assert complaint_close(complaint=case, actor=executive).status == "closed"


def test_reject_needs_a_reason(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = file_complaint().complaint
        with pytest.raises(ComplaintError):
            complaint_reject(complaint=case, actor=_user("clerk"), reason=" ")
        case = complaint_reject(complaint=case, actor=_user("clerk"), reason="ไม่อยู่ในอำนาจหน้าที่")
        assert case.status == "rejected"
    assert ComplaintFact.objects.get(body=banlat, complaint_id=case.pk).rejected_at is not None


def test_rate_once_then_reopen_starts_a_new_cycle(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        officer = _user("officer")
        case = file_complaint().complaint
        complaint_assign(complaint=case, actor=officer, department=Department.objects.get(code="engineering"))
        case = complaint_resolve(complaint=case, actor=officer, resolution="ซ่อมแล้ว")
        with pytest.raises(ComplaintError):
            complaint_rate(complaint=case, rating=6)
        case = complaint_rate(complaint=case, rating=4, comment="รวดเร็ว")
        with pytest.raises(WorkflowError):
            complaint_rate(complaint=case, rating=5)
        first_cycle = case.cycle_started_at
        case = complaint_reopen(complaint=case, reason="ไฟดับอีกแล้ว")
        assert (case.status, case.reopen_count) == ("received", 1)
        assert case.cycle_started_at > first_cycle
        assert case.events.filter(kind=EventKind.STATUS, data__reopen=True).count() == 1
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=case.pk)
    assert (fact.reopen_count, fact.status) == (1, "received")


def test_merge_keeps_both_timelines_and_tells_both_complainants(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        officer = _user("officer")
        first = file_complaint().complaint
        second = file_complaint(complainant=Complainant(name="สมหญิง", phone="0899999999")).complaint
        complaint_merge(duplicate=second, into=first, actor=officer)
        second.refresh_from_db()
        assert (second.status, second.merged_into_id) == ("merged", first.pk)
        assert first.events.filter(kind=EventKind.MERGE).count() == 1
        assert second.events.filter(kind=EventKind.STATUS, to_status="merged").count() == 1
        assert Notification.objects.filter(complaint=second, recipient="0899999999").count() == 2
        assert Notification.objects.filter(complaint=first, body__contains=second.tracking_code).exists()
    facts = {f.complaint_id: f
             for f in ComplaintFact.objects.filter(body=banlat, complaint_id__in=[first.pk, second.pk])}
    assert facts[second.pk].merged_into_id == facts[first.pk].pk


def test_transfer_to_another_body_round_trip_accept(banlat: LocalBody, thasen: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = file_complaint("water_supply").complaint
        code = case.tracking_code
        complaint_transfer(complaint=case, actor=_user("clerk"), to_body=thasen, reason="อยู่ในเขต อบต.ท่าเสน")
        case.refresh_from_db()
        assert case.status == "transferred"
    with schema_context(thasen.schema_name):
        offer = Complaint.objects.get(tracking_code=code)
        assert (offer.status, offer.channel, offer.transfer_origin_complaint_id) == ("transfer_offered", "transfer",
                                                                                   case.pk)
        assert offer.complainant_name == "สมชาย ใจดี"
        assert complaint_lookup_for_citizen(code=code, second_factor="5678") is None  # not yet accepted
        accepted = complaint_transfer_accept(complaint=offer, actor=_user("clerk"))
        assert accepted.status == "received"
        assert complaint_lookup_for_citizen(code=code, second_factor="5678") == accepted
    with schema_context(banlat.schema_name):
        assert case.events.filter(kind=EventKind.TRANSFER, data__accepted_by=thasen.pk).exists()
    sender_fact = ComplaintFact.objects.get(body=banlat, complaint_id=case.pk)
    receiver_fact = ComplaintFact.objects.get(body=thasen, tracking_code=code)
    assert sender_fact.transferred_to_body_id == thasen.pk and sender_fact.transferred_at
    assert receiver_fact.transferred_from_id == sender_fact.pk


def test_transfer_returned_comes_back_to_the_sender(banlat: LocalBody, thasen: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = file_complaint("road").complaint
        complaint_transfer(complaint=case, actor=_user("clerk"), to_body=thasen, reason="ถนนของ อบต.")
    with schema_context(thasen.schema_name):
        offer = Complaint.objects.get(tracking_code=case.tracking_code)
        complaint_transfer_return(complaint=offer, actor=_user("clerk"), reason="ถนนเส้นนี้เป็นของเทศบาล")
    with schema_context(banlat.schema_name):
        case.refresh_from_db()
        assert case.status == "in_progress"
        assert case.events.filter(kind=EventKind.STATUS, data__returned_by=thasen.pk).exists()
    assert not ComplaintFact.objects.filter(body=thasen, tracking_code=case.tracking_code).exists()


def test_transfer_to_an_outside_agency(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = file_complaint("streetlight").complaint
        complaint_transfer(complaint=case, actor=_user("officer"), to_agency="การไฟฟ้าส่วนภูมิภาค",
                           reason="สายไฟแรงสูง")
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=case.pk)
    assert (fact.status, fact.transferred_to_agency) == ("transferred", "การไฟฟ้าส่วนภูมิภาค")


def test_corruption_complaints_go_to_oversight_with_identity_withheld(banlat: LocalBody) -> None:
    from apps.complaints.policies import complainant_identity

    with schema_context(banlat.schema_name):
        case = file_complaint("corruption").complaint
        assert case.routed_to_oversight and case.is_confidential and case.department is None
        for role in ("admin", "executive", "clerk", "officer"):
            assert complainant_identity(_user(role), case, context="case page") is None
    assert ComplaintFact.objects.get(body=banlat, complaint_id=case.pk).routed_to_oversight


def test_identity_views_are_audited(banlat: LocalBody) -> None:
    from apps.complaints.models import IdentityAccess
    from apps.complaints.policies import complainant_identity

    with schema_context(banlat.schema_name):
        case = file_complaint().complaint
        identity = complainant_identity(_user("clerk"), case, context="case page")
        assert identity and identity["phone"] == "0812345678"
        assert complainant_identity(_user("officer"), case, context="case page") is None  # not the assignee
        assert list(IdentityAccess.objects.filter(complaint=case).values_list("user__username", "context")) == [
            ("clerk", "case page")]


def test_staff_of_one_body_cannot_reach_anothers_cases(banlat: LocalBody, thasen: LocalBody) -> None:
    from django.http import Http404

    from apps.complaints.policies import get_complaint_for_user

    with schema_context(banlat.schema_name):
        case = file_complaint().complaint
    with schema_context(thasen.schema_name):
        with pytest.raises(Http404):
            get_complaint_for_user(_user("admin"), case.pk)
    assert connection.schema_name == "public"


def test_events_carry_who_and_when(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        case = file_complaint().complaint
        complaint_acknowledge(complaint=case, actor=_user("clerk"))
        event = ComplaintEvent.objects.filter(complaint=case, kind=EventKind.STATUS).get()
        assert event.actor.username == "clerk"
        assert (event.from_status, event.to_status, event.is_public) == ("received", "acknowledged", True)
