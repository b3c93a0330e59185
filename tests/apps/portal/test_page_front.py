"""The WSGI front (apps.portal.page_front), driven as gunicorn drives the application: a cached
citizen page is answered before Django's middleware with the headers Django gave it, a fresh CSP
nonce, the browser's own CSRF token and cookie, and the version read for every request; what may be
personal or per-session — a session, a flash message, a query string, a POST — goes to Django."""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.portal.page_cache import MARKERS
from apps.portal.page_front import PageFront
from apps.portal.services import body_profile_update
from tenants import cache
from tenants.lifecycle import body_status_change
from tenants.models import BodyStatus, LocalBody
from tests.apps.portal.helpers import form_data
from tests.conftest import staff

pytestmark = pytest.mark.django_db

FRONT = PageFront(WSGIHandler())
# Per response: when and which process, the page's own nonce and the cache's verdict.
PER_RESPONSE = {"Date", "Server", "Content-Security-Policy", "X-Page-Cache", "Set-Cookie", "Content-Length"}


@pytest.fixture(autouse=True)
def _steady(settings: Any) -> Iterator[None]:
    cache.clear()
    settings.TENANT_CACHE_CHECK_SECONDS = 3600
    # As django.test.Client does: the test's transaction keeps its connection between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    cache.clear()  # the host table may hold what the test's rolled-back transaction changed (a suspension)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.body = int(status.split()[0]), body
        self.headers: dict[str, str] = {}
        self.cookies: SimpleCookie = SimpleCookie()
        for name, value in headers:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
            else:
                self.headers[name] = value
        self.html = body.decode()


def call(path: str, *, host: str = "banlat.localhost", method: str = "GET", cookies: dict[str, str] | None = None,
         body: bytes = b"", query: str = "") -> Answer:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
                               "HTTP_HOST": host, "REMOTE_ADDR": "10.78.0.1"}
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body:
        environ.update({"CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body))})
    setup_testing_defaults(environ)
    environ["wsgi.input"].write(body)
    environ["wsgi.input"].seek(0)
    seen: list[Any] = []
    result = FRONT(environ, lambda status, headers, exc_info=None: seen.extend([status, headers]))
    content = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return Answer(seen[0], seen[1], content)


def counted(path: str, **kwargs: Any) -> tuple[Answer, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        answer = call(path, **kwargs)
    return answer, [q["sql"] for q in queries.captured_queries]


def _field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _policy(answer: Answer, nonce: str = "") -> set[str]:
    """The CSP's directives (django-csp writes them in no fixed order), the nonce made `nonce`."""
    policy = re.sub(r"'nonce-[^']+'", f"'nonce-{nonce}'", answer.headers["Content-Security-Policy"])
    return {part.strip() for part in policy.split(";")}


def _nonce(answer: Answer) -> str:
    found = re.search(r"'nonce-([^']+)'", answer.headers["Content-Security-Policy"])
    return found.group(1) if found else ""


def test_a_stored_page_is_answered_by_the_front_with_djangos_headers_and_one_query(banlat: LocalBody) -> None:
    for path in ("/", "/sla/", "/stats/", "/complaints/new/", "/track/"):
        from_django = call(path)
        assert (from_django.status, from_django.headers["X-Page-Cache"]) == (200, "miss"), path
        front, queries = counted(path)
        assert (front.status, front.headers["X-Page-Cache"]) == (200, "hit"), path
        # The front's copy (the shared cache is the rongthuk_cache table here), then the page versions.
        assert len(queries) == 2 and "FROM tenants_pageversion" in queries[1], (path, queries)
        assert "rongthuk_cache" in queries[0] and ":front:page:" in queries[0], (path, queries)
        assert {k: v for k, v in front.headers.items() if k not in PER_RESPONSE} == \
            {k: v for k, v in from_django.headers.items() if k not in PER_RESPONSE}, path
        assert _policy(front) == _policy(from_django), path
        if _nonce(from_django):
            assert _nonce(front) not in ("", _nonce(from_django)), path
            assert _nonce(front) in front.html
        for marker in MARKERS.values():
            assert marker not in front.html, path
    platform = call("/", host="localhost")
    assert platform.headers["X-Page-Cache"] == "miss"
    assert counted("/", host="localhost")[0].headers["X-Page-Cache"] == "hit"


def test_a_page_that_is_not_stored_costs_the_front_one_cache_read_and_no_query(banlat: LocalBody) -> None:
    call("/healthz")  # the host table read once
    answer, queries = counted("/healthz")
    assert (answer.status, "X-Page-Cache" in answer.headers) == (200, False)
    # The front looked for a copy (one read of the rongthuk_cache table), found none, and passed
    # the request on without reading the page versions; /healthz itself reads nothing.
    assert len(queries) == 1 and "rongthuk_cache" in queries[0] and ":front:page:" in queries[0], queries


def test_each_browser_gets_its_own_csrf_token_and_key_from_the_front_and_the_form_still_submits(
        banlat: LocalBody) -> None:
    call("/complaints/new/")
    newcomer = call("/complaints/new/")  # no cookie: a new CSRF secret, sent as Django sends it
    assert newcomer.headers["X-Page-Cache"] == "hit"
    secret = newcomer.cookies["csrftoken"].value
    token, key = _field(newcomer.html, "csrfmiddlewaretoken"), _field(newcomer.html, "idempotency_key")
    assert _unmask_cipher_token(token) == secret
    assert newcomer.cookies["csrftoken"]["httponly"] is True and newcomer.cookies["csrftoken"]["samesite"] == "Lax"
    assert "Cookie" in newcomer.headers["Vary"]
    again = call("/complaints/new/", cookies={"csrftoken": secret})  # the same browser: its own secret
    assert again.headers["X-Page-Cache"] == "hit"
    assert (again.cookies["csrftoken"].value, _unmask_cipher_token(_field(again.html, "csrfmiddlewaretoken"))) == \
        (secret, secret)
    assert _field(again.html, "csrfmiddlewaretoken") != token
    assert _field(again.html, "idempotency_key") != key
    other = call("/complaints/new/")
    assert other.cookies["csrftoken"].value != secret

    body = urlencode({**form_data(banlat), "csrfmiddlewaretoken": token, "idempotency_key": key})
    posted = call("/complaints/new/", method="POST", cookies={"csrftoken": secret}, body=body.encode())
    assert (posted.status, posted.headers["Location"]) == (302, "/complaints/receipt/")
    refused = call("/complaints/new/", method="POST", cookies={"csrftoken": other.cookies["csrftoken"].value},
                   body=body.encode())
    assert refused.status == 403


def test_a_session_a_flash_message_or_a_query_string_goes_to_django(banlat: LocalBody) -> None:
    call("/")
    assert call("/").headers["X-Page-Cache"] == "hit"
    for kwargs in ({"cookies": {"sessionid": "x"}}, {"cookies": {"messages": "x"}}, {"cookies": {"other": "x"}},
                   {"query": "utm_source=line"}):
        answer, queries = counted("/", **kwargs)  # type: ignore[arg-type]
        assert answer.status == 200
        assert len(queries) >= 2, kwargs  # Django's path: the schema switch, then the page's own reads
    head = call("/", method="HEAD")  # only GET is answered from the cache: Django's view allows no HEAD
    assert head.status == 405 and "X-Page-Cache" not in head.headers


def test_english_is_answered_apart_and_a_change_shows_at_once(banlat: LocalBody) -> None:
    call("/", cookies={"django_language": "en"})
    english = call("/", cookies={"django_language": "en"})
    assert english.headers["X-Page-Cache"] == "hit" and 'lang="en"' in english.html
    assert call("/").headers["X-Page-Cache"] == "miss"
    assert 'lang="th"' in call("/").html
    with schema_context(banlat.schema_name):
        body_profile_update(body=banlat, phone="032-491-888", actor=staff(banlat, "admin"))
    changed = call("/")
    assert changed.headers["X-Page-Cache"] == "miss" and "032-491-888" in changed.html
    assert call("/").headers["X-Page-Cache"] == "hit"


def test_a_suspended_body_is_closed_at_once_even_with_its_pages_stored(banlat: LocalBody) -> None:
    call("/track/")
    assert call("/track/").headers["X-Page-Cache"] == "hit"
    body_status_change(body=banlat, status=BodyStatus.SUSPENDED)
    cache.clear()  # this process's table, as the version row does for the others
    assert call("/track/").status == 503
