"""LINE writes: connecting the body's account. The chat itself is apps.line.chat (it needs the
LINE SDK, which takes seconds to import: only the webhook and the LINE provider load it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.complaints import notifications
from apps.complaints.context import current_body
from apps.complaints.errors import ComplaintError
from apps.complaints.validation import clean_text
from apps.line import crypto
from apps.line.models import SINGLETON, LineChannel
from tenants.db import current_schema

logger = logging.getLogger(__name__)


# --- the body's account ---------------------------------------------------------------------------

@transaction.atomic
def line_channel_connect(*, actor: User | None, channel_id: str, channel_secret: str, access_token: str) -> LineChannel:
    """Save the body's LINE channel. Secret and token are encrypted; blank ones keep what is stored
    (the page never shows them again, so an admin changing only the id leaves them empty)."""
    channel_id = clean_text(channel_id, field="channel_id", label="Channel ID", max_length=20, required=True)
    if not channel_id.isdigit():
        raise ComplaintError(gettext_lazy("Channel ID ต้องเป็นตัวเลข"), field="channel_id")
    channel_secret = (channel_secret or "").strip()
    access_token = (access_token or "").strip()
    if channel_secret and not (len(channel_secret) == 32 and all(c in "0123456789abcdef" for c in channel_secret)):
        raise ComplaintError(gettext_lazy("Channel secret ต้องเป็นเลขฐานสิบหก 32 หลัก"), field="channel_secret")
    if access_token and (len(access_token) > 500 or any(c.isspace() for c in access_token)):
        raise ComplaintError(gettext_lazy("Channel access token ไม่ถูกต้อง"), field="access_token")
    now = timezone.now()
    existing = LineChannel.objects.select_for_update().filter(pk=SINGLETON).first()
    if existing is None and not (channel_secret and access_token):
        raise ComplaintError(gettext_lazy("กรุณากรอก Channel secret และ Channel access token"),
                             field="channel_secret")
    before: dict[str, str] = {"channel_id": existing.channel_id} if existing else {}
    channel = existing or LineChannel(pk=SINGLETON, connected_at=now)
    channel.channel_id = channel_id
    changed = []
    if channel_secret:
        channel.secret_encrypted = crypto.encrypt(channel_secret)
        changed.append("secret")
    if access_token:
        channel.token_encrypted = crypto.encrypt(access_token)
        changed.append("token")
    channel.is_active = True
    channel.updated_at = now
    channel.save()
    after: dict[str, str] = {"channel_id": channel_id, **{name: "changed" for name in changed}}
    audit_record(kind="line.connect" if existing is None else "line.update", actor=actor, target=channel,
                 changes={"before": before, "after": after})
    # The rich menu is made through the outbox (LINE's answer never holds up the page; LINE down,
    # the sweep makes it later), by apps.line.backend.LineRichMenuBackend.
    notifications.queue_direct(body=current_body(), channel="line_menu", recipient=channel_id, text="")
    return channel


@dataclass(frozen=True)
class Credentials:
    secret: str
    token: str


def line_credentials() -> Credentials | None:
    channel = LineChannel.objects.filter(pk=SINGLETON, is_active=True).first()
    if channel is None:
        return None
    try:
        return Credentials(crypto.decrypt(channel.secret_encrypted), crypto.decrypt(channel.token_encrypted))
    except crypto.InvalidToken:
        logger.error("LINE channel of %s cannot be decrypted: the secrets key changed", current_schema())
        return None
