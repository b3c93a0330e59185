"""The signature every webhook delivery carries (README, "Webhooks").

    X-Rongthuk-Timestamp: <unix seconds of this attempt>
    X-Rongthuk-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>

A receiver recomputes the HMAC over the timestamp, a dot and the raw body bytes, compares in
constant time, and refuses a timestamp older than its replay window (5 minutes is usual). The
event id (X-Rongthuk-Event-Id, and `id` in the body) is the same on every attempt: dedupe on it."""

from __future__ import annotations

import hashlib
import hmac
import time

VERSION = "v1"
REPLAY_WINDOW_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{VERSION}={mac}"


def verify(secret: str, timestamp: str, body: bytes, header: str, *, now: float | None = None,
           window: int = REPLAY_WINDOW_SECONDS) -> bool:
    """What a receiver does (the README's snippet is this function)."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - sent) > window:
        return False
    expected = signature(secret, sent, body)
    return any(hmac.compare_digest(expected, part.strip()) for part in header.split(","))
