"""Every form of the citizen portal, the staff pages, the SLA editor, oversight and the registry
import, found from the URLconfs and the rendered pages, gets every hostile value of the catalogue in
every field, and every hostile file in every file field.

A value that must be refused (catalogue.REFUSE, hostile files) is answered 400/413 or with the form
again, in Thai, and no row is added in the tables that matter and no file in MEDIA_ROOT. No value,
refused or accepted, ever gets a 500, and markup sent in is never echoed unescaped.

The figures (tried / refused / 500s / stored) are printed at the end: `pytest tests/hostile -s`.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from apps.accounts.models import User
from apps.complaints.models import Attachment, Category, Complaint, ComplaintEvent, Department, StaffMember
from apps.oversight.models import Directive, DirectiveTarget
from apps.portal.models import BodyProfile
from apps.reporting.models import ComplaintFact
from apps.sla.models import Agreement, AgreementRow
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case, signed_in
from tests.apps.oversight.factories import officer
from tests.hostile import files
from tests.hostile.catalogue import CLEAN, REFUSE
from tests.hostile.forms import Form, forms_in, routes
from tests.signin import verified_login

THAI = re.compile(r"[\u0e01-\u0e5b]")
ERROR_MARKERS = ("errorlist", "error-summary", "error-page", "data-error-for", "message--error", "role=\"alert\"",
                 "class=\"errors\"", "class=\"error")
SKIP_ACTIONS = ("logout", "/i18n/setlang/")
SKIP_PAGES = ("logout", "forget", "/healthz", ".pdf", ".csv", "export", "/files/", "attachment", "identity")
SKIP_PREFIXES = ("/api/", "/admin/", "/i18n/")
FIGURES: Counter[str] = Counter()
DISCOVERY_500S: list[str] = []


TENANT_TABLES = (Complaint, ComplaintEvent, Attachment, Department, Category, StaffMember, User)
PUBLIC_TABLES = (ComplaintFact, Directive, DirectiveTarget, Agreement, AgreementRow, BodyProfile, LocalBody, User)


def _snapshot(body: LocalBody, media: Path) -> tuple[int, ...]:
    """Rows in the tables a form could write (the body's and the public ones, one query) and files."""
    tables = [f'"{body.schema_name}"."{m._meta.db_table}"' for m in TENANT_TABLES] + \
        [f'public."{m._meta.db_table}"' for m in PUBLIC_TABLES]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables))  # noqa: S608
        counts = tuple(cursor.fetchone())
    return (*counts, sum(1 for p in media.rglob("*") if p.is_file()))


def _clients(banlat: LocalBody) -> dict[str, Client]:
    oversight = Client(raise_request_exception=False, HTTP_HOST="localhost")
    verified_login(oversight, officer("hostile-district", "district", "7606"))
    national = Client(raise_request_exception=False, HTTP_HOST="localhost")
    verified_login(national, User.objects.create_superuser("hostile-national", "pw-national-123"))
    staff = signed_in(banlat, "admin", Client(raise_request_exception=False, HTTP_HOST="banlat.localhost"))
    return {"citizen": Client(raise_request_exception=False, HTTP_HOST="banlat.localhost"), "staff": staff,
            "oversight": oversight, "national": national}


def _who(path: str, host: str) -> str:
    if host == "localhost":
        return "national" if path.startswith("/admin/") else "oversight" if path.startswith("/oversight/") \
            else "citizen-platform"
    return "staff" if path.startswith(("/staff/", "/sla/manage/", "/settings/")) else "citizen"


def _discover(banlat: LocalBody, clients: dict[str, Client], case_pk: int) -> list[tuple[str, Form]]:
    params = {"pk": str(case_pk), "dla_code": banlat.dla_code}
    found: list[tuple[str, Form]] = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    pages = [(p, "banlat.localhost") for p in routes("rongthuk.urls_tenant", params)]
    pages += [(p, "localhost") for p in routes("rongthuk.urls_public", params)]
    pages += [("/admin/tenants/localbody/import/", "localhost"), ("/oversight/login/", "localhost"),
              ("/staff/login/", "banlat.localhost"), (f"/staff/cases/{case_pk}/", "banlat.localhost")]
    for path, host in pages:
        if (any(skip in path for skip in SKIP_PAGES) or path.startswith(SKIP_PREFIXES)) and \
                not path.startswith("/admin/tenants/localbody/import"):
            continue
        who = _who(path, host)
        client = clients.get(who) or Client(raise_request_exception=False, HTTP_HOST=host)
        if who.endswith("login"):
            client = Client(raise_request_exception=False, HTTP_HOST=host)
        response = client.get(path, HTTP_HOST=host)
        if response.status_code >= 500:
            DISCOVERY_500S.append(f"GET {host}{path}: {response.status_code}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_in(path, response.content.decode()):
            key = (host, form.action, tuple(sorted(form.fields)))
            if key in seen or any(skip in form.action for skip in SKIP_ACTIONS):
                continue
            seen.add(key)
            client_name = "anonymous" if "login" in path else who
            found.append((f"{client_name}@{host}", form))
    return found


def _client_for(name: str, clients: dict[str, Client]) -> Client:
    who, host = name.split("@")
    if who == "anonymous" or who == "citizen-platform":
        return Client(raise_request_exception=False, HTTP_HOST=host)
    return clients[who]


def _post(client: Client, form: Form, data: dict[str, Any], n: int) -> Any:
    host = client.defaults["HTTP_HOST"]
    address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"  # one per post: the intake limits are per address
    return client.post(form.action, data, HTTP_HOST=host, REMOTE_ADDR=address)


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def _refused(response: Any, client: Client) -> bool:
    if response.status_code == 302:  # refused with a message on the page it sends back to
        page = client.get(response["Location"], HTTP_HOST=client.defaults["HTTP_HOST"])
        text = page.content.decode(errors="replace")
        return "message--error" in text and bool(THAI.search(text))
    text = _text(response)
    if response.status_code in (400, 413):
        return bool(THAI.search(text))
    if response.status_code == 200:
        return bool(THAI.search(text)) and any(marker in text for marker in ERROR_MARKERS)
    return response.status_code in (403, 404, 429)


def test_every_form_field_refuses_hostile_input(banlat: LocalBody, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    # Sign-in forms check a password per post: a fast hasher first keeps hundreds of them cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    clients = _clients(banlat)
    case = make_case(banlat)
    forms = _discover(banlat, clients, case.pk)
    pages = {f.page for _who, f in forms}
    # The parts the catalogue must reach: portal, staff, SLA editor, oversight, registry import.
    for expected in ("/complaints/new/", "/track/", "/staff/intake/", f"/staff/cases/{case.pk}/", "/sla/manage/",
                     "/oversight/directives/new/", "/admin/tenants/localbody/import/", "/staff/admin/departments/",
                     "/settings/profile/", "/staff/register/import/"):
        assert expected in pages, f"no form found on {expected}; found {sorted(pages)}"
    counter = itertools.count()
    failures: list[str] = list(DISCOVERY_500S)
    for who, form in forms:
        client = _client_for(who, clients)
        baseline = form.baseline()
        for name in form.text_fields() + [n for n, k in form.kinds.items() if k in ("select", "checkbox", "radio")]:
            if name == "csrfmiddlewaretoken":
                continue
            values = {**REFUSE, **(CLEAN if form.kinds[name] in ("text", "textarea", "search") else {})}
            if form.kinds[name] in ("hidden", "select", "checkbox", "radio"):  # one of each kind of refusal
                values = {k: REFUSE[k] for k in ("NUL", "RLO override", "10 kB string")}
            for label, value in values.items():
                before = _snapshot(banlat, tmp_path)
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
                    stored = _snapshot(banlat, tmp_path) != before
                    FIGURES["stored"] += int(stored)
                    if stored or not _refused(response, client):
                        failures.append(f"{where}: {response.status_code}{' stored' if stored else ''}")
                    else:
                        FIGURES["refused"] += 1
        for name in form.file_fields():
            for label, (filename, content_type, make) in files.HOSTILE_FILES.items():
                before = _snapshot(banlat, tmp_path)
                upload = SimpleUploadedFile(filename, make(), content_type=content_type)
                response = _post(client, form, {**baseline, name: upload}, next(counter))
                FIGURES["tried"] += 1
                FIGURES["files tried"] += 1
                stored = _snapshot(banlat, tmp_path) != before
                FIGURES["stored"] += int(stored)
                if response.status_code >= 500:
                    FIGURES["500s"] += 1
                if response.status_code >= 500 or stored or not _refused(response, client):
                    failures.append(f"{who} {form.action} [{name}] {label}: {response.status_code}"
                                    f"{' stored' if stored else ''}")
                else:
                    FIGURES["refused"] += 1
    print(f"\nhostile form inputs: forms {len(forms)}, tried {FIGURES['tried']} (files {FIGURES['files tried']}), "
          f"must-refuse refused {FIGURES['refused']}, 500s {FIGURES['500s']}, rows/files stored {FIGURES['stored']}")
    assert failures == [], "\n".join(failures[:80]) + f"\n… {len(failures)} in all"


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
