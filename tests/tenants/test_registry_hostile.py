"""A registry file with hostile cells: each bad row is reported in words, nothing is stored, and the
good rows still go in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenants.models import LocalBody
from tenants.registry import Geography, RegistryRow, RowError, parse_rows
from tenants.services import bodies_import
from tests.hostile.catalogue import REFUSE

BASE = {"จังหวัด": "เพชรบุรี", "อำเภอ": "บ้านลาด", "ประเภท อปท.": "อบต.", "อปท.": "ทดสอบ"}


@pytest.mark.parametrize("column", ["จังหวัด", "อำเภอ", "รหัส อปท.", "อปท.", "ที่ตั้งสำนักงานเลขที่", "LAT"])
@pytest.mark.parametrize("name", [n for n in REFUSE if n != "10 kB string"])
def test_a_hostile_cell_is_a_row_error_in_words(db: None, column: str, name: str) -> None:
    row = {**BASE, "รหัส อปท.": "6760698", column: (BASE.get(column) or "") + REFUSE[name]}
    (result,) = parse_rows([row], Geography())
    assert isinstance(result, RowError)
    assert str(result).startswith("บรรทัด 2")
    assert f"คอลัมน์ “{column}”" in result.reason
    assert not any(word in result.reason for word in ("Error", "Traceback", "psycopg", "violates"))


def test_thai_digits_codes_and_nan_coordinates(db: None) -> None:
    (row,) = parse_rows([{**BASE, "รหัส อปท.": "๖๗๖๐๖๙๘", "LAT": "NaN", "LONG": "Infinity",
                          "รหัสไปรษณีย์": "๗๖๑๕๐"}], Geography())
    assert isinstance(row, RegistryRow)
    assert (row.dla_code, row.postcode, row.latitude, row.longitude) == ("6760698", "76150", None, None)


def test_an_overlong_name_is_refused(db: None) -> None:
    (row,) = parse_rows([{**BASE, "รหัส อปท.": "6760698", "อปท.": "ก" * 201}], Geography())
    assert isinstance(row, RowError) and row.reason == "ชื่อ อปท. ยาวเกิน 200 ตัวอักษร (201 ตัวอักษร)"


def test_the_command_stores_nothing_from_hostile_rows(db: None, tmp_path: Path) -> None:
    header = "จังหวัด,อำเภอ,รหัส อปท.,ประเภท อปท.,อปท.\n"
    lines = [f"เพชรบุรี,บ้านลาด,{6760690 + i},อบต.,\"{value.replace(chr(34), '')}\"\n"
             for i, value in enumerate(v for n, v in REFUSE.items() if n != "10 kB string")]
    path = tmp_path / "lao.csv"
    path.write_text(header + "".join(lines), encoding="utf-8")
    before = LocalBody.objects.count()
    report = bodies_import(path, show_progress=False)
    assert (report.created, len(report.errors)) == (0, len(lines))
    assert LocalBody.objects.count() == before
