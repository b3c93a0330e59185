"""Property-based tests of Open311 (schemathesis, hypothesis) against a live server over real HTTP,
from the endpoints' own OpenAPI description (/open311/v2/openapi.json), on a body's sub-domain and
on the national endpoint: every operation gets generated input, valid and invalid, with a write key
whose rate limits are raised for the run; 0 server errors and 0 responses that break the document.

The figures are printed: `pytest tests/api/open311/test_schemathesis.py -s`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import schemathesis
from django.conf import settings

from api.models import ApiKey, api_key_create
from tenants.models import LocalBody
from tests.api.test_national import _free_port
from tests.api.test_schemathesis import _runner, _wait

# A body of the standing registry that no other test counts cases in: generated requests that
# happen to be valid are stored (committed) there.
BODY = "6760610"


def test_open311_holds_its_openapi_description(committed: None) -> None:
    stamp = str(time.time_ns())[-9:]
    body = LocalBody.objects.get(dla_code=BODY)
    body_key, body_raw = api_key_create(name=f"schemathesis open311 {stamp}", body=body,
                                        access="write")
    national_key, national_raw = api_key_create(name=f"schemathesis open311 national {stamp}", scope="nation",
                                                access="write")
    port = _free_port()
    env = dict(os.environ, RONGTHUK_DATABASE_NAME=settings.DATABASES["default"]["NAME"], PYTHONUNBUFFERED="1",
               OPEN311_READ_RATE="100000/m", OPEN311_WRITE_RATE="100000/m", OPEN311_ANONYMOUS_RATE="100000/m")
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    figures = {"operations": 0, "cases": 0, "server errors": 0, "schema violations": 0}
    failures: list[str] = []
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", f"localhost:{port}")
        for host, raw in ((f"{body.slug}.localhost:{port}", body_raw), (f"localhost:{port}", national_raw)):
            schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/open311/v2/openapi.json",
                                                   headers={"Host": host})
            operations = [result.ok() for result in schema.get_all_operations()]
            assert {(op.method.upper(), op.path) for op in operations} == {
                ("GET", "/discovery.json"), ("GET", "/services.json"), ("GET", "/services/{service_code}.json"),
                ("GET", "/requests.json"), ("POST", "/requests.json"),
                ("GET", "/requests/{service_request_id}.json"), ("GET", "/tokens/{token}.json")}
            for operation in operations:
                headers: dict[str, Any] = {"Host": host, "X-Api-Key": raw}
                figures["operations"] += 1
                _runner(operation, headers, port, figures, failures, base_path="/open311/v2")()
    finally:
        server.terminate()
        server.wait(timeout=20)
        ApiKey.objects.filter(pk__in=[body_key.pk, national_key.pk]).delete()
    print(f"\nschemathesis (Open311): operations {figures['operations']}, cases {figures['cases']}, "
          f"server errors {figures['server errors']}, schema violations {figures['schema violations']}")
    assert figures["operations"] == 14 and figures["cases"] >= 14
    assert failures == [], "\n".join(failures[:40])
