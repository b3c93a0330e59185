"""The LINE channel as the outbox and the PDPA job see it (apps.complaints.notifications
.CitizenChannel), registered from LineConfig.ready(): complaints sits below apps.line and never
imports it."""

from __future__ import annotations

from apps.complaints.models import Complaint
from apps.complaints.notifications import CitizenChannel
from apps.line.models import SINGLETON, LineChannel, LineUser
from apps.line.selectors import line_recipient


def _follower(complaint: Complaint) -> tuple[str, str] | None:
    user = line_recipient(complaint=complaint)
    return None if user is None else (user.user_id, user.language)


def _forget(user_ids: set[str]) -> int:
    """The chat record (user id, language, conversation state) of these users."""
    return LineUser.objects.filter(user_id__in=user_ids).delete()[0]


def _connected() -> bool:
    return LineChannel.objects.filter(pk=SINGLETON, is_active=True).exists()


LINE = CitizenChannel(name="line", follower=_follower, forget=_forget, connected=_connected)
