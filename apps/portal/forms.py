"""Citizen forms: they parse and bound the input; the complaint service owns the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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


class BodyProfileForm(forms.Form):
    logo = forms.ImageField(label=_("ตราสัญลักษณ์ (PNG/JPEG ไม่เกิน 1 MB)"), required=False)
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
        logo = self.cleaned_data.get("logo")
        if logo and logo.size > 1024 * 1024:
            raise forms.ValidationError(_("ไฟล์ตราสัญลักษณ์ต้องไม่เกิน 1 MB"))
        return logo

    def clean_tile_url(self) -> str:
        url = (self.cleaned_data.get("tile_url") or "").strip()
        if url and not (url.startswith(("https://", "http://", "/")) and "{z}" in url and "{x}" in url
                        and "{y}" in url and '"' not in url and "<" not in url):
            raise forms.ValidationError(_("URL ต้องขึ้นต้นด้วย https:// และมี {z} {x} {y}"))
        return url
