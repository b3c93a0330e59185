"""Service areas: seeded from the registry crosswalk at import (two bodies of one name both get the
tambon), split by หมู่ที่ by their admins, read by the finder in one query; refusals in Thai."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from tenants.models import BodyKind, LocalBody, ServiceArea
from tenants.service_areas import (
    AreaEntry,
    ServiceAreaRefused,
    bodies_serving,
    moo_parse,
    moo_text,
    service_area_manifest,
    service_area_set,
    service_areas_seed,
)

pytestmark = pytest.mark.django_db

TM_BANG_TABUN = "5760701"  # เทศบาลตำบลบางตะบูน, อำเภอบ้านแหลม
SAO_BANG_TABUN = "6760709"  # อบต.บางตะบูน, อำเภอบ้านแหลม
BANG_TABUN = "760706"  # ตำบลบางตะบูน


def _codes(bodies: list[LocalBody]) -> list[str]:
    return [b.dla_code for b in bodies]


def test_the_import_seeds_the_tambon_of_the_same_name_and_nothing_for_the_pao(db: None) -> None:
    tm, sao = LocalBody.objects.get(dla_code=TM_BANG_TABUN), LocalBody.objects.get(dla_code=SAO_BANG_TABUN)
    assert service_area_manifest(tm) == service_area_manifest(sao) == [
        {"subdistrict": BANG_TABUN, "moo": [], "source": "registry"}]
    pao = LocalBody.objects.get(kind=BodyKind.PAO, province_id="76")
    assert service_area_manifest(pao) == []
    # The demo province: every อบต. of Phetchaburi has its tambon; the whole import seeded in bulk.
    saos = LocalBody.objects.filter(province_id="76", kind=BodyKind.SAO)
    assert ServiceArea.objects.filter(body__in=saos).count() == saos.count() == 69
    assert service_areas_seed(list(LocalBody.objects.filter(province_id="76"))) == 0  # seeded once


def test_two_bodies_of_one_name_are_both_named_until_their_admins_split_the_moo(db: None) -> None:
    tm, sao = LocalBody.objects.get(dla_code=TM_BANG_TABUN), LocalBody.objects.get(dla_code=SAO_BANG_TABUN)
    assert _codes(bodies_serving(subdistrict_code=BANG_TABUN, moo=2)) == [TM_BANG_TABUN, SAO_BANG_TABUN]
    service_area_set(body=tm, entries=[AreaEntry(BANG_TABUN, (1, 2, 3))])
    service_area_set(body=sao, entries=[AreaEntry(BANG_TABUN, tuple(range(4, 13)))])
    assert _codes(bodies_serving(subdistrict_code=BANG_TABUN, moo=2)) == [TM_BANG_TABUN]
    assert _codes(bodies_serving(subdistrict_code=BANG_TABUN, moo=7)) == [SAO_BANG_TABUN]
    assert _codes(bodies_serving(subdistrict_code=BANG_TABUN, moo=13)) == []
    assert _codes(bodies_serving(subdistrict_code=BANG_TABUN)) == [TM_BANG_TABUN, SAO_BANG_TABUN]
    # A new import never overwrites what the admin said.
    assert service_areas_seed([tm, sao]) == 0
    assert service_area_manifest(tm) == [{"subdistrict": BANG_TABUN, "moo": [1, 2, 3], "source": "body"}]
    with CaptureQueriesContext(connection) as queries:
        bodies_serving(subdistrict_code=BANG_TABUN, moo=2)
    assert len(queries.captured_queries) == 1


def test_a_suspended_body_is_not_named(db: None) -> None:
    sao = LocalBody.objects.get(dla_code=SAO_BANG_TABUN)
    sao.status = "suspended"
    sao.save(update_fields=["status"])
    assert _codes(bodies_serving(subdistrict_code=BANG_TABUN, moo=5)) == [TM_BANG_TABUN]


def test_moo_lists_are_read_as_people_type_them() -> None:
    assert moo_parse("1-3, 5") == [1, 2, 3, 5]
    assert moo_parse(" ๑ - ๓ ๗ ") == [1, 2, 3, 7]
    assert moo_parse("5,5,4") == [4, 5]
    assert moo_parse("") == []
    assert moo_text([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    with pytest.raises(ServiceAreaRefused, match="^หมู่ที่ “abc” ไม่ถูกต้อง ใช้ตัวเลข เช่น 1-5, 7$"):
        moo_parse("abc")
    with pytest.raises(ServiceAreaRefused, match="^หมู่ที่ “5-2” ไม่ถูกต้อง ใช้ตัวเลข 1 ถึง 99 จากน้อยไปมาก$"):
        moo_parse("5-2")
    with translation.override("en"), pytest.raises(ServiceAreaRefused, match="^Village number “0” is not valid"):
        moo_parse("0")


def test_an_edit_is_refused_without_a_subdistrict_or_with_an_unknown_one(banlat: LocalBody) -> None:
    before = service_area_manifest(banlat)
    with pytest.raises(ServiceAreaRefused, match="^เลือกอย่างน้อยหนึ่งตำบลที่หน่วยงานให้บริการ$"):
        service_area_set(body=banlat, entries=[])
    with pytest.raises(ServiceAreaRefused, match="^ไม่พบตำบลรหัส 999999$"):
        service_area_set(body=banlat, entries=[AreaEntry("760601"), AreaEntry("999999")])
    assert service_area_manifest(banlat) == before


def test_an_edit_is_audited_in_the_bodys_and_the_platforms_log(banlat: LocalBody) -> None:
    service_area_set(body=banlat, entries=[AreaEntry("760601", (1, 2)), AreaEntry("760607", (9,))],
                     actor_label="admin")
    after = [{"subdistrict": "760601", "moo": [1, 2], "source": "body"},
             {"subdistrict": "760607", "moo": [9], "source": "body"}]
    entry = AuditEntry.objects.get(kind="body.service_area")
    assert entry.changes == {"before": [{"subdistrict": "760601", "moo": [], "source": "registry"}], "after": after}
    with schema_context(banlat.schema_name):
        assert AuditEntry.objects.get(kind="body.service_area").changes["after"] == after
    service_area_set(body=banlat, entries=[AreaEntry("760601", (1, 2)), AreaEntry("760607", (9,))])
    assert AuditEntry.objects.filter(kind="body.service_area").count() == 1  # no change, no entry
