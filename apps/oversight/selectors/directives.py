"""Directives as the offices and the bodies read them (public schema)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.oversight.models import Directive, DirectiveTarget
from apps.oversight.scoping import Scope
from apps.ui.thai import localised_name
from tenants.models import District, LocalBody, Province


def directives_in_scope(scope: Scope) -> QuerySet[Directive]:
    """Directives issued within the scope (a district officer sees the district's; a province's
    officer those of the province and its districts; the nation all)."""
    qs = Directive.objects.all()
    if scope.level == "province":
        qs = qs.filter(Q(scope_level="province", scope_code=scope.code)
                       | Q(scope_level="district", scope_code__startswith=scope.code))
    elif scope.level == "district":
        qs = qs.filter(scope_level="district", scope_code=scope.code)
    return qs.select_related("issued_by")


def directives_for_body(body: LocalBody) -> QuerySet[DirectiveTarget]:
    """What the staff UI shows a body's admin: directives addressed to the body, newest first."""
    return (DirectiveTarget.objects.filter(body=body).select_related("directive")
            .order_by("complied_at", "-directive__issued_at"))


def directive_target_for_body(body: LocalBody, target_id: int) -> DirectiveTarget:
    """One directive addressed to the body; another body's is a 404. Read on the body's site: its
    issuer is never joined (the user table there is the body's own, not the office's)."""
    target = DirectiveTarget.objects.filter(body=body, pk=target_id).select_related("directive").first()
    if target is None:
        raise Http404("no such directive")
    return target


def directive_office(directive: Directive) -> str:
    """The issuing office by its area, in the page's language (สำนักงานท้องถิ่นอำเภอบ้านลาด)."""
    if directive.scope_level == "district":
        district = District.objects.filter(code=directive.scope_code).first()
        return _("สำนักงานท้องถิ่นอำเภอ%(name)s") % {"name": localised_name(district)} if district else ""
    if directive.scope_level == "province":
        province = Province.objects.filter(code=directive.scope_code).first()
        return _("สำนักงานท้องถิ่นจังหวัด%(name)s") % {"name": localised_name(province)} if province else ""
    return _("กรมส่งเสริมการปกครองท้องถิ่น")
