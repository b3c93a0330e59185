"""The conduct and corruption case desk: writes.

The office acts through the same complaint services as a body's staff (so the event, the fact,
the SLA clocks and the citizen's notifications are written one way), as an OfficeActor, inside the
accused body's schema; schema_context restores the public schema afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django_tenants.utils import schema_context

from apps.accounts.actors import OfficeActor
from apps.complaints import conduct
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_close,
    complaint_note,
    complaint_reply,
    complaint_request_info,
    complaint_resolve,
    complaint_resume,
)
from apps.oversight.desk_selectors import desk_complaint
from apps.reporting.models import ComplaintFact

# action → (service, the name under which it takes the officer's text, takes files)
DESK_SERVICES: dict[str, tuple[Callable[..., object], str, bool]] = {
    "acknowledge": (complaint_acknowledge, "text", False),
    "resume": (complaint_resume, "text", False),
    "request_info": (complaint_request_info, "text", False),
    "reply": (complaint_reply, "text", True),
    "note": (complaint_note, "text", False),
    "resolve": (complaint_resolve, "resolution", True),
    "close": (complaint_close, "text", False),
    "notify_body": (conduct.conduct_body_notify, "text", False),
}


def conduct_case_act(*, fact: ComplaintFact, actor: OfficeActor, action: str, text: str,
                     uploads: Sequence[UploadedFile] = ()) -> None:
    """Run one desk action on the case (raises ComplaintError, with nothing changed, on refusal)."""
    service, field, takes_files = DESK_SERVICES[action]
    extra: dict[str, Any] = {"uploads": list(uploads)} if takes_files else {}
    with schema_context(fact.body.schema_name):
        service(complaint=desk_complaint(fact), actor=actor, **{field: text}, **extra)


def conduct_identity_reveal(*, fact: ComplaintFact, actor: OfficeActor) -> dict[str, str] | None:
    """The complainant's identity for the officer, audited in the body's schema."""
    with schema_context(fact.body.schema_name):
        return conduct.conduct_identity_reveal(complaint=desk_complaint(fact), actor=actor,
                                               context="oversight conduct desk")
