"""The body's SLA pages on its subdomain: the public agreement, the printable announcement (HTML and
PDF), the admin's drafting page and office closures. Thin: reads via apps.sla.selectors, writes via
apps.sla.services. They sit with the portal (above complaints, whose staff gate they use), while
apps.sla holds the rules and clocks the complaint service itself depends on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.categories.models import SlaClass
from apps.complaints.access import StaffRequest, staff_view
from apps.complaints.attachments import clean_upload
from apps.complaints.errors import ComplaintError
from apps.complaints.models import Role
from apps.portal.page_cache import cached_page
from apps.sla import services
from apps.sla.models import Agreement, AgreementStatus, BodyClosure, DayType, Stage
from apps.sla.selectors import (
    WEEKDAY_CHOICES,
    agreement_current_published,
    agreements_history,
    framework_in_force,
    local_date,
    office_hours_of,
    rows_of,
)
from apps.ui.forms import ThaiDateWidget, thai_date_parse
from apps.ui.pdf import pdf_render, sarabun_font_css, sarabun_web_font_css
from apps.ui.thai import format_date, thai_digits
from tenants.db import current_schema
from tenants.models import LocalBody


def _body(request: HttpRequest) -> LocalBody:
    tenant = getattr(request, "tenant", None)
    if not isinstance(tenant, LocalBody) or tenant.schema_name != current_schema() or \
            tenant.schema_name == "public":
        raise Http404
    return tenant


def _table(rows: dict[tuple[str, str], tuple[int, str]]) -> list[dict[str, Any]]:
    stage_labels, type_labels = dict(Stage.choices), dict(DayType.choices)
    table = []
    for sla_class, class_label in SlaClass.choices:
        cells = []
        for stage in Stage.values:
            row = rows.get((sla_class, stage))
            cells.append({"stage": stage, "stage_label": stage_labels[stage], "days": row[0] if row else None,
                          "day_type": row[1] if row else "",
                          "day_type_label": type_labels.get(row[1], "") if row else ""})
        table.append({"sla_class": sla_class, "label": class_label, "cells": cells})
    return table


def _context(request: HttpRequest) -> dict[str, Any]:
    body = _body(request)
    agreement = agreement_current_published(body_id=body.pk)
    today = local_date(timezone.now())
    framework = framework_in_force(on=today)
    rows = rows_of(agreement) if agreement else (rows_of(framework) if framework else {})
    return {"body": body, "agreement": agreement, "framework": framework, "table": _table(rows),
            "signed_copy_url": agreement.signed_copy.url if agreement and agreement.signed_copy else "",
            "stages": Stage.choices, "history": agreements_history(body_id=body.pk),
            "page_url": request.build_absolute_uri("/sla/")}


@cached_page()
def agreement_page(request: HttpRequest) -> HttpResponse:
    return render(request, "sla/agreement.html", _context(request))


def _announcement_context(request: HttpRequest, *, for_pdf: bool) -> dict[str, Any]:
    context = _context(request)
    # Official documents use Thai digits; Arabic ones on request.
    thai = request.GET.get("digits") != "arabic"
    agreement: Agreement | None = context["agreement"]
    announced = (agreement.announced_on if agreement else None) or local_date(timezone.now())

    def digits(value: object) -> str:
        return thai_digits(value) if thai else str(value)

    qr = segno.make(context["page_url"], error="m")
    profile = getattr(context["body"], "profile", None)  # the body's public profile, if it made one
    emblem = profile.logo if profile is not None and profile.logo else None
    context.update({
        # WeasyPrint reads the emblem from disk: fetching it over HTTP would call this same server.
        "emblem_src": (Path(emblem.path).as_uri() if for_pdf else emblem.url) if emblem else "",
        "thai_digits": thai, "digits": digits,
        "number": digits(agreement.number) if agreement and agreement.number else "",
        "announced": digits(format_date(announced, long=True, language="th")),
        "effective": digits(format_date(agreement.effective_from, long=True, language="th")) if agreement else "",
        "qr_svg": qr.svg_inline(scale=3, dark="#000", border=2),
        "for_pdf": for_pdf,
        "office_hours": digits("08.30–16.30"),
        "font_css": sarabun_font_css() if for_pdf else sarabun_web_font_css(),
    })
    for row in context["table"]:
        for cell in row["cells"]:
            cell["days_text"] = digits(cell["days"]) if cell["days"] is not None else "–"
    return context


def announcement(request: HttpRequest) -> HttpResponse:
    return render(request, "sla/announcement.html", _announcement_context(request, for_pdf=False))


def announcement_pdf(request: HttpRequest) -> HttpResponse:
    context = _announcement_context(request, for_pdf=True)
    pdf = pdf_render("sla/announcement.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sla-{context["body"].slug}.pdf"'
    return response


def _grid(draft: Agreement, framework_rows: dict[tuple[str, str], tuple[int, str]],
          typed: dict[tuple[str, str], tuple[str, str]], refused: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """The editor's grid: a row per class, a cell per stage with the draft's value and day type
    (or what was just typed, when it was refused), the national limit beside it and the refusal."""
    type_labels, stage_labels = dict(DayType.choices), dict(Stage.choices)
    own = rows_of(draft)
    grid = []
    for sla_class, class_label in SlaClass.choices:
        cells = []
        for stage in Stage.values:
            key = (sla_class, stage)
            national = framework_rows.get(key)
            if key in typed:
                days, day_type = typed[key]
            elif key in own:
                days, day_type = str(own[key][0]), own[key][1]
            else:
                days, day_type = "", national[1] if national else DayType.CALENDAR
            cells.append({"key": f"{sla_class}__{stage}", "days": days, "day_type": day_type,
                          "stage_label": stage_labels[stage],
                          "national": f"{national[0]} {type_labels.get(national[1], '')}" if national else "",
                          "editable": national is not None, "refused": refused.get(key, "")})
        if any(cell["editable"] for cell in cells):
            grid.append({"label": class_label, "cells": cells})
    return grid


def _grid_save(request: StaffRequest, draft: Agreement) -> tuple[dict[tuple[str, str], tuple[str, str]],
                                                                 dict[tuple[str, str], str]]:
    """Every changed cell through the service (each row is checked against the framework on its
    own); the refused ones come back with their message, the others are saved."""
    own = rows_of(draft)
    typed: dict[tuple[str, str], tuple[str, str]] = {}
    refused: dict[tuple[str, str], str] = {}
    for sla_class in SlaClass.values:
        for stage in Stage.values:
            key = (sla_class, stage)
            days_text = request.POST.get(f"days__{sla_class}__{stage}")
            if days_text is None:
                continue
            day_type = request.POST.get(f"type__{sla_class}__{stage}", "")
            typed[key] = (days_text.strip(), day_type)
            try:
                days = int(days_text.strip())
            except ValueError:
                refused[key] = _("กรุณาระบุจำนวนวันเป็นตัวเลข")
                continue
            if own.get(key) == (days, day_type):
                continue
            try:
                services.sla_agreement_row_set(agreement=draft, actor=request.user, sla_class=sla_class, stage=stage,
                                               days=days, day_type=day_type)
            except ValidationError as error:
                refused[key] = " ".join(error.messages)
    return typed, refused


def _preview(request: HttpRequest, body: LocalBody, draft: Agreement, effective: dt.date) -> dict[str, Any]:
    """What the announcement will say once published (Thai digits, as it will be printed)."""
    return {"table": [{**row, "cells": [{**cell, "days_text": thai_digits(cell["days"]) if cell["days"] else "–"}
                                        for cell in row["cells"]]} for row in _table(rows_of(draft))],
            "stages": Stage.choices, "number": thai_digits(draft.number) if draft.number else "",
            "effective": thai_digits(format_date(effective, long=True, language="th")),
            "effective_iso": effective.isoformat(), "agreement": draft, "body": body}


@staff_view(roles=(Role.ADMIN,), hide=True)
@require_http_methods(["GET", "POST"])
def manage(request: StaffRequest) -> HttpResponse:
    """The SLA editor: a grid of classes by stages with the national limit beside each cell, the
    announcement's details, then publication after a preview and a confirmation."""
    body = _body(request)
    errors: list[str] = []
    typed: dict[tuple[str, str], tuple[str, str]] = {}
    refused: dict[tuple[str, str], str] = {}
    preview: dict[str, Any] | None = None
    draft = Agreement.objects.filter(body=body, status=AgreementStatus.DRAFT).order_by("-id").first()
    current = agreement_current_published(body_id=body.pk)
    effective_value: Any = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create" and draft is None:
                services.sla_agreement_draft_create(body=body, actor=request.user,
                                                    number=request.POST.get("number", "").strip())
            elif action == "signed_copy" and current is not None:
                upload = request.FILES.get("signed_copy")
                if upload is None:
                    raise ValidationError(_("กรุณาเลือกไฟล์ประกาศฉบับลงนาม (PDF หรือรูปภาพ)"))
                try:
                    clean = clean_upload(upload)
                except ComplaintError as error:
                    raise ValidationError(str(error.message)) from error
                services.sla_agreement_signed_copy_attach(agreement=current, content=clean.content, actor=request.user)
                messages.success(request, _("เผยแพร่ประกาศฉบับลงนามแล้ว"))
            elif action == "grid" and draft is not None:
                typed, refused = _grid_save(request, draft)
            elif action == "row" and draft is not None:
                services.sla_agreement_row_set(agreement=draft, actor=request.user,
                                               sla_class=request.POST.get("sla_class", ""),
                                               stage=request.POST.get("stage", ""),
                                               days=int(request.POST.get("days") or 0),
                                               day_type=request.POST.get("day_type", ""))
            elif action == "details" and draft is not None:
                services.sla_agreement_update(agreement=draft, actor=request.user,
                                              number=request.POST.get("number", "").strip(),
                                              signatory_name=request.POST.get("signatory_name", "").strip(),
                                              signatory_position=request.POST.get("signatory_position", "").strip())
            elif action == "publish" and draft is not None:
                effective_value = ThaiDateWidget().value_from_datadict(request.POST, None, "effective_from")
                effective = thai_date_parse(effective_value)
                if effective is None:
                    raise ValidationError(_("กรุณาระบุวันที่มีผลบังคับใช้ (วัน เดือน ปี พ.ศ.)"))
                if request.POST.get("confirm") != "1":
                    preview = _preview(request, body, draft, effective)
                else:
                    services.sla_agreement_publish(agreement=draft, effective_from=effective, actor=request.user)
                    messages.success(request, _("ประกาศข้อตกลงแล้ว มีผลตั้งแต่ %(date)s") % {
                        "date": format_date(effective, long=True)})
            else:
                raise Http404
            if not refused and preview is None:
                return redirect(request.path)
        except ValidationError as error:
            errors = list(error.messages)
        except ValueError:
            errors = [_("ข้อมูลไม่ถูกต้อง")]
    today = local_date(timezone.now())
    framework = framework_in_force(on=today)
    framework_rows = rows_of(framework) if framework else {}
    return render(request, "sla/manage.html", {
        "body": body, "draft": draft, "errors": errors, "refused_count": len(refused),
        "grid": _grid(draft, framework_rows, typed, refused) if draft else [],
        "stages": Stage.choices, "day_types": DayType.choices, "preview": preview,
        "effective_widget": ThaiDateWidget().render("effective_from", effective_value or today,
                                                    attrs={"id": "effective_from", "required": True}),
        "history": agreements_history(body_id=body.pk), "current": current,
    }, status=400 if errors or refused else 200)


@staff_view(roles=(Role.ADMIN,), hide=True)
@require_http_methods(["GET", "POST"])
def calendar(request: StaffRequest) -> HttpResponse:
    """The body admin's office closures (วันปิดทำการ), beside the national days off."""
    body = _body(request)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.sla_body_closure_delete(body=body, closure_id=int(request.POST.get("closure") or 0),
                                                 actor=request.user)
            elif request.POST.get("action") == "hours":
                services.sla_office_hours_set(
                    body=body, opens_at=_time(request.POST.get("opens_at", "")),
                    closes_at=_time(request.POST.get("closes_at", "")),
                    weekdays="".join(request.POST.getlist("weekdays")), actor=request.user)
            else:
                date = thai_date_parse(ThaiDateWidget().value_from_datadict(request.POST, None, "date"))
                if date is None:
                    raise ValueError("no date")
                services.sla_body_closure_add(body=body, date=date, reason=request.POST.get("reason", ""),
                                              actor=request.user)
            return redirect(request.path)
        except ValidationError as error:
            errors = list(error.messages)
        except ValueError:
            errors = [_("กรุณาระบุเวลาให้ถูกต้อง (ชั่วโมง:นาที)") if request.POST.get("action") == "hours"
                      else _("กรุณาระบุวันที่ให้ถูกต้อง")]
    since = local_date(timezone.now()) - dt.timedelta(days=365)
    closures = BodyClosure.objects.filter(body=body, date__gte=since).order_by("date")
    date_value = ThaiDateWidget().value_from_datadict(request.POST, None, "date") if errors else None
    return render(request, "sla/calendar.html", {"body": body, "closures": closures, "errors": errors,
                                                 "form": request.POST if errors else {},
                                                 "date_widget": ThaiDateWidget().render(
                                                     "date", date_value,
                                                     attrs={"id": "closure-date", "required": True}),
                                                 "hours": office_hours_of(body_id=body.pk),
                                                 "weekday_choices": WEEKDAY_CHOICES},
                  status=400 if errors else 200)


def _time(value: str) -> dt.time:
    """A time from the form (HH:MM); ValueError, shown as the page's error, otherwise."""
    parsed = dt.time.fromisoformat(value.strip())
    if parsed.second or parsed.microsecond or parsed.tzinfo:
        raise ValueError(value)
    return parsed
