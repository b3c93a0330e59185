"""Body integration keys: the body's admin gives another system (Traffy Fondue, the 1111 centre's
desk, a GIS tool) a key to the staff API, with a role, a scope and an expiry.

A key acts as a user of its own, made with it (username `integration-<prefix>`, the integration's
name as its full name, no password: it never signs in to a page) and a staff membership with the
role given. So every role rule of the desk applies unchanged, and the case timeline, the identity
reveal log and the audit log name the integration. The rules for a key:

- role: intake clerk (every case of the body but conduct ones; files, routes, replies, transfers,
  accepts and returns transfers; may not close) or officer of one department (that department's
  cases and those assigned to it; closes what an officer may close; may not accept or return a
  transfer). Never admin or executive: a key does not manage the body or approve closures.
- scope: `read` only reads; `write` also acts. `personal_data` opens the complainant's identity
  (each reveal recorded, as for staff), the description, the place and the files; without it
  these are withheld (null) and the identity call is refused.
- revoking the key deactivates its user: nothing it did is lost, nothing more is done in its name.

These are services (the api layer: they write a staff membership, which apps.tokens, below
apps.complaints, may not)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.complaints.access import staff_role
from apps.complaints.models import Department, Role, StaffMember
from apps.tokens.models import StaffToken, TokenKind
from apps.tokens.services import DEFAULT_DAYS, TokenError, staff_token_issue, staff_token_revoke

INTEGRATION_ROLES = (Role.CLERK, Role.OFFICER)
USERNAME_PREFIX = "integration-"


@transaction.atomic
def integration_key_issue(*, actor: User, name: str, scope: str, personal_data: bool, role: str,
                          department: Department | None = None, days: int = DEFAULT_DAYS) -> tuple[StaffToken, str]:
    """A new key and its user; returns the key and the raw key (shown once)."""
    if staff_role(actor) != Role.ADMIN:
        raise TokenError(_("ออกกุญแจเชื่อมต่อระบบได้เฉพาะผู้ดูแลระบบของหน่วยงาน"))
    if role not in INTEGRATION_ROLES:
        raise TokenError(_("กุญแจเชื่อมต่อระบบมีบทบาทได้เฉพาะเจ้าหน้าที่รับเรื่องหรือเจ้าหน้าที่กอง/สำนัก"), field="role")
    if role == Role.OFFICER and (department is None or not department.is_active):
        raise TokenError(_("เจ้าหน้าที่กอง/สำนักต้องระบุกอง/สำนัก"), field="department")
    if role != Role.OFFICER:
        department = None
    label = " ".join((name or "").split())[:200]
    user = User.objects.create_user(f"{USERNAME_PREFIX}{secrets.token_hex(6)}", None, full_name=label)
    StaffMember.objects.create(user=user, role=role, department=department)
    return staff_token_issue(actor=actor, user=user, name=name, scope=scope, days=days, may_issue_for_others=True,
                             kind=TokenKind.INTEGRATION, personal_data=personal_data,
                             audit={"role": role, "department": department.pk if department else None})


@transaction.atomic
def integration_key_revoke(*, actor: User, token: StaffToken) -> StaffToken:
    if staff_role(actor) != Role.ADMIN or not token.is_integration:
        raise TokenError(_("ยกเลิกกุญแจเชื่อมต่อระบบได้เฉพาะผู้ดูแลระบบของหน่วยงาน"))
    token = staff_token_revoke(actor=actor, token=token)
    User.objects.filter(pk=token.user_id).update(is_active=False)
    return token
