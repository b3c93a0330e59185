"""Which body serves a place, from the geography that exists: the registry's office coordinates
(DLA publishes a point per body, no boundaries) and the crosswalk's tambon of the same name; and
which body a DLA code means today (a code a body had before its upgrade still names it)."""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from functools import cache

from django.db.models import ExpressionWrapper, F, FloatField, Q, Value

from tenants.models import BodyKind, BodyStatus, LocalBody
from tenants.slugs import CROSSWALK

# Farther than this from every body's office (in degrees of latitude, ≈ 22 km) is no answer: the
# nearest office would be a guess.
MAX_OFFICE_DISTANCE_DEG = 0.2


@cache
def _bodies_by_subdistrict() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    with CROSSWALK.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row.get("subdistrict_code_same_name", "").strip()
            if code:
                found.setdefault(code, []).append(row["dla_code"])
    return {code: tuple(codes) for code, codes in found.items()}


def body_for_subdistrict(code: str) -> LocalBody | None:
    """The live body (not the province's อบจ.) named after this tambon, if exactly one is."""
    codes = _bodies_by_subdistrict().get(code, ())
    bodies = list(LocalBody.objects.live().exclude(kind=BodyKind.PAO).filter(dla_code__in=codes)[:2])
    return bodies[0] if len(bodies) == 1 else None


def body_nearest(*, latitude: Decimal, longitude: Decimal) -> LocalBody | None:
    """The live body (not an อบจ., whose area is the whole province) whose office is nearest the point,
    within MAX_OFFICE_DISTANCE_DEG; None when no office is that close."""
    scale = math.cos(math.radians(float(latitude)))
    dy = F("latitude") - Value(latitude)
    dx = (F("longitude") - Value(longitude)) * Value(Decimal(str(round(scale, 6))))
    distance = ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())
    nearest = (LocalBody.objects.live().exclude(kind=BodyKind.PAO)
               .exclude(latitude__isnull=True).exclude(longitude__isnull=True)
               .annotate(distance=distance).order_by("distance", "dla_code").first())
    if nearest is None or nearest.distance > MAX_OFFICE_DISTANCE_DEG ** 2:  # type: ignore[attr-defined]
        return None
    return nearest


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
