"""Staff forms: they parse input only; every rule about complaints is the service's (services.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from apps.complaints.models import Category, Department, Role
from apps.complaints.notifications.backends import provider_label
from apps.complaints.selectors import InboxFilters
from apps.complaints.status import Channel, ContactChannel, Status
from apps.ui.forms import set_choices
from apps.ui.thai import localised_name

# Outside agencies a case is commonly handed to (ส่งต่อหน่วยงานภายนอก); "other" takes free text.
OUTSIDE_AGENCIES = [
    gettext_noop("การไฟฟ้าส่วนภูมิภาค (PEA)"),
    gettext_noop("การประปาส่วนภูมิภาค (PWA)"),
    gettext_noop("กรมทางหลวง"),
    gettext_noop("กรมทางหลวงชนบท"),
    gettext_noop("สถานีตำรวจ"),
    gettext_noop("ศูนย์ดำรงธรรมจังหวัด"),
]
OTHER_AGENCY = "__other__"

STAFF_CHANNELS = [(value, label) for value, label in Channel.choices
                  if value not in (Channel.WEB, Channel.TRANSFER, Channel.OPEN311)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Files are checked by content in the service (attachments.py); here they are only collected."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        accept = "image/jpeg,image/png,image/webp,application/pdf"
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("สถานะ"), required=False)
    department = forms.TypedChoiceField(label=_("กอง/สำนัก"), required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(label=_("หมวดเรื่อง"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(label=_("ช่องทาง"), required=False,
                                choices=[("", _("— ทุกช่องทาง —")), *Channel.choices])
    due = forms.ChoiceField(label=_("กำหนดเวลา"), required=False, choices=[
        ("", _("— ทั้งหมด —")), ("soon", _("ใกล้ครบกำหนด (2 วัน)")), ("overdue", _("เกินกำหนด"))])
    q = forms.CharField(label=_("ค้นหาเลขติดตามเรื่อง"), required=False, max_length=100)

    def __init__(self, *args: object, departments: list[Department], categories: list[Category],
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "status", [("", _("— ทุกสถานะ —")), ("open", _("ยังไม่แล้วเสร็จ")), *Status.choices])
        set_choices(self, "department", [("", _("— ทุกกอง —"))] + [(d.pk, localised_name(d)) for d in departments])
        set_choices(self, "category", [("", _("— ทุกหมวด —"))] + [(c.pk, localised_name(c)) for c in categories])

    def filters(self) -> InboxFilters:
        """What the inbox is filtered by; an invalid choice filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        return InboxFilters(status=data.get("status") or "", department=data.get("department"),
                            category=data.get("category"), channel=data.get("channel") or "",
                            due=data.get("due") or "", query=(data.get("q") or "").strip())


class TextForm(forms.Form):
    text = forms.CharField(label=_("ข้อความ"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredTextForm(forms.Form):
    """The service checks the text (required, length): a blank one reaches it and is refused there."""

    text = forms.CharField(label=_("ข้อความ"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(RequiredTextForm):
    attachments = MultipleFileField(label=_("แนบไฟล์ (รูปภาพหรือ PDF)"))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("ผลการดำเนินการ"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("แนบไฟล์ (รูปภาพหรือ PDF)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("เหตุผล"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    department = forms.TypedChoiceField(label=_("กอง/สำนัก"), required=False, coerce=int, empty_value=None)
    assignee = forms.TypedChoiceField(label=_("ผู้รับผิดชอบ"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, departments: list[Department], people: list[tuple[int, str]],
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "department", [("", _("— ไม่เปลี่ยน —"))] + [(d.pk, localised_name(d)) for d in departments])
        set_choices(self, "assignee", [("", _("— ไม่ระบุ —")), *people])


class TransferForm(forms.Form):
    to_body = forms.IntegerField(label=_("หน่วยงานบนระบบ"), required=False)
    agency = forms.ChoiceField(label=_("หน่วยงานภายนอก"), required=False, choices=[
        ("", _("— ไม่เลือก —")), *[(a, _(a)) for a in OUTSIDE_AGENCIES], (OTHER_AGENCY, _("อื่น ๆ (ระบุ)"))])
    agency_other = forms.CharField(label=_("ระบุหน่วยงาน"), required=False, max_length=120)
    reason = forms.CharField(label=_("เหตุผลการส่งต่อ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def target_agency(self) -> str:
        agency = self.cleaned_data.get("agency") or ""
        if agency == OTHER_AGENCY:
            return self.cleaned_data.get("agency_other") or ""
        return agency


class MergeForm(forms.Form):
    into = forms.CharField(label=_("รวมเข้ากับเรื่องเลขที่"), required=False, max_length=20)
    code = forms.CharField(label=_("หรือระบุเลขติดตามเรื่องที่จะรวมเข้าไป"), required=False, max_length=20)

    def target_code(self) -> str:
        return (self.cleaned_data.get("into") or self.cleaned_data.get("code") or "").strip()


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[("assign", _("มอบหมาย")), ("close", pgettext_lazy("action", "ปิดเรื่อง"))])
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    department = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    text = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: object, departments: list[Department], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "department", [("", "—")] + [(d.pk, localised_name(d)) for d in departments])
        data = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        set_choices(self, "ids", [(value, value) for value in data])


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("ช่องทางที่รับเรื่อง"), choices=STAFF_CHANNELS)
    category = forms.TypedChoiceField(label=_("หมวดเรื่อง"), coerce=int, empty_value=None, required=False)
    description = forms.CharField(label=_("รายละเอียดเรื่องร้องทุกข์"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    subdistrict = forms.ChoiceField(label=_("ตำบล"), required=False)
    moo = forms.CharField(label=_("หมู่ที่"), required=False, max_length=20)
    location_text = forms.CharField(label=_("สถานที่เกิดเหตุ"), required=False, max_length=300)
    latitude = forms.CharField(label=_("ละติจูด"), required=False, max_length=20)
    longitude = forms.CharField(label=_("ลองจิจูด"), required=False, max_length=20)
    anonymous = forms.BooleanField(label=_("ผู้ร้องไม่ประสงค์ออกนาม"), required=False)
    name = forms.CharField(label=_("ชื่อ-นามสกุลผู้ร้อง"), required=False, max_length=200)
    phone = forms.CharField(label=_("โทรศัพท์"), required=False, max_length=20)
    email = forms.CharField(label=_("อีเมล"), required=False, max_length=254)
    national_id = forms.CharField(label=_("เลขประจำตัวประชาชน (ถ้ามี)"), required=False, max_length=17)
    address = forms.CharField(label=_("ที่อยู่ผู้ร้อง"), required=False, max_length=300)
    line_id = forms.CharField(label="LINE ID", required=False, max_length=64)
    # Asked of the complainant, never assumed: none ticked unless they said so.
    contact_allowed = forms.MultipleChoiceField(
        label=_("ผู้ร้องยินยอมให้เจ้าหน้าที่ที่รับผิดชอบติดต่อทาง"), choices=ContactChannel.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("ภาษาที่ผู้ร้องต้องการรับแจ้ง"), choices=settings.LANGUAGES,
                                 initial="th", required=False)
    confidential = forms.BooleanField(label=_("ปกปิดข้อมูลผู้ร้อง"), required=False)
    about_district_office = forms.BooleanField(
        label=_("เรื่องพฤติกรรม/ทุจริตนี้ร้องเรียนเจ้าหน้าที่ของสำนักงานท้องถิ่นอำเภอ (ส่งท้องถิ่นจังหวัด)"), required=False)
    attachments = MultipleFileField(label=_("แนบไฟล์ (รูปภาพหรือ PDF)"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, categories: list[Category], subdistricts: list[tuple[str, str]],
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        set_choices(self, "category", [("", _("— เลือกหมวดเรื่อง —"))] + [(c.pk, localised_name(c)) for c in categories])
        set_choices(self, "subdistrict", [("", _("— ไม่ระบุ —")), *subdistricts])


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name_th", "name_en", "is_active", "position"]
        labels = {"position": _("ลำดับที่แสดง")}


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name_th", "name_en", "national_category", "department", "is_active", "position"]
        labels = {"national_category": _("หมวดระดับประเทศ"), "department": _("กอง/สำนักที่รับผิดชอบ (ค่าเริ่มต้น)"),
                  "position": _("ลำดับที่แสดง")}


class StaffUserForm(forms.Form):
    username = forms.RegexField(label=_("ชื่อผู้ใช้"), max_length=150, regex=r"^[\w.@+-]+$")
    full_name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=200, required=False)
    email = forms.EmailField(label=_("อีเมล"), required=False)
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)
    department = forms.ModelChoiceField(label=_("กอง/สำนัก"), queryset=Department.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("ใช้งานได้"), required=False, initial=True)
    password = forms.CharField(label=_("รหัสผ่าน (เว้นว่างหากไม่เปลี่ยน)"), required=False,
                               widget=forms.PasswordInput(render_value=False))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].queryset = Department.objects.filter(is_active=True)  # type: ignore[attr-defined]


class RegisterImportForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ทะเบียนเดิม (.xlsx หรือ .csv)"))


class NotificationSettingsForm(forms.Form):
    sms_provider = forms.ChoiceField(label=_("ผู้ให้บริการ SMS"), required=False)
    email_provider = forms.ChoiceField(label=_("ผู้ให้บริการอีเมล"), required=False)
    quiet_start = forms.IntegerField(label=_("งดส่ง SMS และ LINE ตั้งแต่ (นาฬิกา)"), required=False,
                                     min_value=0, max_value=23)
    quiet_end = forms.IntegerField(label=_("ส่งได้อีกครั้งเมื่อ (นาฬิกา)"), required=False, min_value=0, max_value=23,
                                   help_text=_("เว้นว่างทั้งสองช่องเพื่อใช้ค่ากลางของระบบ เรื่องเร่งด่วน (ประเภท ก) ส่งได้ทุกเวลา"))

    def __init__(self, *args: object, sms: list[str], email: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        national = [("", _("ตามค่ากลางของระบบ"))]
        self.fields["sms_provider"].choices = national + [(n, provider_label(n)) for n in sms]  # type: ignore[attr-defined]
        self.fields["email_provider"].choices = national + [(n, provider_label(n)) for n in email]  # type: ignore[attr-defined]
