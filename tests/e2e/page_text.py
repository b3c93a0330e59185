"""What a person reads on a page, and the rules it must keep: no sideways scrolling, no raw code of
the code's own vocabularies, no Thai on an English page outside data, no untranslated English on a
Thai page. Used by the page-walk browser test; kept apart so other browser tests can apply it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import models

# Every piece of text a person reads: visible text nodes, and the attributes that are read out or
# shown (placeholders, titles, accessible names, alternative text, button values, select options).
# `data` is true inside an element that says its text is data, not interface: `translate="no"`
# (HTML's own marker for proper names and people's words) or a `lang` other than the page's.
READ_TEXT = """() => {
  const page = document.documentElement.lang || '';
  const out = [];
  const isData = el => {
    const marked = el.closest('[translate="no"]');
    if (marked) return true;
    const langed = el.closest('[lang]');
    return !!langed && langed !== document.documentElement && langed.lang.slice(0, 2) !== page.slice(0, 2);
  };
  const where = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                    (e.classList.length ? '.' + [...e.classList].join('.') : ''));
    }
    return parts.join(' > ');
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    const inOption = el.closest('option, optgroup');
    if (!inOption && !el.checkVisibility({visibilityProperty: true})) continue;
    out.push({text, data: isData(el), where: where(el)});
  }
  const named = '[placeholder], [title], [aria-label], img[alt], input[type=submit][value], ' +
                'input[type=button][value], optgroup[label]';
  for (const el of document.body.querySelectorAll(named)) {
    for (const name of ['placeholder', 'title', 'aria-label', 'alt', 'value', 'label']) {
      if (name === 'value' && el.tagName !== 'INPUT') continue;
      if (name === 'label' && el.tagName !== 'OPTGROUP') continue;
      const text = (el.getAttribute(name) || '').trim();
      if (text) out.push({text, data: isData(el), where: where(el) + '@' + name});
    }
  }
  // What sticks out (for the message): elements whose right edge passes the window, not inside
  // a box that scrolls by itself; the innermost ones are the cause.
  const wide = [];
  const scrolls = el => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const right = Math.max(box.right, box.left + el.scrollWidth);  // text may stick out of its box
    const inner = [...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1);
    if (right > window.innerWidth + 1 && box.width > 0 && !scrolls(el) && !inner) {
      wide.push(where(el) + ' (' + Math.round(right) + ' px)');
    }
  }
  return {lang: page, width: document.scrollingElement.scrollWidth, texts: out, wide: wide.slice(0, 3)};
}"""

THAI = re.compile(r"[\u0E00-\u0E7F]")
# Latin words a Thai page may show as they are: names of things that are written in Latin letters
# in Thai too (LINE, PDF, Open311, …) and units. Anything else in Latin letters is English.
LATIN_IN_THAI = frozenset({
    "API", "CSV", "PDF", "PNG", "JPEG", "JPG", "QR", "LINE", "SLA", "SMS", "OTP", "PIN", "PDPA", "ITA", "URL",
    "Open311", "GeoReport", "OpenStreetMap", "Leaflet", "OSM", "ID", "DLA", "DOPA", "GPS", "KB", "MB", "km", "m",
    "Rongthuk", "HTTPS", "TOTP", "Authenticator", "Google", "Microsoft", "Traffy", "Fondue", "Excel", "Email",
    "email", "e", "mail", "Webhook", "webhook", "JSON", "HMAC", "SHA", "token", "Token", "OPS", "PMO", "XLSX",
    "ok", "OK", "FAQ", "Wi", "Fi", "IP", "CSRF", "UTC", "A4", "www", "http", "https", "localhost", "x",
    "Official", "Account", "ANTS", "SMTP", "HTTP", "English",
})
# Thai writing glosses a term with its English in brackets: ข้อตกลงระดับการให้บริการ (Service Level Agreement).
GLOSS = re.compile(r"(?<=[\u0E00-\u0E7F]) ?\([A-Za-z][A-Za-z .'-]*\)")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")
# What looks like data in Latin letters on a Thai page: addresses, codes with digits, host names.
LATIN_DATA = re.compile(r"\S+@\S+|https?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:localhost|th|com|org|net)\b|"
                        r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def _choice_classes() -> list[type[models.Choices]]:
    found: list[type[models.Choices]] = []
    stack: list[type[models.Choices]] = [models.TextChoices]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in {"apps", "tenants", "api"}:
                found.append(sub)
    return found


@dataclass(frozen=True)
class Vocabulary:
    """The raw codes the code stores: every TextChoices value of the project's own models and the
    national category codes. `words` are those that are also ordinary English words (road, closed):
    a raw code on a Thai page, proper English on an English page; `marked` cannot be English (a code
    with an underscore, a class/stage pair such as B/reply)."""

    words: frozenset[str]
    marked: frozenset[str]
    class_stage: re.Pattern[str]

    @classmethod
    def load(cls) -> Vocabulary:
        from apps.categories.models import NationalCategory, SlaClass
        from apps.sla.models import Stage

        codes = {str(value) for choice in _choice_classes() for value in choice.values}
        codes |= set(NationalCategory.objects.values_list("code", flat=True))
        codes = {code for code in codes if re.fullmatch(r"[a-z][a-z0-9_]{2,}", code)}
        stages = "|".join(sorted(map(re.escape, Stage.values)))
        classes = "|".join(sorted(map(re.escape, SlaClass.values)))
        return cls(words=frozenset(c for c in codes if "_" not in c), marked=frozenset(c for c in codes if "_" in c),
                   class_stage=re.compile(rf"(?<![\w/])(?:{classes})\s*/\s*(?:{stages})(?![\w/])"))


def data_names(schemas: list[str]) -> list[str]:
    """Thai names that are data with no English form: a body without an English name, a person,
    a body's own category or division left without an English name, the languages' own names
    (ไทย). A name that has an English form (places, national categories, the shipped divisions)
    must be shown in English on an English page. Longest first, so a longer name goes first."""
    from django.conf import settings
    from django_tenants.utils import schema_context

    from apps.accounts.models import User
    from apps.complaints.models import Category, Department
    from tenants.models import LocalBody

    names: set[str] = {str(name) for _code, name in settings.LANGUAGES}
    for body in LocalBody.objects.filter(name_en=""):
        names.update({body.name_th, body.display_name})
    names.update(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    for schema in schemas:
        with schema_context(schema):
            names.update(User.objects.exclude(full_name="").values_list("full_name", flat=True))
            for model in (Category, Department):
                names.update(model.objects.filter(name_en="").values_list("name_th", flat=True))
    return sorted((n for n in names if THAI.search(n)), key=len, reverse=True)


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w.@:-])[a-z][a-z0-9_]*(?![\w@-])", text))


def problems(read: dict[str, Any], vocabulary: Vocabulary, *, viewport_width: int | None,
             names: list[str], usernames: frozenset[str] = frozenset()) -> list[str]:
    """Every rule the page breaks, as lines a person can act on."""
    found: list[str] = []
    if viewport_width is not None and read["width"] > viewport_width:
        found.append(f"scrolls sideways: {read['width']} px wide in a {viewport_width} px window, "
                     f"from {'; '.join(read['wide']) or '?'}")
    thai_page = read["lang"].startswith("th")
    for item in read["texts"]:
        text, where = item["text"], item["where"]
        if item["data"]:
            continue
        raw = _tokens(text) & (vocabulary.marked | (vocabulary.words if thai_page else frozenset())) - usernames
        if vocabulary.class_stage.search(text):
            raw.add(vocabulary.class_stage.search(text).group(0))  # type: ignore[union-attr]
        if raw:
            found.append(f"raw code {sorted(raw)} in {text[:80]!r} at {where}")
        if not thai_page and THAI.search(_without(text, names)):
            found.append(f"Thai on an English page: {text[:80]!r} at {where}")
        if thai_page:
            words = WORD.findall(LATIN_DATA.sub(" ", GLOSS.sub(" ", text)))
            latin = [w for w in words if w not in LATIN_IN_THAI | usernames
                     and not any(ch.isdigit() for ch in w) and len(w) > 1]
            if latin and not THAI.search(text) or len(latin) >= 3:
                found.append(f"English on a Thai page: {text[:80]!r} at {where}")
    return found


def _without(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, "")
    return text
