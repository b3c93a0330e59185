"""Citizen pages from the shared cache.

A page is stored once per body schema, language, scheme, host, path and query, under the version of
what it shows: the host table's version (any change to a body or domain), the national page
version and the body's (tenants.PageVersion: bumped by database triggers in the transaction that
changes a profile, an agreement, the framework, the national categories or the geography, and by
the category service) and the local date (an agreement published for a later date comes into
force at midnight). Pages with figures (the body's home, /stats/) also expire after
PORTAL_FIGURES_STALENESS seconds: a new complaint is counted within that time.

Nothing personal is ever stored: only GET responses with status 200 of pages that read no session
(citizen pages), never for a browser that carries a flash message, and never for a query string
the page does not declare. What differs per response is a *hole*: the CSRF token, the CSP nonce
and the complaint form's idempotency key are rendered as placeholders and filled for every
response, from the cache or not, so every browser gets its own token (and its CSRF cookie) and
every form its own key.

Once stored, an anonymous GET of such a page is answered before Django's middleware by the WSGI
front (apps.portal.page_front) from the same key and version, with the headers Django gave it.

The shared cache is CACHES["shared"]: Redis when configured, else the `rongthuk_cache` table —
shared by every web process, transactional, no server to run (`make demo`, the tests), and one
primary-key read per page.
"""

from __future__ import annotations

import hashlib
import secrets
import zlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from apps.portal import csrf_tokens
from tenants import cache as host_cache
from tenants.models import PageVersion
from tenants.requests import BodyRequest

_RENDERING = "_page_cache_rendering"
NATIONAL = ""


def _fill_csrf(request: HttpRequest) -> str:
    return csrf_tokens.get_token(request)  # Django's get_token, six times cheaper


def _fill_nonce(request: HttpRequest) -> str:
    return str(getattr(request, "csp_nonce", ""))


def _fill_form_key(request: HttpRequest) -> str:
    return secrets.token_urlsafe(18)


FILLERS: dict[str, Callable[[HttpRequest], str]] = {
    "csrf_token": _fill_csrf, "csp_nonce": _fill_nonce, "form_key": _fill_form_key,
}


def _marker(name: str) -> str:
    # The same in every process (cached pages are filled by whichever process serves them); made
    # from SECRET_KEY, so no text a page shows can forge one.
    return "ph" + salted_hmac("rongthuk.page-cache.hole", name).hexdigest()[:24]


MARKERS = {name: _marker(name) for name in FILLERS}
_MARKER_BYTES = {name: marker.encode() for name, marker in MARKERS.items()}


def rendering_for_cache(request: HttpRequest) -> bool:
    return bool(getattr(request, _RENDERING, False))


def hole(request: HttpRequest, name: str) -> str:
    """The value for this response, or its placeholder while the page is rendered for the cache."""
    return MARKERS[name] if rendering_for_cache(request) else FILLERS[name](request)


def _fill(request: HttpRequest, content: bytes) -> bytes:
    for name, marker in _MARKER_BYTES.items():
        if marker in content:
            # Each occurrence gets the same value: one CSRF token per response is what Django does.
            content = content.replace(marker, FILLERS[name](request).encode())
    return content


def page_versions(*, schema: str) -> tuple[object, ...]:
    """Everything a page's key depends on besides its address. One query."""
    # Plain SQL: the ORM's query building was a fifth of a cached page's CPU (profiled).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT scope, version FROM {PageVersion._meta.db_table} WHERE scope IN (%s, %s)",  # noqa: S608
                       [NATIONAL, schema if schema != "public" else NATIONAL])
        found = dict(cursor.fetchall())
    return (host_cache.version(), found.get(NATIONAL, 0), found.get(schema, 0) if schema != "public" else 0,
            timezone.localdate().isoformat())


def _cacheable(request: HttpRequest, params: tuple[str, ...]) -> bool:
    if not settings.PORTAL_PAGE_CACHE or request.method != "GET":
        return False
    if CookieStorage.cookie_name in request.COOKIES:  # a flash message waits for this browser
        return False
    return all(key in params and len(request.GET.getlist(key)) == 1 for key in request.GET)


def page_key(*, schema: str, language: str, address: str) -> str:
    """The shared cache's key of a page: `address` is scheme://host/path?query (sorted "k=v" pairs)."""
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"page:{schema}:{language}:{digest}"


def _key(request: HttpRequest, schema: str) -> str:
    query = "&".join(f"{k}={request.GET[k]}" for k in sorted(request.GET))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return page_key(schema=schema, language=translation.get_language(), address=address)


def fill(request: HttpRequest, content: bytes) -> bytes:
    """The page's holes filled for this response (apps.portal.page_front serves pages with it too)."""
    return _fill(request, content)


def _response(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(_fill(request, zlib.decompress(entry["body"])), status=200)
    for header, value in entry["headers"]:
        response[header] = value
    return response


SERVED = "rongthuk.page_cache"


def _served(request: HttpRequest, key: str, entry: dict[str, Any], ttl: int) -> None:
    # For the WSGI front (apps.portal.page_front), which sees the finished response: the WSGI
    # environ is request.META.
    request.META[SERVED] = (key, entry, ttl)


def cached_page(*, params: tuple[str, ...] = (), figures: bool = False) -> Callable[..., Any]:
    """Serve a citizen GET page from the shared cache. `params`: the query parameters the page
    reads (any other parameter: rendered, not stored); `figures`: it shows statistics."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: BodyRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not _cacheable(request, params):
                return view(request, *args, **kwargs)
            schema = request.tenant.schema_name
            store = caches["shared"]
            key = _key(request, schema)
            version = page_versions(schema=schema)  # read before the page: a change after it moves it
            entry = store.get(key)
            ttl = settings.PORTAL_FIGURES_STALENESS if figures else settings.PORTAL_PAGE_TTL
            if entry is not None and entry.get("version") == version:
                _served(request, key, entry, ttl)
                response = _response(request, entry)
                response["X-Page-Cache"] = "hit"
                return response
            setattr(request, _RENDERING, True)
            try:
                rendered = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDERING, False)
            if not isinstance(rendered, HttpResponse) or rendered.streaming:
                return rendered
            response = rendered
            if response.status_code == 200 and not response.cookies:
                headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
                entry = {"version": version, "body": zlib.compress(response.content, 1), "headers": headers}
                store.set(key, entry, ttl)
                _served(request, key, entry, ttl)
            response.content = _fill(request, response.content)
            response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorate
