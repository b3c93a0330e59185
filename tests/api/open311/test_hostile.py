"""The hostile-input catalogue on Open311's POST (a body's endpoint and the national one), in every
field, form-encoded and as JSON: each value that must be refused is the spec's error list with HTTP
400, in Thai, naming the parameter, and nothing is filed (no case, no fact). Values that may be
accepted are stored normalised and never answered with a 500.

The figures are printed: `pytest tests/api/open311/test_hostile.py -s`."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from api.models import Access, api_key_create
from apps.complaints.models import Complaint
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody
from tests.hostile.catalogue import CLEAN, FORBIDDEN_STORED, REFUSE, deep_json

THAI = re.compile(r"[\u0e01-\u0e5b]")
FIELDS = ("service_code", "description", "address_string", "lat", "long", "email", "first_name", "last_name",
          "phone", "media_url", "attribute[moo]", "attribute[subdistrict]", "attribute[conduct]", "client_ticket_id",
          "device_id", "account_id", "address_id")
FIGURES: Counter[str] = Counter()


def _valid(national: bool) -> dict[str, str]:
    data = {"service_code": "road", "description": "ถนนทรุดหน้าโรงเรียน", "lat": "13.1002", "long": "99.9229",
            "first_name": "มานี", "last_name": "มีนา", "phone": "0823334444", "attribute[moo]": "4"}
    return {**data, "jurisdiction_id": "5760601"} if national else data


def _counts(body: LocalBody) -> tuple[int, int]:
    with schema_context(body.schema_name):
        cases = Complaint.objects.count()
    with schema_context("public"):
        return cases, ComplaintFact.objects.filter(body=body).count()


def _refusal(response: Any) -> list[dict[str, Any]] | None:
    try:
        errors = json.loads(response.content)
    except ValueError:
        return None
    return errors if isinstance(errors, list) and errors and all(
        isinstance(e, dict) and set(e) == {"code", "description"} for e in errors) else None


@pytest.mark.parametrize("national", [False, True], ids=["body", "national"])
def test_every_open311_post_field_refuses_hostile_input(banlat: LocalBody, settings: Any, national: bool) -> None:
    FIGURES.clear()
    settings.OPEN311_WRITE_RATE = "100000/m"  # the test client's key: many posts in a minute
    key, raw = api_key_create(name="hostile", body=None if national else banlat, scope="nation" if national else "",
                              access=Access.WRITE)
    client = Client(HTTP_HOST="localhost" if national else "banlat.localhost", HTTP_X_API_KEY=raw,
                    raise_request_exception=False)
    fields = FIELDS + (("jurisdiction_id",) if national else ())
    failures: list[str] = []
    for field in fields:
        values = {**REFUSE, **CLEAN}
        if field in ("lat", "long"):
            values.update({"NaN (number)": "NaN", "Infinity (number)": "Infinity", "outside Thailand": "51.5"})
        for label, value in values.items():
            # Values that may be accepted file a case each: once, form-encoded; refusals both ways.
            for encoding in ("form", "json") if label not in CLEAN else ("form",):
                before = _counts(banlat)
                data = {**_valid(national), field: value}
                if encoding == "json":
                    response = client.post("/open311/v2/requests.json", json.dumps(data),
                                           content_type="application/json")
                else:
                    response = client.post("/open311/v2/requests.json", data)
                FIGURES["tried"] += 1
                where = f"{'national' if national else 'body'} {encoding} [{field}] {label}"
                if response.status_code >= 500:
                    FIGURES["500s"] += 1
                    failures.append(f"{where}: {response.status_code}")
                    continue
                must_refuse = label in REFUSE or (field in ("lat", "long") and label in (
                    "NaN (number)", "Infinity (number)", "outside Thailand", "NaN", "Infinity", "huge number"))
                after = _counts(banlat)
                if must_refuse:
                    FIGURES["must refuse"] += 1
                    errors = _refusal(response)
                    stored = after != before
                    FIGURES["stored"] += int(stored)
                    if stored or response.status_code != 400 or errors is None or \
                            not all(e["code"] == 400 and THAI.search(e["description"]) for e in errors):
                        failures.append(f"{where}: {response.status_code} {response.content[:200]!r}"
                                        f"{' stored' if stored else ''}")
                    else:
                        FIGURES["refused"] += 1
                elif response.status_code == 201:
                    [created] = json.loads(response.content)
                    number = int(created["service_request_id"].rsplit("-", 1)[1])
                    with schema_context(banlat.schema_name):
                        case = Complaint.objects.get(pk=number)
                    text = " ".join(str(getattr(case, f)) for f in ("description", "location_text"))
                    # Names, phones and e-mails lose invisible characters too (free text keeps them: Thai
                    # line breaking uses the zero-width space).
                    person = " ".join(str(getattr(case, f)) for f in (
                        "complainant_name", "complainant_phone", "complainant_email"))
                    if any(bad in text + person for bad in FORBIDDEN_STORED) or "\u200b" in person:
                        failures.append(f"{where}: stored without normalising: {text[:120]!r}")
    # Deep JSON and a body that is not an object.
    for document in (deep_json(), "[]", '"text"', "{" * 40 + "}" * 40):
        response = client.post("/open311/v2/requests.json", document, content_type="application/json")
        FIGURES["tried"] += 1
        FIGURES["must refuse"] += 1
        if response.status_code != 400 or _refusal(response) is None:
            failures.append(f"JSON document {document[:20]!r}…: {response.status_code} {response.content[:200]!r}")
        else:
            FIGURES["refused"] += 1
    key.delete()
    print(f"\nOpen311 POST hostile inputs ({'national' if national else 'body'}): tried {FIGURES['tried']}, "
          f"must-refuse {FIGURES['must refuse']}, refused {FIGURES['refused']}, 500s {FIGURES['500s']}, "
          f"stored {FIGURES['stored']}")
    assert failures == [], "\n".join(failures[:60]) + f"\n… {len(failures)} in all"
