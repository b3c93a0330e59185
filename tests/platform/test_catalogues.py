"""The .po catalogues are the translators' source of truth: every msgid of the platform has its
English, and what Django serves is what the catalogue says (the .mo is compiled from it)."""

from __future__ import annotations

import polib
from django.utils import translation

from apps.ui.i18n.build import LOCALE, untranslated


def test_every_platform_message_has_english() -> None:
    assert untranslated(LOCALE, "en") == []


def test_english_served_is_the_catalogue() -> None:
    po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    singles = [e for e in po if not e.obsolete and not e.msgid_plural and not e.msgctxt and e.msgstr]
    assert len(singles) > 500
    with translation.override("en"):
        assert [translation.gettext(e.msgid) for e in singles] == [e.msgstr for e in singles]
