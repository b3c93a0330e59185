"""The complainant's consent to be contacted by the officers handling the case: one explicit choice
per channel on the filing form (only for a contact given), shown on the receipt and the tracking
page, withdrawn there channel by channel (recorded on the case's timeline)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint, ComplaintEvent
from apps.complaints.services.intake import PRIVACY_NOTICE_VERSION
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case

from .helpers import complaints_count, filed, form_data

pytestmark = pytest.mark.django_db


def test_the_form_offers_one_unticked_choice_per_channel(banlat_client: Client) -> None:
    html = banlat_client.get("/complaints/new/").content.decode()
    for name, given in (("contact_phone", "id_phone"), ("contact_email", "id_email"), ("contact_line", "id_line_id")):
        assert f'<div class="choice" data-contact-for="{given}">\n<input type="checkbox" name="{name}" ' \
               f'id="id_{name}">' in html
    assert '<label for="id_contact_phone">โทรศัพท์ (โทรหรือส่ง SMS)</label>' in html


def test_the_consent_given_is_stored_exactly(banlat_client: Client, banlat: LocalBody) -> None:
    data = form_data(banlat, email="somying@example.org", line_id="somying", contact_phone="on", contact_line="on")
    assert banlat_client.post("/complaints/new/", data).status_code == 302
    complaint = filed(banlat_client, banlat)
    assert complaint.contact_allowed == ["phone", "line"]
    assert complaint.privacy_notice_version == PRIVACY_NOTICE_VERSION == "2026-2"
    receipt = banlat_client.get("/complaints/receipt/").content.decode()
    assert '<li data-channel="phone">โทรศัพท์ (โทรหรือส่ง SMS)</li><li data-channel="line">LINE</li>' in receipt
    assert "ถอนความยินยอมได้ที่หน้าติดตามเรื่อง" in receipt


def test_no_choice_stores_no_consent(banlat_client: Client, banlat: LocalBody) -> None:
    assert banlat_client.post("/complaints/new/", form_data(banlat, email="a@example.org")).status_code == 302
    complaint = filed(banlat_client, banlat)
    assert complaint.contact_allowed == []
    receipt = banlat_client.get("/complaints/receipt/").content.decode()
    assert '<p id="consent-summary">ท่านไม่ได้ยินยอมให้เจ้าหน้าที่ติดต่อท่านโดยตรง</p>' in receipt


def test_consent_for_a_channel_with_no_contact_is_refused_and_nothing_stored(banlat_client: Client,
                                                                           banlat: LocalBody) -> None:
    before = complaints_count(banlat)
    response = banlat_client.post("/complaints/new/", form_data(banlat, contact_phone="on", contact_email="on"))
    assert response.status_code == 400
    assert ('<ul class="errorlist" id="id_contact_email-error"><li>ท่านเลือกให้ติดต่อทางอีเมล แต่ไม่ได้กรอกอีเมล '
            'กรุณากรอกอีเมล หรือยกเลิกการเลือกนี้</li></ul>') in response.content.decode()
    assert complaints_count(banlat) == before
    banlat_client.cookies["django_language"] = "en"
    english = banlat_client.post("/complaints/new/", form_data(banlat, contact_line="on"))
    assert english.status_code == 400
    assert ("You chose to be contacted by LINE but gave no LINE ID. Please enter the LINE ID or untick this "
            "choice.") in english.content.decode()
    assert complaints_count(banlat) == before


def test_an_anonymous_complaint_keeps_no_consent(banlat_client: Client, banlat: LocalBody) -> None:
    data = form_data(banlat, anonymous="on", name="", phone="", contact_phone="on")
    assert banlat_client.post("/complaints/new/", data).status_code == 302
    assert filed(banlat_client, banlat).contact_allowed == []


def test_the_citizen_withdraws_a_channel_from_the_tracking_page(banlat_client: Client, banlat: LocalBody) -> None:
    data = form_data(banlat, email="somying@example.org", contact_phone="on", contact_email="on")
    banlat_client.post("/complaints/new/", data)
    complaint = filed(banlat_client, banlat)
    fresh = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.9")
    assert fresh.post("/track/case/", {"action": "withdraw_contact", "channel": "phone"})["Location"] == "/track/"
    assert fresh.post("/track/", {"code": complaint.tracking_code, "second_factor": "4567"}).status_code == 302
    page = fresh.get("/track/case/").content.decode()
    assert 'id="withdraw-phone">ถอนความยินยอมให้ติดต่อทางโทรศัพท์ (โทรหรือส่ง SMS)</button>' in page
    response = fresh.post("/track/case/", {"action": "withdraw_contact", "channel": "phone"})
    assert response.status_code == 302 and response["Location"] == "/track/case/"
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=complaint.pk).contact_allowed == ["email"]
        event = ComplaintEvent.objects.get(complaint_id=complaint.pk, kind="consent")
        assert (event.actor_id, event.actor_label, event.is_public, event.data) == (
            None, "ผู้ร้อง", False, {"withdrawn": ["phone"], "allowed": ["email"]})
    page = fresh.get("/track/case/").content.decode()
    assert "ถอนความยินยอมแล้ว เจ้าหน้าที่จะไม่ติดต่อท่านทางช่องทางนั้นอีก" in page
    assert 'data-channel="phone"' not in page and 'data-channel="email"' in page
    # Withdrawn already (or never given): refused, nothing recorded.
    again = fresh.post("/track/case/", {"action": "withdraw_contact", "channel": "phone"})
    assert again.status_code == 400
    assert '<p class="errorlist" id="consent-error">ท่านไม่ได้ยินยอมให้ติดต่อทางช่องทางนี้ไว้</p>' in \
        again.content.decode()
    bogus = fresh.post("/track/case/", {"action": "withdraw_contact", "channel": "fax"})
    assert bogus.status_code == 400
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=complaint.pk).contact_allowed == ["email"]
        assert ComplaintEvent.objects.filter(complaint_id=complaint.pk, kind="consent").count() == 1


def test_cases_filed_before_the_choice_keep_every_channel_they_gave(banlat: LocalBody) -> None:
    # The migration's statement, run again on cases as they were before it (no channel recorded).
    fill = importlib.import_module("apps.complaints.migrations.0016_contact_allowed").FILL
    both = make_case(banlat, phone="0812345678", email="a@example.org")
    phone_only = make_case(banlat, phone="0812345679")
    anonymous = make_case(banlat, name="")
    with schema_context(banlat.schema_name):
        Complaint.objects.filter(pk__in=[both.pk, phone_only.pk, anonymous.pk]).update(contact_allowed=[])
        with connection.cursor() as cursor:
            cursor.execute(fill)
        got = dict(Complaint.objects.filter(pk__in=[both.pk, phone_only.pk, anonymous.pk])
                   .values_list("pk", "contact_allowed"))
    assert got == {both.pk: ["phone", "email"], phone_only.pk: ["phone"], anonymous.pk: []}
