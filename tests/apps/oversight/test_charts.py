"""Charts with honest axes: every month of the period on the axis, labelled in the Buddhist era; a
month with no resolution has no on-time figure (a gap, said in words in the table), never 0 %; a
period with no complaint draws no empty axis."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.test import Client

from apps.accounts.models import User
from tenants.models import LocalBody
from tests.apps.oversight.factories import BKK, fact, officer
from tests.signin import verified_login


def _chart(html: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', html, flags=re.S)
    assert found, "no chart data on the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_a_month_without_resolutions_is_a_gap_not_zero(banlat: LocalBody) -> None:
    district: User = officer("district-chart", "district", "7606")
    # Fiscal year 2560: 1 October 2016 to 30 September 2017, before any other test's complaint.
    fact(banlat, received=dt.datetime(2016, 10, 3, 9, 0, tzinfo=BKK), status="resolved",
         resolved_at=dt.datetime(2016, 10, 5, 9, 0, tzinfo=BKK), resolve_met=True)
    fact(banlat, received=dt.datetime(2016, 10, 4, 9, 0, tzinfo=BKK), status="resolved",
         resolved_at=dt.datetime(2016, 11, 30, 9, 0, tzinfo=BKK), resolve_met=False)
    fact(banlat, received=dt.datetime(2016, 12, 8, 9, 0, tzinfo=BKK), status="in_progress")
    client = verified_login(Client(HTTP_HOST="localhost"), district)
    html = client.get("/oversight/performance/?district=7606&fy=2017").content.decode()
    chart = _chart(html)
    assert chart["labels"] == ["ต.ค. 2559", "พ.ย. 2559", "ธ.ค. 2559", "ม.ค. 2560", "ก.พ. 2560", "มี.ค. 2560",
                               "เม.ย. 2560", "พ.ค. 2560", "มิ.ย. 2560", "ก.ค. 2560", "ส.ค. 2560", "ก.ย. 2560"]
    assert chart["counts"][0]["data"] == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert chart["counts"][1]["data"] == [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    # By month of receipt: October's two were resolved (one on time); December's is open: no figure.
    assert chart["pct"]["data"] == [50.0, None, None, None, None, None, None, None, None, None, None, None]
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>"
                      r"<td class=\"num\">(.*?)</td></tr>", html.split('id="trend-table"')[1])
    assert rows[0] == ("ต.ค. 2559", "2", "2", "50.0%")
    assert rows[2] == ("ธ.ค. 2559", "1", "0", '<span class="muted">ไม่มีเรื่องที่แก้ไขเสร็จ</span>')
    assert len(rows) == 12
    client.cookies["django_language"] = "en"
    english = client.get("/oversight/performance/?district=7606&fy=2017")
    english_chart = _chart(english.content.decode())
    assert english_chart["labels"][:2] == ["Oct 2016", "Nov 2016"]
    assert english_chart["no_figure"] == "No case resolved"


def test_a_period_without_complaints_draws_no_axis(banlat: LocalBody) -> None:
    client = verified_login(Client(HTTP_HOST="localhost"), officer("district-nochart", "district", "7606"))
    html = client.get("/oversight/performance/?district=7606&fy=2015").content.decode()
    assert 'id="trend-data"' not in html and "<canvas" not in html
    assert "ยังไม่มีเรื่องในช่วงเวลานี้ จึงไม่มีกราฟ" in html
