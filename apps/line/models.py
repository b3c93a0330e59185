"""A body's LINE Official Account and its citizens on LINE (tenant schema only: the channel's
secrets and a citizen's LINE user id are the body's data, never the platform's).

Three small tables, keyed by natural values so none needs a sequence or a second index:
4 relations each (table, primary key, toast table and its index) in every body's schema."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

SINGLETON = 1


class LineChannel(models.Model):
    """The body's one LINE Official Account (Messaging API channel). Secret and token are stored
    encrypted (apps.line.crypto) and never shown again once saved."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    channel_id = models.CharField(_("Channel ID"), max_length=20)
    secret_encrypted = models.TextField()
    token_encrypted = models.TextField()
    is_active = models.BooleanField(default=True)
    # The rich menu made for the account through the Messaging API (apps.line.rich_menu).
    rich_menu_id = models.CharField(max_length=64, blank=True, default="")
    connected_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("บัญชี LINE Official Account")
        verbose_name_plural = _("บัญชี LINE Official Account")

    def __str__(self) -> str:
        return f"LINE channel {self.channel_id}"


class LineUser(models.Model):
    """A citizen who talks to the body's account. `state` is the half-finished conversation
    (filing steps, pending photos), `state_at` when it last moved: it expires after
    LINE_CONVERSATION_MINUTES. Cases are linked by Complaint.complainant_line_id = user_id."""

    user_id = models.CharField(max_length=40, primary_key=True)
    language = models.CharField(max_length=5, default="th")
    is_following = models.BooleanField(default=True)
    state = models.JSONField(default=dict, blank=True)
    state_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"LINE user …{self.user_id[-4:]}"


class LineEvent(models.Model):
    """Webhook events already processed (their webhookEventId): a redelivery is recognised by
    its primary key and done once."""

    event_id = models.CharField(max_length=40, primary_key=True)
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.event_id
