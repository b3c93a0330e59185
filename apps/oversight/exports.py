"""Tables out as Excel (tablib/openpyxl), CSV and PDF (WeasyPrint with Sarabun)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import tablib
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from apps.oversight.templatetags.oversight_tags import thai_date
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
    return value


def table(columns: Sequence[tuple[str, str | Promise]],
          rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    headers = [str(label) for _key, label in columns]
    return headers, [[_cell(row.get(key)) for key, _label in columns] for row in rows]


def _font_css() -> str:
    try:
        import fontpkg_sarabun  # noqa: PLC0415
    except ImportError:
        return ""
    root = fontpkg_sarabun.ROOT / "files"
    return "".join(
        f"@font-face{{font-family:Sarabun;src:url('file://{root / name}');font-weight:{weight}}}"
        for name, weight in (("Sarabun-Regular.ttf", 400), ("Sarabun-Bold.ttf", 700)))


def export_response(fmt: str, *, title: str, filename: str, columns: Sequence[tuple[str, str | Promise]],
                    rows: Sequence[dict[str, Any]]) -> HttpResponse:
    headers, data = table(columns, rows)
    if fmt == "pdf":
        from weasyprint import HTML  # noqa: PLC0415 - heavy import, only for PDFs

        html = render_to_string("oversight/export_pdf.html", {
            "title": title, "headers": headers, "rows": data, "font_css": _font_css(),
        })
        content: bytes | str = HTML(string=html).write_pdf()
    else:
        dataset = safe_dataset(tablib.Dataset(*data, headers=headers, title=title[:31]))
        content = dataset.export(fmt)
        if fmt == "csv":
            content = "\ufeff" + str(content)  # Excel opens UTF-8 Thai correctly only with a BOM
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
