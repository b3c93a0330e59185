"""The one normalisation step for text that comes in from outside: form fields, GET parameters,
JSON strings, file names and spreadsheet cells.

Every value gets the same base rules (`normalise`):
- NUL and the other control characters are refused (tab, line feed and carriage return are allowed
  where text may span lines);
- bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069) are refused: they
  make text display differently from what it says ("Trojan Source", spoofed file names);
- a run of more than MAX_COMBINING combining marks is refused (Thai stacks at most a vowel and a tone
  mark on a consonant; longer runs only exist to overflow the line, "Zalgo" text);
- the result is Unicode NFC, so the same words are always the same code points.

A field then says what kind of value it is:
- "text": free text (descriptions, replies); keeps line breaks, zero-width joiners (emoji) and
  spaces (Thai line breaking);
- "line": one line of text (a title, a place); no line breaks;
- "name": a person's or an office's name, an address: one line, and zero-width characters and
  left/right marks are removed (invisible, they only make two equal-looking names differ);
- "code": a code, username or identifier: like "name", and digits in Thai (๐–๙) or full-width
  become ASCII;
- "number": a phone number, PIN, id number, coordinate: like "code".

`Refused` carries a Thai message (gettext_lazy, English when chosen); callers turn it into a form
error, a JSON refusal or a 400 page.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Kind = Literal["text", "line", "name", "code", "number"]

MAX_COMBINING = 4

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029\x85]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, Mongolian vowel separator,
# left-to-right/right-to-left/Arabic letter marks, invisible operators.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u061c]")
_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙０１２３４５６７８９", "01234567890123456789")


class Refused(ValueError):
    """An input value that is not accepted; `message` is for the person who sent it."""

    def __init__(self, message: str | Promise, *, code: str) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


def _combining_flood(value: str) -> bool:
    run = 0
    for ch in value:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
            run += 1
            if run > MAX_COMBINING:
                return True
        else:
            run = 0
    return False


def ascii_digits(value: str) -> str:
    """Thai (๐–๙) and full-width digits as ASCII digits; everything else unchanged."""
    return value.translate(_DIGITS)


def normalise(value: str, *, kind: Kind = "text") -> str:
    """`value` under the base rules and the rules of its kind (see the module's docstring)."""
    if "\x00" in value:
        raise Refused(_("มีอักขระ NUL ซึ่งไม่อนุญาต"), code="nul")
    if _CONTROL.search(value):
        raise Refused(_("มีอักขระควบคุมซึ่งไม่อนุญาต"), code="control")
    if _BIDI.search(value):
        raise Refused(_("มีอักขระกลับทิศทางข้อความ (bidi override) ซึ่งไม่อนุญาต"), code="bidi")
    if _combining_flood(value):
        raise Refused(_("มีเครื่องหมายวรรณยุกต์หรือสระซ้อนกันมากผิดปกติ"), code="combining")
    value = unicodedata.normalize("NFC", value)
    if kind == "text":
        return value
    if _LINE_BREAKS.search(value.strip()):
        raise Refused(_("ต้องเป็นข้อความบรรทัดเดียว"), code="line_break")
    if kind == "line":
        return value
    value = _INVISIBLE.sub("", value)
    if kind == "name":
        return value
    return ascii_digits(value)


def normalise_data(value: Any, *, depth: int = 0, max_depth: int = 32, max_chars: int | None = None) -> Any:
    """Every string (keys included) of a parsed JSON document under the base rules; refuses a
    document nested deeper than `max_depth`, and a string longer than `max_chars` (naming its key).
    Iterative: a hostile depth cannot exhaust the stack."""
    root: list[Any] = [value]
    stack: list[tuple[Any, Any, int]] = [(root, 0, depth)]
    while stack:
        container, key, level = stack.pop()
        item = container[key]
        if isinstance(item, str):
            if max_chars is not None and len(item) > max_chars:
                raise Refused(_("ช่อง “%(field)s”: %(reason)s") % {
                    "field": str(key)[:60], "reason": _("ยาวเกิน %(max)d ตัวอักษร") % {"max": max_chars}},
                    code="too_long")
            container[key] = normalise(item)
        elif isinstance(item, dict):
            if level >= max_depth:
                raise Refused(_("ข้อมูล JSON ซ้อนกันลึกเกิน %(max)d ชั้น") % {"max": max_depth}, code="depth")
            cleaned = {normalise(str(k)): v for k, v in item.items()}
            container[key] = cleaned
            stack.extend((cleaned, k, level + 1) for k in cleaned)
        elif isinstance(item, list):
            if level >= max_depth:
                raise Refused(_("ข้อมูล JSON ซ้อนกันลึกเกิน %(max)d ชั้น") % {"max": max_depth}, code="depth")
            stack.extend((item, i, level + 1) for i in range(len(item)))
    return root[0]


def safe_file_name(name: str, *, max_length: int = 200) -> str:
    """An uploaded file's name as shown back to people: no folders, no control or bidi characters
    (a refused name becomes "file"), invisible characters removed, NFC, at most `max_length`."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    try:
        name = normalise(name, kind="name")
    except Refused:
        name = _BIDI.sub("", _CONTROL.sub("", name.replace("\x00", "")))
        name = _INVISIBLE.sub("", unicodedata.normalize("NFC", name))
    name = name.strip().lstrip(".") or "file"
    if len(name) > max_length:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: max_length - len(extension) - 1] + dot + extension) if dot and len(extension) < 10 \
            else name[:max_length]
    return name


def check_lengths(model: type[Any], values: dict[str, Any]) -> None:
    """Refuse (django ValidationError, Thai, naming the field) any text value longer than its model
    field's max_length: the database must never be the one to say so."""
    from django.core.exceptions import ValidationError  # keeps this module import-light

    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            label = model._meta.get_field(name).verbose_name
            raise ValidationError(_("%(label)s ยาวเกิน %(max)d ตัวอักษร") % {"label": label, "max": limit})
