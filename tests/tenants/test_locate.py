"""Locating a place: a point (the phone's location) falls in the subdistrict whose point is nearest
(the office of the body named after it: no outlines exist offline), then the bodies whose service
areas cover it, at the หมู่ที่ when given; one indexed statement, whatever the number of bodies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.locate import _NEAREST_SQL, place_locate, subdistrict_from_address, subdistrict_points_refresh
from tenants.models import LocalBody, ServiceArea, Subdistrict
from tenants.service_areas import AreaEntry, service_area_set

pytestmark = pytest.mark.django_db

TM_BANG_TABUN, SAO_BANG_TABUN, BANG_TABUN = "5760701", "6760709", "760706"
SAO_THA_SEN, THA_SEN = "6760609", "760607"


def _locate(lat: str, lng: str, moo: int | None = None) -> tuple[str | None, list[str]]:
    place = place_locate(latitude=Decimal(lat), longitude=Decimal(lng), moo=moo)
    return (place.subdistrict.code if place.subdistrict else None), [b.dla_code for b in place.bodies]


def _statements(queries: CaptureQueriesContext) -> int:
    """Statements run, leaving out django-tenants' search_path (set once per connection)."""
    return sum(1 for q in queries.captured_queries if not q["sql"].startswith("SET search_path"))


def test_a_subdistricts_point_is_the_office_of_the_body_named_after_it() -> None:
    points = dict((c, (lat, lng)) for c, lat, lng in
                  Subdistrict.objects.filter(code__in=[BANG_TABUN, THA_SEN, "760604"])
                  .values_list("code", "latitude", "longitude"))
    # บางตะบูน: ทต. (office 13.263730, 99.943896) before อบต. (no office point); ตำหรุ: no office
    assert points == {BANG_TABUN: (13.26373, 99.943896), THA_SEN: (13.05, 99.94), "760604": (None, None)}
    assert Subdistrict.objects.filter(district__province_id="76", latitude__isnull=False).count() == 48


def test_a_point_names_the_bodies_serving_the_nearest_subdistrict_in_one_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert _locate("13.2650", "99.9450") == (BANG_TABUN, [TM_BANG_TABUN, SAO_BANG_TABUN])
    assert _statements(queries) == 1
    # Between the offices of ท่าเสน (13.05, 99.94) and สมอพลือ (13.0617, 99.9556), nearer ท่าเสน.
    assert _locate("13.0520", "99.9430") == (THA_SEN, [SAO_THA_SEN])


def test_the_moo_tells_two_bodies_of_one_subdistrict_apart() -> None:
    service_area_set(body=LocalBody.objects.get(dla_code=TM_BANG_TABUN), entries=[AreaEntry(BANG_TABUN, (1, 2, 3))])
    service_area_set(body=LocalBody.objects.get(dla_code=SAO_BANG_TABUN), entries=[AreaEntry(BANG_TABUN, (4, 5))])
    assert _locate("13.2650", "99.9450", moo=2) == (BANG_TABUN, [TM_BANG_TABUN])
    assert _locate("13.2650", "99.9450", moo=5) == (BANG_TABUN, [SAO_BANG_TABUN])
    assert _locate("13.2650", "99.9450", moo=9) == (BANG_TABUN, [])


def test_far_from_every_subdistrict_or_outside_thailand_is_no_place() -> None:
    assert _locate("9.5", "98.0") == (None, [])  # the Andaman sea, > 22 km from any point
    with CaptureQueriesContext(connection) as queries:
        assert _locate("51.5", "-0.1") == (None, [])
    assert _statements(queries) == 0


def test_a_subdistrict_no_live_body_serves_is_still_named() -> None:
    ServiceArea.objects.filter(subdistrict_id=THA_SEN).delete()
    with CaptureQueriesContext(connection) as queries:
        assert _locate("13.0500", "99.9400") == (THA_SEN, [])
    assert _statements(queries) == 2


def test_the_nearest_subdistrict_uses_the_point_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + _NEAREST_SQL, (99.94, 13.05, 13.05, 99.94, 0.97, 13.05, 99.94, 0.97))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using subdistrict_point" in plan


def test_moving_an_office_moves_the_subdistricts_point() -> None:
    tm = LocalBody.objects.get(dla_code=TM_BANG_TABUN)
    tm.latitude, tm.longitude = Decimal("13.270000"), Decimal("99.950000")
    tm.save(update_fields=["latitude", "longitude"])
    assert subdistrict_points_refresh([tm]) == 1
    assert Subdistrict.objects.values_list("latitude", "longitude").get(code=BANG_TABUN) == (13.27, 99.95)
    assert subdistrict_points_refresh([tm]) == 0
    tm.latitude = tm.longitude = None
    tm.save(update_fields=["latitude", "longitude"])
    # The อบต. of the same name has no office point either: the subdistrict has none now.
    assert subdistrict_points_refresh() == 1
    assert Subdistrict.objects.values_list("latitude", "longitude").get(code=BANG_TABUN) == (None, None)


@pytest.mark.parametrize(("address", "code"), [
    ("หน้าวัด ต.ท่าเสน อ.บ้านลาด จ.เพชรบุรี", THA_SEN),
    ("ซอย 3 ตำบลบางตะบูน อำเภอบ้านแหลม", BANG_TABUN),
    ("ต.ท่าช้าง อ.บ้านลาด", "760616"),
    ("ต.ท่าช้าง", ""),  # ten subdistricts of that name
    ("หน้าตลาดบ้านลาด", ""),  # no ตำบล named
    ("ต.ไม่มีจริง อ.บ้านลาด", ""),
])
def test_a_written_address_names_its_subdistrict_when_it_fits_one(address: str, code: str) -> None:
    assert subdistrict_from_address(address) == code
