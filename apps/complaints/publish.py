"""Sending a task after commit without ever holding up the request.

The work a task does is already recorded in the database (the outbox) before it is published,
so publishing is only a shortcut: if the broker is absent, refuses, or accepts the connection
and never answers, the request waits at most TASK_PUBLISH_TIMEOUT seconds and the periodic sweep
does the work later. The publish runs on a small thread pool so that a hung socket is abandoned
by the request, not waited for; kombu's own socket timeouts end the abandoned attempt.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _executor() -> ThreadPoolExecutor:
    """One pool per process (a forked worker or web process gets its own: threads do not fork)."""
    global _pool  # noqa: PLW0603
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(max_workers=4, thread_name_prefix="publish"))
        return _pool[1]


def publish_after_commit(task: Any, *, schema: str, args: list[Any], timeout: float | None = None) -> bool:
    """Send `task(*args)` to run in the body's schema; True if the broker took it in time.
    Never raises: a False leaves the work to the sweep."""
    limit = settings.TASK_PUBLISH_TIMEOUT if timeout is None else timeout

    def send() -> None:
        # The schema goes in the header explicitly: this thread's connection is not the caller's.
        task.apply_async(args=args, headers={"_schema_name": schema}, retry=False)

    try:
        future: Future[None] = _executor().submit(send)
        future.result(timeout=limit)
    except FutureTimeout:
        logger.warning("publishing %s took over %ss: left to the outbox sweep", task.name, limit)
        return False
    except Exception:  # noqa: BLE001 - the broker is down: the sweep does the work later
        logger.warning("publishing %s failed: left to the outbox sweep", task.name, exc_info=True)
        return False
    return True
