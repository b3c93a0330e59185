"""Writing the reporting fact: called by the complaint service inside the case's transaction."""

from __future__ import annotations

from typing import Protocol

from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody


class Complaint(Protocol):
    """The case the fact is written from (apps.complaints.models.Complaint, which sits above these
    facts): its id, the body it went to, and the `_CASE_FIELDS`, read by name."""

    @property
    def pk(self) -> int: ...

    @property
    def transferred_to_body_id(self) -> int | None: ...

# Copied from the case; nothing here identifies a complainant (tests/apps/reporting checks).
_CASE_FIELDS = [
    "tracking_code", "national_category", "sla_class", "channel", "status", "routed_to_oversight",
    "about_district_office", "subdistrict_code", "received_at", "acknowledged_at", "routed_at", "first_reply_at",
    "resolved_at", "closed_at", "reopen_count", "cycle_started_at", "transferred_to_agency", "rating",
    "external_source", "external_id",
]


def fact_prepare(*, complaint: Complaint, body: LocalBody, new: bool = False,
                 **extra: object) -> tuple[ComplaintFact, list[str]]:
    """The complaint's fact with the case's current values set, not saved, and the names of the
    columns that changed (empty for a new fact). An existing fact is locked for the update;
    `new` says the case was just created, so there is none to look for."""
    values: dict[str, object] = {name: getattr(complaint, name) for name in _CASE_FIELDS}
    values["transferred_to_body_id"] = complaint.transferred_to_body_id
    values.update(extra)
    fact = None if new else \
        ComplaintFact.objects.select_for_update().filter(body=body, complaint_id=complaint.pk).first()
    if fact is None:
        fact = ComplaintFact(body=body, complaint_id=complaint.pk, province_code=body.province_id or "",
                             district_code=body.district_id or "", **values)
        return fact, []
    changed = [name for name, value in values.items() if getattr(fact, name) != value]
    for name in changed:
        setattr(fact, name, values[name])
    return fact, changed


def fact_save(fact: ComplaintFact, changed: list[str]) -> ComplaintFact:
    if fact.pk is None:
        fact.save()
    elif changed:
        fact.save(update_fields=[*changed, "updated_at"])
    return fact


def fact_sync(*, complaint: Complaint, body: LocalBody, **extra: object) -> ComplaintFact:
    """Insert or update the complaint's fact; `extra` sets further columns (transfer links)."""
    fact, changed = fact_prepare(complaint=complaint, body=body, new=False, **extra)
    return fact_save(fact, changed)
