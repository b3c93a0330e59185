"""Refusals are Thai by default, Django's and DRF's own messages included (their Thai catalogues are
incomplete: locale/th/LC_MESSAGES/django.po fills the gaps), and English when chosen."""

from __future__ import annotations

import json
from pathlib import Path

import django
import polib
import pytest
import rest_framework
from django.test import Client
from django.utils import translation

from apps.ui.i18n.build import LOCALE
from tests.apps.complaints.staff_helpers import signed_in

# Thai for the library messages, as translators keep it (msgid → Thai; Thai has one plural form).
TH = {e.msgid: e.msgstr or e.msgstr_plural.get(0, "")
      for e in polib.pofile(str(LOCALE / "th" / "LC_MESSAGES" / "django.po")) if not e.obsolete}

# Library messages that no page or API of the platform can show (language names, the developer
# welcome page, sitemaps, DEBUG pages, DRF's browsable API and schema descriptions).
NOT_SHOWN = ("Sorbian", "Gaelic", "Ido", "Kabyle", "Marathi", "Bokmål", "Ossetic", "Uzbek", "Site Maps",
             "Static Files", "Syndication", "Raw binary data", "Universally unique identifier", "relationship",
             "%(truncated_text)s", "Referer", "referrer", "CSRF cookie", "disable cookies", "DEBUG=True",
             "allow_empty", "“%(path)s” does not exist", "Django", "install worked", "Topics, references",
             "Tutorial", "Connect, get help", "Created", "Extra Actions", "UUID string", "content", "navbar",
             "request form", "request info", "response info", "unique integer value", "unique value",
             "A {value_type} identifying", "%(name)s object with primary key", "Raw passwords", "variety",
             "version", "memory cost", "time cost", "parallelism", "content type", "The groups this user",
             "Required. 150 characters", "Password reset sent")


def _untranslated_library_messages() -> set[str]:
    missing: set[str] = set()
    for path in [Path(django.__file__).parent / "conf/locale/th/LC_MESSAGES/django.po",
                 Path(django.__file__).parent / "contrib/auth/locale/th/LC_MESSAGES/django.po"]:
        po = polib.pofile(str(path))
        missing |= {e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()}
    drf = Path(rest_framework.__file__).parent / "locale"
    thai = {e.msgid for e in polib.mofile(str(drf / "th/LC_MESSAGES/django.mo")) if e.msgstr or e.msgstr_plural}
    missing |= {e.msgid for e in polib.mofile(str(drf / "en/LC_MESSAGES/django.mo"))} - thai
    return {m for m in missing if not any(word in m for word in NOT_SHOWN)}


def test_every_library_message_a_user_can_see_has_thai() -> None:
    assert sorted(_untranslated_library_messages() - set(TH)) == []
    with translation.override("th"):
        for msgid in TH:
            assert translation.gettext(msgid) == TH[msgid], msgid


def test_django_length_message_in_thai_and_english() -> None:
    from django import forms

    class F(forms.Form):
        title = forms.CharField(max_length=5)

    with translation.override("th"):
        assert F({"title": "x" * 9}).errors["title"] == ["ต้องมีความยาวไม่เกิน 5 ตัวอักษร (ขณะนี้มี 9 ตัวอักษร)"]
    with translation.override("en"):
        assert F({"title": "x" * 9}).errors["title"] == ["Ensure this value has at most 5 characters (it has 9)."]


def test_staff_api_refusals_in_thai_then_english(banlat) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(banlat, "clerk")
    body = json.dumps({"channel": "pigeon", "category": "x", "is_confidential": "perhaps"})
    errors = client.post("/api/staff/v1/complaints/", body, content_type="application/json").json()["errors"]
    assert errors["channel"] == ['"pigeon" ไม่ใช่ตัวเลือกที่ถูกต้อง']
    assert errors["is_confidential"] == ["ต้องเป็นค่าจริงหรือเท็จ"]
    assert errors["description"] == ["ฟิลด์นี้จำเป็น"]
    client.cookies["django_language"] = "en"
    errors = client.post("/api/staff/v1/complaints/", body, content_type="application/json").json()["errors"]
    assert errors["channel"] == ['"pigeon" is not a valid choice.']
    assert errors["is_confidential"] == ["Must be a valid boolean."]


def test_national_api_without_a_key_is_refused_in_thai(db) -> None:  # type: ignore[no-untyped-def]
    response = Client(HTTP_HOST="localhost").get("/api/national/v1/bodies/")
    assert response.status_code == 401
    assert response.json()["detail"] == "ไม่พบข้อมูลการเข้าสู่ระบบ"


@pytest.mark.parametrize("language", ["th", "en"])
def test_bad_json_refusal_follows_the_language(banlat, language: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(banlat, "clerk")
    client.cookies["django_language"] = language
    response = client.post("/api/staff/v1/complaints/", '{"latitude": NaN}', content_type="application/json")
    assert response.status_code == 400
    expected = {"th": "ข้อมูล JSON ไม่ถูกต้อง (ต้องเป็น JSON UTF-8 และไม่มีค่า NaN หรือ Infinity)",
                "en": "Invalid JSON (it must be UTF-8 JSON without NaN or Infinity)"}[language]
    assert response.json()["detail"] == expected
