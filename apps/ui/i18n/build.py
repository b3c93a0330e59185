"""Compile the translators' catalogues (locale/<lang>/LC_MESSAGES/django.po) into .mo files with polib.

The .po files are the source of truth: msgids are Thai (the source language) and locale/en holds
their English; locale/th holds Thai for the messages of Django and DRF that their own Thai
catalogues leave in English. The .mo files are build products (not committed): the CLI, the test
session and the container image compile them when a .po is newer, so a fresh machine never needs
msgfmt.

After adding strings: `rongthuk makemessages -l en` (needs xgettext, Debian's gettext) adds the new
msgids to locale/en; translate them there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

from rongthuk.env import project_root

LOCALE = project_root() / "locale"


def catalogues(locale_dir: Path = LOCALE) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))


def compile_catalogues(locale_dir: Path = LOCALE, *, force: bool = False) -> list[Path]:
    """Write each .mo whose .po is newer (or missing); returns the catalogues compiled."""
    compiled = []
    for po_path in catalogues(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled.append(po_path)
    return compiled


def untranslated(locale_dir: Path = LOCALE, language: str = "en") -> list[str]:
    """msgids of the catalogue with no translation or a fuzzy one."""
    po = polib.pofile(str(locale_dir / language / "LC_MESSAGES" / "django.po"))
    return [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries() if not e.obsolete]


if __name__ == "__main__":
    for path in compile_catalogues(force=True):
        po = polib.pofile(str(path))
        sys.stdout.write(f"{path.parent.parent.name}: {po.percent_translated()}% of {len(po)} entries; "
                         f"compiled {path.with_suffix('.mo')}\n")
