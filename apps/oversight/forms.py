from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.complaints.attachments import clean_upload
from apps.complaints.errors import ComplaintError
from apps.oversight.models import DirectiveMeasure
from apps.ui.forms import ThaiDateField


def clean_directive_attachment(upload: Any) -> Any:
    """A directive's attachment: a PDF or an image only, checked like every upload (a PDF that can
    act when opened is refused, an image is re-encoded without its metadata). What is stored keeps
    the sender's file name (made safe) with the extension of what it really is."""
    if not upload or not hasattr(upload, "content_type"):  # none, or the stored file kept (admin)
        return upload
    try:
        clean = clean_upload(upload)
    except ComplaintError as error:
        raise forms.ValidationError(str(error.message)) from error
    stem = clean.original_name.rsplit(".", 1)[0] if "." in clean.original_name else clean.original_name
    clean.content.name = f"{stem[:150] or 'file'}.{(clean.content.name or '').rsplit('.', 1)[-1]}"
    return clean.content


ACCEPT = "application/pdf,image/png,image/jpeg,image/webp"


class DirectiveForm(forms.Form):
    number = forms.CharField(label=_("เลขที่หนังสือ"), max_length=60, required=False)
    title = forms.CharField(label=pgettext_lazy("letter subject", "เรื่อง"), max_length=300)
    text = forms.CharField(label=_("รายละเอียด"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    requirements = forms.MultipleChoiceField(
        label=_("สิ่งที่หน่วยงานต้องปฏิบัติ (ปฏิบัติครบเมื่อทำได้ทุกข้อที่เลือก)"), choices=DirectiveMeasure.choices,
        widget=forms.CheckboxSelectMultiple, initial=[DirectiveMeasure.ACKNOWLEDGEMENT],
        error_messages={"required": _("เลือกสิ่งที่หน่วยงานต้องปฏิบัติอย่างน้อยหนึ่งข้อ")})
    due_date = ThaiDateField(label=_("กำหนดเสร็จ"))
    remind_days_before = forms.IntegerField(label=_("เตือนล่วงหน้า (วัน)"), min_value=0, max_value=60, initial=3)
    attachment = forms.FileField(label=_("เอกสารแนบ (PDF หรือรูปภาพ)"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    bodies = forms.MultipleChoiceField(label=_("ส่งถึง (ไม่เลือก = ทุกหน่วยงานในขอบเขต)"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, body_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bodies"].choices = body_choices  # type: ignore[attr-defined]

    def clean_attachment(self) -> Any:
        return clean_directive_attachment(self.cleaned_data.get("attachment"))

    def clean_due_date(self) -> Any:
        value = self.cleaned_data["due_date"]
        if value is None:
            raise forms.ValidationError(_("กรุณาระบุกำหนดเสร็จ (วัน เดือน ปี พ.ศ.)"))
        if value < timezone.localdate():
            raise forms.ValidationError(_("กำหนดเสร็จต้องไม่เป็นวันที่ผ่านมาแล้ว"))
        return value
