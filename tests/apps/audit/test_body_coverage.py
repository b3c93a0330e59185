"""Every administrative page of a body writes its audit entry, in the body's own log.

The routes come from the body's URLconf (rongthuk.urls_tenant): each is either an administrative
write, driven here through its page as the body's admin would, or listed as not one, with the
reason. A new route that is neither fails `test_every_body_route_is_classified`: nobody can add
an admin page that silently writes no audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from api.models import ApiKey
from apps.accounts.models import User
from apps.audit.kinds import GROUPS
from apps.audit.models import AuditEntry
from apps.complaints.models import Category, Department
from apps.line.models import LineChannel
from apps.oversight.models import DirectiveTarget
from apps.oversight.scoping import Scope
from apps.oversight.services import directive_issue
from apps.sla.models import BodyClosure
from apps.tokens.models import StaffToken
from apps.webhooks.models import WebhookEndpoint
from tenants.models import LocalBody
from tests.apps.audit.helpers import entries_since, last_id, url_names
from tests.apps.complaints.staff_helpers import make_case, signed_in
from tests.signin import authenticator

NOT_ADMINISTRATIVE = {
    "healthz": "health check",
    # Sign-in pages: account.* entries, written by apps.accounts.audit (tests/apps/accounts).
    "accounts:login": "sign-in: account.login, account.login_failed, account.locked",
    "accounts:logout": "sign-out: account.logout",
    "accounts:verify": "second factor: account.otp_verify, account.otp_failed, account.recovery_code_use",
    "accounts:setup": "second factor enrolment: account.otp_enable, account.otp_failed",
    "accounts:recovery-codes": "the user's own recovery codes renewed",
    "accounts:password-reset": "reset request: account.password_reset_request",
    "accounts:password-reset-sent": "read-only page",
    "accounts:password-reset-confirm": "reset: account.password_reset",
    "accounts:password-reset-done": "read-only page",
    "staff-directives": "read-only list",
    "staff-directive": "read-only (the directive's text and what it requires)",
    "staff-directive-attachment": "download",
    "onboarding-claim": "claiming an invitation: staff.create and invitation.claim (tests/apps/onboarding)",
    "onboarding-checklist": "read-only checklist (refreshes the body's public setup fact, not a change)",
    "staff:inbox": "read-only list",
    "staff:bulk": "case work: each case's timeline (ComplaintEvent) records it",
    "staff:intake": "case work: the case's timeline records it",
    "staff:case": "read-only",
    "staff:case-identity": "identity reveal: IdentityAccess, shown on the audit page",
    "staff:case-contact": "contact reveal to the handling officer: IdentityAccess, shown on the audit page",
    "onboarding-domains": "custom domain claims: domain.* entries in the body's and the platform's audit logs "
                          "(tests/tenants/test_domains_staff.py)",
    "onboarding-service-area": "service area edits: body.service_area entries in the body's and the platform's "
                               "audit logs (tests/tenants/test_service_areas.py)",
    "staff:case-attachment": "download",
    "staff:case-attachment-thumbnail": "download (a photo's thumbnail)",
    "staff:case-action": "case work: the case's timeline records it",
    "staff:transfer-targets": "read-only search",
    "staff:register-export": "export (identity reveals recorded as IdentityAccess)",
    "staff:register-import": "case work: each imported case's timeline records it",
    "staff:audit": "the audit page itself, read-only",
    "staff:outbox": "read-only list",
    "sla:agreement": "public page",
    "sla:announcement": "public page",
    "sla:announcement-pdf": "public page",
    "staff-api-intake": "case work (JSON intake): the case's timeline records it; the list is read-only",
    "staff-api-complaint": "read-only",
    "staff-api-identity": "identity reveal: IdentityAccess, shown on the audit page",
    "staff-api-attachment": "download",
    "staff-api-schema": "the staff API's OpenAPI document, read-only",
    "staff-api-docs": "the staff API's docs page, read-only",
    **{f"staff-api-{action}": "case work (staff API): the case's timeline records it, with the token" for action in (
        "acknowledge", "assign", "reply", "note", "request-info", "resume", "resolve", "close", "reject", "reopen",
        "transfer", "transfer-accept", "transfer-return", "merge")},
    "set_language": "a visitor's language choice",
    "portal:body-home": "citizen page",
    "portal:complaint-new": "citizen intake",
    "portal:complaint-conduct": "citizen intake",
    "portal:complaint-receipt": "citizen page",
    "portal:track": "citizen page",
    "portal:track-case": "citizen page (rating, reopen: the case's timeline)",
    "portal:track-forget": "citizen page",
    "portal:track-file": "citizen download",
    "portal:track-file-thumbnail": "citizen download (a photo's thumbnail)",
    "portal:track-phone": "citizen page (a one-time code by SMS)",
    "portal:track-phone-code": "citizen page",
    "portal:track-mine": "citizen page",
    "portal:complaint-receipt-pdf": "citizen download",
    "portal:complaint-receipt-png": "citizen download",
    "portal:stats": "public statistics",
    "portal:stats-csv": "public statistics",
    "portal:stats-pdf": "public statistics",
    "portal:reports": "public reports (read-only)",
    "portal:reports-nearby": "public reports (read-only JSON)",
    "portal:report": "public report; a citizen's follow writes follow.start (tests/apps/complaints/test_followers.py)",
    "portal:report-stop": "citizen page: a stop writes follow.stop (tests/apps/complaints/test_followers.py)",
    "line-webhook": "citizen channel (LINE): each case's timeline records it",
    "sms-delivery-ants": "the SMS gateway's delivery report on a notification (not configuration)",
    "open311-discovery": "Open311: read-only",
    "open311-services": "Open311: read-only",
    "open311-service": "Open311: read-only",
    "open311-requests": "Open311: intake (the case's timeline records it) and read-only lists",
    "open311-request": "Open311: read-only",
    "open311-token": "Open311: read-only",
    "open311-openapi": "Open311: its OpenAPI description",
    "open311-unknown": "Open311: the spec's error for an unknown path",
}

# Each driver changes something through the page and returns the kinds it expects, in order.
Driver = Callable[[LocalBody, Client], list[str]]


def _department_create(body: LocalBody, client: Client) -> list[str]:
    response = client.post("/staff/admin/departments/", {"code": "audit-dept", "name_th": "กองทดสอบบันทึก",
                                                         "name_en": "", "is_active": "on", "position": 4})
    assert response.status_code == 302
    return ["department.create"]


def _department_edit(body: LocalBody, client: Client) -> list[str]:
    with schema_context(body.schema_name):
        department = Department.objects.get(code="engineering")
    response = client.post(f"/staff/admin/departments/{department.pk}/", {
        "code": "engineering", "name_th": "กองช่างโยธา", "name_en": department.name_en, "is_active": "on",
        "position": department.position})
    assert response.status_code == 302
    return ["department.update"]


def _category_create(body: LocalBody, client: Client) -> list[str]:
    response = client.post("/staff/admin/categories/", {"name_th": "ไฟฟ้าตลาด", "national_category": "streetlight",
                                                        "is_active": "on", "position": 2})
    assert response.status_code == 302
    return ["category.create"]


def _category_edit(body: LocalBody, client: Client) -> list[str]:
    with schema_context(body.schema_name):
        category = Category.objects.filter(national_category_id="road").order_by("position").first()
    assert category is not None
    response = client.post(f"/staff/admin/categories/{category.pk}/", {
        "name_th": category.name_th, "national_category": "road", "department": category.department_id or "",
        "position": category.position})  # is_active unticked: deactivated
    assert response.status_code == 302
    return ["category.update"]


def _staff_create(body: LocalBody, client: Client) -> list[str]:
    response = client.post("/staff/admin/staff/", {"username": "audit-clerk", "full_name": "เสมียน ทดสอบ",
                                                   "role": "clerk", "is_active": "on",
                                                   "password": "long-enough-password-1"})
    assert response.status_code == 302
    return ["staff.create"]


def _staff_edit(body: LocalBody, client: Client) -> list[str]:
    with schema_context(body.schema_name):
        clerk = User.objects.get(username="clerk")
    response = client.post(f"/staff/admin/staff/{clerk.pk}/", {"full_name": clerk.full_name, "email": clerk.email,
                                                               "role": "executive", "is_active": "on"})
    assert response.status_code == 302
    return ["staff.update"]


def _staff_second_factor_reset(body: LocalBody, client: Client) -> list[str]:
    with schema_context(body.schema_name):
        clerk = User.objects.get(username="clerk")
        authenticator(clerk)
    response = client.post(f"/staff/admin/staff/{clerk.pk}/second-factor/reset/")
    assert response.status_code == 302
    return ["account.otp_reset"]


def _sla_manage(body: LocalBody, client: Client) -> list[str]:
    assert client.post("/sla/manage/", {"action": "create", "number": "9/2569"}).status_code == 302
    assert client.post("/sla/manage/", {"action": "row", "sla_class": "B", "stage": "resolve", "days": "10",
                                        "day_type": "calendar"}).status_code == 302
    assert client.post("/sla/manage/", {"action": "details", "number": "9/2569", "signatory_name": "นายก ทดสอบ",
                                        "signatory_position": "นายกเทศมนตรี"}).status_code == 302
    effective = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert client.post("/sla/manage/", {"action": "publish", "effective_from": effective,
                                         "confirm": "1"}).status_code == 302
    return ["sla.draft_create", "sla.row_set", "sla.draft_update", "sla.publish"]


def _calendar(body: LocalBody, client: Client) -> list[str]:
    assert client.post("/sla/calendar/", {"action": "add", "date": "2026-12-24",
                                          "reason": "งานประจำปีของเทศบาล"}).status_code == 302
    closure = BodyClosure.objects.get(body=body, date=dt.date(2026, 12, 24))
    assert client.post("/sla/calendar/", {"action": "delete", "closure": closure.pk}).status_code == 302
    assert client.post("/sla/calendar/", {"action": "hours", "opens_at": "08:00", "closes_at": "16:00",
                                          "weekdays": ["1", "2", "3", "4", "5", "6"]}).status_code == 302
    return ["calendar.create", "calendar.delete", "calendar.hours"]


def _profile(body: LocalBody, client: Client) -> list[str]:
    response = client.post("/settings/profile/", {"phone": "032-491-999", "email": "", "line_id": "",
                                                  "office_hours": "", "reopen_window_days": 30, "tile_url": "",
                                                  "retention_years": 3})
    assert response.status_code == 302
    return ["profile.update", "retention.update"]


def _data_request(body: LocalBody, client: Client) -> list[str]:
    make_case(body, phone="0861112222", name="สมปอง ขอข้อมูล")
    response = client.post("/staff/admin/data-requests/", {"request_kind": "access", "identifier": "phone",
                                                           "value": "0861112222", "reference": "หนังสือ 1/2569"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return ["data_request.create", "data_request.access"]


def _directive_acknowledge(body: LocalBody, client: Client) -> list[str]:
    officer = User.objects.create_user("district-audit-test", "x" * 16)
    directive = directive_issue(scope=Scope("district", "7606"), issued_by=officer, title="รายงานผล",
                                due_date=timezone.localdate() + dt.timedelta(days=5), body_codes=[body.dla_code])
    target = DirectiveTarget.objects.get(directive=directive, body=body)
    assert client.post(f"/staff/directives/{target.pk}/acknowledge/").status_code == 302
    return ["directive.acknowledge"]


def _line_channel(body: LocalBody, client: Client) -> list[str]:
    with schema_context(body.schema_name):
        kind = "line.update" if LineChannel.objects.exists() else "line.connect"
    response = client.post("/staff/admin/line/", {"channel_id": "1656000001", "channel_secret": "a" * 32,
                                                  "access_token": "t" * 40})
    assert response.status_code == 302
    return [kind]


def _notification_settings(body: LocalBody, client: Client) -> list[str]:
    response = client.post("/staff/admin/notifications/", {"sms_provider": "console", "email_provider": "",
                                                           "quiet_start": "22", "quiet_end": "7"})
    assert response.status_code == 302
    return ["notification.settings"]


def _api_keys(body: LocalBody, client: Client) -> list[str]:
    issued = client.post("/staff/api-keys/", {"action": "issue", "name": "แอปของจังหวัด", "access": "write"})
    assert issued.status_code == 200
    key = ApiKey.objects.get(body=body, name="แอปของจังหวัด")
    assert client.post("/staff/api-keys/", {"action": "revoke", "key": key.pk}).status_code == 302
    return ["api_key.create", "api_key.revoke"]


def _tokens(body: LocalBody, client: Client) -> list[str]:
    issued = client.post("/staff/tokens/", {"action": "issue", "name": "บอทกลุ่มงาน", "scope": "write", "days": 30})
    assert issued.status_code == 200
    with schema_context(body.schema_name):
        token = StaffToken.objects.get(name="บอทกลุ่มงาน")
    assert client.post("/staff/tokens/", {"action": "revoke", "token": token.pk}).status_code == 302
    return ["token.create", "token.revoke"]


def _webhooks(body: LocalBody, client: Client) -> list[str]:
    with override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True):
        response = client.post("/staff/admin/webhooks/", {"name": "ระบบ GIS", "url": "http://127.0.0.1:9/hook",
                                                           "events": ["case.created", "case.status_changed"]})
    assert response.status_code == 200 and response.context["secret"]
    return ["webhook.create"]


def _webhook(body: LocalBody, client: Client) -> list[str]:
    with schema_context(body.schema_name):
        endpoint = WebhookEndpoint.objects.create(name="ระบบ GIS", url="http://127.0.0.1:9/hook",
                                                  events=["case.created"], secret_encrypted="x",
                                                  created_at=timezone.now())
    with override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True):
        response = client.post(f"/staff/admin/webhooks/{endpoint.pk}/", {
            "action": "update", "name": "ระบบ GIS", "url": "http://127.0.0.1:9/hook",
            "events": ["case.created", "case.replied"], "is_active": "on"})
    assert response.status_code == 302
    assert client.post(f"/staff/admin/webhooks/{endpoint.pk}/", {"action": "rotate"}).status_code == 200
    return ["webhook.update", "webhook.secret"]


ADMINISTRATIVE: dict[str, Driver] = {
    "staff:departments": _department_create,
    "staff:department-edit": _department_edit,
    "staff:categories": _category_create,
    "staff:category-edit": _category_edit,
    "staff:staff-users": _staff_create,
    "staff:staff-user-edit": _staff_edit,
    "staff:staff-second-factor-reset": _staff_second_factor_reset,
    "staff:data-requests": _data_request,
    "staff-directive-acknowledge": _directive_acknowledge,
    "sla:manage": _sla_manage,
    "sla:calendar": _calendar,
    "portal:body-profile": _profile,
    "line-channel": _line_channel,
    "staff-api-keys": _api_keys,
    "staff-tokens": _tokens,
    "staff-webhooks": _webhooks,
    "staff-webhook": _webhook,
    "staff:notification-settings": _notification_settings,
}


def test_every_body_route_is_classified() -> None:
    routes = set(url_names("rongthuk.urls_tenant"))
    unclassified = routes - set(ADMINISTRATIVE) - set(NOT_ADMINISTRATIVE)
    assert not unclassified, f"routes neither driven for an audit entry nor exempted: {sorted(unclassified)}"
    assert not (set(ADMINISTRATIVE) | set(NOT_ADMINISTRATIVE)) - routes, "a listed route no longer exists"


@pytest.mark.parametrize("route", sorted(ADMINISTRATIVE))
def test_each_admin_page_writes_its_entries_in_the_body_log(route: str, banlat: LocalBody) -> None:
    client = signed_in(banlat, "admin")
    public_before, body_before = last_id("public"), last_id(banlat.schema_name)
    expected = ADMINISTRATIVE[route](banlat, client)
    entries = entries_since(banlat.schema_name, body_before)
    with schema_context(banlat.schema_name):
        admin = User.objects.get(username="admin")
    assert [e.kind for e in entries] == expected
    assert {(e.actor_id, e.actor_label) for e in entries} == {(admin.pk, "admin")}
    assert all(e.changes for e in entries)
    # Nothing about a body's own configuration goes to the platform's log.
    assert [e.kind for e in entries_since("public", public_before)] == \
        (["directive.create"] if route == "staff-directive-acknowledge" else [])
    page = client.get("/staff/admin/audit/").content.decode()
    for entry in entries:
        assert f'data-kind="{entry.kind}"' in page
        # The page's kind filter offers every kind a body's log holds.
        assert entry.kind.split(".")[0] in GROUPS


def test_department_change_records_exactly_the_changed_fields(banlat: LocalBody) -> None:
    client = signed_in(banlat, "admin")
    before = last_id(banlat.schema_name)
    _department_edit(banlat, client)
    (entry,) = entries_since(banlat.schema_name, before)
    assert entry.changes == {"before": {"name_th": "กองช่าง"}, "after": {"name_th": "กองช่างโยธา"}}
    assert entry.target_label == "กองช่างโยธา"


def test_staff_role_change_and_password_are_recorded_without_the_password(banlat: LocalBody) -> None:
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        clerk = User.objects.get(username="clerk")
    before = last_id(banlat.schema_name)
    response = client.post(f"/staff/admin/staff/{clerk.pk}/", {"full_name": clerk.full_name, "email": clerk.email,
                                                               "role": "executive", "is_active": "on",
                                                               "password": "another-long-password-2"})
    assert response.status_code == 302
    (entry,) = entries_since(banlat.schema_name, before)
    assert entry.kind == "staff.update" and entry.target_label == "clerk"
    assert entry.changes == {"before": {"role": "clerk"}, "after": {"role": "executive", "password_set": True}}
    assert "another-long-password-2" not in str(entry.changes)


def test_an_unchanged_save_and_a_refused_one_write_nothing(banlat: LocalBody) -> None:
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        department = Department.objects.get(code="health")
    before = last_id(banlat.schema_name)
    same = {"code": "health", "name_th": department.name_th, "name_en": department.name_en, "is_active": "on",
            "position": department.position}
    assert client.post(f"/staff/admin/departments/{department.pk}/", same).status_code == 302
    clash = client.post("/staff/admin/departments/", {"code": "health", "name_th": "ซ้ำ", "position": 1})
    assert clash.status_code == 400
    assert entries_since(banlat.schema_name, before) == []


def test_audit_page_is_paginated_and_filtered_by_kind(banlat: LocalBody) -> None:
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        signed_in_entries = AuditEntry.objects.count()  # the sign-in's own account.* entries
    for n in range(55):
        client.post("/staff/admin/departments/", {"code": f"d{n}", "name_th": f"กอง {n}", "position": n})
    _staff_create(banlat, client)
    first = client.get("/staff/admin/audit/")
    assert first.status_code == 200
    assert first.context["page"].paginator.count == signed_in_entries + 56  # 55 departments, one staff member
    assert len(first.context["rows"]) == 50
    assert first.context["rows"][0][0].kind == "staff.create"  # newest first
    staff_only = client.get("/staff/admin/audit/?kind=staff")
    assert {e.kind for e, _changes in staff_only.context["rows"]} == {"staff.create"}
    offered = [value for value, _label in first.context["groups"]]
    assert offered == ["department", "category", "staff", "calendar", "sla", "profile", "retention", "data_request",
                       "follow", "directive", "line", "notification", "api_key", "token", "webhook", "account",
                       "invitation"]
    second = client.get("/staff/admin/audit/?kind=department&page=2")
    assert {e.kind for e, _changes in second.context["rows"]} == {"department.create"}
    for role in ("executive", "officer", "clerk"):
        assert signed_in(banlat, role).get("/staff/admin/audit/").status_code == 403
