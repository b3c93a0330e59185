"""What a web process reads once, done before it serves (gunicorn's master, before forking).

A worker's first requests would otherwise pay for the host table (≈ 0.3 s of CPU for 15,700
domains), compiling the templates and loading the translation catalogues (≈ 1 s): with workers
replaced every max_requests, that is paid again and again. Done in the master, a fork inherits it.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from tenants import cache

logger = logging.getLogger(__name__)

TEMPLATES = (
    "portal/body_home.html", "portal/complaint_form.html", "portal/track.html", "portal/stats.html",
    "portal/platform_home.html", "sla/agreement.html", "tenants/unknown_host.html",
)


def process_warm() -> None:
    for language in ("th", "en"):
        with translation.override(language):
            translation.gettext("ร้องทุกข์")
    for name in TEMPLATES:
        get_template(name)
    get_resolver("rongthuk.urls_tenant").url_patterns  # noqa: B018 - populates the resolver
    get_resolver("rongthuk.urls_public").url_patterns  # noqa: B018
    try:
        cache.size()
    except DatabaseError:  # no database yet: each worker reads the table on its first request
        logger.warning("host table not read before forking", exc_info=True)
    finally:
        connections.close_all()
