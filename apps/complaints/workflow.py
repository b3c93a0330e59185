"""The one place where a complaint's status may change.

received → acknowledged → in progress (assigned) ↔ waiting for the complainant → resolved → closed;
plus rejected (with a reason), transferred, merged as a duplicate, and reopened (a new cycle from
resolved or closed, back to received). A transfer offered by another body waits in
transfer_offered until the receiver accepts it (received) or returns it (rejected).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.complaints.errors import WorkflowError
from apps.reporting.models import Status

S = Status
ALLOWED: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS, S.REJECTED, S.TRANSFERRED, S.MERGED}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.WAITING, S.REJECTED, S.TRANSFERRED, S.MERGED}),
    S.IN_PROGRESS: frozenset({S.WAITING, S.RESOLVED, S.TRANSFERRED, S.MERGED}),
    S.WAITING: frozenset({S.IN_PROGRESS, S.RESOLVED, S.TRANSFERRED, S.MERGED}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS, S.RECEIVED}),
    S.CLOSED: frozenset({S.RECEIVED}),
    # A transfer the receiver returned comes back to the sender's work queue.
    S.TRANSFERRED: frozenset({S.IN_PROGRESS}),
    S.TRANSFER_OFFERED: frozenset({S.RECEIVED, S.REJECTED}),
    S.REJECTED: frozenset(),
    S.MERGED: frozenset(),
}


def check_transition(current: str, target: str) -> None:
    if target not in ALLOWED.get(current, frozenset()):
        raise WorkflowError(
            _("ไม่สามารถเปลี่ยนสถานะจาก “%(current)s” เป็น “%(target)s” ได้")
            % {"current": Status(current).label, "target": Status(target).label}
        )


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED.get(current, frozenset())
