"""What a signed-in session records, shared by the staff pages, the staff API and the sign-in views."""

from __future__ import annotations

# The schema a staff session was opened on. Sessions live in the body's schema already; the stamp
# is a second lock, so a session can never be honoured on another body's host.
SESSION_SCHEMA = "staff_schema"
# Unix times of the sign-in and of the last request (idle and absolute timeouts).
SESSION_SINCE = "auth_since"
SESSION_SEEN = "auth_seen"
