"""The complainant's consent to be reached by the officers handling the case: given per channel at
filing (intake), withdrawn by the complainant from the tracking page, channel by channel."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.complaints.errors import ComplaintError
from apps.complaints.models import Complaint, EventKind
from apps.complaints.services.record import CITIZEN, case_locked, event_add
from apps.complaints.status import ContactChannel


@transaction.atomic
def complaint_contact_withdraw(*, complaint: Complaint, channels: Sequence[str]) -> Complaint:
    """The complainant withdraws their consent for these channels. The case's timeline records it
    (an internal event: the officers see when and what), in the same transaction; the reporting fact
    holds no consent, so it does not change. Withdrawing a channel not allowed is refused."""
    complaint = case_locked(complaint)
    wanted = [c for c in ContactChannel.values if c in channels]
    if not wanted or len(wanted) != len(set(channels)) or any(c not in complaint.contact_allowed for c in wanted):
        raise ComplaintError(_("ท่านไม่ได้ยินยอมให้ติดต่อทางช่องทางนี้ไว้"), field="channel")
    complaint.contact_allowed = [c for c in complaint.contact_allowed if c not in wanted]
    complaint.save(update_fields=["contact_allowed", "updated_at"])
    event_add(complaint, EventKind.CONSENT, actor_label=CITIZEN,
              data={"withdrawn": wanted, "allowed": list(complaint.contact_allowed)})
    return complaint
