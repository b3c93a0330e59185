"""One gate for every staff page and staff API (apps.complaints.access): an outsider, a visitor
who is not signed in and a session stamped for another body are all refused, and nothing changes.

The routes come from the body's URLconf: a new route is either public (listed with its reason) or
checked here, so no staff page can skip the gate."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.complaints.models import Category, Complaint, ComplaintEvent, Department, Notification, StaffMember
from apps.oversight.models import DirectiveTarget
from apps.portal.models import BodyProfile
from apps.sla.models import Agreement, BodyClosure
from apps.tokens.models import StaffToken
from apps.webhooks.models import WebhookEndpoint
from tenants.models import LocalBody
from tests.apps.audit.helpers import url_names
from tests.apps.complaints.staff_helpers import anonymous, make_case, signed_in
from tests.conftest import STAFF_PASSWORD
from tests.signin import verified_login

PUBLIC = {
    "healthz": "health check",
    "accounts:login": "the sign-in page",
    "accounts:logout": "signing out",
    "accounts:verify": "the second sign-in step (tests/apps/accounts)",
    "accounts:setup": "enrolling the second factor (tests/apps/accounts)",
    "accounts:recovery-codes": "the signed-in account's own recovery codes",
    "accounts:password-reset": "password reset by e-mail", "accounts:password-reset-sent": "password reset",
    "accounts:password-reset-confirm": "password reset", "accounts:password-reset-done": "password reset",
    "set_language": "a visitor's language choice",
    "line-webhook": "LINE's webhook, signed with the channel secret",
    "onboarding-claim": "an invitation's one-time link: the first administrator's sign-up (tests/apps/onboarding)",
    "sms-delivery-ants": "the SMS gateway's delivery reports, signed per message (test_providers.py)",
    "sla:agreement": "public page", "sla:announcement": "public page", "sla:announcement-pdf": "public page",
    "staff-api-schema": "the staff API's OpenAPI document: it describes the API, never a case (tests/api)",
    "staff-api-docs": "the staff API's docs page (tests/api/test_staff_docs.py)",
}
PUBLIC_PREFIXES = ("portal:", "open311")  # citizens' pages; Open311 answers to API keys (api/open311)

# route → (path, how a refusal looks): "page" sends a visitor to sign in and an outsider gets 403;
# "hidden" is the same 404 for everyone; "api" is DRF's 403; "api-hidden" (the staff API about one
# case) the same 404 for everyone.
STAFF: dict[str, tuple[str, str]] = {
    "staff:inbox": ("/staff/", "page"),
    "staff:bulk": ("/staff/bulk/", "page"),
    "staff:intake": ("/staff/intake/", "page"),
    "staff:case": ("/staff/cases/{case}/", "hidden"),
    "staff:case-identity": ("/staff/cases/{case}/identity/", "hidden"),
    "staff:case-contact": ("/staff/cases/{case}/contact/", "hidden"),
    "staff:case-attachment": ("/staff/cases/{case}/files/1/", "hidden"),
    "staff:case-attachment-thumbnail": ("/staff/cases/{case}/files/1/thumbnail/", "hidden"),
    "staff:case-action": ("/staff/cases/{case}/acknowledge/", "hidden"),
    "staff:transfer-targets": ("/staff/transfer-targets/", "page"),
    "staff:register-export": ("/staff/register/export/", "page"),
    "staff:register-import": ("/staff/register/import/", "page"),
    "staff:departments": ("/staff/admin/departments/", "page"),
    "staff:department-edit": ("/staff/admin/departments/{department}/", "page"),
    "staff:categories": ("/staff/admin/categories/", "page"),
    "staff:category-edit": ("/staff/admin/categories/{category}/", "page"),
    "staff:staff-users": ("/staff/admin/staff/", "page"),
    "staff:staff-user-edit": ("/staff/admin/staff/{admin}/", "page"),
    "staff:staff-second-factor-reset": ("/staff/admin/staff/{admin}/second-factor/reset/", "page"),
    "staff:audit": ("/staff/admin/audit/", "page"),
    "staff:outbox": ("/staff/admin/outbox/", "page"),
    "staff:notification-settings": ("/staff/admin/notifications/", "page"),
    "staff:data-requests": ("/staff/admin/data-requests/", "page"),
    "staff-directives": ("/staff/directives/", "page"),
    "staff-directive": ("/staff/directives/1/", "page"),
    "staff-directive-attachment": ("/staff/directives/1/attachment/", "page"),
    "staff-directive-acknowledge": ("/staff/directives/1/acknowledge/", "page"),
    "staff-api-keys": ("/staff/api-keys/", "page"),
    "onboarding-checklist": ("/staff/setup/", "page"),
    "onboarding-domains": ("/staff/setup/domains/", "page"),
    "onboarding-service-area": ("/staff/setup/service-area/", "page"),
    "line-channel": ("/staff/admin/line/", "page"),
    "sla:manage": ("/sla/manage/", "hidden"),
    "sla:calendar": ("/sla/calendar/", "hidden"),
    "portal:body-profile": ("/settings/profile/", "hidden"),
    "staff-tokens": ("/staff/tokens/", "page"),
    "staff-webhooks": ("/staff/admin/webhooks/", "page"),
    "staff-webhook": ("/staff/admin/webhooks/1/", "hidden"),
    "staff-api-intake": ("/api/staff/v1/complaints/", "api"),
    "staff-api-complaint": ("/api/staff/v1/complaints/{case}/", "api-hidden"),
    "staff-api-identity": ("/api/staff/v1/complaints/{case}/identity/", "api-hidden"),
    "staff-api-attachment": ("/api/staff/v1/complaints/{case}/files/1/", "api-hidden"),
    **{f"staff-api-{action}": (f"/api/staff/v1/complaints/{{case}}/{action}/", "api-hidden") for action in (
        "acknowledge", "assign", "reply", "note", "request-info", "resume", "resolve", "close", "reject", "reopen",
        "transfer", "transfer-accept", "transfer-return", "merge")},
}
# What a refused request might try to write.
ATTEMPT = {"action": "create", "number": "1/2569", "code": "x", "name_th": "กองใหม่", "username": "intruder",
           "role": "admin", "text": "ข้อความ", "date": "2026-12-24", "reason": "ปิด", "phone": "021111111",
           "channel": "phone", "category": "1", "description": "ถนนชำรุด", "ids": "1", "name": "ใหม่"}


def test_every_body_route_is_public_or_behind_the_staff_gate() -> None:
    routes = set(url_names("rongthuk.urls_tenant")) - {"", "None"}  # Open311's unnamed catch-all
    unclassified = {r for r in routes - set(PUBLIC) - set(STAFF) if not r.startswith(PUBLIC_PREFIXES)}
    assert unclassified == set()
    assert set(STAFF) - routes == set()
    assert "portal:body-profile" in STAFF  # the one portal route that is a staff page


def _fingerprint(body: LocalBody) -> tuple[int, ...]:
    public = (Agreement.objects.filter(body=body).count(), BodyClosure.objects.filter(body=body).count(),
              BodyProfile.objects.filter(body=body).count(),
              DirectiveTarget.objects.filter(acknowledged_at__isnull=False).count())
    with schema_context(body.schema_name):
        return public + tuple(model.objects.count() for model in (
            Complaint, ComplaintEvent, Department, Category, StaffMember, User, Notification, AuditEntry, StaffToken,
            WebhookEndpoint))


def _client(kind: str, banlat: LocalBody, thasen: LocalBody) -> Client:
    if kind == "anonymous":
        return anonymous(banlat)
    if kind == "outsider":  # a user of this body's schema who is not its staff, second factor passed
        # (the sign-in page refuses them: tests/apps/complaints/test_staff_auth.py; a refused sign-in
        # is itself an audit entry, so it is not repeated here)
        with schema_context(banlat.schema_name):
            return verified_login(anonymous(banlat), User.objects.get(username="outsider"), schema=banlat.schema_name)
    # A session of this body's admin, stamped for another body: only the stamp stands in the way.
    client = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        session = client.session
        session["staff_schema"] = thasen.schema_name
        session.save()
    return client


EXPECTED = {
    ("page", "anonymous"): 302, ("page", "other_body"): 302, ("page", "outsider"): 403,
    ("hidden", "anonymous"): 404, ("hidden", "other_body"): 404, ("hidden", "outsider"): 404,
    ("api", "anonymous"): 403, ("api", "other_body"): 403, ("api", "outsider"): 403,
    ("api-hidden", "anonymous"): 404, ("api-hidden", "other_body"): 404, ("api-hidden", "outsider"): 404,
}


@pytest.mark.parametrize("who", ["anonymous", "outsider", "other_body"])
def test_every_staff_route_refuses_and_changes_nothing(who: str, banlat: LocalBody, thasen: LocalBody) -> None:
    case = make_case(banlat)
    with schema_context(banlat.schema_name):
        if not User.objects.filter(username="outsider").exists():
            User.objects.create_user("outsider", STAFF_PASSWORD, full_name="คนนอก")
        ids = {"case": case.pk, "department": Department.objects.get(code="health").pk,
               "category": Category.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
               "admin": User.objects.get(username="admin").pk}
    before = _fingerprint(banlat)
    refused = {}
    for route, (template, _kind) in STAFF.items():
        path = template.format(**ids)
        for method in ("get", "post"):
            client = _client(who, banlat, thasen)  # each request on its own: a refusal may end the session
            response = getattr(client, method)(path, ATTEMPT)
            refused[(route, method)] = response.status_code
            if response.status_code == 302:
                assert response["Location"].startswith("/staff/login/?next="), (route, method)
            assert case.tracking_code not in response.content.decode(), (route, method)
    expected = {(route, method): EXPECTED[(kind, who)] for route, (_path, kind) in STAFF.items()
                for method in ("get", "post")}
    assert refused == expected
    assert _fingerprint(banlat) == before
