"""Every string a person reads is marked for translation and translated.

Three checks, each naming what it found:
- makemessages, run on a copy of the source into a copy of the catalogues, finds no msgid that
  locale/en lacks (a string marked in the code but never given its English);
- no visible text node in a template lies outside {% translate %} / {% blocktranslate %}, and no
  alt, title, placeholder or aria-label is literal text (allow-list below: names, not words);
- no Thai literal in Python is outside a gettext call (allow-list below: data, not messages).
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test import override_settings

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("apps", "api", "tenants", "platform")

# Visible template text that is the same in every language: product and file-format names, and
# each language's own name in the language switcher.
TEMPLATE_TEXT_ALLOWED = {"LINE", "LINE ID", "LINE:", ": Channel ID", "Channel ID", "Excel", "CSV", "PDF", "EN",
                         "ไทย", "SLA:", "·\nSLA:", "SLA"}

# Thai literals in Python that are data, not messages (each file with the reason).
PYTHON_THAI_ALLOWED = {
    "apps/complaints/demo.py": "the demo bodies' sample complaints (citizens' own words)",
    "platform/demo.py": "the demo accounts' names and offices",
    "tenants/registry.py": "parsing DLA's Thai registry columns and body-type names",
    "tenants/locate.py": "parsing the ต./อ./จ. parts of a Thai address",
    "tenants/services.py": "กรุงเทพมหานคร's registry record (a proper name and address)",
    "tenants/models.py": "the official Thai names of body types, matched against registry names",
    "tenants/resources.py": "the registry spreadsheet's Thai column heading",
    "tenants/management/commands/bodies.py": "operator's command-line messages",
    "tenants/archive.py": "operator's command-line messages (a body's export and restore)",
    "tenants/archive_restore.py": "operator's command-line messages (a body's restore)",
    "tenants/archive_format.py": "operator's command-line messages (a damaged archive refused)",
    "apps/onboarding/spreadsheet.py": "the Thai column headings of the invitation spreadsheet offices fill in",
    "apps/categories/defaults.py": "the shipped national categories, their Thai and English names side by side",
    "apps/complaints/defaults.py": "a new body's departments, their Thai and English names side by side",
    "apps/ui/thai.py": "Thai month names and digits: the Thai formatting itself",
    "apps/ui/normalise.py": "Thai and full-width digits recognised in input",
    "apps/portal/selectors.py": "a pattern over official Thai body names",
    "apps/complaints/resources.py": "the Thai column headings of the register spreadsheets bodies already keep",
    "apps/line/messages.py": "the language switch names Thai in Thai",
    "platform/settings/base.py": "the language's own name (LANGUAGES)",
    "platform/errors.py": "the last-resort 500 page, rendered when translation may be broken",
}

THAI = re.compile(r"[\u0e00-\u0e7f]")
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy",
           "npgettext", "npgettext_lazy", "gettext_noop", "_lazy", "_noop"}
# Scripts, styles, comments, tags, and an element marked as deliberately in another language
# (<p lang="en">: the English line under a Thai error page that must be read before any choice).
MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<((?!html)\w+)[^>]*\blang=\"[a-z]+\"[^>]*>.*?</\2>"
                    r"|<[^>]*>", re.S | re.I)
TEXT_ATTRIBUTE = re.compile(r"""\b(alt|title|placeholder|aria-label|aria-description)\s*=\s*"([^"]*)\"""", re.I)
WORD = re.compile(r"[A-Za-z\u0e00-\u0e7f]{2,}")
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


def _templates() -> list[Path]:
    return sorted(p for source in SOURCES for p in (REPO / source).glob("**/templates/**/*")
                  if p.suffix in {".html", ".txt"})


def _outside_translation(source: str) -> str:
    """The template's text with every tag, variable and translated span replaced by NUL."""
    parts: list[str] = []
    depth = 0
    block_class = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.contents.split()
            name = bits[0] if bits else ""
            if name in {"blocktranslate", "blocktrans", "comment"}:
                depth += 1
            elif name in {"endblocktranslate", "endblocktrans", "endcomment"}:
                depth -= 1
            elif name == "block":
                # {% block body_class %}citizen{% endblock %}: CSS class names, not text.
                block_class = len(bits) > 1 and bits[1].endswith("class")
            elif name == "endblock":
                block_class = False
            parts.append("\0")
        elif token.token_type == TokenType.TEXT and depth == 0 and not block_class:
            parts.append(token.contents)
        else:
            parts.append("\0")
    return "".join(parts)


def untranslated_template_text() -> list[str]:
    found = []
    for path in _templates():
        text = _outside_translation(path.read_text(encoding="utf-8"))
        name = path.relative_to(REPO)
        for match in TEXT_ATTRIBUTE.finditer(text):
            if WORD.search(match.group(2)) and "\0" not in match.group(2):
                found.append(f"{name}: {match.group(1)}=\"{match.group(2)}\"")
        for chunk in ENTITY.sub(" ", MARKUP.sub("\0", text)).split("\0"):
            chunk = chunk.strip()
            if WORD.search(chunk) and chunk not in TEMPLATE_TEXT_ALLOWED:
                found.append(f"{name}: {chunk[:80]!r}")
    return found


def _call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    return node.func.attr if isinstance(node.func, ast.Attribute) else ""


def unmarked_python_thai() -> list[str]:
    found = []
    for source in SOURCES:
        for path in sorted((REPO / source).glob("**/*.py")):
            name = str(path.relative_to(REPO))
            if "/migrations/" in name or name in PYTHON_THAI_ALLOWED:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip: set[int] = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _call_name(node) in GETTEXT:
                    skip.update(id(inner) for inner in ast.walk(node))
                body = getattr(node, "body", None)
                if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                        and isinstance(body[0].value, ast.Constant):
                    skip.add(id(body[0].value))  # docstrings
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and THAI.search(node.value) \
                        and id(node) not in skip:
                    found.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
    return sorted(found)


def test_no_visible_template_text_outside_translate() -> None:
    assert untranslated_template_text() == []


def test_no_thai_literal_in_python_outside_gettext() -> None:
    assert unmarked_python_thai() == []


def test_makemessages_finds_no_msgid_the_english_catalogue_lacks(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (Debian's gettext) is not installed; `make test` installs it")
    for source in SOURCES:
        shutil.copytree(REPO / source, tmp_path / source,
                        ignore=shutil.ignore_patterns("__pycache__", "static", "*.pyc"))
    shutil.copytree(REPO / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0)
    ours = polib.pofile(str(REPO / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    made = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in ours if not e.obsolete}
    missing = [f"{e.occurrences[0][0] if e.occurrences else '?'}: {e.msgid!r}"
               for e in made if not e.obsolete and (e.msgctxt, e.msgid) not in known]
    assert missing == []
