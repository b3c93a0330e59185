"""Property-based tests of the national and staff APIs (schemathesis 4.32.5, hypothesis) against a
live server over real HTTP, on the platform's document and on a body's own staff API document
(with an integration key): every operation of the OpenAPI document gets generated input, valid
and invalid; there must be 0 server errors and 0 responses that break the document (schema, content
type). Bounded: EXAMPLES cases per operation.

The figures are printed: `pytest tests/api/test_schemathesis.py -s`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import schemathesis
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.integration_keys import integration_key_issue
from api.models import ApiKey, api_key_create
from apps.accounts.models import User
from apps.complaints.models import StaffMember
from tenants.models import LocalBody
from tests.api.test_national import _free_port
from tests.signin import verified_login

EXAMPLES = 25
# A body of the standing registry that no other test counts cases in: generated intakes that happen
# to be valid are stored (committed) there.
BODY = "6760610"
CSRF = "s" * 32  # an unmasked CSRF secret: the cookie and the header carry the same value


def _staff_session(body: LocalBody, stamp: str) -> str:
    with schema_context(body.schema_name):
        user = User.objects.create_user(f"schemathesis-{stamp}", f"pw-{stamp}-long-enough")
        StaffMember.objects.create(user=user, role="clerk")
    # Signed in with the second factor passed: the staff API refuses a session without it.
    client = verified_login(Client(HTTP_HOST=f"{body.slug}.localhost"), user, schema=body.schema_name)
    return client.cookies["sessionid"].value


def _wait(url: str, host: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 - http, our server
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - our own live server
                return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _runner(operation: Any, headers: dict[str, Any], port: int, figures: dict[str, int],
            failures: list[str], *, base_path: str = "") -> Any:
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.headers = {**(case.headers or {}), **headers}
        response = case.call(base_url=f"http://127.0.0.1:{port}{base_path}", timeout=30)
        figures["cases"] += 1
        if response.status_code >= 500:
            figures["server errors"] += 1
            failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")
            return
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                                      content_type_conformance])
        except Exception as error:  # noqa: BLE001 - counted and reported by the test
            figures["schema violations"] += 1
            failures.append(f"{case.method} {case.formatted_path} {response.status_code}: {str(error)[:300]}")

    return run


def test_national_and_staff_apis_hold_their_schema(committed: None) -> None:
    stamp = str(time.time_ns())[-9:]
    key, raw = api_key_create(name=f"schemathesis {stamp}", scope="nation")
    body = LocalBody.objects.get(dla_code=BODY)
    session = _staff_session(body, stamp)
    port = _free_port()
    env = dict(os.environ, RONGTHUK_DATABASE_NAME=settings.DATABASES["default"]["NAME"], PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    figures = {"operations": 0, "cases": 0, "server errors": 0, "schema violations": 0}
    failures: list[str] = []
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", f"localhost:{port}")
        schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/api/schema/?format=json",
                                               headers={"Host": f"localhost:{port}"})
        paths = {op.ok().path for op in schema.get_all_operations()}
        assert "/api/staff/v1/complaints/" in paths and "/api/staff/v1/complaints/{id}/" in paths, paths
        # The staff REST API: the case list, one case, the identity reveal, files and every desk action.
        staff_actions = {"acknowledge", "assign", "reply", "note", "request-info", "resume", "resolve", "close",
                         "reject", "reopen", "transfer", "transfer-accept", "transfer-return", "merge", "identity"}
        assert {f"/api/staff/v1/complaints/{{id}}/{action}/" for action in staff_actions} <= paths, paths
        assert "/api/staff/v1/complaints/{id}/files/{attachment_id}/" in paths, paths
        for result in schema.get_all_operations():
            operation = result.ok()
            staff = operation.path.startswith("/api/staff/")
            headers: dict[str, Any] = {"Host": f"{body.slug}.localhost:{port}" if staff else f"localhost:{port}"}
            if staff:
                headers.update({"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF})
            else:
                headers["Authorization"] = f"Api-Key {raw}"
            figures["operations"] += 1

            _runner(operation, headers, port, figures, failures)()
    finally:
        server.terminate()
        server.wait(timeout=20)
        ApiKey.objects.filter(pk=key.pk).delete()
    print(f"\nschemathesis: operations {figures['operations']}, cases {figures['cases']}, "
          f"server errors {figures['server errors']}, schema violations {figures['schema violations']}")
    assert failures == [], "\n".join(failures[:30])
    assert figures["operations"] >= 24 and figures["cases"] >= figures["operations"] * 5


def test_a_bodys_own_staff_api_document_holds_with_an_integration_key(committed: None) -> None:
    """The body's document (/api/staff/v1/openapi.json: the staff API alone, this body as its
    server), driven with a write integration key that has the personal-data scope: every
    operation, the multipart uploads of reply and resolve among them."""
    stamp = str(time.time_ns())[-9:]
    body = LocalBody.objects.get(dla_code=BODY)
    with schema_context(body.schema_name):
        admin = User.objects.create_user(f"schemathesis-admin-{stamp}", None)
        StaffMember.objects.create(user=admin, role="admin")
        raw = integration_key_issue(actor=admin, name=f"schemathesis {stamp}", scope="write", personal_data=True,
                                    role="clerk")[1]
    port = _free_port()
    env = dict(os.environ, RONGTHUK_DATABASE_NAME=settings.DATABASES["default"]["NAME"], PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    figures = {"operations": 0, "cases": 0, "server errors": 0, "schema violations": 0}
    failures: list[str] = []
    host = f"{body.slug}.localhost:{port}"
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", host)
        schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/api/staff/v1/openapi.json",
                                               headers={"Host": host})
        assert schema.raw_schema["servers"][0]["url"] == f"http://{host}"
        operations = [result.ok() for result in schema.get_all_operations()]
        components = schema.raw_schema["components"]["schemas"]

        def takes_files(path: str) -> bool:
            content = schema.raw_schema["paths"][path].get("post", {}).get("requestBody", {}).get("content", {})
            ref = content.get("multipart/form-data", {}).get("schema", {}).get("$ref", "")
            return "attachments" in components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})

        uploads = {path for path in schema.raw_schema["paths"] if takes_files(path)}
        assert uploads == {"/api/staff/v1/complaints/", "/api/staff/v1/complaints/{id}/reply/",
                           "/api/staff/v1/complaints/{id}/resolve/"}
        for operation in operations:
            figures["operations"] += 1
            _runner(operation, {"Host": host, "Authorization": f"Bearer {raw}"}, port, figures, failures)()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"\nschemathesis (body document, integration key): operations {figures['operations']}, cases "
          f"{figures['cases']}, server errors {figures['server errors']}, "
          f"schema violations {figures['schema violations']}")
    assert failures == [], "\n".join(failures[:30])
    assert figures["operations"] == 19 and figures["cases"] >= figures["operations"] * 5
