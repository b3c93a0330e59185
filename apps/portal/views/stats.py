"""The body's public statistics (the integrity assessment's half-year and full-year rounds, general
and corruption complaints apart) as a page, a CSV and a PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.categories.models import NationalCategory
from apps.portal import selectors
from apps.portal.page_cache import cached_page
from apps.ui import thai
from apps.ui.pdf import pdf_render
from apps.ui.spreadsheet import SafeCsvWriter

from .common import body_of


def _stats_context(request: HttpRequest) -> dict[str, Any]:
    body = body_of(request)
    current = selectors.current_fiscal_year()
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        year = current
    year = min(max(year, current - 5), current)
    half = request.GET.get("round") == "h1"
    period = selectors.fiscal_round(fiscal_year=year, half=half)
    names = {n.code: thai.localised_name(n) for n in NationalCategory.objects.all()}
    general = selectors.body_figures(body=body, start=period.start, end=period.end, detail=True)
    integrity = selectors.body_figures(body=body, start=period.start, end=period.end, oversight=True, detail=True)
    for figures in (general, integrity):
        for row in figures.by_category:
            row["name"] = names.get(str(row["national_category"]), row["national_category"])
    return {
        "body": body, "year": year, "half": half, "period": period,
        "period_end_shown": period.end - dt.timedelta(days=1),
        "years": list(range(current, current - 3, -1)), "general": general, "integrity": integrity,
        "generated_at": timezone.now(),
        "chart": _chart(general.by_month, start=period.start, end=period.end),
    }


def _chart(by_month: list[Any], *, start: dt.datetime, end: dt.datetime) -> dict[str, list[Any]]:
    """Every month of the round up to this one on the axis (a month with no complaint is a 0, not
    a missing bar that makes the next month look adjacent); months still to come are left off."""
    counts = {(m["month"].year, m["month"].month): m for m in by_month}
    start = timezone.localtime(start)
    last = min(timezone.localtime(end - dt.timedelta(seconds=1)).date(), timezone.localdate())
    labels: list[str] = []
    received: list[int] = []
    resolved: list[int] = []
    year, month = start.year, start.month
    while (year, month) <= (last.year, last.month):
        row = counts.get((year, month), {})
        labels.append(thai.format_date(dt.date(year, month, 1)).split(" ", 1)[1])
        received.append(int(row.get("received", 0)))
        resolved.append(int(row.get("resolved", 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"labels": labels, "received": received, "resolved": resolved}


@require_GET
@cached_page(params=("year", "round"), figures=True)
def stats(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/stats.html", _stats_context(request))


def _stats_filename(context: dict[str, Any], extension: str) -> str:
    round_name = "h1" if context["half"] else "full"
    return f"stats-{context['body'].dla_code}-{thai.buddhist_year(context['year'])}-{round_name}.{extension}"


@require_GET
def stats_csv(request: HttpRequest) -> HttpResponse:
    context = _stats_context(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_stats_filename(context, "csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 Thai correctly only with a BOM
    writer = SafeCsvWriter(response)
    period = f"{thai.format_date(context['period'].start)} – {thai.format_date(context['period_end_shown'])}"
    writer.writerow([_("หน่วยงาน"), context["body"].display_name, context["body"].dla_code])
    writer.writerow([_("ช่วงเวลา"), period])
    writer.writerow([])
    writer.writerow([_("ประเภท"), _("หมวด"), _("รับเรื่อง"), _("ดำเนินการแล้วเสร็จ"), _("อยู่ระหว่างดำเนินการ"),
                     _("ไม่รับเรื่อง"), _("ส่งต่อ"), _("ทันเวลา"), _("เกินเวลา"), _("ร้อยละทันเวลา"),
                     _("ค่ามัธยฐาน (วัน)")])
    for kind, figures in ((_("เรื่องร้องทุกข์ทั่วไป"), context["general"]),
                          (_("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"), context["integrity"])):
        writer.writerow([kind, _("รวม"), figures.received, figures.resolved, figures.in_progress, figures.rejected,
                         figures.transferred, figures.on_time, figures.late,
                         "" if figures.on_time_percent is None else figures.on_time_percent,
                         "" if figures.median_days is None else figures.median_days])
        for row in figures.by_category:
            writer.writerow([kind, row["name"], row["received"], row["resolved"], "", "", "", row["on_time"],
                             row["late"], "", ""])
    return response


@require_GET
def stats_pdf(request: HttpRequest) -> HttpResponse:
    context = _stats_context(request)
    pdf = pdf_render("portal/stats_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_stats_filename(context, "pdf")}"'
    return response
