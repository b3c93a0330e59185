"""The reporting fact is written in the case's transaction, both ways, and never holds PII."""

import pytest
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from apps.complaints.models import Complaint
from apps.complaints.services import intake
from apps.complaints.services.workflow import complaint_acknowledge, complaint_reply
from apps.complaints.validation import Complainant
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody
from tests.apps.complaints.helpers import file_complaint

PERSON = Complainant(name="นางสาวพิมพ์ใจ ทดสอบลับ", phone="0861112233", email="pimjai.secret@example.com",
                     national_id="3100600123450", address="99/9 ซอยลับเฉพาะ หมู่ 7", line_id="pimjai-line")


def test_a_failed_case_write_leaves_no_fact(banlat: LocalBody, monkeypatch: pytest.MonkeyPatch) -> None:
    facts_before = ComplaintFact.objects.filter(body=banlat).count()

    def broken_event(*args: object, **kwargs: object) -> None:
        raise RuntimeError("timeline write failed")

    monkeypatch.setattr(intake, "event_add", broken_event)
    with schema_context(banlat.schema_name):
        cases_before = Complaint.objects.count()
        with pytest.raises(RuntimeError):
            file_complaint(complainant=PERSON)
        assert Complaint.objects.count() == cases_before
    assert ComplaintFact.objects.filter(body=banlat).count() == facts_before


def test_a_failed_fact_write_leaves_no_case(banlat: LocalBody) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:  # the database itself refuses the fact
            cursor.execute("ALTER TABLE public.reporting_complaintfact ADD CONSTRAINT refuse_roads "
                           "CHECK (national_category <> 'road')")
        with schema_context(banlat.schema_name):
            before = Complaint.objects.count()
            with pytest.raises(IntegrityError, match="refuse_roads"):
                file_complaint("road", complainant=PERSON)
            assert Complaint.objects.count() == before
        assert not ComplaintFact.objects.filter(body=banlat, national_category="road", received_at__isnull=False,
                                                complaint_id__gt=0, tracking_code="").exists()
        transaction.set_rollback(True)


def test_a_failed_fact_update_rolls_back_the_status_change(banlat: LocalBody) -> None:
    from apps.accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE public.reporting_complaintfact ADD CONSTRAINT refuse_ack "
                       "CHECK (status <> 'acknowledged')")
    with schema_context(banlat.schema_name):
        case = file_complaint(complainant=PERSON).complaint
        clerk = User.objects.get(username="clerk")
    with schema_context(banlat.schema_name):
        with pytest.raises(Exception, match="refuse_ack"):
            complaint_acknowledge(complaint=case, actor=clerk)
        case.refresh_from_db()
        assert case.status == "received"
        assert not case.events.filter(to_status="acknowledged").exists()


FORBIDDEN_COLUMNS = {"name", "phone", "email", "national_id", "address", "description", "text", "line_id",
                     "complainant", "note", "comment"}


def test_the_fact_table_has_no_column_for_personal_data() -> None:
    columns = {f.column for f in ComplaintFact._meta.concrete_fields}
    assert not {c for c in columns for word in FORBIDDEN_COLUMNS if word in c}


def test_no_personal_data_reaches_the_fact_table(banlat: LocalBody) -> None:
    from apps.accounts.models import User

    with schema_context(banlat.schema_name):
        case = file_complaint("corruption", complainant=PERSON, location_text="หน้าบ้านเลขที่ 99/9",
                              latitude="13.1002", longitude="99.9228").complaint
        other = file_complaint(complainant=PERSON).complaint
        complaint_reply(complaint=other, actor=User.objects.get(username="officer"),
                        text="เรียนคุณพิมพ์ใจ ช่างจะเข้าไปวันพรุ่งนี้")
    secrets = [PERSON.name, "พิมพ์ใจ", PERSON.phone, PERSON.phone[-4:], PERSON.email, PERSON.national_id,
               PERSON.address, PERSON.line_id, "ไฟถนนหน้าวัด", "99/9", "13.1002"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(f)::text FROM reporting_complaintfact f WHERE complaint_id IN (%s, %s) "
                       "AND body_id = %s", [case.pk, other.pk, banlat.pk])
        rows = [row[0] for row in cursor.fetchall()]
    assert len(rows) == 2
    for row in rows:
        for secret in secrets:
            assert secret not in row, f"{secret!r} leaked into the fact table"


def test_a_tracking_code_taken_elsewhere_on_the_platform_is_never_reused(banlat: LocalBody, thasen: LocalBody,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with schema_context(thasen.schema_name):
        taken = file_complaint(complainant=PERSON).complaint.tracking_code
    codes = iter([taken, "WXYZ-2345"])
    monkeypatch.setattr(intake, "new_tracking_code", lambda: next(codes))
    with schema_context(banlat.schema_name):
        case = file_complaint(complainant=PERSON).complaint  # the first code clashes with thasen's case
        assert case.tracking_code == "WXYZ-2345"
        case.refresh_from_db()
        assert case.tracking_code == "WXYZ-2345"
    assert ComplaintFact.objects.get(body=banlat, complaint_id=case.pk).tracking_code == "WXYZ-2345"
