"""Idempotent case actions on the staff API: a client that retries a POST after a timeout, with
the same `Idempotency-Key`, gets the case as the first request left it, and the action is not done
twice. No table: the key is written into the data of the timeline events the action wrote (with
the token's prefix, so each use of a token is attributable), under the case's row lock; a retry
finds it there."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction

from apps.complaints.idempotency import scoped_key
from apps.complaints.models import Complaint, ComplaintEvent
from apps.tokens.models import StaffToken


@transaction.atomic
def action_once(*, complaint: Complaint, raw_key: str, user_id: int, token: StaffToken | None,
                run: Callable[[], Sequence[int]]) -> bool:
    """Run `run` (which returns the ids of the other cases it touched, e.g. a merge's target)
    unless this key was already used on this case; returns True for a replay."""
    key = scoped_key(raw_key, scope=f"staff-{user_id}")  # refuses a malformed key (ComplaintError)
    Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
    if key and ComplaintEvent.objects.filter(complaint_id=complaint.pk, data__idempotency_key=key).exists():
        return True
    last = ComplaintEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    touched = [complaint.pk, *run()]
    stamp: dict[str, str] = {}
    if key:
        stamp["idempotency_key"] = key
    if token is not None:
        stamp["token"] = token.prefix
    if stamp:
        for event in ComplaintEvent.objects.filter(id__gt=last, complaint_id__in=touched):
            event.data = {**(event.data or {}), **stamp}
            event.save(update_fields=["data"])
    return False
