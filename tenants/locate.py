"""Which body serves a place, from the geography that exists, and which body a DLA code means today
(a code a body had before its upgrade still names it).

A place is a subdistrict (ตำบล), with its หมู่ที่ when known, or a point (the phone's location). No
subdistrict outlines are available offline (DOPA publishes codes and names; DLA one office point per
body), so a point is placed in the subdistrict whose point is nearest: the office of the body named
after the subdistrict (the registry crosswalk's guess). A written address names its subdistrict by
ต./อ./จ. (geothai). The bodies serving the place come from the
service areas (tenants.ServiceArea). The finder and the national Open311 endpoint both ask
`place_locate`: one rule."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import geothai
from django.db.models import Q
from django.db.models.expressions import RawSQL

from tenants.models import BodyKind, BodyStatus, LocalBody, Subdistrict
from tenants.service_areas import crosswalk_subdistricts, seed_subdistrict_for, serving_rows

# Farther than this from every subdistrict's point (in degrees of latitude, ≈ 22 km) is no answer.
MAX_POINT_DISTANCE_DEG = 0.2
# A box around the country (latitude from–to, longitude from–to): a point outside is no place.
THAILAND = (Decimal(5), Decimal(21), Decimal(97), Decimal(106))
# The index orders by plain degrees; the nearest few are re-ranked with longitude scaled by the
# cosine of the latitude (a degree of longitude is 0.94–0.99 of one of latitude in Thailand).
# Eight candidates by the index; within MAX_POINT_DISTANCE_DEG (0.2² = 0.04).
_NEAREST_SQL = """
    SELECT c.code FROM (
        SELECT code, latitude, longitude FROM tenants_subdistrict WHERE latitude IS NOT NULL
        ORDER BY point(longitude, latitude) <-> point(%s, %s) LIMIT 8
    ) c
    WHERE (c.latitude - %s) ^ 2 + ((c.longitude - %s) * %s) ^ 2 <= 0.04
    ORDER BY (c.latitude - %s) ^ 2 + ((c.longitude - %s) * %s) ^ 2, c.code LIMIT 1"""


@dataclass(frozen=True)
class Place:
    """What a place resolves to: its subdistrict (None when a point is near none), the หมู่ที่ asked
    for, and the live bodies serving it (municipalities before the อบต.), each with its area."""

    subdistrict: Subdistrict | None
    moo: int | None
    bodies: list[LocalBody] = field(default_factory=list)
    by_point: bool = False


def _nearest_subdistrict(latitude: Decimal, longitude: Decimal) -> RawSQL:
    lat, lng = float(latitude), float(longitude)
    scale = math.cos(math.radians(lat))
    return RawSQL(_NEAREST_SQL, (lng, lat, lat, lng, scale, lat, lng, scale))  # noqa: S611 - fixed SQL, bound values


def place_locate(*, subdistrict_code: str = "", latitude: Decimal | None = None,
                 longitude: Decimal | None = None, moo: int | None = None) -> Place:
    """The bodies serving a subdistrict (at `moo` when given) or, without one, the subdistrict
    nearest the point. One indexed statement finds the place and its bodies together; a second
    (by primary key) only names a subdistrict that no live body serves."""
    by_point = not subdistrict_code
    if by_point and (latitude is None or longitude is None or not (THAILAND[0] <= latitude <= THAILAND[1]
                                                                   and THAILAND[2] <= longitude <= THAILAND[3])):
        return Place(None, moo, [], by_point)
    where = RawSQL("%s", (subdistrict_code,)) if subdistrict_code else _nearest_subdistrict(latitude, longitude)  # type: ignore[arg-type]  # noqa: S611,E501
    rows = serving_rows(subdistrict=where, moo=moo)
    if rows:
        return Place(rows[0].subdistrict, moo, [row.body for row in rows], by_point)
    subdistrict = Subdistrict.objects.select_related("district__province").filter(code=where).first()
    return Place(subdistrict, moo, [], by_point)


_ADDRESS_PARTS = {
    "subdistrict": re.compile(r"(?:ต\.|ตำบล|แขวง)\s*([^\s,]+)"),
    "district": re.compile(r"(?:อ\.|อำเภอ|เขต)\s*([^\s,]+)"),
    "province": re.compile(r"(?:จ\.|จังหวัด)\s*([^\s,]+)"),
}


def subdistrict_from_address(text: str) -> str:
    """The subdistrict a Thai address names (`หน้าวัด ต.ท่าเสน อ.บ้านลาด จ.เพชรบุรี`), when its ตำบล,
    with the อำเภอ and จังหวัด given, fits exactly one (geothai's match); else "" (ท่าช้าง alone is ten)."""
    found = {part: match.group(1) for part, pattern in _ADDRESS_PARTS.items()
             if (match := pattern.search((text or "")[:500]))}
    if "subdistrict" not in found:
        return ""
    places = geothai.match(found["subdistrict"], district=found.get("district"), province=found.get("province"))
    return places[0].subdistrict.code if len(places) == 1 else ""


def subdistrict_points_refresh(bodies: Iterable[LocalBody] | None = None) -> int:
    """Set each subdistrict's point to the office of the body named after it (the lowest DLA code
    when several are: ทต. and อบต. of one name). With `bodies`, only the subdistricts those bodies
    are named after. Returns how many subdistricts changed."""
    named = crosswalk_subdistricts()
    codes = None if bodies is None else {c for b in bodies if (c := seed_subdistrict_for(b))}
    offices = (LocalBody.objects.bodies().exclude(kind=BodyKind.PAO).exclude(latitude__isnull=True)
               .exclude(longitude__isnull=True).order_by("dla_code"))
    if codes is not None:
        dla_codes = [d for d, s in named.items() if s in codes]
        offices = offices.filter(Q(dla_code__in=dla_codes) | Q(previous_dla_code__in=dla_codes))
    points: dict[str, tuple[float, float]] = {}
    for body in offices.only("dla_code", "previous_dla_code", "kind", "latitude", "longitude"):
        code = seed_subdistrict_for(body)
        if code and (codes is None or code in codes):
            points.setdefault(code, (float(body.latitude), float(body.longitude)))  # type: ignore[arg-type]
    known = (Subdistrict.objects.filter(Q(code__in=list(points)) | Q(latitude__isnull=False)) if codes is None
             else Subdistrict.objects.filter(code__in=list(codes)))
    rows = [s for s in known if (s.latitude, s.longitude) != points.get(s.code, (None, None))]
    for row in rows:
        row.latitude, row.longitude = points.get(row.code, (None, None))
    Subdistrict.objects.bulk_update(rows, ["latitude", "longitude"], batch_size=2000)
    return len(rows)


def codes_current(codes: list[str] | set[str]) -> dict[str, str]:
    """Old DLA code → the body's code today, for the codes given that some body had before its
    upgrade (an upgrade refuses a code any body has or had, so each old code names one body)."""
    if not codes:
        return {}
    return dict(LocalBody.objects.filter(previous_dla_code__in=list(codes)).exclude(previous_dla_code="")
                .values_list("previous_dla_code", "dla_code"))


def body_live_for_code(code: str) -> LocalBody | None:
    """The live body a DLA code names: its own code, the code it had before an upgrade, or the code
    of a body merged into it."""
    if not code:
        return None
    body = LocalBody.objects.bodies().filter(Q(dla_code=code) | Q(previous_dla_code=code)).first()
    seen: set[int] = set()
    while body is not None and body.merged_into_id is not None and body.pk not in seen:
        seen.add(body.pk)
        body = LocalBody.objects.filter(pk=body.merged_into_id).first()
    return body if body is not None and body.status == BodyStatus.ACTIVE else None
