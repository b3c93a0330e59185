"""The national admin's lifecycle page: refusals are Thai, a 400, and change nothing; only the
platform's administrators reach it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from tenants import cache
from tenants.models import BodyStatus, LocalBody
from tests.signin import verified_login

SAMPHRAYA = "6760406"


@pytest.fixture(autouse=True)
def _hosts_forgotten() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _page(body: LocalBody) -> str:
    return reverse("admin:tenants_localbody_lifecycle", args=[body.pk], urlconf="rongthuk.urls_public")


def test_a_refused_change_is_a_thai_400_and_changes_nothing(db: None) -> None:
    client = verified_login(Client(HTTP_HOST="localhost"),
                            User.objects.create_superuser("national-life", "long-enough-password-9"))
    body = LocalBody.objects.get(dla_code=SAMPHRAYA)
    for data, message in (
        ({"action": "upgrade", "new_code": "4760401", "kind": "town"}, "รหัส 4760401 เป็นของเทศบาลเมืองชะอำอยู่แล้ว"),
        ({"action": "upgrade", "new_code": "12ab", "kind": "town"},
         "รหัส อปท. ใหม่ต้องเป็นตัวเลข 7 หลักขึ้นต้นด้วย 2–6 ได้รับ &#x27;12ab&#x27;"),
        ({"action": "merge_dry_run", "into": "9999999"}, "ไม่พบหน่วยงานที่รับการรวมตามรหัสที่ระบุ"),
        ({"action": "merge", "into": SAMPHRAYA}, "หน่วยงานที่ถูกรวมกับหน่วยงานที่รับต้องเป็นคนละหน่วยงาน"),
        ({"action": "rename", "name_th": " "}, "กรุณาระบุชื่อใหม่ของหน่วยงาน"),
    ):
        response = client.post(_page(body), data)
        assert response.status_code == 400 and message in response.content.decode(), data
    after = LocalBody.objects.get(pk=body.pk)
    assert (after.dla_code, after.name_th, after.status) == (SAMPHRAYA, "สามพระยา", BodyStatus.ACTIVE)


def test_only_the_platforms_administrators_reach_the_page(db: None) -> None:
    body = LocalBody.objects.get(dla_code=SAMPHRAYA)
    response = Client(HTTP_HOST="localhost").get(_page(body))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Client(HTTP_HOST="localhost").post(_page(body), {"action": "rename", "name_th": "x"}).status_code == 302
    assert LocalBody.objects.get(pk=body.pk).name_th == "สามพระยา"
