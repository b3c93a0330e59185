"""A cached citizen page answered before Django's middleware stack: the WSGI front.

Profiled, a page served from the shared cache spent most of its time outside the cache — the
sixteen middleware (sessions, authentication, the second factor, axes, messages, input checks),
URL resolution and the response's pass back through them — not in the cache read. The front sits in
front of the Django application (rongthuk.wsgi) and answers an anonymous GET of a page that is
already stored with: the host → body from the process's table (tenants.cache), the language from the
language cookie (as rongthuk.middleware does: Thai unless English was chosen), one read of the
shared cache and, when the page is there, the page versions (one query,
apps.portal.page_cache.page_versions); then the page's holes are filled for this response (a new
CSP nonce; the CSRF token from the browser's own CSRF cookie or a new one, apps.portal.csrf_tokens,
and that cookie sent as Django's CSRF middleware sends it; a new idempotency key for each form),
and the bytes go out.

What it answers is exactly what Django stored: when Django serves a cached page (apps.portal.
page_cache, hit or miss) to a request the front would take, the front keeps that response's
headers — all that the middleware added, the CSP with its nonce made a placeholder, without
Set-Cookie — beside the stored page's body, under the same key and version. The version is read
for every request, so what invalidates the page invalidates the front's copy at the same moment.

It takes only what cannot be personal or per-session: GET with no query string, on an active
body's (or the platform's) own host, over the scheme the settings would not redirect, carrying no
cookie but the CSRF and language cookies (no session, no flash message). Anything else — and any
error of the database or the cache — goes to Django as before. `X-Page-Cache: hit` either way.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.middleware.csrf import CsrfViewMiddleware

from apps.portal import page_cache
from tenants import cache as host_cache
from tenants.models import BodyStatus

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

PREFIX = "front:"
_PATH = re.compile(r"^/[A-Za-z0-9/._-]*$")
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
_NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")
_CSP = ("content-security-policy", "content-security-policy-report-only")
# Headers of the response Django gave that belong to that response only.
_DROP = {"set-cookie", "content-length", "x-page-cache", "date", "server", "connection"}


def _cookie_names(environ: dict[str, Any]) -> set[str]:
    raw = environ.get("HTTP_COOKIE", "")
    return {part.split("=", 1)[0].strip() for part in raw.split(";") if part.strip()}


def _eligible(environ: dict[str, Any]) -> bool:
    """The request side: what the front may take (and what it may learn from)."""
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING") or environ.get("SCRIPT_NAME"):
        return False
    if not settings.PORTAL_PAGE_CACHE or not _PATH.match(environ.get("PATH_INFO", "")):
        return False
    if not _HOST.match(environ.get("HTTP_HOST", "")):
        return False
    return _cookie_names(environ) <= {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def _language(request: WSGIRequest) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in dict(settings.LANGUAGES) else str(settings.LANGUAGE_CODE)


def _where(request: WSGIRequest) -> tuple[str, str] | None:
    """(schema, key) of the page the request asks for, or None when the front must not answer it."""
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    domain = host_cache.lookup(split_domain_port(host)[0])
    if domain is None or domain.redirect or domain.tenant.status != BodyStatus.ACTIVE:
        return None
    schema = domain.tenant.schema_name
    address = f"{request.scheme}://{host}{request.path}?"
    return schema, page_cache.page_key(schema=schema, language=_language(request), address=address)


class _Redis:
    client: Any = None


_redis = _Redis()


def _read(key: str) -> Any:
    """caches["shared"].get(key), with one Redis client kept for the process: Django's RedisCache
    makes a client for every call, which cost a cached page a tenth of its CPU (profiled)."""
    store = caches["shared"]
    if not isinstance(store, RedisCache):
        return store.get(key)
    if _redis.client is None:
        _redis.client = store._cache.get_client(write=False)
    raw = _redis.client.get(store.make_and_validate_key(key))
    return None if raw is None else store._cache._serializer.loads(raw)  # type: ignore[attr-defined]


class PageFront:
    """WSGI middleware: cached citizen pages from the front, everything else from `app`."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.csrf = CsrfViewMiddleware(lambda request: HttpResponse())

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not _eligible(environ):
            return self.app(environ, start_response)
        request = WSGIRequest(environ)
        try:
            where = _where(request)
            if where is not None:
                answered = self._answer(request, *where)
                if answered is not None:
                    status, headers, body = answered
                    start_response(status, headers)
                    return [body]
        except Exception:  # noqa: BLE001 - the database or the cache (Redis's own errors): Django copes
            logger.warning("page front passed a request on", exc_info=True)
            where = None
        return self._through(environ, start_response, where)

    def _answer(self, request: WSGIRequest, schema: str, key: str) -> tuple[str, list[tuple[str, str]], bytes] | None:
        # The page first: a page that is not stored (most of all what is never stored — /healthz,
        # the API, static names) costs one cache read and no query. The versions are read after it,
        # at this moment: what changed before this request moved them, so a stale copy is refused.
        entry = _read(PREFIX + key)
        if entry is None or entry.get("version") != page_cache.page_versions(schema=schema):
            return None
        nonce = base64.b64encode(os.urandom(16)).decode("ascii")  # as django-csp makes one
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        self.csrf.process_request(request)  # the browser's CSRF secret, when its cookie is sound
        response = HttpResponse(page_cache.fill(request, zlib.decompress(entry["body"])))
        marker = page_cache.MARKERS["csp_nonce"]
        for header, value in entry["headers"]:
            response[header] = value.replace(marker, nonce) if header.lower() in _CSP else value
        self.csrf.process_response(request, response)  # the CSRF cookie, when the page used the token
        response["X-Page-Cache"] = "hit"
        headers = [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())]
        headers.append(("Content-Length", str(len(response.content))))
        return "200 OK", headers, response.content

    def _through(self, environ: dict[str, Any], start_response: StartResponse,
                 where: tuple[str, str] | None) -> Iterable[bytes]:
        """Django answers; a cached page it served to an eligible request is kept for the front."""
        seen: list[Any] = []

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen[:] = [status, headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.app(environ, keep)
        served = environ.get(page_cache.SERVED)
        if served is not None and where is not None and seen and seen[0].startswith("200 "):
            key, entry, ttl = served
            if key == where[1]:
                self._keep(seen[1], key, entry, ttl)
        return result

    def _keep(self, headers: list[tuple[str, str]], key: str, entry: dict[str, Any], ttl: int) -> None:
        marker = page_cache.MARKERS["csp_nonce"]
        kept = []
        for header, value in headers:
            name = header.lower()
            if name == "set-cookie" and not value.strip().startswith(settings.CSRF_COOKIE_NAME + "="):
                return  # a cookie of another kind: this response is not one to repeat
            if name in _DROP:
                continue
            kept.append((header, _NONCE.sub(f"'nonce-{marker}'", value) if name in _CSP else value))
        try:
            caches["shared"].set(PREFIX + key, {"version": entry["version"], "body": entry["body"],
                                                "headers": kept}, ttl)
        except Exception:  # noqa: BLE001 - the cache's own errors: the page is simply not kept
            logger.warning("page front could not keep a page", exc_info=True)
