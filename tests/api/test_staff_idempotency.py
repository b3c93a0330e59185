"""The staff JSON intake with an Idempotency-Key: a client that retries after a timeout (or two
retries racing each other) gets the case it already filed, never a second one."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connections
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints.models import Category, Complaint
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import signed_in
from tests.conftest import BANLAT

URL = "/api/staff/v1/complaints/"


def _payload(body: LocalBody, marker: str, **extra: object) -> dict[str, object]:
    with schema_context(body.schema_name):
        streetlight = Category.objects.get(national_category_id="streetlight").pk
    return {"channel": "phone", "category": streetlight, "description": f"ไฟดับหน้าตลาด {marker}", **extra}


def _count(body: LocalBody, marker: str) -> int:
    with schema_context(body.schema_name):
        return Complaint.objects.filter(description__contains=marker).count()


def test_a_retry_with_the_same_key_returns_the_first_case(banlat: LocalBody) -> None:
    client = signed_in(banlat, "clerk")
    marker = uuid.uuid4().hex
    data = _payload(banlat, marker, complainant={"name": "สมศรี", "phone": "081-234-5678"})
    first = client.post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=marker)
    again = client.post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=marker)
    assert (first.status_code, again.status_code) == (201, 200)
    assert (first.json()["replayed"], again.json()["replayed"]) == (False, True)
    for name in ("id", "tracking_code", "second_factor", "second_factor_kind"):
        assert again.json()[name] == first.json()[name]
    assert first.json()["second_factor"] == "5678"
    assert _count(banlat, marker) == 1
    assert ComplaintFact.objects.filter(body=banlat, complaint_id=first.json()["id"]).count() == 1
    # Another key (or none) is another complaint.
    other = client.post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=marker + "-2")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert _count(banlat, marker) == 2


def test_an_anonymous_retry_gets_the_same_code_and_a_new_pin_that_works(banlat: LocalBody) -> None:
    client = signed_in(banlat, "clerk")
    marker = uuid.uuid4().hex
    data = _payload(banlat, marker)
    first = client.post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=marker).json()
    again = client.post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=marker).json()
    assert (first["second_factor_kind"], again["second_factor_kind"]) == ("pin", "pin")
    assert again["tracking_code"] == first["tracking_code"]
    from django.contrib.auth.hashers import check_password

    with schema_context(banlat.schema_name):
        case = Complaint.objects.get(pk=first["id"])
    assert check_password(again["second_factor"], case.pin_hash)
    assert _count(banlat, marker) == 1


def test_the_key_is_per_staff_user(banlat: LocalBody) -> None:
    marker = uuid.uuid4().hex
    data = _payload(banlat, marker)
    clerk = signed_in(banlat, "clerk").post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=marker)
    officer = signed_in(banlat, "officer").post(URL, data, content_type="application/json",
                                                HTTP_IDEMPOTENCY_KEY=marker)
    assert (clerk.status_code, officer.status_code) == (201, 201)
    assert _count(banlat, marker) == 2


@pytest.mark.parametrize("key", ["ก" * 5, "x" * 81, "a b", "key\x00nul"])
def test_a_malformed_key_is_refused_in_thai_and_nothing_stored(banlat: LocalBody, key: str) -> None:
    client = signed_in(banlat, "clerk")
    marker = uuid.uuid4().hex
    response = client.post(URL, _payload(banlat, marker), content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json() == {"field": "idempotency_key",
                               "message": "Idempotency-Key ต้องเป็นอักขระ ASCII ที่มองเห็นได้ ไม่เกิน 80 ตัว"}
    assert _count(banlat, marker) == 0


def test_two_retries_racing_with_one_key_file_one_case(committed: None) -> None:
    body = LocalBody.objects.get(dla_code=BANLAT)
    marker = uuid.uuid4().hex
    data = _payload(body, marker, complainant={"name": "สมชาย", "phone": "0812223333"})
    clients = [signed_in(body, "clerk", Client(HTTP_HOST="banlat.localhost")) for _ in range(4)]
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, int]] = []

    def post(client: Client) -> None:
        try:
            barrier.wait()
            response = client.post(URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=marker)
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(code for code, _id in answers) == [200, 200, 200, 201]
    assert len({case_id for _code, case_id in answers}) == 1
    assert _count(body, marker) == 1
