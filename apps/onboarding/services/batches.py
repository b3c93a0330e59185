"""A spreadsheet of invitations from an office: every row through invitation_create, each in its
own transaction, with a report per row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.onboarding import spreadsheet
from apps.onboarding.contacts import contact_clean
from apps.onboarding.models import InvitationBatch
from apps.onboarding.services.invitations import InvitationError, invitation_create
from apps.oversight.scoping import Scope


@dataclass(frozen=True)
class RowReport:
    line: int
    dla_code: str
    outcome: str  # invited | skipped | refused
    message: str


def invitations_import(*, scope: Scope, actor: User, file_name: str, content: bytes) -> InvitationBatch:
    """Every row of the sheet, each in its own transaction (a refused row never undoes the others,
    and an interrupted upload keeps what it did). The same file again skips the rows done."""
    try:
        rows = spreadsheet.read_rows(file_name=file_name, content=content)
    except spreadsheet.SheetError as error:
        raise InvitationError(str(error)) from error
    with transaction.atomic():
        batch = InvitationBatch.objects.create(
            file_name=file_name[:200], file_sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor,
            scope_level=scope.level, scope_code=scope.code)
        audit_record(kind="invitation.import", actor=actor, target=batch,
                     changes={"after": {"file_name": batch.file_name, "rows": len(rows)}})
    report: list[RowReport] = []
    seen: dict[str, int] = {}
    for row in rows:
        code = row.dla_code
        if row.errors:
            report.append(RowReport(row.line, code, "refused", " · ".join(row.errors)))
            continue
        if code in seen:
            report.append(RowReport(row.line, code, "refused",
                                    _("รหัส อปท. ซ้ำกับแถวที่ %(line)s") % {"line": seen[code]}))
            continue
        seen[code] = row.line
        contact, errors = contact_clean(full_name=row.full_name, position=row.position, email=row.email,
                                        mobile=row.mobile)
        if errors:
            report.append(RowReport(row.line, code, "refused", " · ".join(errors)))
            continue
        try:
            issued = invitation_create(scope=scope, dla_code=code, contact=contact, actor=actor, batch=batch,
                                       resume=True)
        except InvitationError as error:
            report.append(RowReport(row.line, code, "refused", str(error)))
            continue
        report.append(RowReport(row.line, code, issued.outcome, issued.message))
    batch.report = [r.__dict__ for r in report]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["report", "finished_at"])
    return batch
