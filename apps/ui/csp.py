"""The map tile server in the Content-Security-Policy: images come from the app itself, the pages'
own data: and blob: images, and the one tile server configured (the platform's PORTAL_TILE_URL,
or a body's own in its profile) — never from any https origin."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import urlsplit

from django.http.response import HttpResponseBase

Response = TypeVar("Response", bound=HttpResponseBase)


def tile_origin(url: str) -> str | None:
    """The origin a {z}/{x}/{y} tile URL loads from, as a CSP source: `https://tile.example.org`,
    `https://*.tile.example.org` for a {s} sub-domain; None for a relative URL (the app's own origin)
    or one that is not http(s)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    if host.startswith("{s}."):
        host = "*." + host[4:]
    if "{" in host or "}" in host or " " in host or ";" in host or "," in host or "'" in host:
        return None
    return f"{parts.scheme}://{host}"


def allow_tiles_from(response: Response, url: str) -> Response:
    """Add this page's tile server to its img-src (django-csp's per-response update)."""
    origin = tile_origin(url)
    if origin:
        response._csp_update = {"img-src": [origin]}  # type: ignore[attr-defined]
    return response
