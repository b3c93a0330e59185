"""Writes of onboarding, by noun: `invitations` (one, re-sending, revoking, claiming), `batches`
(a spreadsheet of them), `setup` (the setup facts), `reminders` (the offices' reminders). All are
exported here.

Each write is one transaction with its audit entry; the e-mails go through the body's outbox
(apps.complaints.notifications.queue_mail), written in that transaction and sent after commit.
"""

from apps.onboarding.services.batches import RowReport, invitations_import
from apps.onboarding.services.invitations import (
    AUDIT_FIELDS,
    InvitationError,
    Issued,
    body_origin,
    claim_link,
    get_invitation_in_scope,
    invitation_claim,
    invitation_create,
    invitation_for_token,
    invitation_resend,
    invitation_revoke,
    office_name_for,
    token_hash,
)
from apps.onboarding.services.reminders import reminders_mail, reminders_send
from apps.onboarding.services.setup import setup_record, setups_refresh

__all__ = [
    "AUDIT_FIELDS",
    "InvitationError",
    "Issued",
    "RowReport",
    "body_origin",
    "claim_link",
    "get_invitation_in_scope",
    "invitation_claim",
    "invitation_create",
    "invitation_for_token",
    "invitation_resend",
    "invitation_revoke",
    "invitations_import",
    "office_name_for",
    "reminders_mail",
    "reminders_send",
    "setup_record",
    "setups_refresh",
    "token_hash",
]
