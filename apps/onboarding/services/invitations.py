"""Invitations of a body's first administrator: one office's invitation, re-sending, revoking,
and the claim on the body's host. Each write is one transaction with its audit entry; the e-mail
goes through the body's outbox (apps.complaints.notifications.queue_mail), written in that
transaction and sent after commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from apps.accounts.models import User
from apps.audit.services import audit_record, audit_snapshot
from apps.complaints.models import Notification, Role, StaffMember
from apps.complaints.notifications import queue_mail
from apps.onboarding.contacts import Contact
from apps.onboarding.models import Invitation, InvitationBatch, InvitationStatus
from apps.onboarding.services.setup import setup_record
from apps.oversight.scoping import Scope, bodies_in_scope_for
from apps.ui.thai import format_datetime
from tenants.models import BodyStatus, LocalBody

AUDIT_FIELDS = ("body", "full_name", "position", "email", "mobile", "status", "expires_at")


class InvitationError(ValueError):
    """Refused, with a message for the person who asked (Thai unless English is active)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def body_origin(body: LocalBody) -> str:
    scheme = "https" if getattr(settings, "PRODUCTION", False) else "http"
    port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
    return f"{scheme}://{body.slug}.{settings.PLATFORM_DOMAIN}{port}"


def claim_link(body: LocalBody, token: str) -> str:
    return f"{body_origin(body)}/staff/welcome/{token}/"


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS)


def _has_admin() -> bool:
    """In the body's schema: an active administrator already exists."""
    return StaffMember.objects.filter(role=Role.ADMIN, user__is_active=True).exists()


def _mail_invitation(invitation: Invitation, token: str, office_name: str) -> None:
    """Write the invitation's e-mail into the body's outbox (in the caller's transaction). The
    message is Thai: the official's own language is not known before they sign in."""
    body = invitation.body
    with translation.override("th"):
        subject = _("คำเชิญเป็นผู้ดูแลระบบรับเรื่องร้องทุกข์ของ%(body)s") % {"body": body.display_name}
        text = _(
            "เรียน %(name)s (%(position)s)\n\n"
            "%(office)s เชิญท่านเป็นผู้ดูแลระบบรับเรื่องร้องทุกข์ออนไลน์ (ร้องทุกข์) ของ%(body)s\n\n"
            "เปิดลิงก์นี้เพื่อตั้งชื่อผู้ใช้และรหัสผ่าน แล้วเปิดใช้การยืนยันตัวตนสองขั้นตอนด้วยแอปบนโทรศัพท์:\n"
            "%(link)s\n\n"
            "ลิงก์นี้ใช้ได้ครั้งเดียว ถึง %(expires)s\n"
            "หากท่านไม่ใช่ผู้รับผิดชอบ โปรดแจ้ง %(office)s และอย่าส่งต่ออีเมลนี้"
        ) % {"name": invitation.full_name, "position": invitation.position, "office": office_name,
             "body": body.display_name, "link": claim_link(body, token),
             "expires": format_datetime(invitation.expires_at, language="th")}
    with schema_context(body.schema_name):
        notification = queue_mail(body=body, recipient=invitation.email, subject=subject, text=text)
    invitation.notification_id = notification.pk
    invitation.sent_at = timezone.now()
    invitation.send_count += 1


def _retire_link(invitation: Invitation) -> None:
    """The outbox keeps the e-mail it sent; once the link is dead (claimed, re-sent, revoked) its
    token is taken out of that copy too, so no usable token is kept anywhere (only its hash)."""
    if invitation.notification_id is None:
        return
    with schema_context(invitation.body.schema_name):
        notification = Notification.objects.filter(pk=invitation.notification_id).first()
        if notification is not None:
            notification.body = re.sub(r"/staff/welcome/[^/\s]+/", "/staff/welcome/-/", notification.body)
            notification.save(update_fields=["body"])


def office_name_for(user: User, scope: Scope) -> str:
    profile = getattr(user, "oversight_profile", None)
    name = getattr(profile, "office_name", "") if profile is not None else ""
    if name:
        return str(name)
    if scope.level == "nation":
        return _("กรมส่งเสริมการปกครองท้องถิ่น")
    return user.get_full_name()


@dataclass(frozen=True)
class Issued:
    invitation: Invitation | None
    outcome: str  # invited | skipped
    message: str
    link: str = ""


def _body_for_update(scope: Scope, dla_code: str) -> LocalBody:
    found = bodies_in_scope_for(scope).filter(dla_code=dla_code).values_list("pk", flat=True).first()
    if found is None:
        # The same answer for a code that does not exist and a body outside the office's area.
        raise InvitationError(_("ไม่พบหน่วยงานรหัส %(code)s ในพื้นที่ที่ท่านกำกับดูแล") % {"code": dla_code[:20]})
    body: LocalBody = LocalBody.objects.select_for_update().get(pk=found)
    return body


@transaction.atomic
def invitation_create(*, scope: Scope, dla_code: str, contact: Contact, actor: User,
                      batch: InvitationBatch | None = None, resume: bool = False) -> Issued:
    """Invite the body's first administrator. `resume` (a spreadsheet row): an invitation still
    open to the same address is reported as done already, not refused."""
    body = _body_for_update(scope, dla_code)
    if body.status != BodyStatus.ACTIVE:
        raise InvitationError(_("หน่วยงานนี้ยังไม่เปิดให้บริการบนระบบ จึงยังเชิญไม่ได้"))
    live = Invitation.objects.filter(body=body, status__in=[InvitationStatus.PENDING, InvitationStatus.CLAIMED]).first()
    if live is not None and live.status == InvitationStatus.CLAIMED:
        raise InvitationError(_("หน่วยงานนี้มีผู้ดูแลระบบที่รับคำเชิญแล้ว"))
    if live is not None and not live.is_expired:
        if resume and live.email == contact.email:
            return Issued(live, "skipped", _("เชิญแล้ว (ส่งถึง %(email)s) จึงข้าม") % {"email": live.email})
        raise InvitationError(_("มีคำเชิญถึง %(email)s ที่ยังไม่หมดอายุ: ส่งอีกครั้งหรือยกเลิกก่อนเชิญใหม่")
                              % {"email": live.email})
    if live is not None:
        live.status = InvitationStatus.EXPIRED
        live.save(update_fields=["status"])
    with schema_context(body.schema_name):
        if _has_admin():
            raise InvitationError(_("หน่วยงานนี้มีผู้ดูแลระบบอยู่แล้ว"))
    token, digest = _new_token()
    office = office_name_for(actor, scope)
    invitation = Invitation(body=body, full_name=contact.full_name, position=contact.position, email=contact.email,
                            mobile=contact.mobile, token_hash=digest, expires_at=_expiry(), invited_by=actor,
                            invited_by_label=office[:200], batch=batch)
    invitation.save()
    _mail_invitation(invitation, token, office)
    invitation.save(update_fields=["notification_id", "sent_at", "send_count"])
    audit_record(kind="invitation.create", actor=actor, target=invitation, target_label=body.display_name,
                 changes={"after": {**audit_snapshot(invitation, AUDIT_FIELDS), "dla_code": body.dla_code,
                                    "batch": batch.pk if batch else None}})
    return Issued(invitation, "invited", _("ส่งคำเชิญถึง %(email)s แล้ว") % {"email": contact.email},
                  link=claim_link(body, token))


def get_invitation_in_scope(scope: Scope, invitation_id: int) -> Invitation:
    """The invitation, or the same 404 for one that does not exist and one outside the area."""
    from django.http import Http404

    found = Invitation.objects.select_related("body").filter(
        pk=invitation_id, body__in=bodies_in_scope_for(scope)).first()
    if found is None:
        raise Http404("no such invitation")
    return found


@transaction.atomic
def invitation_resend(*, scope: Scope, invitation_id: int, actor: User) -> Issued:
    """A new link and a new expiry (the old link stops working), e-mailed again."""
    invitation = get_invitation_in_scope(scope, invitation_id)
    invitation = Invitation.objects.select_for_update().select_related("body").get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationError(_("คำเชิญนี้%(status)s ส่งอีกครั้งไม่ได้") % {"status": invitation.get_status_display()})
    before = audit_snapshot(invitation, ("expires_at", "send_count"))
    _retire_link(invitation)
    token, digest = _new_token()
    invitation.token_hash = digest
    invitation.expires_at = _expiry()
    _mail_invitation(invitation, token, office_name_for(actor, scope))
    invitation.save(update_fields=["token_hash", "expires_at", "notification_id", "sent_at", "send_count"])
    audit_record(kind="invitation.resend", actor=actor, target=invitation, target_label=invitation.body.display_name,
                 changes={"before": before, "after": audit_snapshot(invitation, ("expires_at", "send_count"))})
    return Issued(invitation, "invited", _("ส่งคำเชิญอีกครั้งถึง %(email)s แล้ว") % {"email": invitation.email},
                  link=claim_link(invitation.body, token))


@transaction.atomic
def invitation_revoke(*, scope: Scope, invitation_id: int, actor: User) -> Invitation:
    invitation = get_invitation_in_scope(scope, invitation_id)
    invitation = Invitation.objects.select_for_update().select_related("body").get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationError(_("คำเชิญนี้%(status)s ยกเลิกไม่ได้") % {"status": invitation.get_status_display()})
    invitation.status = InvitationStatus.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_at"])
    _retire_link(invitation)
    audit_record(kind="invitation.revoke", actor=actor, target=invitation, target_label=invitation.body.display_name,
                 changes={"before": {"status": "pending"}, "after": {"status": "revoked"}})
    return invitation


def invitation_for_token(*, body: LocalBody, token: str) -> Invitation | None:
    """The open invitation of this body behind a link, or None (unknown, another body's, used,
    revoked or expired: one answer for all)."""
    if not token or len(token) > 100:
        return None
    invitation = Invitation.objects.filter(token_hash=token_hash(token), body=body).first()
    if invitation is None or invitation.status != InvitationStatus.PENDING or invitation.is_expired:
        return None
    return invitation


@transaction.atomic
def invitation_claim(*, body: LocalBody, token: str, username: str, password: str) -> User:
    """On the body's host (the connection is in the body's schema): the first administrator's
    account, with the password already validated by the form. Once only: the invitation row is
    locked, an existing administrator refuses it, and the database refuses a second claim."""
    found = invitation_for_token(body=body, token=token)
    if found is None:
        raise InvitationError(_("ลิงก์คำเชิญนี้ใช้ไม่ได้แล้ว (ใช้ไปแล้ว ถูกยกเลิก หรือหมดอายุ) "
                                "กรุณาติดต่อสำนักงานที่ส่งคำเชิญ"))
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationError(_("ลิงก์คำเชิญนี้ใช้ไม่ได้แล้ว (ใช้ไปแล้ว ถูกยกเลิก หรือหมดอายุ) "
                                "กรุณาติดต่อสำนักงานที่ส่งคำเชิญ"))
    if _has_admin():
        raise InvitationError(_("หน่วยงานนี้มีผู้ดูแลระบบอยู่แล้ว"))
    if User.objects.filter(username=username).exists():
        raise InvitationError(_("ชื่อผู้ใช้นี้มีอยู่แล้วในหน่วยงาน กรุณาเลือกชื่ออื่น"))
    user = User.objects.create_user(username, password, full_name=invitation.full_name, email=invitation.email,
                                    phone=invitation.mobile)
    StaffMember.objects.create(user=user, role=Role.ADMIN)
    now = timezone.now()
    invitation.status = InvitationStatus.CLAIMED
    invitation.claimed_at = now
    invitation.claimed_username = username
    try:
        with transaction.atomic():
            invitation.save(update_fields=["status", "claimed_at", "claimed_username"])
    except IntegrityError as error:  # another invitation of the body was claimed meanwhile
        raise InvitationError(_("หน่วยงานนี้มีผู้ดูแลระบบที่รับคำเชิญแล้ว")) from error
    _retire_link(invitation)
    # The body's log: who its first administrator is and how the account came to be.
    audit_record(kind="staff.create", actor=user, target=user, target_label=username,
                 changes={"after": {"username": username, "full_name": user.full_name, "role": Role.ADMIN,
                                    "password_set": True, "invitation": invitation.pk}})
    audit_record(kind="invitation.claim", actor=user, target=invitation, target_label=body.display_name,
                 changes={"after": {"status": "claimed", "username": username}})
    with schema_context(get_public_schema_name()):
        audit_record(kind="invitation.claim", actor_label=f"{username}@{body.dla_code}", target=invitation,
                     target_label=body.display_name, changes={"after": {"status": "claimed", "username": username}})
    setup_record(body=body)
    return user
