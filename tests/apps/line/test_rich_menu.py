"""The body's rich menu is made through the Messaging API when its account is connected, as an
outbox delivery (LINE down: retried with backoff, found again by the sweep): the menu (three
postback areas: แจ้งเรื่อง, เรื่องของฉัน, ข้อตกลงบริการ), its image on LINE's data host, and the
default for every user, against the fake LINE platform over real HTTP."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django_tenants.utils import schema_context
from PIL import Image

from apps.complaints import notifications
from apps.complaints.models import Notification, OutboxStatus
from apps.line import client
from apps.line.models import LineChannel
from apps.line.rich_menu import line_rich_menu_setup
from apps.reporting.models import OutboxEntry
from tests.apps.complaints.staff_helpers import signed_in


def _menu_deliveries() -> list[Notification]:
    return list(Notification.objects.filter(channel="line_menu").order_by("id"))


def test_connecting_the_account_queues_the_rich_menu_and_the_outbox_makes_it(  # type: ignore[no-untyped-def]
        line, banlat, django_capture_on_commit_callbacks) -> None:
    admin = signed_in(banlat, "admin")
    with schema_context(banlat.schema_name):
        before = len(_menu_deliveries())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin.post("/staff/admin/line/", {"channel_id": "2000000001", "channel_secret": "",
                                                     "access_token": ""})
    assert response.status_code == 302
    assert len(callbacks) == 1  # the outbox's delivery, published after commit
    with schema_context(banlat.schema_name):
        queued = _menu_deliveries()[before:]
        assert [(n.recipient, n.status) for n in queued] == [("2000000001", OutboxStatus.PENDING)]
        assert OutboxEntry.objects.filter(body=banlat, notification_id=queued[0].pk).exists()  # the sweep's pointer
        assert notifications.deliver([queued[0].pk]) == 1
        menu_id = LineChannel.objects.get().rich_menu_id
        queued[0].refresh_from_db()
        assert (queued[0].status, queued[0].provider_message_id) == (OutboxStatus.SENT, menu_id)
    made = line.rich_menus[menu_id]
    assert line.default_rich_menu == menu_id
    assert [(a["action"]["data"], a["action"]["displayText"]) for a in made["menu"]["areas"]] == [
        ("a=file", "แจ้งเรื่อง"), ("a=mine", "เรื่องของฉัน"), ("a=sla", "ข้อตกลงบริการ")]
    assert [a["bounds"]["width"] for a in made["menu"]["areas"]] == [833, 833, 834]
    image = Image.open(io.BytesIO(made["image"]))
    assert (made["content_type"], image.format, image.size) == ("image/png", "PNG", (2500, 843))


def test_line_down_when_the_account_is_connected_the_sweep_makes_the_menu_later(  # type: ignore[no-untyped-def]
        line, banlat) -> None:
    line.down = True
    with schema_context(banlat.schema_name):
        queued = _menu_deliveries()[-1]  # the one the fixture's connection queued
        with pytest.raises(client.LineUnavailable):
            line_rich_menu_setup()
        assert notifications.deliver([queued.pk]) == 0
        queued.refresh_from_db()
        assert (queued.status, queued.attempts, queued.last_error) == (
            OutboxStatus.PENDING, 1, "LINE rich menu answered 500")
        assert LineChannel.objects.get().rich_menu_id == ""
        entry = OutboxEntry.objects.get(body=banlat, notification_id=queued.pk)
        assert entry.due_at == queued.next_attempt_at  # the sweep comes back for it
        line.down = False
        with time_machine.travel(queued.next_attempt_at + dt.timedelta(seconds=1), tick=False):
            assert notifications.deliver([queued.pk]) == 1
        menu_id = LineChannel.objects.get().rich_menu_id
    assert menu_id in line.rich_menus and line.default_rich_menu == menu_id
