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
from apps.ui.i18n.th import TH

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


def build_thai(locale_dir: Path = LOCALE) -> int:
    """locale/th: Thai for Django's and DRF's messages their own catalogues leave in English (TH).
    Written whole from TH each time (our own msgids are Thai already)."""
    po_path = locale_dir / "th" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Language": "th", "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "Plural-Forms": "nplurals=1; plural=0;"}
    plurals = _library_plurals()
    for msgid, thai in TH.items():
        if msgid in plurals:
            po.append(polib.POEntry(msgid=msgid, msgid_plural=plurals[msgid], msgstr_plural={0: thai}))
        else:
            po.append(polib.POEntry(msgid=msgid, msgstr=thai))
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return len(po)


def _library_plurals() -> dict[str, str]:
    """msgid → msgid_plural for the libraries' plural messages (read from their English .po/.mo)."""
    import django
    import rest_framework

    found: dict[str, str] = {}
    for root in (Path(django.__file__).parent, Path(rest_framework.__file__).parent):
        for path in root.glob("**/locale/en/LC_MESSAGES/django.po"):
            found.update({e.msgid: e.msgid_plural for e in polib.pofile(str(path)) if e.msgid_plural})
        for path in root.glob("**/locale/en/LC_MESSAGES/django.mo"):
            found.update({e.msgid: e.msgid_plural for e in polib.mofile(str(path)) if e.msgid_plural})
    return found


if __name__ == "__main__":
    done, total = build()
    sys.stdout.write(f"{done} of {total} entries translated; compiled {LOCALE}/en/LC_MESSAGES/django.mo\n")
    thai = build_thai()
    sys.stdout.write(f"{thai} library messages in Thai; compiled {LOCALE}/th/LC_MESSAGES/django.mo\n")
