"""The staff REST API with personal access tokens: the desk's rule, the desk's services, cursor
pagination and filters, idempotent actions, read and write scopes, Thai refusals (English when
asked), the outsider's 404, external references."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.complaints.models import Category, Complaint, ComplaintEvent, Department
from apps.reporting.models import ComplaintFact
from apps.tokens.models import StaffToken
from apps.tokens.services import staff_token_issue, staff_token_revoke
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case

BASE = "/api/staff/v1/complaints/"


def token_for(body: LocalBody, username: str, scope: str = "write", days: int = 30) -> str:
    with schema_context(body.schema_name):
        user = User.objects.get(username=username)
        return staff_token_issue(actor=user, user=user, name=f"test {scope}", scope=scope, days=days)[1]


def api(body: LocalBody, raw: str, **extra: str) -> Client:
    return Client(HTTP_HOST=f"{body.slug}.localhost", HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


def post(client: Client, path: str, data: dict[str, object] | None = None, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(path, data or {}, content_type="application/json", **headers)


def test_a_case_goes_from_intake_to_closure_with_a_token(banlat: LocalBody) -> None:
    client = api(banlat, token_for(banlat, "admin"))
    with schema_context(banlat.schema_name):
        road = Category.objects.filter(national_category_id="road", is_active=True).order_by("position").first()
        engineering = Department.objects.get(code="engineering")
        officer = User.objects.get(username="officer")
    created = post(client, BASE, {"channel": "phone", "category": road.pk, "description": "ถนนเป็นหลุม หน้าโรงเรียน",
                                  "complainant": {"name": "สมศรี", "phone": "0812345678"}})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    steps = [("acknowledge", {"text": "รับเรื่องแล้ว"}, "acknowledged"),
             ("assign", {"department": engineering.pk, "assignee": officer.pk}, "in_progress"),
             ("reply", {"text": "กองช่างจะออกสำรวจพรุ่งนี้"}, "in_progress"),
             ("note", {"text": "ต้องใช้ยางมะตอย 2 ถุง"}, "in_progress"),
             ("request-info", {"text": "ขอภาพถ่ายเพิ่ม"}, "waiting"),
             ("resume", {"text": ""}, "in_progress"),
             ("resolve", {"resolution": "ซ่อมหลุมแล้ว"}, "resolved"),
             ("close", {}, "closed"),
             ("reopen", {"reason": "หลุมกลับมาอีก"}, "received")]
    for action, data, expected in steps:
        response = post(client, f"{BASE}{pk}/{action}/", data, HTTP_IDEMPOTENCY_KEY=f"{action}-{pk}")
        assert response.status_code == 200, (action, response.content)
        assert (response.json()["replayed"], response.json()["complaint"]["status"]) == (False, expected), action
    detail = client.get(f"{BASE}{pk}/").json()
    assert (detail["department"], detail["assignee"], detail["resolution"]) == (engineering.pk, officer.pk,
                                                                                "ซ่อมหลุมแล้ว")
    assert [e["kind"] for e in detail["timeline"]][:3] == ["created", "assign", "status"]
    assert "complainant_name" not in detail and "สมศรี" not in str(detail)
    with schema_context(banlat.schema_name):
        token = StaffToken.objects.get(user__username="admin", name="test write")
        stamped = ComplaintEvent.objects.filter(complaint_id=pk, data__token=token.prefix).count()
        assert stamped == ComplaintEvent.objects.filter(complaint_id=pk).exclude(kind="created").exclude(
            actor_label="ระบบ").count()
        assert ComplaintEvent.objects.filter(complaint_id=pk, kind="reply", actor__username="admin").count() == 1
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=pk)
    assert (fact.status, fact.reopen_count) == ("received", 1)


def test_a_retried_action_with_the_same_key_is_done_once(banlat: LocalBody) -> None:
    case = make_case(banlat)
    client = api(banlat, token_for(banlat, "clerk"))
    first = post(client, f"{BASE}{case.pk}/note/", {"text": "โทรแจ้งผู้ร้องแล้ว"}, HTTP_IDEMPOTENCY_KEY="n-1")
    again = post(client, f"{BASE}{case.pk}/note/", {"text": "โทรแจ้งผู้ร้องแล้ว"}, HTTP_IDEMPOTENCY_KEY="n-1")
    other = post(client, f"{BASE}{case.pk}/note/", {"text": "โทรแจ้งผู้ร้องแล้ว"}, HTTP_IDEMPOTENCY_KEY="n-2")
    assert [r.status_code for r in (first, again, other)] == [200, 200, 200]
    assert [r.json()["replayed"] for r in (first, again, other)] == [False, True, False]
    with schema_context(banlat.schema_name):
        assert ComplaintEvent.objects.filter(complaint=case, kind="note").count() == 2
    bad = post(client, f"{BASE}{case.pk}/note/", {"text": "x"}, HTTP_IDEMPOTENCY_KEY="ก" * 3)
    assert bad.status_code == 400 and bad.json()["field"] == "idempotency_key"


def test_a_read_token_reads_and_may_not_act(banlat: LocalBody) -> None:
    case = make_case(banlat)
    client = api(banlat, token_for(banlat, "admin", scope="read"))
    assert client.get(f"{BASE}{case.pk}/").json()["tracking_code"] == case.tracking_code
    refused = post(client, f"{BASE}{case.pk}/acknowledge/", {"text": "x"})
    assert (refused.status_code, refused.json()) == (403, {"message": "โทเคนนี้อ่านได้อย่างเดียว ใช้ทำรายการไม่ได้"})
    assert post(client, BASE, {"channel": "phone"}).status_code == 403
    with schema_context(banlat.schema_name):
        assert Complaint.objects.get(pk=case.pk).status == "received"


def test_revoked_expired_and_unknown_tokens_are_refused_in_thai_or_english(banlat: LocalBody) -> None:
    raw = token_for(banlat, "clerk")
    assert api(banlat, raw).get(BASE).status_code == 200
    with schema_context(banlat.schema_name):
        token = StaffToken.objects.filter(user__username="clerk").order_by("-pk").first()
        staff_token_revoke(actor=User.objects.get(username="admin"), token=token)
        entries = list(AuditEntry.objects.filter(kind__in=["token.create", "token.revoke"], target_id=str(token.pk))
                       .order_by("id").values_list("kind", "actor_label"))
    assert entries == [("token.create", "clerk"), ("token.revoke", "admin")]
    revoked = api(banlat, raw).get(BASE)
    assert (revoked.status_code, revoked.json()) == (403, {"message": "โทเคนไม่ถูกต้อง หมดอายุ หรือถูกยกเลิกแล้ว"})
    english = api(banlat, raw, HTTP_ACCEPT_LANGUAGE="en").get(BASE)
    assert english.json() == {"message": "The token is not valid, has expired or was revoked"}
    expiring = token_for(banlat, "clerk", days=1)
    with schema_context(banlat.schema_name):
        StaffToken.objects.filter(prefix=expiring.split("_")[1]).update(expires_at=timezone.now())
    assert api(banlat, expiring).get(BASE).status_code == 403
    assert api(banlat, "rtk_00000000_nothing").get(BASE).status_code == 403


def test_only_the_admin_issues_tokens_for_others(banlat: LocalBody) -> None:
    with schema_context(banlat.schema_name):
        clerk, officer = User.objects.get(username="clerk"), User.objects.get(username="officer")
        from apps.tokens.services import TokenError

        with pytest.raises(TokenError):
            staff_token_issue(actor=clerk, user=officer, name="x", scope="read")
        with pytest.raises(TokenError):
            staff_token_issue(actor=clerk, user=clerk, name="x", scope="read", days=400)
        assert not StaffToken.objects.filter(name="x").exists()


def test_the_outsider_sees_404_on_every_case_endpoint(banlat: LocalBody, thasen: LocalBody) -> None:
    case = make_case(banlat)  # routed to กองช่าง at intake (the category's department)
    foreign = api(banlat, token_for(thasen, "admin"))  # thasen's token carried to banlat's host
    other_department = api(banlat, token_for(banlat, "health_officer"))  # sees only the health department's
    paths = [f"{BASE}{case.pk}/", f"{BASE}{case.pk}/files/1/"]
    actions = ["identity", "acknowledge", "assign", "reply", "note", "request-info", "resume", "resolve", "close",
               "reject", "reopen", "transfer", "transfer-accept", "transfer-return", "merge"]
    for client in (foreign, other_department, Client(HTTP_HOST=f"{banlat.slug}.localhost")):
        for path in paths:
            response = client.get(path)
            assert (response.status_code, response.json()) == (404, {"message": "ไม่พบเรื่อง"}), path
        for action in actions:
            response = post(client, f"{BASE}{case.pk}/{action}/", {"text": "x", "reason": "x", "resolution": "x"})
            assert (response.status_code, response.json()) == (404, {"message": "ไม่พบเรื่อง"}), action
    assert foreign.get(BASE).status_code == 403
    assert case.tracking_code not in other_department.get(BASE).content.decode()
    with schema_context(banlat.schema_name):
        kinds = list(ComplaintEvent.objects.filter(complaint=case).values_list("kind", flat=True))
    assert kinds == ["created", "assign"]


def test_role_rules_are_the_desks(banlat: LocalBody) -> None:
    case = make_case(banlat, national="road")
    officer = api(banlat, token_for(banlat, "officer"))
    admin = api(banlat, token_for(banlat, "admin"))
    with schema_context(banlat.schema_name):
        engineering = Department.objects.get(code="engineering").pk
    assert post(admin, f"{BASE}{case.pk}/assign/", {"department": engineering}).status_code == 200
    # Transfer acceptance is for clerks, executives and admins.
    refused = post(officer, f"{BASE}{case.pk}/transfer-accept/", {})
    assert (refused.status_code, refused.json()["message"]) == (403, "บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้")
    wrong = post(officer, f"{BASE}{case.pk}/close/", {})
    assert wrong.status_code == 400 and wrong.json()["field"] is None
    empty = post(officer, f"{BASE}{case.pk}/reply/", {"text": "  "})
    assert (empty.status_code, empty.json()["field"]) == (400, "text")
    english = post(officer, f"{BASE}{case.pk}/reply/", {"text": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"].startswith("Please")


def test_list_filters_and_cursor_pagination(banlat: LocalBody) -> None:
    marker = "".join(random.choice("กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮ") for _ in range(10))
    cases = [make_case(banlat, description=f"ไฟดับ {marker} {n}", national="streetlight" if n % 2 else "road")
             for n in range(7)]
    client = api(banlat, token_for(banlat, "admin"))
    with schema_context(banlat.schema_name):
        streetlight = Category.objects.filter(national_category_id="streetlight").order_by("position").first().pk
    seen: list[int] = []
    page = client.get(BASE, {"q": marker, "page_size": 3}).json()
    pages = 1
    seen += [row["id"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
        pages += 1
    assert (seen, pages) == ([c.pk for c in reversed(cases)], 3)
    lights = client.get(BASE, {"q": marker, "category": streetlight}).json()["results"]
    assert [row["id"] for row in lights] == [cases[5].pk, cases[3].pk, cases[1].pk]
    post(client, f"{BASE}{cases[0].pk}/acknowledge/", {})
    acked = client.get(BASE, {"q": marker, "status": "acknowledged"}).json()["results"]
    assert [row["id"] for row in acked] == [cases[0].pk]
    since = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    post(client, f"{BASE}{cases[2].pk}/note/", {"text": "ติดตาม"})
    with schema_context(banlat.schema_name):
        Complaint.objects.filter(pk=cases[2].pk).update(updated_at=timezone.now() + dt.timedelta(seconds=5))
    changed = client.get(BASE, {"q": marker, "updated_since": since}).json()["results"]
    assert cases[2].pk in [row["id"] for row in changed]
    ComplaintFact.objects.filter(body=banlat, complaint_id=cases[4].pk).update(
        resolve_due_at=timezone.now() - dt.timedelta(days=1))
    overdue = client.get(BASE, {"q": marker, "overdue": "true"}).json()["results"]
    assert [row["id"] for row in overdue] == [cases[4].pk]
    bad = client.get(f"{BASE}?status=nonsense&updated_since=yesterday")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"status", "updated_since"}


def test_external_references_are_kept_unique_and_searchable(banlat: LocalBody) -> None:
    client = api(banlat, token_for(banlat, "clerk"))
    with schema_context(banlat.schema_name):
        road = Category.objects.filter(national_category_id="road", is_active=True).order_by("position").first().pk
    ticket = f"TF-{uuid.uuid4().hex[:10]}"
    data = {"channel": "phone", "category": road, "description": "ถนนทรุด", "external_source": "Traffy",
            "external_id": ticket}
    first, again = post(client, BASE, data), post(client, BASE, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["replayed"] is True
    found = client.get(f"{BASE}?external_source=traffy&external_id={ticket}").json()["results"]
    assert [(r["id"], r["external_source"], r["external_id"]) for r in found] == [(first.json()["id"], "traffy",
                                                                                    ticket)]
    fact = ComplaintFact.objects.get(body=banlat, complaint_id=first.json()["id"])
    assert (fact.external_source, fact.external_id) == ("traffy", ticket)
    bad = post(client, BASE, {**data, "external_source": "ทราฟฟี่"})
    assert (bad.status_code, bad.json()["field"]) == (400, "external_source")


def test_the_identity_reveal_is_recorded(banlat: LocalBody) -> None:
    case = make_case(banlat, name="สมหญิง ใจงาม", phone="0891112222")
    clerk = api(banlat, token_for(banlat, "clerk"))
    shown = post(clerk, f"{BASE}{case.pk}/identity/")
    assert shown.status_code == 200 and shown.json()["name"] == "สมหญิง ใจงาม"
    from apps.complaints.models import IdentityAccess

    with schema_context(banlat.schema_name):
        assert IdentityAccess.objects.filter(complaint=case, user__username="clerk", context="staff API").count() == 1
