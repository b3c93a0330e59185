"""The admin connects the body's LINE account: secrets encrypted, never shown again, audited."""

from __future__ import annotations

from django_tenants.utils import schema_context

from apps.audit.models import AuditEntry
from apps.line.models import LineChannel
from apps.line.services import line_credentials
from tests.apps.complaints.staff_helpers import signed_in

SECRET = "fedcba9876543210fedcba9876543210"
TOKEN = "long-lived-token-abc123"  # noqa: S105 - test data


def test_admin_connects_line_and_the_secrets_are_never_shown_again(banlat):
    admin = signed_in(banlat, "admin")
    page = admin.get("/staff/admin/line/")
    assert page.status_code == 200
    assert "https://banlat.localhost/line/webhook/" in page.content.decode()
    assert "ยังไม่ได้เชื่อมต่อ" in page.content.decode()

    saved = admin.post("/staff/admin/line/", {"channel_id": "2000123456", "channel_secret": SECRET,
                                              "access_token": TOKEN})
    assert (saved.status_code, saved["Location"]) == (302, "/staff/admin/line/")
    shown = admin.get("/staff/admin/line/").content.decode()
    assert "2000123456" in shown
    assert SECRET not in shown and TOKEN not in shown
    with schema_context(banlat.schema_name):
        channel = LineChannel.objects.get()
        assert SECRET not in channel.secret_encrypted and TOKEN not in channel.token_encrypted
        credentials = line_credentials()
        assert credentials is not None and (credentials.secret, credentials.token) == (SECRET, TOKEN)
        entry = AuditEntry.objects.filter(kind="line.connect").latest("id")
        assert entry.changes == {"before": {}, "after": {"channel_id": "2000123456", "secret": "***", "token": "***"}}

    # Only the id changed: blank secret fields keep what is stored.
    admin.post("/staff/admin/line/", {"channel_id": "2000999999", "channel_secret": "", "access_token": ""})
    with schema_context(banlat.schema_name):
        credentials = line_credentials()
        assert credentials is not None and (credentials.secret, credentials.token) == (SECRET, TOKEN)
        assert LineChannel.objects.get().channel_id == "2000999999"
        assert AuditEntry.objects.filter(kind="line.update").latest("id").changes == {
            "before": {"channel_id": "2000123456"}, "after": {"channel_id": "2000999999"}}


def test_bad_secret_is_refused_in_thai_and_nothing_saved(banlat):
    response = signed_in(banlat, "admin").post("/staff/admin/line/", {
        "channel_id": "2000123456", "channel_secret": "not-a-secret", "access_token": TOKEN})
    assert response.status_code == 200
    assert "Channel secret ต้องเป็นเลขฐานสิบหก 32 หลัก" in response.content.decode()
    with schema_context(banlat.schema_name):
        assert not LineChannel.objects.exists()


def test_officer_cannot_see_or_change_the_line_account(banlat):
    officer = signed_in(banlat, "officer")
    assert officer.get("/staff/admin/line/").status_code == 403
    assert officer.post("/staff/admin/line/", {"channel_id": "1", "channel_secret": SECRET,
                                               "access_token": TOKEN}).status_code == 403
    with schema_context(banlat.schema_name):
        assert not LineChannel.objects.exists()
