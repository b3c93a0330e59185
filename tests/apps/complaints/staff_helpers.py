"""Helpers for the staff-page tests: signed-in clients on a body's host, and cases made through the
service (the only write path)."""

from __future__ import annotations

from collections.abc import Collection

from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.complaints.models import Category, Complaint, Notification
from apps.complaints.services.intake import complaint_submit
from apps.complaints.validation import Complainant
from apps.reporting.models import ComplaintFact, OutboxEntry
from tenants.models import LocalBody
from tests.signin import verified_login


def host(body: LocalBody) -> str:
    return f"{body.slug}.localhost"


def anonymous(body: LocalBody) -> Client:
    return Client(HTTP_HOST=host(body))


def signed_in(body: LocalBody, username: str = "officer", client: Client | None = None) -> Client:
    """A client signed in as `username` of `body`, second factor passed (force_login: the password
    hash costs a second)."""
    client = client or anonymous(body)
    with schema_context(body.schema_name):
        return verified_login(client, User.objects.get(username=username), schema=body.schema_name)


def user(body: LocalBody, username: str) -> User:
    with schema_context(body.schema_name):
        return User.objects.get(username=username)


def category(national: str = "road") -> Category:
    return Category.objects.filter(national_category_id=national, is_active=True).order_by("position").first()


def make_case(body: LocalBody, *, national: str = "road", description: str = "ถนนชำรุดเป็นหลุมลึก หน้าวัด",
              phone: str = "0812345678", name: str = "สมชาย ใจดี", channel: str = "walk_in",
              actor: str = "clerk", email: str = "", contact_allowed: tuple[str, ...] = (),
              **extra: object) -> Complaint:
    with schema_context(body.schema_name):
        complainant = Complainant(name=name, phone=phone, email=email, contact_allowed=contact_allowed) \
            if name else None
        return complaint_submit(channel=channel, category=category(national), description=description,
                                complainant=complainant, actor=User.objects.get(username=actor),
                                **extra).complaint


def committed_cases_delete(body: LocalBody, complaint_ids: Collection[int]) -> None:
    """Remove committed cases with their notifications, outbox rows and facts (the database
    outlives a test that uses real processes; tests that count facts or outbox rows need them gone)."""
    with schema_context(body.schema_name):
        ids = list(Notification.objects.filter(complaint_id__in=complaint_ids).values_list("pk", flat=True))
    OutboxEntry.objects.filter(body=body, notification_id__in=ids).delete()
    ComplaintFact.objects.filter(body=body, complaint_id__in=complaint_ids).delete()
    with schema_context(body.schema_name):
        Notification.objects.filter(pk__in=ids).delete()
        Complaint.objects.filter(pk__in=complaint_ids).delete()


def committed_case_delete(body: LocalBody, complaint_id: int) -> None:
    committed_cases_delete(body, [complaint_id])


def fresh(body: LocalBody, complaint: Complaint) -> Complaint:
    with schema_context(body.schema_name):
        return Complaint.objects.get(pk=complaint.pk)


def events(body: LocalBody, complaint: Complaint) -> list[tuple[str, str]]:
    with schema_context(body.schema_name):
        return list(complaint.events.order_by("id").values_list("kind", "to_status"))
