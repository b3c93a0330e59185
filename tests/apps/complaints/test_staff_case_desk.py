"""The case page as a desk: photos as thumbnails with a viewer, the pin on a map, deadlines that
never look overdue once the case is finished (with a legend for their colours), the request for
information beside its answer, and the complainant's contact for the officers handling the case
(audited, only the channels the complainant allowed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.models import Attachment, Complaint, Department, IdentityAccess
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_citizen_respond,
    complaint_request_info,
    complaint_resolve,
)
from apps.reporting.models import ComplaintFact
from apps.ui.thai import format_date as thai_date
from tests.apps.complaints.staff_helpers import anonymous, make_case, signed_in, user
from tests.apps.complaints.test_staff_case import jpeg


def _assigned(body, *, department: str = "engineering", assignee: str | None = None, **extra):  # type: ignore[no-untyped-def]
    case = make_case(body, **extra)
    with schema_context(body.schema_name):
        clerk = user(body, "clerk")
        complaint_acknowledge(complaint=case, actor=clerk, text="")
        complaint_assign(complaint=Complaint.objects.get(pk=case.pk), actor=clerk,
                         department=Department.objects.get(code=department),
                         assignee=user(body, assignee) if assignee else None)
        return Complaint.objects.get(pk=case.pk)


def test_photos_are_thumbnails_opening_a_viewer_and_the_pin_is_on_a_map(banlat, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = make_case(banlat, uploads=[jpeg("a.jpg"), jpeg("b.jpg")], latitude=Decimal("13.912345"),
                     longitude=Decimal("100.123456"))
    with schema_context(banlat.schema_name):
        first, second = Attachment.objects.filter(complaint_id=case.pk).order_by("id")
    page = signed_in(banlat, "clerk").get(f"/staff/cases/{case.pk}/").content.decode()
    url = f"/staff/cases/{case.pk}/files/{first.pk}/"
    assert (f'<a class="thumb" href="{url}" data-viewer="0">\n<img src="{url}thumbnail/" alt="รูปที่ 1: a.jpg" '
            f'loading="lazy" width="120" height="90"></a>') in page
    assert f'href="/staff/cases/{case.pk}/files/{second.pk}/" data-viewer="1"' in page
    assert '<dialog class="viewer" id="photo-viewer" aria-labelledby="viewer-caption">' in page
    assert 'id="case-map" class="map map--case" role="region"' in page
    assert 'data-lat="13.912345" data-lng="100.123456" data-tiles=""' in page
    assert '<script src="/static/complaints/js/case.js" defer></script>' in page
    assert '/static/ui/vendor/leaflet/leaflet.js' in page


def test_a_case_without_photos_or_pin_has_no_viewer_and_no_map(banlat) -> None:
    case = make_case(banlat)
    page = signed_in(banlat, "clerk").get(f"/staff/cases/{case.pk}/").content.decode()
    assert "photo-viewer" not in page and "case-map" not in page and "leaflet.js" not in page
    assert "ไม่มีไฟล์แนบ" in page


def test_the_map_uses_the_tile_server_setting_and_the_csp_allows_it(banlat, settings) -> None:
    settings.PORTAL_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    case = make_case(banlat, latitude=Decimal("13.9"), longitude=Decimal("100.1"))
    response = signed_in(banlat, "clerk").get(f"/staff/cases/{case.pk}/")
    assert 'data-tiles="https://tile.example.org/{z}/{x}/{y}.png"' in response.content.decode()
    assert "https://tile.example.org" in response["Content-Security-Policy"].split("img-src", 1)[1].split(";")[0]


def test_open_case_deadlines_are_phrased_plainly_with_a_legend(banlat) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        case = make_case(banlat)
        page = signed_in(banlat, "clerk").get(f"/staff/cases/{case.pk}/").content.decode()
    assert '<li class="due due--ok" data-stage="ack">\n<strong>รับเรื่องภายใน</strong>' in page
    assert '<strong>แก้ไขเสร็จภายใน</strong>' in page
    assert 'id="deadline-legend"' in page
    for label in ("ปกติ", "ใกล้ครบ", "เกินกำหนด", "หยุดนับ"):
        assert f"{label}</span></dt>" in page


def test_a_resolved_case_shows_no_deadline_as_overdue(banlat) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        case = _assigned(banlat)
        with schema_context(banlat.schema_name):
            complaint_resolve(complaint=case, actor=user(banlat, "clerk"), resolution="ซ่อมแล้ว")
    with time_machine.travel(dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC), tick=False):  # months later
        page = signed_in(banlat, "clerk").get(f"/staff/cases/{case.pk}/").content.decode()
    assert "เกินกำหนด" not in page.split("</style>", 1)[1] and 'id="deadlines"' not in page
    assert "เรื่องนี้อยู่ในสถานะ “ดำเนินการแล้วเสร็จ” ไม่มีกำหนดเวลาค้างอยู่" in page


def test_an_overdue_open_case_is_marked_overdue(banlat) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        case = make_case(banlat)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        page = signed_in(banlat, "clerk").get(f"/staff/cases/{case.pk}/").content.decode()
    assert '<li class="due due--overdue" data-stage="ack">' in page


def test_the_request_for_information_holds_the_citizens_answer(banlat, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = _assigned(banlat)
    with schema_context(banlat.schema_name):
        complaint_request_info(complaint=case, actor=user(banlat, "clerk"), text="ขอรูปจุดที่ชำรุดเพิ่ม")
    client = signed_in(banlat, "clerk")
    waiting = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "ยังไม่ได้รับคำตอบจากผู้ร้อง (หยุดนับเวลาไว้)" in waiting
    with schema_context(banlat.schema_name):
        complaint_citizen_respond(complaint=Complaint.objects.get(pk=case.pk), text="ส่งรูปมุมกว้างให้แล้วครับ",
                                  uploads=[jpeg("wide.jpg")])
        photo = Attachment.objects.get(complaint_id=case.pk)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    thread = page.split("ขอรูปจุดที่ชำรุดเพิ่ม", 1)[1].split("</li>", 1)[0]
    assert '<div class="thread" data-thread="answer">' in thread
    assert '<p class="thread__label">คำตอบของผู้ร้อง</p>' in thread
    assert "ส่งรูปมุมกว้างให้แล้วครับ" in thread
    assert f'href="/staff/cases/{case.pk}/files/{photo.pk}/"><img' in thread
    assert page.count("ส่งรูปมุมกว้างให้แล้วครับ") == 1  # beside the question, not again below it


def test_a_department_officer_handling_the_case_sees_only_the_channels_allowed_and_each_reveal_is_audited(
        banlat) -> None:
    case = _assigned(banlat, name="สมหญิง รักดี", phone="0898765432", email="somying@example.org",
                     contact_allowed=("phone",))
    with schema_context(banlat.schema_name):
        Complaint.objects.filter(pk=case.pk).update(complainant_national_id="1103700012345",
                                                    complainant_address="99 หมู่ 3")
    client = signed_in(banlat, "officer")  # กองช่าง, not the assignee: the case is the department's
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "แสดงช่องทางติดต่อผู้ร้อง" in page and "0898765432" not in page
    assert '<p id="contact-allowed">ผู้ร้องยินยอมให้ติดต่อทาง: โทรศัพท์ (โทรหรือส่ง SMS)</p>' in page
    response = client.post(f"/staff/cases/{case.pk}/contact/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<a href="tel:0898765432">0898765432</a>' in text
    assert "somying@example.org" not in text  # given, but not allowed
    assert "สมหญิง รักดี" in text
    assert "1103700012345" not in text and "99 หมู่ 3" not in text  # identity beyond the contact: not shown
    with schema_context(banlat.schema_name):
        access = IdentityAccess.objects.get(complaint_id=case.pk)
        assert (access.user.username, access.context) == ("officer", "staff case page: contact")
    assert client.post(f"/staff/cases/{case.pk}/contact/").status_code == 200
    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.filter(complaint_id=case.pk).count() == 2


def test_the_allowed_channels_are_named_in_english(banlat) -> None:
    case = _assigned(banlat, phone="0898765432", email="somying@example.org", contact_allowed=("phone", "email"))
    client = signed_in(banlat, "officer")
    client.cookies["django_language"] = "en"
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert '<p id="contact-allowed">The complainant allows contact by: Phone (a call or SMS), Email</p>' in page


def test_a_complainant_who_allowed_no_channel_is_not_revealed_to_the_handling_officer(banlat) -> None:
    case = _assigned(banlat, name="สมหญิง รักดี", phone="0898765432")
    client = signed_in(banlat, "officer")
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert '<p id="contact-allowed">ผู้ร้องไม่ได้ยินยอมให้เจ้าหน้าที่ติดต่อ</p>' in page
    assert "แสดงช่องทางติดต่อผู้ร้อง" not in page
    refused = client.post(f"/staff/cases/{case.pk}/contact/")
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "ผู้ร้องไม่ได้ยินยอมให้เจ้าหน้าที่ติดต่อ" in text and "0898765432" not in text and "สมหญิง" not in text
    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.filter(complaint_id=case.pk).count() == 0


def test_staff_who_may_see_the_whole_identity_still_do_whatever_was_allowed(banlat) -> None:
    case = _assigned(banlat, name="สมหญิง รักดี", phone="0898765432", email="somying@example.org")
    client = signed_in(banlat, "clerk")
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "แสดงข้อมูลผู้ร้อง" in page and "ผู้ร้องไม่ได้ยินยอมให้เจ้าหน้าที่ติดต่อ" in page
    text = client.post(f"/staff/cases/{case.pk}/identity/").content.decode()
    assert "0898765432" in text and "somying@example.org" in text and "สมหญิง รักดี" in text
    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.get(complaint_id=case.pk).context == "staff case page"


def test_an_assignee_of_another_department_may_reach_the_complainant(banlat) -> None:
    case = _assigned(banlat, department="health", assignee="officer", phone="0811112222", contact_allowed=("phone",))
    response = signed_in(banlat, "officer").post(f"/staff/cases/{case.pk}/contact/")
    assert response.status_code == 200 and "0811112222" in response.content.decode()


def test_who_may_not_reach_the_complainant_and_nothing_is_audited(banlat, thasen) -> None:
    engineering = _assigned(banlat, phone="0833334444", contact_allowed=("phone",))
    # Another department's officer does not see the case at all: the same 404 as a missing case.
    assert signed_in(banlat, "health_officer").post(f"/staff/cases/{engineering.pk}/contact/").status_code == 404
    assert signed_in(thasen, "officer").post(f"/staff/cases/{engineering.pk}/contact/",
                                             HTTP_HOST="banlat.localhost").status_code == 404
    confidential = _assigned(banlat, phone="0855556666", is_confidential=True, contact_allowed=("phone",))
    refused = signed_in(banlat, "officer").post(f"/staff/cases/{confidential.pk}/contact/")
    assert refused.status_code == 403 and "0855556666" not in refused.content.decode()
    assert "ท่านไม่ได้รับผิดชอบเรื่องนี้ จึงดูช่องทางติดต่อผู้ร้องไม่ได้" in refused.content.decode()
    with schema_context(banlat.schema_name):
        anonymous = Complaint.objects.get(pk=make_case(banlat, name="").pk)
        complaint_acknowledge(complaint=anonymous, actor=user(banlat, "clerk"), text="")
        complaint_assign(complaint=Complaint.objects.get(pk=anonymous.pk), actor=user(banlat, "clerk"),
                         department=Department.objects.get(code="engineering"), assignee=None)
    assert signed_in(banlat, "officer").post(f"/staff/cases/{anonymous.pk}/contact/").status_code == 403
    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.filter(complaint_id__in=[engineering.pk, confidential.pk,
                                                               anonymous.pk]).count() == 0
    assert signed_in(banlat, "officer").get(f"/staff/cases/{engineering.pk}/contact/").status_code == 405


def test_staff_with_the_whole_identity_are_not_offered_the_contact_button(banlat) -> None:
    case = _assigned(banlat, contact_allowed=("phone",))
    page = signed_in(banlat, "clerk").get(f"/staff/cases/{case.pk}/").content.decode()
    assert "แสดงข้อมูลผู้ร้อง" in page and "แสดงช่องทางติดต่อผู้ร้อง" not in page


def test_the_privacy_notice_states_the_contact_rule(banlat) -> None:
    page = anonymous(banlat).get("/complaints/new/").content.decode()
    assert ('<p id="pdpa-contact">เจ้าหน้าที่ของกอง/สำนักที่รับผิดชอบเรื่องของท่านติดต่อท่านได้เฉพาะทางช่องทางที่ท่าน'
            'เลือกยินยอมไว้ และเห็นเฉพาะชื่อของท่านกับช่องทางนั้น หากท่านไม่เลือกช่องทางใด เจ้าหน้าที่ผู้รับผิดชอบจะไม่'
            'เห็นชื่อและช่องทางติดต่อของท่าน ท่านถอนความยินยอมได้ทุกเมื่อที่หน้าติดตามเรื่อง ส่วนการแจ้งความคืบหน้าของ'
            'เรื่องจะส่งถึงท่านตามช่องทางที่ท่านให้ไว้</p>') in page


def test_the_inbox_never_colours_a_finished_cases_deadline_as_overdue(banlat) -> None:
    finished, running = _assigned(banlat), _assigned(banlat)
    with schema_context(banlat.schema_name):
        complaint_resolve(complaint=finished, actor=user(banlat, "clerk"), resolution="ซ่อมแล้ว")
    past = timezone.now() - dt.timedelta(days=3)
    ComplaintFact.objects.filter(body=banlat, complaint_id__in=[finished.pk, running.pk]).update(resolve_due_at=past)
    page = signed_in(banlat, "admin").get("/staff/?per=100").content.decode()

    def row(case: Complaint) -> str:
        return page.split(f'href="/staff/cases/{case.pk}/"', 1)[1].split("</tr>", 1)[0]

    assert '<span class="due--overdue">' in row(running)
    assert "due--" not in row(finished) and thai_date(past) in row(finished)
