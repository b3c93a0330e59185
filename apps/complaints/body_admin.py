"""A body's own configuration, by its admin: departments, categories and staff accounts.

Writes here, like the complaint service, refuse with a ComplaintError (a message and a field) and
change nothing; only a body admin may call them."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.accounts.second_factor import second_factor_reset
from apps.audit.services import audit_diff, audit_record, audit_snapshot
from apps.categories.models import NationalCategory
from apps.complaints.access import staff_role
from apps.complaints.errors import ComplaintError, NotAllowed
from apps.complaints.models import Category, Department, NotificationSettings, Role, StaffMember
from apps.complaints.notifications import provider_names
from apps.complaints.policies import Actor
from tenants.db import current_schema
from tenants.pages import page_version_bump

DEPARTMENT_FIELDS = ("code", "name_th", "name_en", "is_active", "position")
CATEGORY_FIELDS = ("name_th", "name_en", "national_category", "department", "is_active", "position")
STAFF_USER_FIELDS = ("username", "full_name", "email", "is_active")


def _require_admin(actor: Actor) -> None:
    if staff_role(actor) != Role.ADMIN:
        raise NotAllowed(_("เฉพาะผู้ดูแลระบบของหน่วยงานเท่านั้น"))


@transaction.atomic
def department_save(*, actor: Actor, department: Department | None = None, code: str, name_th: str,
                    name_en: str = "", is_active: bool = True, position: int = 0) -> Department:
    _require_admin(actor)
    code = (code or "").strip()
    name_th = (name_th or "").strip()
    if not code or not name_th:
        raise ComplaintError(_("กรุณากรอกรหัสและชื่อกอง/สำนัก"), field="name_th")
    clash = Department.objects.filter(code=code)
    if department is not None:
        clash = clash.exclude(pk=department.pk)
    if clash.exists():
        raise ComplaintError(_("รหัสกอง/สำนักนี้มีอยู่แล้ว"), field="code")
    # From the database: a ModelForm bound to the instance has already written the new values onto it.
    before = audit_snapshot(Department.objects.get(pk=department.pk), DEPARTMENT_FIELDS) \
        if department is not None and department.pk else {}
    created = department is None
    department = department or Department()
    department.code, department.name_th, department.name_en = code, name_th, name_en
    department.is_active, department.position = is_active, position
    department.save()
    changes = audit_diff(before, audit_snapshot(department, DEPARTMENT_FIELDS))
    if changes:
        audit_record(kind="department.create" if created else "department.update", actor=actor,
                     target=department, changes=changes)
    return department


@transaction.atomic
def category_save(*, actor: Actor, category: Category | None = None, name_th: str, name_en: str = "",
                  national_category: NationalCategory, department: Department | None,
                  is_active: bool = True, position: int = 0) -> Category:
    """A body's subcategory, mapped onto the national one, with its default department."""
    _require_admin(actor)
    name_th = (name_th or "").strip()
    if not name_th:
        raise ComplaintError(_("กรุณากรอกชื่อหมวดเรื่อง"), field="name_th")
    before = audit_snapshot(Category.objects.get(pk=category.pk), CATEGORY_FIELDS) \
        if category is not None and category.pk else {}
    created = category is None
    category = category or Category()
    category.name_th, category.name_en = name_th, name_en
    category.national_category = national_category
    category.department = department
    category.is_active, category.position = is_active, position
    category.save()
    page_version_bump(schema=current_schema())  # the complaint form lists the categories
    changes = audit_diff(before, audit_snapshot(category, CATEGORY_FIELDS))
    if changes:
        audit_record(kind="category.create" if created else "category.update", actor=actor, target=category,
                     changes=changes)
    return category


@transaction.atomic
def staff_user_save(*, actor: Actor, user: User | None = None, username: str, full_name: str = "",
                    email: str = "", role: str, department: Department | None = None,
                    is_active: bool = True, password: str = "") -> User:
    """Create or update a staff account of this body (the user lives in the body's schema)."""
    _require_admin(actor)
    if role not in Role.values:
        raise ComplaintError(_("บทบาทไม่ถูกต้อง"), field="role")
    if role == Role.OFFICER and department is None:
        raise ComplaintError(_("เจ้าหน้าที่กอง/สำนักต้องระบุกอง/สำนัก"), field="department")
    if user is not None and user.pk == getattr(actor, "pk", None) and (role != Role.ADMIN or not is_active):
        raise ComplaintError(_("ไม่สามารถลดสิทธิ์หรือปิดบัญชีของตนเองได้"), field="role")
    created = user is None
    before = _staff_snapshot(user) if user is not None else {}
    if user is None and not password:
        raise ComplaintError(_("กรุณากำหนดรหัสผ่าน"), field="password")
    if password:
        # The configured validators (AUTH_PASSWORD_VALIDATORS), against the account's own details.
        candidate = user or User(username=username, full_name=full_name, email=email)
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise ComplaintError(" ".join(exc.messages), field="password") from exc
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(username, password, full_name=full_name, email=email,
                                                is_active=is_active)
        except IntegrityError as exc:
            raise ComplaintError(_("ชื่อผู้ใช้นี้มีอยู่แล้ว"), field="username") from exc
    else:
        user.full_name, user.email, user.is_active = full_name, email, is_active
        if password:
            user.set_password(password)
        user.save()
    StaffMember.objects.update_or_create(user=user, defaults={"role": role, "department": department})
    after = _staff_snapshot(user)
    changes = audit_diff(before, after)
    if password:
        # That it changed, never the value or its hash.
        changes.setdefault("before", {})
        changes.setdefault("after", {})["password_set"] = True
    if changes:
        audit_record(kind="staff.create" if created else "staff.update", actor=actor, target=user,
                     target_label=user.get_username(), changes=changes)
    return user


@transaction.atomic
def staff_second_factor_reset(*, actor: Actor, user: User, request: HttpRequest | None = None) -> None:
    """A staff member lost their authenticator: the body's admin removes it (and the recovery
    codes), so the next sign-in enrols a new one. Not one's own: that takes another admin."""
    _require_admin(actor)
    if user.pk == getattr(actor, "pk", None):
        raise ComplaintError(_("ไม่สามารถรีเซ็ตการยืนยันตัวตนสองขั้นตอนของตนเองได้ กรุณาให้ผู้ดูแลระบบอีกคนดำเนินการ"),
                             field="user")
    if not StaffMember.objects.filter(user=user).exists():
        raise ComplaintError(_("ไม่พบบัญชีเจ้าหน้าที่"), field="user")
    second_factor_reset(request=request, user=user, actor=actor)  # type: ignore[arg-type]


def _staff_snapshot(user: User) -> dict[str, object]:
    member = StaffMember.objects.filter(user=user).first()
    return {**audit_snapshot(user, STAFF_USER_FIELDS),
            "role": member.role if member else None,
            "department": member.department_id if member else None}


NOTIFICATION_SETTINGS_FIELDS = ("sms_provider", "email_provider", "quiet_start", "quiet_end")


@transaction.atomic
def notification_settings_save(*, actor: Actor, sms_provider: str, email_provider: str,
                               quiet_start: int | None, quiet_end: int | None) -> NotificationSettings:
    """The body's providers (empty: the national setting) and quiet hours (both empty: the
    national window; equal: none)."""
    _require_admin(actor)
    for channel, chosen in (("sms", sms_provider), ("email", email_provider)):
        if chosen and chosen not in provider_names(channel):
            raise ComplaintError(_("ไม่มีผู้ให้บริการนี้ในระบบ"), field=f"{channel}_provider")
    if (quiet_start is None) != (quiet_end is None):
        raise ComplaintError(_("กรุณากรอกเวลาเริ่มและเวลาสิ้นสุดช่วงงดส่งข้อความทั้งสองช่อง หรือเว้นว่างทั้งสองช่อง"),
                             field="quiet_start")
    for field, hour in (("quiet_start", quiet_start), ("quiet_end", quiet_end)):
        if hour is not None and not 0 <= hour <= 23:
            raise ComplaintError(_("เวลาต้องเป็นชั่วโมง 0 ถึง 23"), field=field)
    current = NotificationSettings.objects.select_for_update().filter(pk=1).first()
    before = audit_snapshot(current, NOTIFICATION_SETTINGS_FIELDS) if current else {}
    row = current or NotificationSettings(pk=1)
    row.sms_provider, row.email_provider = sms_provider, email_provider
    row.quiet_start, row.quiet_end = quiet_start, quiet_end
    row.save()
    after = audit_snapshot(row, NOTIFICATION_SETTINGS_FIELDS)
    audit_record(kind="notification.settings", actor=actor, target=row, changes=audit_diff(before, after))
    return row
