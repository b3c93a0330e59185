"""The same figure is the same number everywhere: one province's complaints of one fiscal year read
on the dashboard, the performance page, its exports (CSV and Excel) and the national API give
exactly the same received, resolved, on-time resolution share and overdue (breached) counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import openpyxl
from django.test import Client
from rest_framework.test import APIClient

from api.models import api_key_create
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody
from tests.apps.oversight.factories import BKK, fact, officer
from tests.signin import verified_login

FY = "2018"  # ปีงบประมาณ 2561: 1 October 2017 to 30 September 2018, before any other test's complaint


def _cases(banlat: LocalBody, thasen: LocalBody, outside_body: LocalBody) -> None:
    day = dt.timedelta(days=1)
    # The first minute of the fiscal year in Bangkok (still 30 September in UTC): counted in it.
    first = dt.datetime(2017, 10, 1, 0, 1, tzinfo=BKK)
    fact(banlat, received=first, status="resolved", resolved_at=first + 2 * day, resolve_met=True)
    fact(banlat, received=first + 40 * day, status="closed", resolved_at=first + 80 * day, resolve_met=False,
         ever_breached=True)
    fact(thasen, received=first + 100 * day, status="in_progress", ever_breached=True)
    fact(thasen, received=first + 120 * day, status="resolved", resolved_at=first + 121 * day, resolve_met=True)
    fact(outside_body, received=first + 200 * day, status="resolved", resolved_at=first + 230 * day,
         resolve_met=False, ever_breached=True)
    fact(outside_body, received=first + 300 * day, status="received")
    # The last minute of the year, and the one after it (next fiscal year: not counted).
    last = dt.datetime(2018, 9, 30, 23, 59, tzinfo=BKK)
    fact(outside_body, received=last, status="received")
    fact(outside_body, received=last + dt.timedelta(minutes=2), status="received")


EXPECTED = {"received": 7, "resolved": 4, "resolve_pct": 50.0, "breached": 3}


def _cards(html: str) -> dict[str, Any]:
    def card(name: str) -> str:
        found = re.search(rf'id="card-{name}">([^<]*)<', html)
        assert found, name
        return found.group(1)
    return {"received": int(card("received")), "resolved": int(card("resolved")),
            "resolve_pct": float(card("resolve-pct").rstrip("%")), "breached": int(card("breached"))}


def test_one_province_reads_the_same_on_every_page_export_and_the_api(banlat: LocalBody, thasen: LocalBody,
                                                                      outside_body: LocalBody) -> None:
    _cases(banlat, thasen, outside_body)
    assert ComplaintFact.objects.filter(province_code="76", received_at__year__in=[2017, 2018]).count() == 8
    province = verified_login(Client(HTTP_HOST="localhost"), officer("province-same", "province", "76"))
    nation = verified_login(Client(HTTP_HOST="localhost"), officer("nation-same", "nation"))
    seen: dict[str, dict[str, Any]] = {}
    seen["dashboard"] = _cards(province.get(f"/oversight/?fy={FY}").content.decode())
    seen["performance (province officer)"] = _cards(province.get(f"/oversight/performance/?fy={FY}").content.decode())
    seen["performance (nation, ?province=76)"] = _cards(
        nation.get(f"/oversight/performance/?province=76&fy={FY}").content.decode())
    exported = nation.get(f"/oversight/performance/?fy={FY}&format=csv").content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["รหัส"] == "76")
    seen["export csv (nation, row 76)"] = {"received": int(row["รับเรื่อง"]), "resolved": int(row["แล้วเสร็จ"]),
                                           "resolve_pct": float(row["แก้ไขทันเวลา %"]),
                                           "breached": int(row["เกินกำหนด"])}
    book = openpyxl.load_workbook(io.BytesIO(nation.get(f"/oversight/performance/?fy={FY}&format=xlsx").content))
    sheet = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    head = list(sheet[0])
    line = next(r for r in sheet[1:] if r[head.index("รหัส")] == "76")
    seen["export xlsx (nation, row 76)"] = {
        "received": int(line[head.index("รับเรื่อง")]), "resolved": int(line[head.index("แล้วเสร็จ")]),
        "resolve_pct": float(line[head.index("แก้ไขทันเวลา %")]), "breached": int(line[head.index("เกินกำหนด")])}
    # The province's districts add up to the same numbers (the province officer's export).
    districts = list(csv.DictReader(io.StringIO(
        province.get(f"/oversight/performance/?fy={FY}&format=csv").content.decode("utf-8-sig"))))
    seen["export csv (province, sum of districts)"] = {
        "received": sum(int(r["รับเรื่อง"]) for r in districts), "resolved": sum(int(r["แล้วเสร็จ"]) for r in districts),
        "resolve_pct": EXPECTED["resolve_pct"], "breached": sum(int(r["เกินกำหนด"]) for r in districts)}
    for scope, params in (("nation", "level=province&code=76"), ("province:76", "")):
        _key, raw = api_key_create(name=f"same figures {scope}", scope=scope)
        api = APIClient(HTTP_HOST="localhost")
        api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        totals = api.get(f"/api/national/v1/aggregates/?{params}&fy={FY}").json()["totals"]
        seen[f"api aggregates ({scope} key)"] = {"received": totals["received"], "resolved": totals["resolved"],
                                                 "resolve_pct": totals["on_time_pct"]["resolve"],
                                                 "breached": totals["breached"]}
        if scope == "nation":
            rows = api.get("/api/national/v1/aggregates/?group_by=province&fy=2561").json()["rows"]
            r76 = next(r for r in rows if r["key"] == "76")
            seen["api aggregates by province (fy in พ.ศ.)"] = {
                "received": r76["received"], "resolved": r76["resolved"],
                "resolve_pct": r76["on_time_pct"]["resolve"], "breached": r76["breached"]}
    assert seen == {name: EXPECTED for name in seen}
