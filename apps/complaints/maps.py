"""The tile server of a body's maps, for the staff case page's map.

A body may set its own on its public profile (`portal.BodyProfile`, apps.portal, above complaints);
apps.portal lends the read of it from its AppConfig.ready() (README "Architecture"). None
registered: the platform's PORTAL_TILE_URL."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from tenants.models import LocalBody

TileSource = Callable[[LocalBody], str]
_tile_sources: list[TileSource] = []


def tile_source_register(source: TileSource) -> None:
    _tile_sources[:] = [source]


def tile_url_for(*, body: LocalBody | None) -> str:
    if body is not None and _tile_sources:
        return _tile_sources[0](body)
    return str(getattr(settings, "PORTAL_TILE_URL", ""))
