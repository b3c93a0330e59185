"""Shared helpers for complaint tests: file a case in a body as a citizen or a clerk."""

from __future__ import annotations

from apps.accounts.models import User
from apps.complaints.models import Category
from apps.complaints.services.intake import SubmitResult, complaint_submit
from apps.complaints.validation import Complainant

SOMCHAI = Complainant(name="สมชาย ใจดี", phone="0812345678", email="somchai@example.com",
                      national_id="1101700203450", address="12 หมู่ 3 ต.บ้านลาด")


def category(code: str = "streetlight") -> Category:
    return Category.objects.get(national_category_id=code)


def file_complaint(code: str = "streetlight", *, complainant: Complainant | None = SOMCHAI, channel: str = "web",
                   actor: User | None = None, **extra: object) -> SubmitResult:
    return complaint_submit(channel=channel, category=category(code),
                            description="ไฟถนนหน้าวัดดับมา 3 คืนแล้ว", complainant=complainant,
                            actor=actor, **extra)
