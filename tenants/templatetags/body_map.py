"""`{% body_map_context %}`: the JSON a body's maps draw without tiles (tenants.map_context), as a
<script type="application/json" id="map-context">, read by apps/ui/static/ui/js/basemap.js."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tenants.map_context import body_map_context as _context

register = template.Library()


@register.simple_tag(takes_context=True)
def body_map_context(context: dict[str, Any], tiles: str = "") -> SafeString:
    """`tiles`: the page's tile URL; the platform's own is credited with PORTAL_TILE_ATTRIBUTION,
    a body's own server by its host name."""
    request = context.get("request")
    body = getattr(request, "tenant", None)
    if body is None or body.schema_name == "public":
        return SafeString("")
    data = _context(body, english=(get_language() or "th").startswith("en"))
    if tiles:
        data["attribution"] = str(settings.PORTAL_TILE_ATTRIBUTION) if tiles == settings.PORTAL_TILE_URL \
            else _("แผนที่พื้นหลัง: %(host)s") % {"host": urlsplit(tiles).hostname or tiles[:60]}
    return json_script(data, "map-context")
