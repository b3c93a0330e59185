"""Reporting facts written straight into the table (the complaint service writes them in real use)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from apps.accounts.models import User
from apps.oversight.services import oversight_profile_set
from apps.reporting.models import ComplaintFact
from tenants.models import LocalBody

_seq = itertools.count(1)
BKK = dt.timezone(dt.timedelta(hours=7))


def fact(body: LocalBody, *, received: dt.datetime, **extra: Any) -> ComplaintFact:
    n = next(_seq)
    values: dict[str, Any] = {
        "body": body, "province_code": body.province_id, "district_code": body.district_id or "",
        "complaint_id": n, "tracking_code": f"T{n:08d}"[:12], "national_category": "road",
        "sla_class": "B", "channel": "web", "status": "received", "received_at": received,
        "cycle_started_at": received,
    }
    values.update(extra)
    return ComplaintFact.objects.create(**values)


def officer(username: str, level: str, code: str = "") -> User:
    user = User.objects.create_user(username, "pw-officer-1", full_name=f"officer {username}")
    oversight_profile_set(user=user, level=level, code=code)
    return user
