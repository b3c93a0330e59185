"""The body's home page: its profile, this fiscal year's figures, its SLA and the resolved cases' map."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.categories.models import NationalCategory
from apps.portal import selectors
from apps.portal.page_cache import cached_page
from apps.ui import thai
from apps.ui.csp import allow_tiles_from

from .common import body_center, body_of


@require_GET
@cached_page(figures=True)
def body_home(request: HttpRequest) -> HttpResponse:
    body = body_of(request)
    fiscal_year = selectors.current_fiscal_year()
    year = selectors.fiscal_round(fiscal_year=fiscal_year, half=False)
    tile_url = selectors.tile_url_for(body=body)
    return allow_tiles_from(render(request, "portal/body_home.html", {
        "body": body,
        "profile": selectors.body_profile_get(body=body),
        "fiscal_year": fiscal_year,
        "figures": selectors.body_figures(body=body, start=year.start, end=year.end),
        "sla": selectors.sla_summary(body=body),
        "points": _named_points(selectors.resolved_case_points(body=body)),
        "tile_url": tile_url,
        "center": body_center(body),
    }), tile_url)


def _named_points(points: list[dict[str, object]]) -> list[dict[str, object]]:
    names = {n.code: thai.localised_name(n) for n in NationalCategory.objects.all()}
    for point in points:
        point["category"] = names.get(str(point["category"]), point["category"])
    return points
