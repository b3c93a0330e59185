"""What the portal's pages share: the body of the request, the client's address behind the proxies,
the map's centre, a category's label, a case's fact and what the body still owes on it."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.http import HttpRequest

from apps.complaints.models import Category, Complaint
from apps.complaints.policies import contact_allowed_channels
from apps.complaints.status import OPEN_STATUSES, ContactChannel
from apps.reporting.models import ComplaintFact
from apps.sla.selectors import PendingDeadline, pending_deadlines
from apps.ui import thai
from tenants.models import LocalBody
from tenants.requests import BodyRequest

RECEIPT_KEY = "portal_receipt"
TRACKED_KEY = "portal_tracked"


def body_of(request: HttpRequest) -> LocalBody:
    return cast(BodyRequest, request).tenant  # set by tenants.middleware on every body's host


def client_ip(request: HttpRequest) -> str:
    # Behind N trusted proxies (nginx appends the peer to X-Forwarded-For), the client is the Nth
    # address from the end; anything before it is whatever the client chose to send.
    trusted = int(getattr(settings, "PORTAL_TRUSTED_PROXIES", 0))
    if trusted:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= trusted:
            return chain[-trusted]
    return str(request.META.get("REMOTE_ADDR", ""))


def body_center(body: LocalBody) -> list[float]:
    if body.latitude is not None and body.longitude is not None:
        return [float(body.latitude), float(body.longitude)]
    return [13.7367, 100.5232]  # Bangkok: only when the registry has no office location


def category_label(category: Category) -> str:
    return thai.localised_name(category)


def case_fact(body: LocalBody, complaint: Complaint) -> ComplaintFact | None:
    return ComplaintFact.objects.filter(body=body, complaint_id=complaint.pk).first()


def open_deadlines(complaint: Complaint) -> list[PendingDeadline]:
    """The citizen sees what the body still owes while the case is open."""
    return pending_deadlines(complaint=complaint) if complaint.status in OPEN_STATUSES else []


def consents_of(complaint: Complaint) -> list[dict[str, str]]:
    """The channels the complainant allows the handling officers to reach them by, for their pages."""
    return [{"code": c, "label": str(ContactChannel(c).label)} for c in contact_allowed_channels(complaint)]
