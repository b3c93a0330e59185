"""The contact of a body's first administrator, validated the same way on the form and in each
row of a spreadsheet: one list of Thai messages, one per problem."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from apps.ui.normalise import Refused, ascii_digits, normalise

MOBILE = re.compile(r"0[689]\d{8}")


@dataclass(frozen=True)
class Contact:
    full_name: str
    position: str
    email: str
    mobile: str


def _text(value: object, kind: str, label: str, errors: list[str]) -> str:
    try:
        return normalise(str(value if value is not None else ""), kind=kind).strip()  # type: ignore[arg-type]
    except Refused as refused:
        errors.append(f"{label}: {refused.message}")
        return ""


def contact_clean(*, full_name: object, position: object, email: object, mobile: object) -> tuple[Contact, list[str]]:
    """The cleaned contact and the problems found (empty: valid)."""
    errors: list[str] = []
    name = _text(full_name, "name", _("ชื่อ-นามสกุล"), errors)
    role = _text(position, "name", _("ตำแหน่ง"), errors)
    address = _text(email, "code", _("อีเมล"), errors).lower()
    phone = re.sub(r"[\s\-().]", "", ascii_digits(_text(mobile, "code", _("โทรศัพท์มือถือ"), errors)))
    if phone.startswith("+66"):
        phone = "0" + phone[3:]
    elif phone.startswith("66") and len(phone) == 11:
        phone = "0" + phone[2:]
    if not name:
        errors.append(_("กรุณากรอกชื่อ-นามสกุล"))
    elif len(name) > 200:
        errors.append(_("ชื่อ-นามสกุลยาวเกิน 200 ตัวอักษร"))
    if not role:
        errors.append(_("กรุณากรอกตำแหน่ง"))
    elif len(role) > 200:
        errors.append(_("ตำแหน่งยาวเกิน 200 ตัวอักษร"))
    if not address:
        errors.append(_("กรุณากรอกอีเมลทางราชการ"))
    else:
        try:
            validate_email(address)
        except ValidationError:
            errors.append(_("อีเมล %(value)s ไม่ถูกต้อง") % {"value": address[:80]})
    if not phone:
        errors.append(_("กรุณากรอกหมายเลขโทรศัพท์มือถือ"))
    elif not MOBILE.fullmatch(phone):
        errors.append(_("หมายเลขโทรศัพท์มือถือ %(value)s ไม่ถูกต้อง (ตัวเลข 10 หลัก ขึ้นต้นด้วย 06, 08 หรือ 09)")
                      % {"value": phone[:20]})
    return Contact(full_name=name, position=role, email=address, mobile=phone), errors
