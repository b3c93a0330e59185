"""Citizen pages from the shared cache: two queries warm whatever the body, a version that moves
exactly with what a page shows, figures within the stated staleness, nothing personal stored, and
a form served from the cache that still submits with its own CSRF token and idempotency key."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.categories.models import NationalCategory
from apps.complaints.body_admin import category_save
from apps.complaints.models import Department
from apps.portal.page_cache import MARKERS
from apps.portal.services import body_profile_update
from tenants import cache
from tenants.models import District, LocalBody
from tests.apps.portal.helpers import form_data
from tests.conftest import staff

pytestmark = pytest.mark.django_db

BODY_PAGES = ("/", "/sla/", "/stats/", "/complaints/new/", "/complaints/conduct/", "/track/", "/stats/?year=2026")
PLATFORM_PAGES = ("/", "/?province=76", "/?district=7606", "/?q=บ้านลาด",
                  "/finder/districts.json?province=76", "/finder/bodies.json?district=7606")


# Every request points the connection at its body (django-tenants), then reads the page versions and
# the page: with Redis as the shared cache the third is not a database statement at all.
SEARCH_PATH = 'SET search_path = "%s","public"'


@pytest.fixture(autouse=True)
def _steady(settings: Any) -> None:
    cache.clear()
    settings.TENANT_CACHE_CHECK_SECONDS = 3600  # the once-a-second version row stays out of the counts


def _tables(queries: list[dict[str, str]]) -> list[str]:
    return [(m.group(1) if (m := re.search(r"FROM \"?([a-z_.]+)\"?", q["sql"])) else q["sql"][:60]) for q in queries]


def _warm(client: Client, path: str) -> tuple[Any, list[str]]:
    first = client.get(path)
    assert first.status_code == 200, (path, first.status_code)
    with CaptureQueriesContext(connection) as counted:
        response = client.get(path)
    assert response.status_code == 200
    return response, _tables(counted.captured_queries)


def test_every_citizen_page_costs_three_statements_warm_whatever_the_body(banlat: LocalBody, thasen: LocalBody,
                                                                     outside_body: LocalBody) -> None:
    for body in (banlat, thasen, outside_body):
        client = Client(HTTP_HOST=f"{body.slug}.localhost")
        for path in BODY_PAGES:
            _response, tables = _warm(client, path)
            assert tables == [SEARCH_PATH % body.schema_name, "tenants_pageversion", "rongthuk_cache"], path
    client = Client(HTTP_HOST="localhost")
    for path in PLATFORM_PAGES:
        _response, tables = _warm(client, path)
        assert tables == ['SET search_path = "public"', "tenants_pageversion", "rongthuk_cache"], path


def _field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_a_cached_form_gives_each_response_its_own_csrf_token_and_key_and_still_submits(
        banlat: LocalBody) -> None:
    citizen = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.9", enforce_csrf_checks=True)
    other = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.10", enforce_csrf_checks=True)
    other.get("/complaints/new/")  # the page is in the cache before the citizen comes
    with CaptureQueriesContext(connection) as counted:
        page = citizen.get("/complaints/new/")
    assert len(counted.captured_queries) == 3  # served from the cache
    again = other.get("/complaints/new/")
    html, html_again = page.content.decode(), again.content.decode()
    for marker in MARKERS.values():
        assert marker not in html and marker not in html_again
    token, key = _field(html, "csrfmiddlewaretoken"), _field(html, "idempotency_key")
    assert token != _field(html_again, "csrfmiddlewaretoken")
    assert key != _field(html_again, "idempotency_key")
    assert citizen.cookies["csrftoken"].value != other.cookies["csrftoken"].value
    assert html.count(token) == 2  # the language switcher and the form carry the same token
    refused = citizen.post("/complaints/new/", {**form_data(banlat), "idempotency_key": key})
    assert refused.status_code == 403  # no token: CSRF still guards the cached form
    response = citizen.post("/complaints/new/", {**form_data(banlat), "csrfmiddlewaretoken": token,
                                                 "idempotency_key": key})
    assert (response.status_code, response["Location"]) == (302, "/complaints/receipt/")
    receipt = citizen.get("/complaints/receipt/").content.decode()
    assert citizen.session["portal_receipt"]["code"] in receipt
    # The other browser's key is its own: its filing is a second case, not a replay of the first.
    response = other.post("/complaints/new/", {**form_data(banlat, phone="0897654321"),
                                               "csrfmiddlewaretoken": _field(html_again, "csrfmiddlewaretoken"),
                                               "idempotency_key": _field(html_again, "idempotency_key")})
    assert response.status_code == 302
    assert other.session["portal_receipt"]["code"] != citizen.session["portal_receipt"]["code"]


def test_the_track_form_from_the_cache_finds_a_case(banlat: LocalBody) -> None:
    citizen = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.11", enforce_csrf_checks=True)
    page = citizen.get("/complaints/new/").content.decode()
    citizen.post("/complaints/new/", {**form_data(banlat), "csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"),
                                      "idempotency_key": _field(page, "idempotency_key")})
    code = citizen.session["portal_receipt"]["code"]
    Client(HTTP_HOST="banlat.localhost").get("/track/")  # cached by another browser
    stranger = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.12", enforce_csrf_checks=True)
    form = stranger.get("/track/").content.decode()
    assert code not in form
    response = stranger.post("/track/", {"csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"),
                                         "code": code, "second_factor": "4567"})
    assert (response.status_code, response["Location"]) == (302, "/track/case/")


def test_nothing_of_a_citizens_session_reaches_the_cache(banlat: LocalBody) -> None:
    citizen = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.13")
    citizen.post("/complaints/new/", form_data(banlat))
    code = citizen.session["portal_receipt"]["code"]
    for path in ("/", "/track/", "/complaints/new/"):
        assert code not in citizen.get(path).content.decode()
        assert code not in Client(HTTP_HOST="banlat.localhost").get(path).content.decode()
    # The pages that show the citizen's own case are never stored.
    assert code in citizen.get("/complaints/receipt/").content.decode()
    with CaptureQueriesContext(connection) as counted:
        citizen.get("/complaints/receipt/")
    assert "rongthuk_cache" not in " ".join(q["sql"] for q in counted.captured_queries)


def test_a_browser_with_a_flash_message_or_an_unknown_parameter_gets_a_page_of_its_own(banlat: LocalBody) -> None:
    client = Client(HTTP_HOST="banlat.localhost")
    client.get("/")
    with CaptureQueriesContext(connection) as counted:
        client.get("/?utm_source=line")
        client.get("/?utm_source=line")
    assert "rongthuk_cache" not in " ".join(q["sql"] for q in counted.captured_queries)
    client.cookies["messages"] = "anything"
    with CaptureQueriesContext(connection) as counted:
        assert client.get("/").status_code == 200
    assert "rongthuk_cache" not in " ".join(q["sql"] for q in counted.captured_queries)


def test_thai_and_english_are_cached_apart(banlat: LocalBody) -> None:
    thai, english = Client(HTTP_HOST="banlat.localhost"), Client(HTTP_HOST="banlat.localhost")
    english.cookies["django_language"] = "en"
    for _ in range(2):
        assert 'lang="th"' in thai.get("/track/").content.decode()
        assert 'lang="en"' in english.get("/track/").content.decode()


def test_a_profile_change_shows_at_once(banlat: LocalBody) -> None:
    client = Client(HTTP_HOST="banlat.localhost")
    assert "032-491-999" not in client.get("/").content.decode()
    with schema_context(banlat.schema_name):
        body_profile_update(body=banlat, phone="032-491-999", actor=staff(banlat, "admin"))
    assert "032-491-999" in client.get("/").content.decode()
    assert "032-491-999" not in Client(HTTP_HOST="thasen.localhost").get("/").content.decode()


def test_a_published_agreement_shows_at_once(banlat: LocalBody) -> None:
    from apps.sla.services import sla_agreement_draft_create, sla_agreement_publish, sla_agreement_update

    client = Client(HTTP_HOST="banlat.localhost")
    assert "77/2569" not in client.get("/sla/").content.decode()
    agreement = sla_agreement_draft_create(body=banlat)
    sla_agreement_update(agreement=agreement, number="77/2569", signatory_name="นายสมชาย ใจดี",
                         signatory_position="นายกเทศมนตรีตำบลบ้านลาด")
    assert "77/2569" not in client.get("/sla/").content.decode()  # a draft is not shown
    today = timezone.localdate()
    sla_agreement_publish(agreement=agreement, effective_from=today, announced_on=today)
    assert "77/2569" in client.get("/sla/").content.decode()


def test_a_new_category_and_a_renamed_national_one_show_on_the_form_at_once(banlat: LocalBody) -> None:
    client = Client(HTTP_HOST="banlat.localhost")
    assert "ท่อระบายน้ำอุดตันหน้าตลาด" not in client.get("/complaints/new/").content.decode()
    with schema_context(banlat.schema_name):
        category_save(actor=staff(banlat, "admin"), name_th="ท่อระบายน้ำอุดตันหน้าตลาด",
                      national_category=NationalCategory.objects.get(code="drainage"),
                      department=Department.objects.get(code="engineering"))
    assert "ท่อระบายน้ำอุดตันหน้าตลาด" in client.get("/complaints/new/").content.decode()


def test_a_renamed_district_shows_in_the_finder_at_once(db: None) -> None:
    platform = Client(HTTP_HOST="localhost")
    names = {d["code"]: d["name"] for d in platform.get("/finder/districts.json?province=76").json()["districts"]}
    assert names["7606"] == "บ้านลาด"
    District.objects.filter(code="7606").update(name_th="บ้านลาดเหนือ")  # the national version moves
    names = {d["code"]: d["name"] for d in platform.get("/finder/districts.json?province=76").json()["districts"]}
    assert names["7606"] == "บ้านลาดเหนือ"


def test_a_renamed_body_shows_on_its_pages_and_in_the_finder_at_once(banlat: LocalBody) -> None:
    client, platform = Client(HTTP_HOST="banlat.localhost"), Client(HTTP_HOST="localhost")
    client.get("/")
    platform.get("/?district=7606")
    LocalBody.objects.filter(pk=banlat.pk).update(name_th="บ้านลาดใหม่")
    cache.clear()  # what the trigger's version row does in every process within a second
    assert "บ้านลาดใหม่" in client.get("/").content.decode()
    assert "บ้านลาดใหม่" in platform.get("/?district=7606").content.decode()


def test_new_figures_show_within_the_stated_staleness(banlat: LocalBody, settings: Any) -> None:
    citizen = Client(HTTP_HOST="banlat.localhost", REMOTE_ADDR="10.77.0.14")
    start = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # 10:00 in Bangkok
    with time_machine.travel(start, tick=False):
        before = _received(citizen.get("/").content.decode())
        citizen.post("/complaints/new/", form_data(banlat))
        assert _received(citizen.get("/").content.decode()) == before  # cached: within the staleness
    with time_machine.travel(start + dt.timedelta(seconds=settings.PORTAL_FIGURES_STALENESS + 1), tick=False):
        assert _received(citizen.get("/").content.decode()) == before + 1


def _received(html: str) -> int:
    return int(re.findall(r"<b>([^<]*)</b>", html.split('id="figures"')[1])[0])
