"""The one place where a complaint's status may change.

received → acknowledged → in progress (assigned) ↔ waiting for the complainant → resolved → closed;
plus rejected (with a reason), transferred, merged as a duplicate, and reopened (a new cycle from
resolved or closed, back to received). A transfer offered by another body waits in
transfer_offered until the receiver accepts it (received) or returns it (rejected).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.complaints.errors import WorkflowError
from apps.complaints.status import OPEN_STATUSES, Status

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


# A reply to the citizen: while the case is open, and after it is resolved (before it is closed).
REPLY_STATUSES = OPEN_STATUSES | {S.RESOLVED}
# Staff end a wait (or take a returned transfer or a resolved case back into work); from received
# or acknowledged, assigning is the way into work.
RESUME_STATUSES = frozenset({S.WAITING, S.TRANSFERRED, S.RESOLVED})
# The staff actions that move a case to one status, and that status.
ACTION_TARGETS: dict[str, str] = {
    "acknowledge": S.ACKNOWLEDGED,
    "request_info": S.WAITING,
    "resolve": S.RESOLVED,
    "close": S.CLOSED,
    "reject": S.REJECTED,
    "transfer": S.TRANSFERRED,
    "merge": S.MERGED,
    "reopen": S.RECEIVED,
}


def available_actions(status: str) -> set[str]:
    """The staff actions a case in `status` offers (the services check them again)."""
    if status == S.TRANSFER_OFFERED:
        return {"transfer_accept", "transfer_return", "note"}
    actions = {"note"} | {action for action, target in ACTION_TARGETS.items() if can_transition(status, target)}
    if status in OPEN_STATUSES:
        actions.add("assign")
    if status in REPLY_STATUSES:
        actions.add("reply")
    if status in RESUME_STATUSES:
        actions.add("resume")
    return actions
