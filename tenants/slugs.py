"""Stable, readable sub-domain names for bodies.

The rule (documented in the README): the body's name in RTGS romanisation, letters and digits
only — the official English spelling of its tambon where the LAO shares the tambon's Thai name
(tenants/data/lao_geo_crosswalk.csv), otherwise pythainlp's rule-based royin romanisation; an อบจ.
is `pao-<province>`. A name that more than one body would get is never used bare: each of those
bodies gets `<name>-<dla code>`, and so does a new body whose name is already taken. A body keeps
its slug for life, whatever is imported later; `<dla code>.<domain>` always works as well.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from tenants.models import BodyKind
from tenants.registry import KIND_BY_TYPE

CROSSWALK = Path(__file__).parent / "data" / "lao_geo_crosswalk.csv"
RESERVED = {"www", "api", "admin", "oversight", "static", "media", "mail", "national", "staff", "public"}


@cache
def _crosswalk() -> dict[str, dict[str, str]]:
    with CROSSWALK.open(encoding="utf-8") as handle:
        return {row["dla_code"]: row for row in csv.DictReader(handle)}


def _crosswalk_names() -> dict[str, str]:
    return {
        code: row["subdistrict_name_en_same_name"]
        for code, row in _crosswalk().items()
        if row.get("subdistrict_name_en_same_name")
    }


def _ascii(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def romanise(name_th: str) -> str:
    from pythainlp.transliterate import romanize  # slow import, only when needed

    return _ascii(romanize(name_th, engine="royin"))


def base_slug(*, dla_code: str, kind: str, name_th: str, province_name_en: str = "") -> str:
    if kind == BodyKind.PAO and province_name_en:
        return f"pao-{_ascii(province_name_en)}"
    row = _crosswalk().get(dla_code)
    english = row.get("subdistrict_name_en_same_name") if row and row["name_th"] == name_th else None
    base = _ascii(english) if english else romanise(name_th)
    return base or f"body{dla_code}"


@cache
def national_bases() -> dict[str, str]:
    """The base slug of every body in the shipped national registry, by DLA code.

    Collisions are judged against the whole country, not against one import: importing one
    province first and the rest later gives every body the slug a single national import would.
    """
    return {
        code: base_slug(
            dla_code=code,
            kind=KIND_BY_TYPE.get(row["type_th"], ""),
            name_th=row["name_th"],
            province_name_en=row["province_name_en"],
        )
        for code, row in _crosswalk().items()
    }


def assign_slugs(new: Iterable[tuple[str, str]], taken: set[str]) -> dict[str, str]:
    """Slugs for new bodies, given (dla_code, base slug) pairs and the slugs already in use."""
    pairs = list(new)
    holders: dict[str, set[str]] = defaultdict(set)
    for code, base in national_bases().items():
        holders[base].add(code)
    for code, base in pairs:
        holders[base].add(code)
    result: dict[str, str] = {}
    for code, base in pairs:
        shared = bool(holders[base] - {code})
        result[code] = f"{base}-{code}" if shared or base in taken or base in RESERVED else base
    return result
