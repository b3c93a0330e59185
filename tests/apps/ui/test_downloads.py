"""A file someone uploaded is always a sandboxed download, whoever serves it."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.oversight.models import Directive
from tests.apps.oversight.factories import officer
from tests.hostile import files
from tests.signin import verified_login


def test_directive_attachment_is_a_sandboxed_download(db, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    client = verified_login(Client(HTTP_HOST="localhost"), officer("district-dl", "district", "7606"))
    letter = SimpleUploadedFile("หนังสือ.pdf", files.pdf(), content_type="application/pdf")
    response = client.post("/oversight/directives/new/", {
        "title": "เร่งรัดการประกาศ SLA", "requirements": "ack", "remind_days_before": 3,
        "due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(), "attachment": letter})
    assert response.status_code == 302, response.content.decode()[:2000]
    directive = Directive.objects.get(title="เร่งรัดการประกาศ SLA")
    download = client.get(f"/oversight/directives/{directive.pk}/attachment/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
