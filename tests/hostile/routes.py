"""Every route of both URLconfs (the body's and the platform's, the Django admin's model pages
included), named as `resolve()` names it, with the concrete path to GET it and who opens it.

A route is reached by the hostile-input catalogue when a POST form found on any page posts to it;
otherwise it must be listed in NO_FORM with the reason (a download, a JSON endpoint, a read-only
page, a confirmation with no field). `test_every_route_is_reached_or_classified` fails for any
other: a new form is driven automatically, a new route without one must be classified."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

TENANT, PUBLIC = "rongthuk.urls_tenant", "rongthuk.urls_public"


@dataclass(frozen=True)
class Route:
    urlconf: str
    name: str  # "<namespaces>:<url_name>", or the route itself for an unnamed pattern
    route: str  # with its converters: /staff/cases/<int:pk>/

    @property
    def key(self) -> str:
        return f"{'tenant' if self.urlconf == TENANT else 'public'} {self.name}"


def all_routes(urlconf: str) -> list[Route]:
    def walk(patterns: list[Any], prefix: str, namespaces: list[str]) -> Iterator[Route]:
        for pattern in patterns:
            text = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                spaces = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                yield from walk(pattern.url_patterns, prefix + text, spaces)
            elif isinstance(pattern, URLPattern):
                name = ":".join([*namespaces, pattern.name]) if pattern.name else prefix + text
                yield Route(urlconf, name, prefix + text)

    return list(walk(get_resolver(urlconf).url_patterns, "/", []))


_ADMIN_MODEL = re.compile(r"^otpadmin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_(?P<page>\w+)$")
_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<param>\w+)>")

# Reasons a route has no form of its own to drive, by name (both URLconfs) or by rule below.
NO_FORM: dict[str, str] = {
    "tenant healthz": "health check", "public healthz": "health check",
    "tenant set_language": "the language switch: a fixed choice, posted by every page's menu",
    "public set_language": "the language switch: a fixed choice, posted by every page's menu",
    "tenant accounts:logout": "sign-out: no field", "public accounts:logout": "sign-out: no field",
    "tenant accounts:password-reset-sent": "read-only page", "public accounts:password-reset-sent": "read-only page",
    "tenant accounts:password-reset-done": "read-only page", "public accounts:password-reset-done": "read-only page",
    "tenant staff:inbox": "GET filters (test_hostile_get_parameters_never_500)",
    "tenant staff:case-identity": "identity reveal: a button, no field",
    "tenant staff:case-contact": "contact reveal for the officers handling the case: a button, no field",
    "tenant staff:case-attachment": "download",
    "tenant staff:case-attachment-thumbnail": "download (a photo's thumbnail)",
    "tenant staff:transfer-targets": "JSON search (GET)",
    "tenant staff:register-export": "download (GET filters)",
    "tenant staff:audit": "read-only, GET filters",
    "tenant staff:outbox": "read-only, GET filters",
    "tenant staff-directives": "read-only list (acknowledge buttons post to staff-directive-acknowledge)",
    "tenant staff-directive-acknowledge": "a button with no field (POST only)",
    "tenant staff-directive": "read-only (its acknowledge button posts to staff-directive-acknowledge)",
    "tenant staff-directive-attachment": "download",
    "tenant staff:staff-second-factor-reset": "a button with no field (POST only)",
    "tenant staff-api-intake": "JSON API: tests/api (schemathesis, hostile JSON)",
    "tenant staff-api-complaint": "JSON API: tests/api",
    "tenant line-webhook": "LINE's signed JSON: tests/apps/line",
    "tenant sms-delivery-ants": "signed SMS delivery reports (JSON): tests/apps/complaints/test_providers.py",
    "tenant portal:complaint-receipt-pdf": "download",
    "tenant portal:complaint-receipt-png": "download",
    "tenant portal:track-mine": "read-only list, after the SMS code",
    # Not yet driven by the catalogue (each needs state the cast does not have); refusals tested apart.
    "tenant portal:track-phone-code": "needs a code sent to a phone first: tests/apps/portal/test_phone_lookup.py",
    "tenant staff-webhook": "needs a registered endpoint (same fields as staff-webhooks' form, which is driven)",
    "tenant sla:agreement": "public page", "tenant sla:announcement": "public page",
    "tenant sla:announcement-pdf": "download",
    "tenant portal:body-home": "public page", "tenant portal:complaint-receipt": "read-only page",
    "tenant portal:track-forget": "a button with no field", "tenant portal:track-file": "download",
    "tenant portal:track-file-thumbnail": "download (a photo's thumbnail)",
    "tenant portal:stats": "GET filters", "tenant portal:stats-csv": "download", "tenant portal:stats-pdf": "download",
    "tenant portal:reports": "GET filters (test_hostile_get_parameters_never_500)",
    "tenant portal:reports-nearby": "JSON (GET)",
    "tenant portal:report": "needs a listed public report (the cast's are not): its follow form's refusals are "
                            "tested in tests/apps/portal/test_public_reports.py",
    "tenant portal:report-stop": "a button with no field (its key comes in a follower's message)",
    "public portal:platform-home": "GET search", "public portal:finder-districts": "JSON (GET)",
    "public portal:finder-bodies": "JSON (GET)",
    "public portal:finder-place": "GET search", "public portal:finder-subdistricts": "JSON (GET)",
    "public oversight:dashboard": "GET filters", "public oversight:performance": "GET filters",
    "public oversight:body": "read-only", "public oversight:overdue": "GET filters",
    "public oversight:conduct": "GET filters", "public oversight:conduct-identity": "identity reveal: a button",
    "public oversight:conduct-file": "download", "public oversight:directives": "read-only list",
    "public oversight:directive": "read-only (GET export)", "public oversight:directive-attachment": "download",
    "public onboarding:adoption": "GET filters (its reminder form posts to adoption-remind)",
    "public onboarding:batch": "read-only report",
    "tenant onboarding-checklist": "read-only checklist (ticked from the body's data)",
    "tenant staff:case": "the case page: its forms post to staff:case-action",
    "public oversight:conduct-case": "the desk's case page: its forms post to oversight:conduct-action",
    "tenant portal:track-case": "posted to by its own forms when a case is tracked (Cast.extra_pages)",
    "public otpadmin:tenants_localbody_add": "bodies come from the DLA registry (import): no add, 403",
    "public otpadmin:tenants_localbody_import_upgrades":
        "the import preview's confirmation of its proposed upgrades (signed): tests/tenants/test_admin_import.py",
    "public otpadmin:index": "links only", "public otpadmin:login": "redirects to the oversight sign-in",
    "public otpadmin:logout": "sign-out", "public otpadmin:password_change_done": "read-only page",
    "public otpadmin:autocomplete": "JSON (GET)", "public otpadmin:jsi18n": "JavaScript",
    "public otpadmin:view_on_site": "redirect", "public otpadmin:app_list": "links only",
    "public otpadmin:audit_auditentry_changelist": "read-only log (no action, no add)",
    "public otpadmin:audit_auditentry_add": "the log is read-only: 403",
    "public otpadmin:audit_auditentry_change": "read-only view of an entry",
    "public otpadmin:sla_agreement_add": "agreements are made by the body (SLA editor): no add here",
    "public otpadmin:sla_agreement_change": "a published agreement is read-only",
}


def no_form_by_rule(route: Route) -> str | None:
    if route.name.startswith(("national:", "open311", "api-", "/open311/")) or route.route.startswith(
            ("/api/", "/open311/")):
        return "JSON API: tests/api (schemathesis, the hostile catalogue on JSON)"
    if route.name.startswith("/admin/"):
        return "the admin's redirects (object id → change page, catch-all)"
    match = _ADMIN_MODEL.match(route.name)
    if match and match["page"] in ("history", "delete", "export", "process_import"):
        return {"history": "read-only", "delete": "a yes/no confirmation, no field",
                "export": "download", "process_import": "the import's confirmation of a checked file"}[match["page"]]
    return None


def concrete(route: Route, values: dict[str, Callable[[Route], str | None]]) -> str | None:
    """The path with every parameter filled from `values` (by parameter name; each may answer None
    for a route it has no value for)."""
    if route.route.startswith("/^") or "(?P" in route.route or route.route.endswith("$"):
        return None
    path = route.route
    for match in _CONVERTER.finditer(route.route):
        fill = values.get(match["param"])
        value = fill(route) if fill else None
        if value is None:
            return None
        path = path.replace(match.group(0), value)
    return path


def admin_model(route: Route) -> tuple[str, str, str] | None:
    match = _ADMIN_MODEL.match(route.name)
    return (match["app"], match["model"], match["page"]) if match else None


# How each route refuses a value it must refuse (catalogue.REFUSE, hostile files), exactly: "400" /
# "413" (with a Thai body: the form again with the error, or the input edge's Thai page, JSON under
# /api/), "form" (200, the form again with a Thai error), "message" (302 to a page showing a Thai
# error), "403", "404", "429". rongthuk.inputs refuses every hostile value before the view (400), and
# the platform's own forms show a refused file again with 400; the Django admin's forms and the
# directive form show a refused file again with 200. An entry "<route key> [files]" pins a route's
# refusal of files, "<route key> [<value label>]" one value's, "<route key>" the route's. A refusal
# that changes kind (a 400 becoming a 200 with an error, a 403 a 404) fails
# test_every_form_field_refuses_hostile_input.
REFUSALS: dict[str, str] = {
    **{f"public {name} [files]": "form" for name in (
        "otpadmin:oversight_directive_add", "otpadmin:oversight_directive_change",
        "otpadmin:portal_bodyprofile_add", "otpadmin:portal_bodyprofile_change",
        "otpadmin:sla_frameworkrow_import", "otpadmin:tenants_localbody_import", "oversight:directive-new")},
}


def refusal_expected(route_key: str, label: str, *, file: bool = False) -> str:
    for key in (f"{route_key} [{label}]", f"{route_key} [files]" if file else "", route_key):
        if key in REFUSALS:
            return REFUSALS[key]
    return "400"
