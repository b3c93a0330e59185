"""Provinces, districts and subdistricts with DOPA codes, from the `geothai` package."""

from __future__ import annotations

from dataclasses import dataclass

import geothai
from django.db import transaction

from tenants.models import District, Province, Subdistrict


@dataclass(frozen=True)
class GeographyCounts:
    provinces: int
    districts: int
    subdistricts: int


@transaction.atomic
def geography_load() -> GeographyCounts:
    """Insert or update every area; running it again changes nothing."""
    provinces = [Province(code=p.code, name_th=p.name_th, name_en=p.name_en) for p in geothai.provinces()]
    districts = [
        District(code=d.code, province_id=d.province_code, name_th=d.name_th, name_en=d.name_en)
        for p in provinces
        for d in geothai.districts(p.code)
    ]
    subdistricts = [
        Subdistrict(
            code=s.code,
            district_id=s.district_code,
            name_th=s.name_th,
            name_en=s.name_en,
            postcodes=",".join(s.postal_codes),
        )
        for d in districts
        for s in geothai.subdistricts(d.code)
    ]
    Province.objects.bulk_create(
        provinces, update_conflicts=True, unique_fields=["code"], update_fields=["name_th", "name_en"]
    )
    District.objects.bulk_create(
        districts,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["province", "name_th", "name_en"],
        batch_size=1000,
    )
    Subdistrict.objects.bulk_create(
        subdistricts,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["district", "name_th", "name_en", "postcodes"],
        batch_size=2000,
    )
    return GeographyCounts(len(provinces), len(districts), len(subdistricts))
