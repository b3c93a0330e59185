"""Oversight pages at /oversight/ on the platform domain. Thin: parse, call a selector or service,
render. Every page is limited to the signed-in officer's area; anything outside it is a 404."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from apps.accounts.models import User
from apps.accounts.second_factor import is_verified
from apps.oversight import cases, charts, selectors, services
from apps.oversight.desk_selectors import OFFICE_LEVELS
from apps.oversight.exports import FORMATS, export_response
from apps.oversight.forms import DirectiveForm
from apps.oversight.models import Directive, DirectiveMeasure, DirectiveTarget
from apps.oversight.scoping import (
    OversightRequest,
    Scope,
    bodies_in_scope_for,
    get_body_in_scope,
    narrow_scope,
    scope_for_user,
)
from apps.oversight.sla_status import sla_status_for
from apps.oversight.templatetags.oversight_tags import thai_month
from apps.ui.downloads import user_file_response
from apps.ui.thai import buddhist_year, fiscal_year_of, localised_name
from tenants.models import District, Province

View = Callable[..., HttpResponseBase]


def oversight_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user  # a User once signed in, else AnonymousUser
        scope = scope_for_user(user) if isinstance(user, User) and is_verified(request) else None
        if scope is None:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        cast(OversightRequest, request).scope = scope
        return view(request, *args, **kwargs)
    return wrapper


def _scope_name(scope: Scope) -> str:
    if scope.level == "province":
        province = Province.objects.filter(code=scope.code).first()
        return _("จังหวัด%(name)s") % {"name": localised_name(province)} if province else scope.code
    if scope.level == "district":
        district = District.objects.filter(code=scope.code).first()
        return _("อำเภอ%(name)s") % {"name": localised_name(district)} if district else scope.code
    return _("ทั่วประเทศ")


def _fy_shown(request: HttpRequest, period: selectors.Period) -> str:
    """The fiscal year the period selector shows: the one asked for, or the default one when the
    page chose no months."""
    return request.GET.get("fy", "") or ("" if request.GET.get("since") or request.GET.get("until")
                                         else str(fiscal_year_of(period.until)))


def _period(request: HttpRequest, *, default_fiscal: bool = False) -> selectors.Period:
    try:
        return selectors.Period.from_query(request.GET, default_fiscal=default_fiscal)
    except ValueError as error:
        raise Http404("bad period") from error


def _fmt(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "")
    if fmt and fmt not in FORMATS:
        raise Http404("unknown format")
    return fmt


SLA_COLUMNS = [
    ("dla_code", gettext_lazy("รหัส อปท.")),
    ("name", gettext_lazy("หน่วยงาน")),
    ("district", gettext_lazy("อำเภอ")),
    ("published", gettext_lazy("ประกาศ SLA แล้ว")),
    ("effective_from", pgettext_lazy("heading", "มีผลตั้งแต่")),
    ("meets_minimum", gettext_lazy("ไม่ต่ำกว่ามาตรฐานกลาง")),
    ("tighter", gettext_lazy("รายการที่เข้มกว่ามาตรฐาน")),
    ("public_url", gettext_lazy("หน้าประกาศ")),
]


@oversight_required
def dashboard(request: OversightRequest) -> HttpResponse:
    scope = request.scope
    not_published = request.GET.get("not_published") == "1"
    rows = selectors.sla_compliance(scope, not_published_only=not_published)
    table = [{
        "dla_code": r.body.dla_code, "name": r.body.display_name,
        "district": localised_name(r.body.district),
        "published": r.sla.published,
        "effective_from": r.sla.effective_from, "meets_minimum": r.sla.meets_minimum,
        "tighter": ", ".join(r.sla.tighter_rows), "public_url": r.sla.public_url,
    } for r in rows]
    fmt = _fmt(request)
    if fmt:
        return export_response(fmt, title=_("การประกาศ SLA %(scope)s") % {"scope": _scope_name(scope)},
                               filename="sla-compliance",
                               columns=SLA_COLUMNS, rows=table)
    period = _period(request, default_fiscal=True)
    figures = selectors.figures(scope, period, group_by="month")
    all_rows = rows if not not_published else selectors.sla_compliance(scope)
    fy = _fy_shown(request, period)
    return render(request, "oversight/dashboard.html", {
        "scope_name": _scope_name(scope), "rows": table, "not_published": not_published,
        "period": period, "fiscal_years": _fiscal_years(), "fy": fy,
        "published_count": sum(1 for r in all_rows if r.sla.published),
        "body_count": len(all_rows), "totals": figures["totals"],
        "chart": charts.trend(period, figures["rows"], with_pct=True),
    })


PERF_COLUMNS = [
    ("rank", gettext_lazy("อันดับ")),
    ("key", gettext_lazy("รหัส")),
    ("label", gettext_lazy("พื้นที่/หน่วยงาน")),
    ("received", gettext_lazy("รับเรื่อง")),
    ("resolved", gettext_lazy("แล้วเสร็จ")),
    ("open", gettext_lazy("ค้างดำเนินการ")),
    ("breached", gettext_lazy("เกินกำหนด")),
    ("ack_pct", gettext_lazy("แจ้งรับทันเวลา %")),
    ("reply_pct", gettext_lazy("แจ้งผลทันเวลา %")),
    ("resolve_pct", gettext_lazy("แก้ไขทันเวลา %")),
    ("median_days_to_resolve", gettext_lazy("มัธยฐานวัน")),
]


def _flatten(row: selectors.Row) -> dict[str, Any]:
    out: dict[str, Any] = dict(row)
    for stage, value in row["on_time_pct"].items():
        out[f"{stage}_pct"] = value
    return out


def _fiscal_years(count: int = 5) -> list[tuple[int, str]]:
    """The current fiscal year (ปีงบประมาณ, 1 Oct – 30 Sep) and the ones before, labelled พ.ศ."""
    current = fiscal_year_of(timezone.localdate())
    return [(year, _("ปีงบประมาณ %(year)s") % {"year": buddhist_year(year)})
            for year in range(current, current - count, -1)]


def _months_back(count: int) -> list[tuple[str, str]]:
    """The last `count` months as (YYYY-MM, ต.ค. 2568): months are picked, never typed in ค.ศ."""
    today = timezone.localdate()
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append((f"{year:04d}-{month:02d}", thai_month(f"{year:04d}-{month:02d}")))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def _without(request: HttpRequest, name: str) -> str:
    """The page's query without one parameter, so a link that sets it does not repeat it."""
    params = request.GET.copy()
    params.pop(name, None)
    return params.urlencode()


@oversight_required
def performance(request: OversightRequest) -> HttpResponse:
    base = request.scope
    scope = narrow_scope(base, province=request.GET.get("province", ""), district=request.GET.get("district", ""))
    period = _period(request, default_fiscal=True)  # the fiscal year, as the body pages count
    category = request.GET.get("category", "")
    fmt = _fmt(request)
    # The area, month and channel rows and the totals in one pass over the roll-ups (one statement
    # per table, one for the medians); categories share it unless a category filter is on.
    groups = ["area"] if fmt else ["area", "month", "channel"] + ([] if category else ["category"])
    by_area = selectors.figures_grouped(scope, period, category=category, groups=groups)
    area_rows = by_area["rows"][{"nation": "province", "province": "district", "district": "body"}[scope.level]]
    ranked_rows, too_few_rows = selectors.ranking(area_rows)
    ranked, too_few = [_flatten(r) for r in ranked_rows], [_flatten(r) for r in too_few_rows]
    if fmt:
        return export_response(fmt, title=_("ผลการดำเนินงาน %(scope)s") % {"scope": _scope_name(scope)},
                               filename="performance",
                               columns=PERF_COLUMNS, rows=ranked + too_few)
    by_category = by_area["rows"]["category"] if not category else \
        selectors.figures(scope, period, group_by="category")["rows"]
    by_month = by_area["rows"]["month"]
    by_channel = by_area["rows"]["channel"]
    next_level = {"nation": "province", "province": "district", "district": "body"}[scope.level]
    return render(request, "oversight/performance.html", {
        "scope": scope, "scope_name": _scope_name(scope), "period": period, "category": category,
        "totals": by_area["totals"], "ranked": ranked, "too_few": too_few, "min_volume": selectors.min_volume(),
        "next_level": next_level, "by_category": sorted(by_category, key=lambda r: -r["breached"]),
        "breaches_by_body": sorted(ranked + too_few, key=lambda r: -r["breached"])[:20],
        "query": request.GET.urlencode(), "query_without_category": _without(request, "category"),
        "fiscal_years": _fiscal_years(), "months": _months_back(36), "fy": _fy_shown(request, period),
        "since": "" if _fy_shown(request, period) else period.since.strftime("%Y-%m"),
        "until": "" if _fy_shown(request, period) else period.until.strftime("%Y-%m"),
        "category_label": selectors.national_category_label(category) if category else "",
        "chart": charts.trend(period, by_month, with_pct=True), "channel_chart": charts.channels(by_channel),
    })


@oversight_required
def body_detail(request: OversightRequest, dla_code: str) -> HttpResponse:
    scope = request.scope
    body = get_body_in_scope(scope, dla_code)
    period = selectors.Period.last_months(12)
    figures = selectors.figures(scope, period, body=body, group_by="month")
    sla = sla_status_for([body.pk])[body.pk]
    return render(request, "oversight/body.html", {
        "body": body, "sla": sla, "totals": figures["totals"], "months": figures["rows"],
        "overdue": cases.overdue_facts(scope, body=body, limit=200),
        "chart": charts.trend(period, figures["rows"], with_pct=True),
    })


OVERDUE_COLUMNS = [
    ("tracking_code", gettext_lazy("เลขติดตามเรื่อง")),
    ("body_name", gettext_lazy("หน่วยงาน")),
    ("category_label", gettext_lazy("หมวดเรื่อง")),
    ("stage", gettext_lazy("ขั้นตอนที่เกินกำหนด")),
    ("due_at", gettext_lazy("กำหนด")),
    ("days_over", gettext_lazy("เกินกำหนด (วัน)")),
    ("escalation", gettext_lazy("การเร่งรัด")),
]


@oversight_required
def overdue(request: OversightRequest) -> HttpResponse:
    scope = request.scope
    rows = cases.overdue_facts(scope)
    fmt = _fmt(request)
    if fmt:
        return export_response(fmt, title=_("เรื่องเกินกำหนด %(scope)s") % {"scope": _scope_name(scope)},
                               filename="overdue",
                               columns=OVERDUE_COLUMNS, rows=rows)
    return render(request, "oversight/overdue.html", {"rows": rows, "scope_name": _scope_name(scope)})


CONDUCT_COLUMNS = [
    ("tracking_code", gettext_lazy("เลขติดตามเรื่อง")),
    ("body_name", gettext_lazy("หน่วยงาน")),
    ("category_label", gettext_lazy("หมวดเรื่อง")),
    ("status_label", gettext_lazy("สถานะ")),
    ("received_at", gettext_lazy("รับเรื่อง")),
    ("resolve_due_at", gettext_lazy("กำหนดแล้วเสร็จ")),
    ("resolved_at", gettext_lazy("แล้วเสร็จ")),
]


@oversight_required
def conduct(request: OversightRequest) -> HttpResponse:
    """A district or provincial office: the desk of the cases it handles. The nation: every
    conduct case's figures, with no way into a case."""
    scope = request.scope
    desk = scope.level in OFFICE_LEVELS
    rows = cases.conduct_queue(scope)
    fmt = _fmt(request)
    if fmt:
        return export_response(fmt, title=_("เรื่องร้องเรียนพฤติกรรม/ทุจริต"), filename="conduct",
                               columns=CONDUCT_COLUMNS, rows=rows)
    return render(request, "oversight/conduct.html", {"rows": rows, "scope_name": _scope_name(scope), "desk": desk})


@oversight_required
def directive_list(request: OversightRequest) -> HttpResponse:
    scope = request.scope
    directives = selectors.directives_in_scope(scope)
    rows = []
    for directive in directives[:200]:
        targets = list(directive.targets.all())
        rows.append({"directive": directive, "total": len(targets),
                     "complied": sum(1 for t in targets if t.complied_at),
                     "acknowledged": sum(1 for t in targets if t.acknowledged_at)})
    return render(request, "oversight/directives.html", {"rows": rows, "scope_name": _scope_name(scope)})


@oversight_required
def directive_new(request: OversightRequest) -> HttpResponse:
    scope = request.scope
    choices = [(b.dla_code, f"{b.dla_code} {b.display_name}") for b in bodies_in_scope_for(scope)]
    form = DirectiveForm(request.POST or None, request.FILES or None, body_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        directive = services.directive_issue(
            scope=scope, issued_by=request.user, title=data["title"], text=data["text"],
            number=data["number"], requirements=data["requirements"], due_date=data["due_date"],
            body_codes=data["bodies"], attachment=data["attachment"],
            remind_days_before=data["remind_days_before"])
        messages.success(request, _("ออกหนังสือสั่งการแล้ว"))
        return redirect("oversight:directive", directive_id=directive.pk)
    return render(request, "oversight/directive_new.html", {"form": form, "scope_name": _scope_name(scope)})


def directive_columns(directive: Directive) -> list[tuple[str, Any]]:
    """The compliance table's columns: one per requirement (when the body met it), then complied."""
    columns: list[tuple[str, Any]] = [("dla_code", gettext_lazy("รหัส อปท.")), ("name", gettext_lazy("หน่วยงาน"))]
    labels = dict(DirectiveMeasure.choices)
    for requirement in directive.requirements:
        columns.append((f"met_{requirement}", labels[requirement]))
        if requirement == DirectiveMeasure.ACKNOWLEDGEMENT:
            columns.append(("acknowledged_by_name", gettext_lazy("ผู้ตอบรับ")))
    columns += [("complied_at", gettext_lazy("ปฏิบัติครบเมื่อ")), ("reminded_at", gettext_lazy("เตือนเมื่อ"))]
    return columns


def directive_rows(directive: Directive, targets: list[DirectiveTarget]) -> list[dict[str, Any]]:
    rows = []
    for t in targets:
        row: dict[str, Any] = {"dla_code": t.body.dla_code, "name": t.body.display_name,
                               "acknowledged_by_name": t.acknowledged_by_name, "complied_at": t.complied_at,
                               "reminded_at": t.reminded_at,
                               "met": [(r, t.met_at(r)) for r in directive.requirements]}
        row.update({f"met_{r}": t.met_at(r) for r in directive.requirements})
        rows.append(row)
    return rows


def _directive_in_scope(scope: Scope, directive_id: int) -> Any:
    directive = selectors.directives_in_scope(scope).filter(pk=directive_id).first()
    if directive is None:
        raise Http404("no such directive")
    return directive


@oversight_required
def directive_detail(request: OversightRequest, directive_id: int) -> HttpResponse:
    scope = request.scope
    directive = _directive_in_scope(scope, directive_id)
    services.directive_compliance_refresh(directive=directive)
    targets: list[DirectiveTarget] = list(directive.targets.select_related("body").order_by("body__dla_code"))
    rows = directive_rows(directive, targets)
    fmt = _fmt(request)
    if fmt:
        return export_response(fmt, title=directive.title, filename=f"directive-{directive.pk}",
                               columns=directive_columns(directive), rows=rows)
    met = {r: sum(1 for t in targets if t.met_at(r)) for r in directive.requirements}
    return render(request, "oversight/directive.html", {
        "directive": directive, "rows": rows, "complied": sum(1 for r in rows if r["complied_at"]),
        "requirements": [(r, label, met[r]) for r, label in zip(directive.requirements,
                                                                 directive.requirement_labels(), strict=True)],
    })


@oversight_required
def directive_attachment(request: OversightRequest, directive_id: int) -> HttpResponseBase:
    directive = _directive_in_scope(request.scope, directive_id)
    if not directive.attachment:
        raise Http404("no attachment")
    name = directive.attachment.name.rsplit("/", 1)[-1]
    return user_file_response(directive.attachment.open("rb"), filename=name,
                              content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
