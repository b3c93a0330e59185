"""Work that follows a stored complaint on the citizen's request path.

Once the case is committed the citizen must get the receipt with the tracking code and the second
factor: a throttle counter that cannot be written, or an SLA deadline that cannot be read, is
logged and skipped, never turned into an error page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django.http import HttpRequest

from . import page_cache

logger = logging.getLogger(__name__)
T = TypeVar("T")


def receipt_after_commit(work: Callable[[], T], *, default: T | None = None) -> T | None:
    try:
        # A savepoint when a transaction is open (ATOMIC_REQUESTS), so a failed statement
        # does not poison what follows.
        with transaction.atomic():
            return work()
    except Exception:  # noqa: BLE001 - whatever it was, the case is stored and the receipt must show
        logger.exception("work after a stored complaint failed; the receipt is shown without it")
        return default


def new_form_key(request: HttpRequest) -> str:
    """The intake form's hidden idempotency key: kept across a re-shown form, so sending the same
    page twice (a double click, a retry after a timeout) files one case."""
    sent = request.POST.get("idempotency_key", "") if request.method == "POST" else ""
    if sent and len(sent) <= 64 and sent.isascii() and sent.isprintable():
        return sent
    return page_cache.hole(request, "form_key")  # a new one for every response, cached page or not
