"""Fill locale/en/LC_MESSAGES/django.po with apps.ui.i18n.en and compile the .mo with polib.

Keys of EN are msgids, or "context\x04msgid" for a {% translate ... context %} / pgettext string.

Run after `rongthuk makemessages -l en` (which needs xgettext, a developer tool); compiling needs
only polib, so a fresh machine never needs msgfmt: the .mo is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

from apps.ui.i18n.en import EN

LOCALE = Path(__file__).resolve().parents[3] / "locale"


def build(locale_dir: Path = LOCALE) -> tuple[int, int]:
    po_path = locale_dir / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.metadata["Language"] = "en"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    filled = 0
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        english = EN.get(key)
        if english is None:
            continue
        if entry.msgid_plural:
            one, many = english if isinstance(english, tuple) else (english, english)
            entry.msgstr_plural = {0: one, 1: many}
        else:
            entry.msgstr = english if isinstance(english, str) else english[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return filled, len(po)


if __name__ == "__main__":
    done, total = build()
    sys.stdout.write(f"{done} of {total} entries translated; compiled {LOCALE}/en/LC_MESSAGES/django.mo\n")
