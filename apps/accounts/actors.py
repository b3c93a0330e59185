"""Who acts on a case besides a body's own staff.

An officer of a district or provincial office is a public-schema user. When the office handles a
conduct or corruption case it acts inside the accused body's schema, where `accounts_user` is that
body's own staff table: the officer is therefore carried as this value (id and name) and recorded
by them, never as a foreign key to the body's users.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User


@dataclass(frozen=True)
class OfficeActor:
    user_id: int  # the officer's id in the public schema
    name: str
    office: str  # e.g. "สำนักงานท้องถิ่นอำเภอบ้านลาด"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.office})"[:120]


# Who is acting: request.user (a User, or AnonymousUser on the portal), an oversight office's
# officer on a conduct case (OfficeActor), or None for the system.
Actor: TypeAlias = User | AnonymousUser | OfficeActor | None
