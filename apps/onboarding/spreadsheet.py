"""Reading an invitation spreadsheet: Excel (.xlsx) or CSV (UTF-8), one body per row, columns
named in Thai or English (any order): รหัส อปท. / dla_code, ชื่อ-นามสกุล / full_name,
ตำแหน่ง / position, อีเมล / email, โทรศัพท์มือถือ / mobile."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.ui.normalise import Refused, normalise

MAX_ROWS = 10_000

COLUMNS: dict[str, tuple[str, ...]] = {
    "dla_code": ("dla_code", "รหัส อปท.", "รหัส อปท", "รหัสอปท", "code"),
    "full_name": ("full_name", "name", "ชื่อ-นามสกุล", "ชื่อ นามสกุล", "ชื่อ"),
    "position": ("position", "ตำแหน่ง"),
    "email": ("email", "e-mail", "อีเมล", "อีเมลทางราชการ"),
    "mobile": ("mobile", "phone", "โทรศัพท์มือถือ", "มือถือ", "โทรศัพท์"),
}
HEADER = ["รหัส อปท.", "ชื่อ-นามสกุล", "ตำแหน่ง", "อีเมล", "โทรศัพท์มือถือ"]


@dataclass
class Row:
    line: int
    dla_code: str = ""
    full_name: str = ""
    position: str = ""
    email: str = ""
    mobile: str = ""
    errors: list[str] = field(default_factory=list)


class SheetError(ValueError):
    pass


def _cells(file_name: str, content: bytes) -> list[list[object]]:
    lower = file_name.lower()
    try:
        if lower.endswith(".csv"):
            text = content.decode("utf-8-sig")
            return [list(r) for r in csv.reader(io.StringIO(text))]
        if lower.endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            return [list(r) for r in sheet.iter_rows(values_only=True)]
    except Exception as error:  # a broken file is the uploader's to fix, with a message
        raise SheetError(_("อ่านไฟล์ไม่ได้ กรุณาตรวจสอบว่าเป็นไฟล์ Excel (.xlsx) หรือ CSV (UTF-8)")) from error
    raise SheetError(_("รับเฉพาะไฟล์ Excel (.xlsx) หรือ CSV"))


def _label(value: object) -> str:
    return " ".join(str(value or "").replace("\ufeff", "").split()).lower()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(*, file_name: str, content: bytes) -> list[Row]:
    cells = _cells(file_name, content)
    while cells and not any(_text(c) for c in cells[0]):
        cells.pop(0)
    if not cells:
        raise SheetError(_("ไฟล์ไม่มีข้อมูล"))
    header = [_label(c) for c in cells[0]]
    columns: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for index, label in enumerate(header):
            if label in {n.lower() for n in names}:
                columns[key] = index
                break
    missing = [HEADER[i] for i, key in enumerate(COLUMNS) if key not in columns]
    if missing:
        raise SheetError(_("ไม่พบคอลัมน์: %(columns)s (แถวแรกต้องเป็นหัวตาราง: %(header)s)")
                         % {"columns": ", ".join(missing), "header": ", ".join(HEADER)})
    body = cells[1:]
    if len(body) > MAX_ROWS:
        raise SheetError(_("ไฟล์มีเกิน %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์") % {"max": f"{MAX_ROWS:,}"})
    rows: list[Row] = []
    for offset, raw in enumerate(body):
        values = {key: _text(raw[index]) if index < len(raw) else "" for key, index in columns.items()}
        if not any(values.values()):
            continue
        row = Row(line=offset + 2, dla_code=values["dla_code"], full_name=values["full_name"],
                  position=values["position"], email=values["email"], mobile=values["mobile"])
        try:
            row.dla_code = normalise(row.dla_code, kind="code")
        except Refused as refused:
            row.errors.append(str(refused.message))
        if not row.errors and not (len(row.dla_code) == 7 and row.dla_code.isdigit()):
            row.errors.append(_("รหัส อปท. ต้องเป็นตัวเลข 7 หลัก (พบ %(value)s)") % {"value": row.dla_code[:20] or "-"})
        rows.append(row)
    return rows
