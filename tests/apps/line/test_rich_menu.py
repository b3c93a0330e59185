"""The body's rich menu is made through the Messaging API when its account is connected: the
menu (three postback areas: แจ้งเรื่อง, เรื่องของฉัน, ข้อตกลงบริการ), its image on LINE's data
host, and the default for every user, against the fake LINE platform over real HTTP."""

from __future__ import annotations

import io

import pytest
from django_tenants.utils import schema_context
from PIL import Image

from apps.line import client
from apps.line.models import LineChannel
from apps.line.rich_menu import line_rich_menu_setup
from tests.apps.complaints.staff_helpers import signed_in


def test_connecting_the_account_queues_the_rich_menu_and_the_task_makes_it(  # type: ignore[no-untyped-def]
        line, banlat, django_capture_on_commit_callbacks) -> None:
    admin = signed_in(banlat, "admin")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin.post("/staff/admin/line/", {"channel_id": "2000000001", "channel_secret": "",
                                                     "access_token": ""})
    assert response.status_code == 302
    assert len(callbacks) == 1  # the rich menu task, published after commit
    with schema_context(banlat.schema_name):
        menu_id = line_rich_menu_setup()
        assert LineChannel.objects.get().rich_menu_id == menu_id
    made = line.rich_menus[menu_id]
    assert line.default_rich_menu == menu_id
    assert [(a["action"]["data"], a["action"]["displayText"]) for a in made["menu"]["areas"]] == [
        ("a=file", "แจ้งเรื่อง"), ("a=mine", "เรื่องของฉัน"), ("a=sla", "ข้อตกลงบริการ")]
    assert [a["bounds"]["width"] for a in made["menu"]["areas"]] == [833, 833, 834]
    image = Image.open(io.BytesIO(made["image"]))
    assert (made["content_type"], image.format, image.size) == ("image/png", "PNG", (2500, 843))


def test_line_down_is_an_error_the_task_retries(line, banlat) -> None:  # type: ignore[no-untyped-def]
    line.down = True
    with schema_context(banlat.schema_name), pytest.raises(client.LineUnavailable):
        line_rich_menu_setup()
    with schema_context(banlat.schema_name):
        assert LineChannel.objects.get().rich_menu_id == ""
