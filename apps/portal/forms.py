"""Citizen forms: they parse and bound the input; the complaint service owns the rules."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.complaints.attachments import MAX_PIXELS, clean_image
from apps.complaints.errors import ComplaintError
from apps.complaints.status import ContactChannel
from apps.complaints.validation import clean_phone
from apps.ui.forms import set_choices

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024


class ComplaintForm(forms.Form):
    category = forms.TypedChoiceField(label=_("หมวดเรื่อง"), coerce=int, widget=forms.RadioSelect,
                                      error_messages={"required": _("กรุณาเลือกหมวดเรื่อง")})
    description = forms.CharField(label=_("รายละเอียดเรื่องที่ร้องทุกข์"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": _("กรุณากรอกรายละเอียด")})
    location_text = forms.CharField(label=_("สถานที่เกิดเหตุ / ที่อยู่"), max_length=300, required=False)
    moo = forms.CharField(label=_("หมู่ที่"), max_length=20, required=False)
    subdistrict = forms.ChoiceField(label=_("ตำบล"), required=False)
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    anonymous = forms.BooleanField(label=_("ไม่ประสงค์ออกนาม"), required=False)
    # Conduct route only: the provincial office handles complaints about the district office itself.
    about_district_office = forms.BooleanField(
        label=_("เรื่องนี้ร้องเรียนเจ้าหน้าที่ของสำนักงานท้องถิ่นอำเภอ"), required=False)
    name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=200, required=False)
    phone = forms.CharField(label=_("หมายเลขโทรศัพท์"), max_length=20, required=False)
    email = forms.CharField(label=_("อีเมล"), max_length=254, required=False)
    line_id = forms.CharField(label=_("LINE ID"), max_length=64, required=False)
    # PDPA: each channel the handling officers may reach the citizen by is their explicit choice
    # (unticked unless they tick it); the service refuses one with no contact given.
    contact_phone = forms.BooleanField(label=ContactChannel.PHONE.label, required=False)
    contact_email = forms.BooleanField(label=ContactChannel.EMAIL.label, required=False)
    contact_line = forms.BooleanField(label=ContactChannel.LINE.label, required=False)
    consent = forms.BooleanField(
        label=_("ข้าพเจ้าได้อ่านและรับทราบประกาศความเป็นส่วนตัวข้างต้นแล้ว"),
        error_messages={"required": _("กรุณารับทราบประกาศความเป็นส่วนตัวก่อนส่งเรื่อง")},
    )
    # Honeypot: hidden from people (and from screen readers); bots fill every field.
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: object, categories: list[tuple[int, str]], subdistricts: list[tuple[str, str]],
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "category", categories)
        set_choices(self, "subdistrict", [("", _("— เลือกตำบล —")), *subdistricts])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("anonymous"):
            if not (data.get("name") or "").strip():
                self.add_error("name", _("กรุณากรอกชื่อ-นามสกุล หรือเลือกไม่ประสงค์ออกนาม"))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error(None, _("พิกัดไม่ครบ กรุณาปักหมุดใหม่"))
        return data

    def contact_allowed(self) -> tuple[str, ...]:
        """The channels ticked (checked against the contacts given by the intake service)."""
        return tuple(c for c in ContactChannel.values if self.cleaned_data.get(f"contact_{c}"))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("เลขติดตามเรื่อง"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "placeholder": "ABCD-2345"}))
    second_factor = forms.CharField(
        label=_("เลข 4 ตัวท้ายของโทรศัพท์ หรือรหัส PIN 6 หลัก"), max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("ความพึงพอใจ"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(i, str(i)) for i in range(1, 6)],
                                    error_messages={"required": _("กรุณาเลือกคะแนน 1 ถึง 5")})
    comment = forms.CharField(label=_("ความคิดเห็นเพิ่มเติม"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("เหตุผลที่ขอให้พิจารณาใหม่"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("กรุณาระบุเหตุผล")})


class RespondForm(forms.Form):
    text = forms.CharField(label=_("ข้อมูลเพิ่มเติมที่หน่วยงานขอ"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


def _logo_label_text() -> str:
    return gettext("ตราสัญลักษณ์ (PNG, JPEG หรือ WebP ไม่เกิน %(max)d ล้านพิกเซล)") % {"max": MAX_PIXELS // 1_000_000}


_logo_label = lazy(_logo_label_text, str)  # translated when shown, not at import


class BodyProfileForm(forms.Form):
    logo = forms.FileField(label=_logo_label(), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))
    remove_logo = forms.BooleanField(label=_("ลบตราสัญลักษณ์"), required=False)
    phone = forms.CharField(label=_("โทรศัพท์"), max_length=40, required=False)
    email = forms.EmailField(label=_("อีเมล"), required=False)
    line_id = forms.CharField(label=_("LINE Official Account"), max_length=64, required=False)
    office_hours = forms.CharField(label=_("เวลาทำการ"), max_length=120, required=False)
    reopen_window_days = forms.IntegerField(label=_("ขอเปิดเรื่องใหม่ได้ภายใน (วัน)"), min_value=0, max_value=365)
    tile_url = forms.CharField(label=_("แผนที่พื้นหลัง (tile server URL)"), max_length=300, required=False)
    retention_years = forms.IntegerField(label=_("เก็บข้อมูลระบุตัวผู้ร้องหลังปิดเรื่อง (ปี)"), required=False,
                                         min_value=1, max_value=20)

    def clean_logo(self) -> object:
        return clean_logo(self.cleaned_data.get("logo"))

    def clean_phone(self) -> str:
        return clean_body_phone(self.cleaned_data.get("phone") or "")

    def clean_tile_url(self) -> str:
        url = (self.cleaned_data.get("tile_url") or "").strip()
        if url and not (url.startswith(("https://", "http://", "/")) and "{z}" in url and "{x}" in url
                        and "{y}" in url and '"' not in url and "<" not in url):
            raise forms.ValidationError(_("URL ต้องขึ้นต้นด้วย https:// และมี {z} {x} {y}"))
        return url


LOGO_SIDE = 512


def clean_logo(upload: object) -> object:
    """A body's logo: checked and re-encoded like a complaint's photo (the same pixel limit, no
    metadata kept), as PNG so a transparent logo stays transparent."""
    if not upload:
        return upload
    try:
        return clean_image(upload, max_side=LOGO_SIDE, lossless=True).content  # type: ignore[arg-type]
    except ComplaintError as error:
        raise forms.ValidationError(str(error.message)) from error


def clean_body_phone(value: str) -> str:
    """The body's phone, through the complaints' phone rule (Thai digits, +66, the numbering plan)."""
    try:
        return clean_phone(value)
    except ComplaintError as error:
        raise forms.ValidationError(str(error.message)) from error


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("หมายเลขโทรศัพท์ที่ให้ไว้เมื่อแจ้งเรื่อง"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                          "placeholder": "0812345678"}))


class PhoneCodeForm(forms.Form):
    code = forms.CharField(label=_("รหัส 6 หลักที่ได้รับทาง SMS"), max_length=10,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class ReportFilterForm(forms.Form):
    """The public report list's filters (GET): bad values are refused with a message, not a 500."""

    status = forms.ChoiceField(label=_("สถานะ"), required=False, choices=[
        ("", _("ทั้งหมด")), ("open", _("กำลังดำเนินการ")), ("resolved", _("แก้ไขแล้ว"))])
    category = forms.TypedChoiceField(label=_("หมวดเรื่อง"), coerce=int, required=False, empty_value=None)
    page = forms.IntegerField(label=_("หน้า"), required=False, min_value=1, max_value=10_000)

    def __init__(self, *args: object, categories: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "category", [("", _("ทุกหมวด")), *categories])


class FollowForm(forms.Form):
    phone = forms.CharField(label=_("หมายเลขโทรศัพท์ (รับ SMS)"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("อีเมล"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(
        label=_("ข้าพเจ้าได้อ่านและรับทราบประกาศความเป็นส่วนตัวข้างต้นแล้ว"),
        error_messages={"required": _("กรุณารับทราบประกาศความเป็นส่วนตัวก่อนติดตามเรื่อง")},
    )
    website = forms.CharField(required=False, max_length=200)  # honeypot, as on the complaint form
