from pathlib import Path

import pytest

from tenants.models import BodyKind, BodyStatus, Domain, LocalBody
from tenants.registry import Geography, RegistryRow, RowError, clean_address, clean_website, parse_rows
from tenants.services import bodies_import
from tenants.slugs import assign_slugs

HEADER = "จังหวัด,อำเภอ,รหัส อปท.,ประเภท อปท.,อปท.,ที่ตั้งสำนักงานเลขที่,หมู่ที่,รหัสไปรษณีย์,ขนาดพื้นที่,LAT,LONG,เว็ปไซต์ของอปท\n"


def test_spreadsheet_date_damage_in_address_is_dropped() -> None:
    assert clean_address("31-ม.ค.") == ""
    assert clean_address("1-ม.ค.") == ""
    assert clean_address("55/1") == "55/1"
    assert clean_address("-") == ""


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("www,tlpm.go.th", "http://www.tlpm.go.th"),
        ("www.Khlongphon go.th", "http://www.khlongphon.go.th"),
        ("http://www.banlat.go.th/", "http://www.banlat.go.th"),
        ("ไม่มี", ""),
        ("", ""),
    ],
)
def test_malformed_websites_are_repaired_or_dropped(raw: str, clean: str) -> None:
    assert clean_website(raw) == clean


def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_go_on(db: None) -> None:
    rows = [
        {"จังหวัด": "เพชรบุรี", "อำเภอ": "บ้านลาด", "รหัส อปท.": "57606X1", "ประเภท อปท.": "เทศบาลตำบล", "อปท.": "ก"},
        {"จังหวัด": "ไม่มีจังหวัดนี้", "อำเภอ": "บ้านลาด", "รหัส อปท.": "5760699", "ประเภท อปท.": "เทศบาลตำบล",
         "อปท.": "ข"},
        {"จังหวัด": "เพชรบุรี", "อำเภอ": "บ้านลาด", "รหัส อปท.": "5760698", "ประเภท อปท.": "สภาตำบล", "อปท.": "ค"},
        {"จังหวัด": "เพชรบุรี", "อำเภอ": "ไม่มีอำเภอนี้", "รหัส อปท.": "5760697", "ประเภท อปท.": "อบต.", "อปท.": "ง"},
        {"จังหวัด": "เพชรบุรี", "อำเภอ": "บ้านลาด", "รหัส อปท.": "6760699", "ประเภท อปท.": "อบต.", "อปท.": "ทดสอบ",
         "LAT": "130.1", "LONG": "99.9", "รหัสไปรษณีย์": "7615"},
        {"จังหวัด": "เพชรบุรี", "อำเภอ": "บ้านลาด", "รหัส อปท.": "6760699", "ประเภท อปท.": "อบต.", "อปท.": "ซ้ำ"},
    ]
    results = list(parse_rows(rows, Geography()))
    errors = [r for r in results if isinstance(r, RowError)]
    assert [(e.line, e.dla_code) for e in errors] == [
        (2, "57606X1"), (3, "5760699"), (4, "5760698"), (5, "5760697"), (7, "6760699"),
    ]
    assert "7 หลัก" in errors[0].reason
    assert "ไม่พบจังหวัด" in errors[1].reason
    assert "ไม่รู้จักประเภท" in errors[2].reason
    assert "ไม่พบอำเภอ" in errors[3].reason
    assert "ซ้ำกับบรรทัด 6" in errors[4].reason
    good = [r for r in results if isinstance(r, RegistryRow)]
    assert len(good) == 1
    assert good[0].district_code == "7606"
    assert good[0].kind == BodyKind.SAO
    # out-of-country coordinates and a 4-digit postcode are dropped, not trusted
    assert (good[0].latitude, good[0].longitude, good[0].postcode) == (None, None, "")


def test_import_reports_bad_rows_and_imports_the_rest(db: None, tmp_path: Path) -> None:
    csv = tmp_path / "registry.csv"
    csv.write_text(
        HEADER
        + "กระบี่,คลองท่อม,5810401,เทศบาลตำบล,คลองท่อมใต้,-,2,81120,2.7,7.952981685,99.15039092,http://www.khlongthomcity.go.th/\n"
        + "กระบี่,คลองท่อม,58104,เทศบาลตำบล,สั้นเกิน,,,,,,,\n"
        + "กระบี่,คลองท่อม,5810402,เทศบาลตำบล,คลองพน,399,1,81170,7.65,7.807166758,99.203614,www.Khlongphon go.th\n",
        encoding="utf-8",
    )
    report = bodies_import(csv, workers=1, show_progress=False)
    assert [(e.line, e.dla_code) for e in report.errors] == [(3, "58104")]
    assert (report.created, report.provisioned) == (2, 2)
    body = LocalBody.objects.get(dla_code="5810402")
    assert body.status == BodyStatus.ACTIVE
    assert body.website == "http://www.khlongphon.go.th"
    assert body.display_name == "เทศบาลตำบลคลองพน"
    assert set(Domain.objects.filter(tenant=body).values_list("domain", "is_primary")) == {
        (f"{body.slug}.localhost", True), ("5810402.localhost", False),
    }
    again = bodies_import(csv, workers=1, show_progress=False)
    assert (again.created, again.updated, again.provisioned) == (0, 0, 0)
    assert LocalBody.objects.filter(dla_code__in=["5810401", "5810402"]).count() == 2


def test_demo_bodies_have_readable_stable_slugs(db: None) -> None:
    assert LocalBody.objects.get(dla_code="5760601").slug == "banlat"
    assert LocalBody.objects.get(dla_code="6760609").slug == "thasen"
    assert LocalBody.objects.get(dla_code="2760101").slug == "pao-phetchaburi"
    # ท่าช้าง names bodies in several provinces: none of them gets the bare name
    assert LocalBody.objects.get(dla_code="6760603").slug == "thachang-6760603"


def test_a_name_already_taken_is_never_reused_bare() -> None:
    assert assign_slugs([("9999991", "banlat")], taken={"banlat"}) == {"9999991": "banlat-9999991"}
    assert assign_slugs([("9999992", "zzzunique")], taken=set()) == {"9999992": "zzzunique"}
    assert assign_slugs([("9999993", "admin")], taken=set()) == {"9999993": "admin-9999993"}


def test_the_whole_province_was_provisioned(db: None) -> None:
    bodies = LocalBody.objects.bodies().filter(province_id="76")
    assert bodies.count() == 85
    assert bodies.filter(district_id="7606").count() == 15
    assert not bodies.exclude(status=BodyStatus.ACTIVE).exists()
