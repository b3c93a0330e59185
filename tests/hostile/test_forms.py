"""Every form of the platform, found from the URLconfs and the rendered pages — the citizen portal,
the staff pages and body admin pages (staff, departments, categories, calendar, profile, SLA
editor, LINE, retention, API keys, onboarding), oversight (directives, the conduct desk,
invitations), the Django admin on the platform domain (every registered model's add and change
pages, its changelist actions, imports, the password and second-factor pages) and the account pages
(sign-in, password reset and its link, second factor and enrolment) — gets every hostile value of
the catalogue in every field, and every hostile file in every file field.

A value that must be refused (catalogue.REFUSE, hostile files) is answered 400/413 or with the form
again, in Thai, and nothing is stored: no row is added in the tables that matter, no file in
MEDIA_ROOT, and no column of any table of the schemas involved holds a control character, a bidi
override, a combining-mark flood or the 10 kB string afterwards. No value, refused or accepted,
ever gets a 500, and markup sent in is never echoed unescaped.

Every route of both URLconfs is either reached (a form found on some page posts to it) or listed in
tests/hostile/routes.NO_FORM with the reason: a new form is covered without touching this file, a
new route without one fails until it is classified.

The figures (forms, tried, must-refuse, refused, 500s, stored) are printed at the end:
`pytest tests/hostile -s`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context

from api.models import ApiKey
from apps.accounts.models import User
from apps.accounts.views import reset_tokens
from apps.complaints.models import Attachment, Category, Complaint, ComplaintEvent, Department, StaffMember
from apps.complaints.services.workflow import (
    complaint_acknowledge,
    complaint_assign,
    complaint_request_info,
    complaint_resolve,
)
from apps.onboarding.contacts import Contact
from apps.onboarding.selectors import STEPS
from apps.onboarding.services import invitation_create
from apps.oversight.models import Directive, DirectiveTarget
from apps.oversight.scoping import Scope
from apps.oversight.services import directive_issue
from apps.portal.models import BodyProfile
from apps.reporting.models import ComplaintFact
from apps.sla.models import Agreement, AgreementRow, BodyClosure, NationalDayOff
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case, signed_in
from tests.apps.oversight.factories import officer
from tests.conftest import STAFF_PASSWORD
from tests.hostile import files
from tests.hostile.catalogue import CLEAN, REFUSE
from tests.hostile.forms import Form, forms_in, routes
from tests.hostile.routes import (
    NO_FORM,
    PUBLIC,
    TENANT,
    Route,
    admin_model,
    all_routes,
    concrete,
    no_form_by_rule,
    refusal_expected,
)
from tests.signin import authenticator, verified_login

THAI = re.compile(r"[\u0e01-\u0e5b]")
ERROR_MARKERS = ("errorlist", "error-summary", "error-page", "data-error-for", "message--error", "role=\"alert\"",
                 "class=\"errors\"", "class=\"error", "errornote")
SKIP_ACTIONS = ("logout", "/i18n/setlang/")
FIGURES: Counter[str] = Counter()
ADOPTION_STEP = STEPS[0]  # the drill-down to the bodies short of a step carries the reminder form
RAIKHOK = "6760610"  # อบต.ไร่โคก, อำเภอบ้านลาด: no staff yet (the invitation's body)

TENANT_TABLES = (Complaint, ComplaintEvent, Attachment, Department, Category, StaffMember, User)
PUBLIC_TABLES = (ComplaintFact, Directive, DirectiveTarget, Agreement, AgreementRow, BodyProfile, LocalBody, User,
                 BodyClosure, NationalDayOff)
# What a refused value leaves behind if it was stored anyway (PostgreSQL cannot store NUL at all;
# its regular expressions count to 255, and the 10 kB string is 10,240 A's).
BAD_STORED = r"[\x01-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]|[\u0e48-\u0e4b]{5}|A{250}"
UNSCANNED = ("axes_", "django_session", "rongthuk_cache", "django_celery")


def _snapshot(schema: str, media: Path) -> tuple[int, ...]:
    """Rows in the tables a form could add to (the body's and the public ones, one query) and files."""
    tables = [f'"{schema}"."{m._meta.db_table}"' for m in TENANT_TABLES] + \
        [f'public."{m._meta.db_table}"' for m in PUBLIC_TABLES]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables))  # noqa: S608
        counts = tuple(cursor.fetchone())
    return (*counts, sum(1 for p in media.rglob("*") if p.is_file()))


def _bad_values(schemas: list[str]) -> Counter[str]:
    """table.column → rows holding a value that must have been refused, in every text column."""
    found: Counter[str] = Counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_schema, table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = ANY(%s) AND data_type IN ('text', 'character varying', 'jsonb')",
                       [schemas])
        columns = [c for c in cursor.fetchall() if not c[1].startswith(UNSCANNED)]
        for offset in range(0, len(columns), 80):
            chunk = columns[offset:offset + 80]
            counts = ", ".join(f'(SELECT count(*) FROM "{s}"."{t}" WHERE "{c}"::text ~ %s)'  # noqa: S608
                               for s, t, c in chunk)
            cursor.execute("SELECT " + counts, [BAD_STORED] * len(chunk))
            for (s, t, c), n in zip(chunk, cursor.fetchone(), strict=True):
                if n:
                    found[f"{s}.{t}.{c}"] = int(n)
    return found


class Cast:
    """Who opens which page, and the values the routes' parameters take."""

    def __init__(self, banlat: LocalBody) -> None:
        self.banlat = banlat
        self.raikhok = LocalBody.objects.get(dla_code=RAIKHOK)
        self.district = officer("hostile-district", "district", "7606")
        self.national = User.objects.create_superuser("hostile-national", "pw-national-123")
        self.staff = signed_in(banlat, "admin", self._client("banlat.localhost"))
        self.oversight = verified_login(self._client("localhost"), self.district)
        self.admin = verified_login(self._client("localhost"), self.national)
        self.case = make_case(banlat)
        conduct = make_case(banlat, national="corruption")
        self.conduct_fact = ComplaintFact.objects.get(body=banlat, complaint_id=conduct.pk)
        with schema_context(banlat.schema_name):
            self.department = Department.objects.get(code="health")
            self.category = Category.objects.order_by("pk").first()
            self.clerk = User.objects.get(username="clerk")
            pending = User.objects.create_user("hostile-pending", STAFF_PASSWORD)
            StaffMember.objects.create(user=pending, role="clerk")
            authenticator(pending)
            enrolling = User.objects.create_user("hostile-enrolling", STAFF_PASSWORD)
            StaffMember.objects.create(user=enrolling, role="clerk")
            self.staff_reset = self._reset_link(self.clerk)
        connection.set_schema_to_public()
        self.directive = directive_issue(scope=Scope("district", "7606"), issued_by=self.district, title="แจ้งเวียน",
                                         due_date=timezone.localdate() + dt.timedelta(days=9),
                                         body_codes=[banlat.dla_code])
        self.pending_staff = self._password(f"{banlat.slug}.localhost", "/staff", "hostile-pending")
        self.enrolling_staff = self._password(f"{banlat.slug}.localhost", "/staff", "hostile-enrolling")
        with schema_context("public"):  # a request to a body's host leaves the connection on its schema
            self._public_part()

    def _public_part(self) -> None:
        authenticator(officer("hostile-pending-district", "district", "7606"))
        officer("hostile-enrolling-district", "district", "7606")
        self.pending_oversight = self._password("localhost", "/oversight", "hostile-pending-district",
                                                "pw-officer-1")
        self.enrolling_oversight = self._password("localhost", "/oversight", "hostile-enrolling-district",
                                                  "pw-officer-1")
        self.oversight_reset = self._reset_link(User.objects.get(username="hostile-pending-district"))
        issued = invitation_create(scope=Scope("nation", ""), dla_code=RAIKHOK, actor=self.national,
                                   contact=Contact("สมศรี ใจดี", "ปลัด อบต.", "palad@raikhok.go.th", "0812345678"))
        self.claim_token = issued.link.rstrip("/").rsplit("/", 1)[-1]
        self.admin_objects = self._admin_objects()

    @staticmethod
    def _client(host: str) -> Client:
        return Client(raise_request_exception=False, HTTP_HOST=host)

    def _password(self, host: str, prefix: str, username: str, password: str = STAFF_PASSWORD) -> Client:
        client = self._client(host)
        response = client.post(f"{prefix}/login/", {"username": username, "password": password},
                               REMOTE_ADDR="10.250.0.1")
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    @staticmethod
    def _reset_link(user: User) -> tuple[str, str]:
        return urlsafe_base64_encode(force_bytes(user.pk)), reset_tokens.make_token(user)

    def _admin_objects(self) -> dict[str, str]:
        """One instance of every model the admin lists, made where the standing data has none."""
        NationalDayOff.objects.get_or_create(date=timezone.localdate().replace(year=2031), name="วันหยุดทดสอบ")
        BodyClosure.objects.get_or_create(body=self.banlat, date=timezone.localdate().replace(year=2031),
                                          defaults={"reason": "ปิดทดสอบ"})
        BodyProfile.objects.get_or_create(body=self.banlat, defaults={"phone": "032491111"})
        ApiKey.objects.create(name="กุญแจทดสอบ", scope="nation", prefix="hostile1", key_hash="2" * 64)
        made: dict[str, str] = {}
        for model in admin.site._registry:
            first = model._default_manager.order_by("pk").first()
            if first is not None:
                made[f"{model._meta.app_label}_{model._meta.model_name}"] = str(first.pk)
        made["tenants_localbody"] = str(self.raikhok.pk)
        made["oversight_directive"] = str(self.directive.pk)
        return made

    # --- parameters ------------------------------------------------------------------------------

    def _tracking(self, status: str) -> Client:
        """A citizen following a case of theirs (the tracking page's forms depend on its status)."""
        case = make_case(self.banlat, phone="0812345678")
        with schema_context(self.banlat.schema_name):
            clerk = User.objects.get(username="clerk")
            case = complaint_acknowledge(complaint=case, actor=clerk)
            case = complaint_assign(complaint=case, actor=clerk, department=Department.objects.get(code="engineering"))
            if status == "waiting":
                complaint_request_info(complaint=case, actor=clerk, text="ขอรูปถ่ายเพิ่มเติม")
            else:
                complaint_resolve(complaint=case, actor=clerk, resolution="ซ่อมเรียบร้อยแล้ว")
        host = f"{self.banlat.slug}.localhost"
        client = self._client(host)
        response = client.post("/track/", {"code": case.tracking_code, "second_factor": "5678"},
                               REMOTE_ADDR="10.251.0.1")
        assert response.status_code == 302, response.content.decode()[-800:]
        return client

    def extra_pages(self) -> list[tuple[Route, str, str, str, Client]]:
        route = next(r for r in _routes() if r.key == "tenant portal:track-case")
        host = f"{self.banlat.slug}.localhost"
        adoption = next(r for r in _routes() if r.key == "public onboarding:adoption")
        tracking = [(route, "/track/case/", "tracking", host, self._tracking(s)) for s in ("waiting", "resolved")]
        return [*tracking, (adoption, f"/oversight/adoption/?missing={ADOPTION_STEP}", "oversight", "localhost",
                              self.oversight)]

    def values(self) -> dict[str, Callable[[Route], str | None]]:
        def pk(route: Route) -> str | None:
            by_name = {"staff:case": self.case.pk, "staff:department-edit": self.department.pk,
                       "staff:category-edit": self.category.pk, "staff:staff-user-edit": self.clerk.pk}
            value = by_name.get(route.name)
            return str(value) if value is not None else object_id(route)  # an admin page of one object

        def object_id(route: Route) -> str | None:
            found = admin_model(route)
            return self.admin_objects.get(f"{found[0]}_{found[1]}") if found else None

        def token(route: Route) -> str | None:
            if route.name.endswith("password-reset-confirm"):
                return (self.staff_reset if route.urlconf == TENANT else self.oversight_reset)[1]
            return self.claim_token if route.name.endswith("onboarding-claim") else None

        def uidb64(route: Route) -> str | None:
            return (self.staff_reset if route.urlconf == TENANT else self.oversight_reset)[0]

        return {"pk": pk, "object_id": object_id, "token": token, "uidb64": uidb64,
                "dla_code": lambda r: self.banlat.dla_code, "fact_id": lambda r: str(self.conduct_fact.pk),
                "directive_id": lambda r: str(self.directive.pk)}

    def opener(self, route: Route, path: str) -> tuple[str, str, Client]:
        """(who, host, client) for a page; anonymous visitors get a client of their own per page."""
        if route.urlconf == TENANT:
            if route.name.endswith("onboarding-claim"):
                return "anonymous", f"{self.raikhok.slug}.localhost", self._client(f"{self.raikhok.slug}.localhost")
            host = f"{self.banlat.slug}.localhost"
            if path.startswith(("/staff/login/", "/staff/password-reset/")):
                return "anonymous", host, self._client(host)
            if path.startswith("/staff/second-factor/setup/"):
                return "enrolling", host, self.enrolling_staff
            if path.startswith("/staff/second-factor/") and "recovery" not in path:
                return "pending", host, self.pending_staff
            if path.startswith(("/staff/", "/sla/manage/", "/sla/calendar/", "/settings/")):
                return "staff", host, self.staff
            return "citizen", host, self._client(host)
        if path.startswith(("/oversight/login/", "/oversight/password-reset/")):
            return "anonymous", "localhost", self._client("localhost")
        if path.startswith("/oversight/second-factor/setup/"):
            return "enrolling", "localhost", self.enrolling_oversight
        if path.startswith("/oversight/second-factor/") and "recovery" not in path:
            return "pending", "localhost", self.pending_oversight
        if path.startswith("/admin/"):
            return "national", "localhost", self.admin
        if path.startswith("/oversight/"):
            return "oversight", "localhost", self.oversight
        return "citizen", "localhost", self._client("localhost")


def _routes() -> list[Route]:
    return all_routes(TENANT) + all_routes(PUBLIC)


def _reached(form_action: str, urlconf: str) -> str | None:
    try:
        match = resolve(form_action.split("?")[0], urlconf=urlconf)
    except Resolver404:
        return None
    name = match.view_name if match.url_name else "/" + match.route
    return f"{'tenant' if urlconf == TENANT else 'public'} {name}"


def _discover(cast: Cast) -> tuple[list[tuple[str, Client, Form]], set[str], list[str]]:
    values = cast.values()
    found: list[tuple[str, Client, Form]] = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    reached: set[str] = set()
    failures: list[str] = []
    pages: list[tuple[Route, str, str, str, Client]] = []
    for route in _routes():
        path = concrete(route, values)
        if path is None or no_form_by_rule(route) or path.endswith(("/logout/", "/forget/")):
            continue
        pages.append((route, path, *cast.opener(route, path)))
    pages += cast.extra_pages()
    for route, path, who, host, client in pages:
        response = client.get(path, HTTP_HOST=host, follow=route.name.endswith("password-reset-confirm"))
        if response.status_code >= 500:
            failures.append(f"GET {host}{path}: {response.status_code}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.redirect_chain[-1][0] if getattr(response, "redirect_chain", None) else path
        for form in forms_in(page, response.content.decode()):
            key = (host, form.action, tuple(sorted(form.fields)))
            if key in seen or any(skip in form.action for skip in SKIP_ACTIONS):
                continue
            seen.add(key)
            name = _reached(form.action, route.urlconf)
            if name:
                reached.add(name)
            found.append((f"{who}@{host}", client, form))
    return found, reached, failures


def _post(client: Client, form: Form, data: dict[str, Any], n: int) -> Any:
    host = client.defaults["HTTP_HOST"]
    address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"  # one per post: the intake limits are per address
    return client.post(form.action, data, HTTP_HOST=host, REMOTE_ADDR=address)


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def _refusal(response: Any, client: Client) -> str:
    """How a post was refused, as routes.REFUSALS names it ("form", "message", "400", "413", "403",
    "404", "429"), or "not refused (<status>)"."""
    if response.status_code == 302:  # refused with a message on the page it sends back to
        page = client.get(response["Location"], HTTP_HOST=client.defaults["HTTP_HOST"])
        text = page.content.decode(errors="replace")
        shown = ("message--error" in text or 'class="error"' in text or 'class="warning"' in text) \
            and bool(THAI.search(text))
        return "message" if shown else "not refused (302 without a message)"
    text = _text(response)
    if response.status_code in (400, 413):
        return str(response.status_code) if THAI.search(text) else f"not refused ({response.status_code} not in Thai)"
    if response.status_code == 200:
        shown = bool(THAI.search(text)) and any(marker in text for marker in ERROR_MARKERS)
        return "form" if shown else "not refused (200 without an error)"
    if response.status_code in (403, 404, 429):
        return str(response.status_code)
    return f"not refused ({response.status_code})"


def _route_key(who: str, form: Form) -> str:
    host = who.split("@", 1)[1]
    return _reached(form.action, PUBLIC if host == "localhost" else TENANT) or f"unresolved {form.action}"


def test_every_form_field_refuses_hostile_input(banlat: LocalBody, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    # One signed-in session per user serves the whole catalogue, which on a loaded machine runs for longer
    # than a staff session may stay idle (a session that ended would turn every later refusal into a 302).
    settings.AUTH_SESSION_IDLE_MINUTES = 24 * 60
    # Sign-in forms check a password per post: a fast hasher first keeps hundreds of them cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    cast = Cast(banlat)
    schemas = ["public", banlat.schema_name, cast.raikhok.schema_name]
    forms, reached, failures = _discover(cast)

    # Every route is reached by a form found on some page, or classified with its reason.
    unclassified = sorted(r.key for r in _routes() if r.key not in reached and r.key not in NO_FORM
                          and not no_form_by_rule(r))
    assert unclassified == [], "routes neither reached by a form nor listed in NO_FORM: " + ", ".join(unclassified)
    stale = sorted(set(NO_FORM) - {r.key for r in _routes()})
    assert stale == [], f"NO_FORM lists routes that no longer exist: {stale}"

    counter = itertools.count()
    baseline_bad = _bad_values(schemas)
    for who, client, form in forms:
        baseline = form.baseline()
        for name in form.text_fields() + [n for n, k in form.kinds.items() if k in ("select", "checkbox", "radio")]:
            if name == "csrfmiddlewaretoken":
                continue
            values = {**REFUSE, **(CLEAN if form.kinds[name] in ("text", "textarea", "search") else {})}
            if form.kinds[name] in ("hidden", "select", "checkbox", "radio"):  # one of each kind of refusal
                values = {k: REFUSE[k] for k in ("NUL", "RLO override", "10 kB string")}
            for label, value in values.items():
                before = _snapshot(banlat.schema_name, tmp_path)
                response = _post(client, form, {**baseline, name: value}, next(counter))
                FIGURES["tried"] += 1
                where = f"{who} {form.action} [{name}] {label}"
                if response.status_code >= 500:
                    FIGURES["500s"] += 1
                    failures.append(f"{where}: {response.status_code}")
                    continue
                if label in CLEAN and "<script>alert(1)</script>" in response.content.decode(errors="replace"):
                    failures.append(f"{where}: markup echoed unescaped")
                if label in REFUSE:
                    FIGURES["must refuse"] += 1
                    stored = _snapshot(banlat.schema_name, tmp_path) != before
                    FIGURES["stored"] += int(stored)
                    got, expected = _refusal(response, client), refusal_expected(_route_key(who, form), label)
                    if stored or got != expected:
                        failures.append(f"{where}: {response.status_code}{' stored' if stored else ''}, "
                                        f"refused as {got!r}, expected {expected!r}")
                    else:
                        FIGURES["refused"] += 1
        for name in form.file_fields():
            for label, (filename, content_type, make) in files.HOSTILE_FILES.items():
                before = _snapshot(banlat.schema_name, tmp_path)
                upload = SimpleUploadedFile(filename, make(), content_type=content_type)
                response = _post(client, form, {**baseline, name: upload}, next(counter))
                FIGURES["tried"] += 1
                FIGURES["must refuse"] += 1
                FIGURES["files tried"] += 1
                stored = _snapshot(banlat.schema_name, tmp_path) != before
                FIGURES["stored"] += int(stored)
                if response.status_code >= 500:
                    FIGURES["500s"] += 1
                got, expected = _refusal(response, client), refusal_expected(_route_key(who, form), label, file=True)
                if response.status_code >= 500 or stored or got != expected:
                    failures.append(f"{who} {form.action} [{name}] {label}: {response.status_code}"
                                    f"{' stored' if stored else ''}, refused as {got!r}, expected {expected!r}")
                else:
                    FIGURES["refused"] += 1
        bad = _bad_values(schemas) - baseline_bad
        if bad:
            FIGURES["stored"] += sum(bad.values())
            failures.append(f"{who} {form.action}: refused values stored in {dict(bad)}")
            baseline_bad = _bad_values(schemas)
    print(f"\nhostile form inputs: forms {len(forms)} (routes reached {len(reached)}), tried {FIGURES['tried']} "
          f"(files {FIGURES['files tried']}), must-refuse {FIGURES['must refuse']}, refused {FIGURES['refused']}, "
          f"500s {FIGURES['500s']}, stored {FIGURES['stored']}")
    assert failures == [], "\n".join(failures[:80]) + f"\n… {len(failures)} in all"


def _clients(banlat: LocalBody) -> dict[str, Client]:
    staff = signed_in(banlat, "admin", Client(raise_request_exception=False, HTTP_HOST="banlat.localhost"))
    return {"citizen": Client(raise_request_exception=False, HTTP_HOST="banlat.localhost"), "staff": staff}


@pytest.mark.parametrize("label", list(REFUSE))
def test_hostile_get_parameters_never_500(banlat: LocalBody, label: str) -> None:
    clients = _clients(banlat)
    case = make_case(banlat)
    value = REFUSE[label]
    tried = 0
    for path in routes("rongthuk.urls_tenant", {"pk": str(case.pk)}):
        # The probes answer load balancers before any input is read: parameters are ignored there.
        if any(skip in path for skip in ("logout", "forget", "/healthz", "/readyz")):
            continue
        client = clients["staff"] if path.startswith(("/staff/", "/sla/manage/", "/settings/")) else clients["citizen"]
        for param in ("q", "year", "status", "page", "format", "digits", "round", "next"):
            response = client.get(path, {param: value})
            tried += 1
            assert response.status_code < 500, (path, param, label)
            if label != "10 kB string":
                assert response.status_code == 400 and THAI.search(_text(response)), (path, param, label)
    print(f"\nhostile GET parameters ({label}): tried {tried}, 500s 0")
