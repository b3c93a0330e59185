"""Input rules for complaints; each failure names the field, in Thai (English when asked)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.complaints.errors import ComplaintError
from apps.complaints.status import CONTACT_FIELDS, ContactChannel
from apps.ui.normalise import Kind, Refused, ascii_digits, normalise

MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class Complainant:
    name: str = ""
    phone: str = ""
    email: str = ""
    national_id: str = ""
    address: str = ""
    line_id: str = ""
    # The channels (ContactChannel) the complainant allows the handling officers to reach them by.
    contact_allowed: tuple[str, ...] = ()


def clean_text(value: str, *, field: str, label: str | Promise, max_length: int, required: bool = False,
               kind: Kind = "text") -> str:
    """`value` through apps.ui.normalise (the same rules as at the request's edge, plus those of its
    kind), stripped, length-checked; every refusal names the field."""
    try:
        value = normalise(str(value or ""), kind=kind).strip()
    except Refused as error:
        raise ComplaintError(_("%(label)s: %(reason)s") % {"label": label, "reason": error.message},
                             field=field) from error
    if required and not value:
        raise ComplaintError(_("กรุณากรอก%(label)s") % {"label": label}, field=field)
    if len(value) > max_length:
        raise ComplaintError(
            _("%(label)s ยาวเกิน %(max)d ตัวอักษร") % {"label": label, "max": max_length}, field=field
        )
    return value


def clean_phone(value: str) -> str:
    """A Thai phone number (Thai digits, spaces, dashes and +66 accepted) as its national digits,
    checked against the Thai numbering plan (phonenumbers)."""
    text = clean_text(value, field="phone", label=_("หมายเลขโทรศัพท์"), max_length=20, kind="number")
    digits = re.sub(r"[\s\-().]", "", text)
    if not digits:
        return ""
    refusal = ComplaintError(_("หมายเลขโทรศัพท์ไม่ถูกต้อง (เช่น 0812345678)"), field="phone")
    if not re.fullmatch(r"\+?\d{9,12}", digits):
        raise refusal
    try:
        number = phonenumbers.parse(digits, "TH")
    except phonenumbers.NumberParseException as error:
        raise refusal from error
    if number.country_code != 66 or not phonenumbers.is_valid_number(number):
        raise refusal
    return "0" + str(number.national_number)


def clean_email(value: str) -> str:
    value = clean_text(value, field="email", label=_("อีเมล"), max_length=254, kind="code")
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ComplaintError(_("อีเมลไม่ถูกต้อง"), field="email") from exc
    return value


def clean_national_id(value: str) -> str:
    text = clean_text(value, field="national_id", label=_("เลขประจำตัวประชาชน"), max_length=20, kind="number")
    digits = re.sub(r"[\s\-]", "", text)
    if not digits:
        return ""
    if not re.fullmatch(r"\d{13}", digits):
        raise ComplaintError(_("เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"), field="national_id")
    checksum = (11 - sum(int(d) * (13 - i) for i, d in enumerate(digits[:12])) % 11) % 10
    if checksum != int(digits[12]):
        raise ComplaintError(_("เลขประจำตัวประชาชนไม่ถูกต้อง"), field="national_id")
    return digits


def clean_complainant(data: Complainant | None) -> Complainant | None:
    if data is None:
        return None
    cleaned = Complainant(
        name=clean_text(data.name, field="name", label=_("ชื่อ-นามสกุล"), max_length=200, required=True,
                        kind="name"),
        phone=clean_phone(data.phone),
        email=clean_email(data.email),
        national_id=clean_national_id(data.national_id),
        address=clean_text(data.address, field="address", label=_("ที่อยู่"), max_length=300, kind="name"),
        line_id=clean_text(data.line_id, field="line_id", label="LINE ID", max_length=64, kind="code"),
    )
    if not (cleaned.phone or cleaned.email or cleaned.line_id):
        raise ComplaintError(
            _("กรุณาให้ช่องทางติดต่อกลับอย่างน้อยหนึ่งช่องทาง (โทรศัพท์ อีเมล หรือ LINE) หรือเลือกไม่ประสงค์ออกนาม"),
            field="phone",
        )
    return replace(cleaned, contact_allowed=clean_contact_allowed(data.contact_allowed, cleaned))


def clean_contact_allowed(channels: object, person: Complainant) -> tuple[str, ...]:
    """The channels allowed, in one order, each one the complainant gave a contact for: a consent to
    be reached by a channel with nothing to reach them at is refused, never stored."""
    given = [str(c).strip().lower() for c in (channels or ())] if isinstance(channels, (list, tuple)) else None
    if given is None or any(c not in ContactChannel.values for c in given):
        raise ComplaintError(_("ช่องทางที่ยินยอมให้ติดต่อต้องเป็น phone, email หรือ line"), field="contact_allowed")
    for channel in ContactChannel:
        if channel in given and not getattr(person, CONTACT_FIELDS[channel]):
            raise ComplaintError(
                _("ท่านเลือกให้ติดต่อทาง%(channel)s แต่ไม่ได้กรอก%(contact)s กรุณากรอก%(contact)s "
                  "หรือยกเลิกการเลือกนี้") % {"channel": CONTACT_LABELS[channel][0], "contact": CONTACT_LABELS[channel][1]},
                field=f"contact_{channel}")
    return tuple(c for c in ContactChannel.values if c in given)


# Each channel's short name and its contact's, for messages (ContactChannel's labels are the checkboxes').
CONTACT_LABELS = {ContactChannel.PHONE: (_("โทรศัพท์"), _("หมายเลขโทรศัพท์")),
                  ContactChannel.EMAIL: (_("อีเมล"), _("อีเมล")), ContactChannel.LINE: ("LINE", "LINE ID")}


def clean_coordinates(lat: object, lng: object) -> tuple[Decimal | None, Decimal | None]:
    if lat in (None, "") and lng in (None, ""):
        return None, None
    try:
        latitude, longitude = (Decimal(ascii_digits(str(v)).strip()) for v in (lat, lng))
    except InvalidOperation as exc:
        raise ComplaintError(_("พิกัดไม่ถูกต้อง"), field="location") from exc
    if not (latitude.is_finite() and longitude.is_finite()):  # NaN, Infinity
        raise ComplaintError(_("พิกัดไม่ถูกต้อง"), field="location")
    if not (Decimal("5.5") <= latitude <= Decimal("20.6") and Decimal("97.3") <= longitude <= Decimal("105.7")):
        raise ComplaintError(_("พิกัดอยู่นอกประเทศไทย"), field="location")
    return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))


def clean_media_url(value: str) -> str:
    """A link to a photo held by another system (Open311 `media_url`): http(s) only, kept as text."""
    value = clean_text(value, field="media_url", label="media_url", max_length=500)
    if not value:
        return ""
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value, flags=re.IGNORECASE):
        raise ComplaintError(_("ลิงก์รูปภาพไม่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)"), field="media_url")
    return value
