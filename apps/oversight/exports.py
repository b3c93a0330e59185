"""Tables out as Excel (tablib/openpyxl), CSV and PDF (WeasyPrint with Sarabun)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import tablib
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from apps.oversight.templatetags.oversight_tags import thai_date
from apps.ui.pdf import pdf_render
from apps.ui.spreadsheet import safe_dataset

FORMATS = {"xlsx", "csv", "pdf"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return thai_date(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    if isinstance(value, Promise):
        return str(value)
    return value


def table(columns: Sequence[tuple[str, str | Promise]],
          rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    headers = [str(label) for _key, label in columns]
    return headers, [[_cell(row.get(key)) for key, _label in columns] for row in rows]


def export_response(fmt: str, *, title: str, filename: str, columns: Sequence[tuple[str, str | Promise]],
                    rows: Sequence[dict[str, Any]]) -> HttpResponse:
    headers, data = table(columns, rows)
    if fmt == "pdf":
        content: bytes | str = pdf_render("oversight/export_pdf.html",
                                          {"title": title, "headers": headers, "rows": data})
    else:
        dataset = safe_dataset(tablib.Dataset(*data, headers=headers, title=title[:31]))
        content = dataset.export(fmt)
        if fmt == "csv":
            content = "\ufeff" + str(content)  # Excel opens UTF-8 Thai correctly only with a BOM
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
