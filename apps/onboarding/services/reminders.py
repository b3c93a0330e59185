"""The offices' reminders to the bodies of their area: recorded at once, e-mailed to each body's
invited administrator through the body's outbox by a task after commit."""

from __future__ import annotations

from collections.abc import Iterable

from celery import current_app  # type: ignore[attr-defined]
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.complaints.notifications import queue_mail
from apps.complaints.publish import publish_after_commit
from apps.onboarding.models import Invitation, InvitationStatus, ReminderTopic, SetupReminder
from apps.onboarding.services.invitations import body_origin, office_name_for
from apps.oversight.scoping import Scope, bodies_in_scope_for
from tenants.models import LocalBody


def _reminder_text(topic: str, body: LocalBody, office: str) -> tuple[str, str]:
    with translation.override("th"):
        what = {
            ReminderTopic.INVITED: _("เริ่มใช้ระบบรับเรื่องร้องทุกข์ออนไลน์"),
            ReminderTopic.CLAIMED: _("รับคำเชิญและเข้าสู่ระบบเป็นครั้งแรก"),
            ReminderTopic.CONFIGURED: _("ตั้งค่าหน่วยงานให้ครบตามรายการเริ่มต้นใช้งาน"),
            ReminderTopic.SLA: _("จัดทำและประกาศข้อตกลงระดับการให้บริการ (SLA) "
                                 "โดยใช้มาตรฐานกลางของประเทศเป็นเกณฑ์ขั้นต่ำ"),
            ReminderTopic.ACTIVE: _("เปิดช่องทางรับเรื่องร้องทุกข์ให้ประชาชนใช้งาน"),
        }[ReminderTopic(topic)]
        subject = _("%(office)s เตือน: %(what)s") % {"office": office, "what": what}
        text = _("เรียน ผู้ดูแลระบบของ%(body)s\n\n%(office)s ขอให้%(body)s %(what)s\n\n"
                 "เข้าสู่ระบบและดูรายการเริ่มต้นใช้งานที่ %(url)s") % {
            "body": body.display_name, "office": office, "what": what,
            "url": f"{body_origin(body)}/staff/setup/"}
    return subject, text


@transaction.atomic
def reminders_send(*, scope: Scope, actor: User, topic: str, body_ids: list[int]) -> list[SetupReminder]:
    """An office reminds the listed bodies (each must be in its area). Recorded here and shown on
    the body's staff pages at once; the e-mails to each body's invited administrator are written
    to the bodies' outboxes by a task after commit (no request visits the bodies' schemas)."""
    ReminderTopic(topic)
    bodies = list(bodies_in_scope_for(scope).filter(pk__in=body_ids))
    if len(bodies) != len(set(body_ids)) or not bodies:
        from django.http import Http404

        raise Http404("a body is outside your area")
    office = office_name_for(actor, scope)
    contacts = dict(Invitation.objects.filter(body__in=bodies).exclude(status=InvitationStatus.REVOKED)
                    .order_by("body_id", "created_at").values_list("body_id", "email"))
    reminders = SetupReminder.objects.bulk_create([
        SetupReminder(body=b, topic=topic, office_name=office[:200], sent_by=actor, emailed_to=contacts.get(b.pk, ""))
        for b in bodies])
    audit_record(kind="reminder.send", actor=actor, target_type="onboarding.setupreminder",
                 target_label=str(ReminderTopic(topic).label),
                 changes={"after": {"topic": topic, "bodies": sorted(b.dla_code for b in bodies)}})
    ids = [r.pk for r in reminders if r.emailed_to]
    if ids:
        transaction.on_commit(lambda: _mail_later(ids), robust=True)
    return reminders


def _mail_later(ids: list[int]) -> None:
    # By name: the task module calls these services, and they never import it.
    publish_after_commit(current_app.signature("onboarding.reminders_mail"), schema=get_public_schema_name(),
                         args=[ids])


def reminders_mail(*, reminder_ids: Iterable[int] | None = None, limit: int = 500) -> int:
    """Write each reminder's e-mail into its body's outbox, once (the reminder row is locked and
    marked in the same transaction). Without ids: every reminder not yet mailed (the sweep)."""
    pending = SetupReminder.objects.filter(mailed_at__isnull=True).exclude(emailed_to="")
    if reminder_ids is not None:
        pending = pending.filter(pk__in=list(reminder_ids))
    done = 0
    for reminder_id in list(pending.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            reminder = (SetupReminder.objects.select_for_update(skip_locked=True, of=("self",)).select_related("body")
                        .filter(pk=reminder_id, mailed_at__isnull=True).first())
            if reminder is None:
                continue
            subject, text = _reminder_text(reminder.topic, reminder.body, reminder.office_name)
            with schema_context(reminder.body.schema_name):
                queue_mail(body=reminder.body, recipient=reminder.emailed_to, subject=subject, text=text)
            reminder.mailed_at = timezone.now()
            reminder.save(update_fields=["mailed_at"])
            done += 1
    return done
