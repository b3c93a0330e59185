"""Which subdistricts (ตำบล) and หมู่ที่ each body serves (tenants.ServiceArea).

The seed is a best guess from the registry crosswalk: a body whose Thai name is the name of exactly
one tambon of its district serves that whole tambon (most อบต.; the province's อบจ. serves no tambon
of its own). Two bodies of the same name (ทต. and อบต. บางตะบูน) both get the tambon, so the finder
names both until their admins say which หมู่ที่ each serves. The admin's edit replaces the seed and is
never overwritten by a later import.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Expression, Q
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from apps.audit.services import audit_record
from tenants.models import BodyKind, BodyStatus, LocalBody, ServiceArea, ServiceAreaSource, Subdistrict
from tenants.slugs import CROSSWALK

MAX_MOO = 99
# Municipalities before the อบต. of the same place (the order the finder names them in).
_KIND_ORDER: list[str] = [BodyKind.CITY, BodyKind.TOWN, BodyKind.SUBDISTRICT_MUNICIPALITY, BodyKind.SPECIAL,
                         BodyKind.SAO]


class ServiceAreaRefused(Exception):
    """Bad input for a service area; the message is for the body's admin (Thai, or English)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@cache
def crosswalk_subdistricts() -> dict[str, str]:
    """DLA code → the subdistrict of the same name (the crosswalk's best guess)."""
    with CROSSWALK.open(encoding="utf-8") as handle:
        return {row["dla_code"]: code for row in csv.DictReader(handle)
                if (code := row.get("subdistrict_code_same_name", "").strip())}


def seed_subdistrict_for(body: LocalBody) -> str | None:
    if body.kind == BodyKind.PAO:
        return None
    return crosswalk_subdistricts().get(body.previous_dla_code or body.dla_code) \
        or crosswalk_subdistricts().get(body.dla_code)


def service_areas_seed(bodies: Iterable[LocalBody]) -> int:
    """Give each body with no service area yet its crosswalk guess, in one insert; returns the rows
    written. Bodies that already have rows (seeded or edited) are left as they are."""
    wanted = {b.pk: code for b in bodies if (code := seed_subdistrict_for(b))}
    if not wanted:
        return 0
    have = set(ServiceArea.objects.filter(body_id__in=list(wanted)).values_list("body_id", flat=True))
    known = set(Subdistrict.objects.filter(code__in=set(wanted.values())).values_list("code", flat=True))
    rows = [ServiceArea(body_id=pk, subdistrict_id=code, moo=[], source=ServiceAreaSource.REGISTRY)
            for pk, code in wanted.items() if pk not in have and code in known]
    ServiceArea.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# หมู่ที่ lists: "1-3, 5" ⇄ [1, 2, 3, 5]

_THAI_DIGITS = {0x0E50 + n: str(n) for n in range(10)}  # Thai digits, as people type them
_MOO_PART = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$")


def moo_parse(text: str) -> list[int]:
    """หมู่ที่ typed by a person: numbers and ranges separated by commas or spaces; blank: all."""
    cleaned = (text or "").strip().translate(_THAI_DIGITS)
    cleaned = re.sub(r"\s*[-–]\s*", "-", cleaned)
    numbers: set[int] = set()
    for part in filter(None, re.split(r"[,\s]+", cleaned)):
        match = _MOO_PART.match(part)
        if not match:
            raise ServiceAreaRefused(_("หมู่ที่ “%(part)s” ไม่ถูกต้อง ใช้ตัวเลข เช่น 1-5, 7") % {"part": part})
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1 <= first <= last <= MAX_MOO:
            raise ServiceAreaRefused(_("หมู่ที่ “%(part)s” ไม่ถูกต้อง ใช้ตัวเลข 1 ถึง %(max)d จากน้อยไปมาก")
                                     % {"part": part, "max": MAX_MOO})
        numbers.update(range(first, last + 1))
    return sorted(numbers)


def moo_text(numbers: Sequence[int]) -> str:
    """[1, 2, 3, 5] → "1-3, 5"."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


# ---------------------------------------------------------------------------------------------
# Reads


def service_area_of(body: LocalBody) -> list[ServiceArea]:
    return list(ServiceArea.objects.filter(body=body).select_related("subdistrict")
                .order_by("subdistrict__name_th"))


def serving_rows(*, subdistrict: str | Expression, moo: int | None = None) -> list[ServiceArea]:
    """The service-area rows of live bodies (not the อบจ.) serving the subdistrict — at that หมู่ที่
    when given: a body serving the whole subdistrict, or listing that หมู่ — each with its body and
    subdistrict, municipalities first. One query on the subdistrict index; `subdistrict` may be an
    expression (tenants.locate's nearest subdistrict to a point)."""
    rows = (ServiceArea.objects.filter(subdistrict_id=subdistrict, body__status=BodyStatus.ACTIVE)
            .exclude(body__kind__in=[BodyKind.PAO, BodyKind.PLATFORM])
            .select_related("body__province", "body__district", "subdistrict__district__province"))
    if moo is not None:
        rows = rows.filter(Q(moo=[]) | Q(moo__contains=[moo]))
    return sorted(rows, key=lambda r: (_KIND_ORDER.index(r.body.kind) if r.body.kind in _KIND_ORDER else 9,
                                       r.body.name_th, r.body.dla_code))


def bodies_serving(*, subdistrict_code: str, moo: int | None = None) -> list[LocalBody]:
    return [row.body for row in serving_rows(subdistrict=subdistrict_code, moo=moo)]


def areas_by_body(bodies: Sequence[LocalBody]) -> dict[int, list[ServiceArea]]:
    found: dict[int, list[ServiceArea]] = {b.pk: [] for b in bodies}
    for row in (ServiceArea.objects.filter(body_id__in=list(found)).select_related("subdistrict")
                .order_by("subdistrict__name_th")):
        found[row.body_id].append(row)
    return found


# ---------------------------------------------------------------------------------------------
# Writes


@dataclass(frozen=True)
class AreaEntry:
    subdistrict: str
    moo: tuple[int, ...] = ()


@transaction.atomic
def service_area_set(*, body: LocalBody, entries: Sequence[AreaEntry], actor: object = None,
                     actor_label: str = "") -> list[ServiceArea]:
    """Replace the body's service area with these subdistricts (and หมู่ที่), as its admin says.
    Subdistricts must exist; an empty list is refused (a body serves somewhere)."""
    if not entries:
        raise ServiceAreaRefused(_("เลือกอย่างน้อยหนึ่งตำบลที่หน่วยงานให้บริการ"))
    codes = [e.subdistrict for e in entries]
    if len(set(codes)) != len(codes):
        raise ServiceAreaRefused(_("เลือกตำบลเดียวกันซ้ำ"))
    known = set(Subdistrict.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ServiceAreaRefused(_("ไม่พบตำบลรหัส %(code)s") % {"code": unknown[0]})
    before = service_area_manifest(body)
    ServiceArea.objects.filter(body=body).delete()
    ServiceArea.objects.bulk_create([ServiceArea(body=body, subdistrict_id=e.subdistrict, moo=sorted(set(e.moo)),
                                                 source=ServiceAreaSource.BODY) for e in entries])
    after = service_area_manifest(body)
    if before != after:
        # The body's log and the platform's (a staff page runs in the body's schema).
        username = getattr(actor, "get_username", None)
        label = actor_label or (str(username()) if callable(username) else "platform")
        for where in (body, SimpleNamespace(schema_name=get_public_schema_name())):
            audit_record(kind="body.service_area", actor=actor, actor_label=label, target=body,
                         changes={"before": before, "after": after}, body=where)
    return service_area_of(body)


def service_area_manifest(body: LocalBody) -> list[dict[str, object]]:
    """The rows as a body archive's manifest carries them (DOPA codes mean the same everywhere)."""
    return [{"subdistrict": row.subdistrict_id, "moo": list(row.moo), "source": row.source}
            for row in ServiceArea.objects.filter(body=body).order_by("subdistrict_id")]


def service_area_restore(*, body: LocalBody, entries: list[dict[str, object]] | None) -> int:
    """Write the archive's rows for the body (replacing its own); an archive made before service
    areas existed (no entry) gets the seed. Subdistricts unknown here are left out; returns how many."""
    ServiceArea.objects.filter(body=body).delete()
    if entries is None:
        service_areas_seed([body])
        return 0
    known = set(Subdistrict.objects.filter(code__in=[str(e["subdistrict"]) for e in entries])
                .values_list("code", flat=True))
    sources = set(ServiceAreaSource.values)
    rows = [ServiceArea(body=body, subdistrict_id=str(e["subdistrict"]),
                        moo=sorted({int(m) for m in e.get("moo") or []}),  # type: ignore[attr-defined]
                        source=str(e.get("source")) if e.get("source") in sources else ServiceAreaSource.BODY)
            for e in entries if str(e["subdistrict"]) in known]
    ServiceArea.objects.bulk_create(rows)
    return len(entries) - len(rows)


def service_area_absorb(*, absorbed: LocalBody, into: LocalBody) -> int:
    """A merge: the receiving body now serves the absorbed body's area too (a subdistrict both
    served in part gets both bodies' หมู่ที่; served whole by either, it is served whole). Returns
    how many subdistricts were added or widened."""
    mine = {row.subdistrict_id: row for row in ServiceArea.objects.select_for_update().filter(body=into)}
    changed = 0
    for row in ServiceArea.objects.filter(body=absorbed):
        kept = mine.get(row.subdistrict_id)
        if kept is None:
            ServiceArea.objects.create(body=into, subdistrict_id=row.subdistrict_id, moo=list(row.moo),
                                       source=row.source)
            changed += 1
        elif kept.moo:
            merged = [] if not row.moo else sorted(set(kept.moo) | set(row.moo))
            if merged != list(kept.moo):
                kept.moo = merged
                kept.save(update_fields=["moo", "updated_at"])
                changed += 1
    return changed


def subdistricts_of(*, district_code: str) -> list[Subdistrict]:
    return list(Subdistrict.objects.filter(district_id=district_code).order_by("name_th"))


Sharing = dict[str, list[tuple[LocalBody, list[int]]]]


def others_serving(*, body: LocalBody, subdistrict_codes: Sequence[str]) -> Sharing:
    """Other live bodies serving these subdistricts (what the admin splits หมู่ที่ with)."""
    found: Sharing = {}
    rows = (ServiceArea.objects.filter(subdistrict_id__in=list(subdistrict_codes)).exclude(body=body)
            .filter(body__in=LocalBody.objects.live()).select_related("body").order_by("body__name_th"))
    for row in rows:
        found.setdefault(row.subdistrict_id, []).append((row.body, list(row.moo)))
    return found


def subdistrict_offices(codes: Sequence[str]) -> dict[str, tuple[object, object]]:
    """Subdistrict → its point (the office of the body named after it, tenants.locate), for those
    that have one: one query."""
    rows = Subdistrict.objects.filter(code__in=list(codes), latitude__isnull=False, longitude__isnull=False)
    return {code: (lat, lng) for code, lat, lng in rows.order_by("code").values_list("code", "latitude", "longitude")}
