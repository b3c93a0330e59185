from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.onboarding.contacts import Contact, contact_clean


class InvitationForm(forms.Form):
    dla_code = forms.CharField(label=_("รหัส อปท. (7 หลัก)"), max_length=20)
    full_name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=300)
    position = forms.CharField(label=_("ตำแหน่ง"), max_length=300)
    email = forms.CharField(label=_("อีเมลทางราชการ"), max_length=300)
    mobile = forms.CharField(label=_("โทรศัพท์มือถือ"), max_length=40)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        contact, errors = contact_clean(full_name=data["full_name"], position=data["position"],
                                        email=data["email"], mobile=data["mobile"])
        for error in errors:
            self.add_error(None, error)
        data["contact"] = contact
        return data

    @property
    def contact(self) -> Contact:
        return self.cleaned_data["contact"]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ Excel (.xlsx) หรือ CSV"))


class ClaimForm(forms.Form):
    username = forms.RegexField(label=_("ชื่อผู้ใช้"), max_length=150, regex=r"^[a-z0-9._-]{3,150}$",
                                error_messages={"invalid": _("ชื่อผู้ใช้ใช้ได้เฉพาะ a-z 0-9 . _ - อย่างน้อย 3 ตัว")},
                                help_text=_("ตัวอักษรภาษาอังกฤษพิมพ์เล็ก ตัวเลข . _ -"))
    password1 = forms.CharField(label=_("รหัสผ่าน"), strip=False, widget=forms.PasswordInput(attrs={
        "autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("ยืนยันรหัสผ่าน"), strip=False, widget=forms.PasswordInput(attrs={
        "autocomplete": "new-password"}))

    def __init__(self, *args: Any, full_name: str, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._full_name = full_name
        self._email = email

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).lower()
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("ชื่อผู้ใช้นี้มีอยู่แล้วในหน่วยงาน กรุณาเลือกชื่ออื่น"))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))
        elif first and "username" in data:
            candidate = User(username=data["username"], full_name=self._full_name, email=self._email)
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
