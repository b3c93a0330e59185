"""National reporting API, /api/national/v1/ (public schema; aggregates only, never personal data).

Thin views over apps.oversight.selectors. A key sees its scope (nation, province:XX,
district:XXXX); anything outside it is a 404, the same as something that does not exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import Http404
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from api.authentication import ApiClient, ApiKeyAuthentication
from apps.oversight import selectors
from apps.oversight.scoping import Scope, bodies_in_scope_for, get_body_in_scope
from apps.oversight.sla_status import SlaStatus, sla_status_for
from tenants.models import LocalBody


class ApiKeyThrottle(SimpleRateThrottle):
    """Per key; the rate is read on each request (settings NATIONAL_API_THROTTLE_RATE)."""

    scope = "national_api"
    # One count for every web process (DRF's default is the per-process default cache).
    cache = caches["shared"]

    def get_rate(self) -> str:
        return str(getattr(settings, "NATIONAL_API_THROTTLE_RATE", "600/minute"))

    def allow_request(self, request: Any, view: Any) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class HasApiKey(IsAuthenticated):
    def has_permission(self, request: Any, view: Any) -> bool:
        return isinstance(request.user, ApiClient)


class NationalView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    throttle_classes = [ApiKeyThrottle]
    last_modified: dt.datetime | None = None

    @property
    def key_scope(self) -> Scope:
        return self.request.user.scope  # type: ignore[union-attr]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        """ETag (a digest of the data) and Last-Modified (the roll-ups' newest change); a conditional
        GET that matches gets 304 with no body."""
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            digest = hashlib.sha256(json.dumps(response.data, sort_keys=True, default=str).encode()).hexdigest()
            etag = quote_etag(digest[:32])
            response["ETag"] = etag
            response["Cache-Control"] = "private, max-age=0, must-revalidate"
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified.timestamp())
            if _not_modified(request, etag, self.last_modified):
                response = Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
                if self.last_modified is not None:
                    response["Last-Modified"] = http_date(self.last_modified.timestamp())
        return super().finalize_response(request, response, *args, **kwargs)


def _not_modified(request: Request, etag: str, last_modified: dt.datetime | None) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and last_modified is not None and int(last_modified.timestamp()) <= since


LEVELS = ("nation", "province", "district", "body")


def _target(view: NationalView, params: Any) -> tuple[Scope, LocalBody | None]:
    """The requested area or body, checked against the key's scope (404 outside it)."""
    level = params.get("level", "") or view.key_scope.level
    code = params.get("code", "")
    if level not in LEVELS:
        raise ValidationError({"level": f"one of {', '.join(LEVELS)}"})
    if level == "body":
        return view.key_scope, get_body_in_scope(view.key_scope, code)
    if level == "nation":
        wanted = Scope("nation")
    else:
        try:
            wanted = Scope.parse(f"{level}:{code or view.key_scope.code}")
        except ValueError as error:
            raise ValidationError({"code": str(error)}) from error
    if not view.key_scope.contains(wanted):
        raise Http404("outside this key's scope")
    return wanted, None


def _period(params: selectors.QueryParams) -> selectors.Period:
    """The pages' reading of a period (apps.oversight.selectors.Period.from_query): the same query
    gives the same months, so the same figures, here and on the oversight pages."""
    try:
        return selectors.Period.from_query(params)
    except ValueError as error:
        raise ValidationError({"period": "fy is a fiscal year (2026 or 2569: 1 Oct 2025 - 30 Sep 2026); "
                                         "since/until are YYYY-MM, since <= until"}) from error


COMMON = [
    OpenApiParameter("level", OpenApiTypes.STR, enum=list(LEVELS),
                     description="nation, province, district or body (default: the key's scope)"),
    OpenApiParameter("code", OpenApiTypes.STR, description="province (2 digits), district (4) or DLA code (7)"),
    OpenApiParameter("fy", OpenApiTypes.INT, description="fiscal year (1 Oct - 30 Sep): 2026 or "
                     "2569 (Buddhist era) is 1 Oct 2025 - 30 Sep 2026; takes precedence over since/until"),
    OpenApiParameter("since", OpenApiTypes.STR, description="first month, YYYY-MM (default: 11 months ago)"),
    OpenApiParameter("until", OpenApiTypes.STR, description="last month, YYYY-MM (default: this month)"),
]

FIGURES = inline_serializer("Figures", {
    "received": serializers.IntegerField(), "resolved": serializers.IntegerField(),
    "open": serializers.IntegerField(), "breached": serializers.IntegerField(),
    "routed_to_oversight": serializers.IntegerField(),
    "on_time_pct": serializers.DictField(child=serializers.FloatField(allow_null=True)),
    "mean_days_to_resolve": serializers.FloatField(allow_null=True),
    "median_days_to_resolve": serializers.FloatField(allow_null=True),
})


class AggregatesView(NationalView):
    @extend_schema(
        summary="Complaint figures for an area or body",
        parameters=COMMON + [
            OpenApiParameter("category", OpenApiTypes.STR, description="national category code"),
            OpenApiParameter("group_by", OpenApiTypes.STR,
                             enum=["", "area", "province", "district", "body", "category", "channel", "status",
                                   "month"]),
        ],
        responses=inline_serializer("Aggregates", {
            "level": serializers.CharField(), "code": serializers.CharField(),
            "since": serializers.CharField(), "until": serializers.CharField(),
            "totals": FIGURES, "rows": serializers.ListField(child=serializers.DictField()),
        }),
    )
    def get(self, request: Request) -> Response:
        scope, body = _target(self, request.query_params)
        period = _period(request.query_params)
        group_by = request.query_params.get("group_by", "")
        if body is None and group_by == "body" and scope.level == "nation":
            raise ValidationError({"group_by": "group by body within a province or district"})
        try:
            data = selectors.figures(scope, period, body=body, category=request.query_params.get("category", ""),
                                     group_by=group_by)
        except ValueError as error:
            raise ValidationError({"group_by": str(error)}) from error
        self.last_modified = selectors.last_modified(scope, body=body)
        return Response({
            "level": "body" if body else scope.level, "code": body.dla_code if body else scope.code,
            "since": period.since.isoformat()[:7], "until": period.until.isoformat()[:7], **data,
        })


class SlaComplianceView(NationalView):
    @extend_schema(summary="On-time share per SLA stage, for an area or body, by the next level down",
                   parameters=COMMON)
    def get(self, request: Request) -> Response:
        scope, body = _target(self, request.query_params)
        period = _period(request.query_params)
        data = selectors.figures(scope, period, body=body, group_by="area")
        self.last_modified = selectors.last_modified(scope, body=body)

        def slim(row: Mapping[str, object]) -> dict[str, object]:
            return {k: row[k] for k in ("key", "label", "received", "breached", "on_time_pct") if k in row}

        return Response({
            "level": "body" if body else scope.level, "code": body.dla_code if body else scope.code,
            "since": period.since.isoformat()[:7], "until": period.until.isoformat()[:7],
            "totals": slim(data["totals"]), "rows": [slim(r) for r in data["rows"]],
        })


def _sla_json(sla: SlaStatus) -> dict[str, Any]:
    return {"published": sla.published, "effective_from": sla.effective_from,
            "meets_minimum": sla.meets_minimum, "number": sla.number, "public_url": sla.public_url}


def _body_json(body: LocalBody, sla: SlaStatus) -> dict[str, Any]:
    return {"dla_code": body.dla_code, "name_th": body.display_name, "name_en": body.name_en,
            "kind": body.kind, "province_code": body.province_id, "district_code": body.district_id,
            "status": body.status, "sla": _sla_json(sla)}


class BodyPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class BodyListView(NationalView):
    @extend_schema(summary="Bodies in scope with their SLA publication status (paginated)", parameters=[
        OpenApiParameter("province", OpenApiTypes.STR), OpenApiParameter("district", OpenApiTypes.STR),
        OpenApiParameter("sla_published", OpenApiTypes.BOOL), OpenApiParameter("page", OpenApiTypes.INT),
        OpenApiParameter("page_size", OpenApiTypes.INT)])
    def get(self, request: Request) -> Response:
        scope = self.key_scope
        params = request.query_params
        if params.get("province") or params.get("district"):
            level, code = ("district", params["district"]) if params.get("district") else \
                ("province", params["province"])
            try:
                wanted = Scope.parse(f"{level}:{code}")
            except ValueError as error:
                raise ValidationError({level: str(error)}) from error
            if not scope.contains(wanted):
                raise Http404("outside this key's scope")
            scope = wanted
        bodies = bodies_in_scope_for(scope).order_by("dla_code")
        published = params.get("sla_published")
        paginator = BodyPagination()
        if published in ("true", "false"):
            # Filter on the publication status first, then paginate (status lives in apps.sla).
            everything = list(bodies)
            status_map = sla_status_for([b.pk for b in everything])
            wanted_flag = published == "true"
            chosen = [b for b in everything if status_map[b.pk].published == wanted_flag]
            page = paginator.paginate_queryset(chosen, request, view=self) or []  # type: ignore[arg-type]
        else:
            page = paginator.paginate_queryset(bodies, request, view=self) or []
            status_map = sla_status_for([b.pk for b in page])
        return paginator.get_paginated_response([_body_json(b, status_map[b.pk]) for b in page])


class BodyDetailView(NationalView):
    @extend_schema(summary="One body in scope (404 outside the key's scope)")
    def get(self, request: Request, dla_code: str) -> Response:
        body = get_body_in_scope(self.key_scope, dla_code)
        return Response(_body_json(body, sla_status_for([body.pk])[body.pk]))


class SlaPublicationView(NationalView):
    @extend_schema(summary="How many bodies have published an SLA, by the next level down", parameters=COMMON[:2])
    def get(self, request: Request) -> Response:
        scope, body = _target(self, request.query_params)
        if body is not None:
            raise ValidationError({"level": "nation, province or district"})
        rows = selectors.sla_compliance(scope)
        key = {"nation": "province_id", "province": "district_id", "district": "dla_code"}[scope.level]
        groups: dict[str, dict[str, int]] = {}
        for r in rows:
            g = groups.setdefault(getattr(r.body, key) or "", {"bodies": 0, "published": 0, "meets_minimum": 0})
            g["bodies"] += 1
            g["published"] += int(r.sla.published)
            g["meets_minimum"] += int(bool(r.sla.published and r.sla.meets_minimum))
        return Response({
            "level": scope.level, "code": scope.code, "bodies": len(rows),
            "published": sum(g["published"] for g in groups.values()),
            "meets_minimum": sum(g["meets_minimum"] for g in groups.values()),
            "rows": [{"key": k, **v} for k, v in sorted(groups.items())],
        })
