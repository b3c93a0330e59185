"""Files through the staff API over real HTTP (a live server): a partner system with an
integration key uploads photos with a reply (multipart/form-data), and they pass the desk's
upload checks (re-encoded, EXIF and its location removed); a file of a refused type is a Thai
JSON refusal (English when asked) and nothing changes; the partner downloads what was stored; a
key without the personal-data scope downloads nothing."""

from __future__ import annotations

import io
import json
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from django_tenants.utils import schema_context
from PIL import Image

from api.integration_keys import integration_key_issue
from apps.accounts.models import User
from apps.complaints.models import Attachment, Category, ComplaintEvent, StaffMember
from tenants.models import LocalBody
from tests.api.test_national import _free_port
from tests.api.test_webhooks_http import _wait
from tests.conftest import _test_env

# A body of the standing registry no other test uses: this test's cases are committed there.
BODY = "6760118"


def _jpeg_with_location() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (99.0, 57.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    boundary = f"----rongthuk{secrets.token_hex(8)}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data, content_type in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def admin_and_key(body: LocalBody, username: str, name: str) -> tuple[User, str]:
    """A new admin of `body` and a write integration key with the personal-data scope (a clerk's role)
    issued by them: the admin and the raw key."""
    with schema_context(body.schema_name):
        admin = User.objects.create_user(username, None)
        StaffMember.objects.create(user=admin, role="admin")
        _token, raw = integration_key_issue(actor=admin, name=name, scope="write", personal_data=True, role="clerk")
    return admin, raw


class Partner:
    def __init__(self, port: int, host: str, key: str) -> None:
        self.port, self.host, self.key = port, host, key

    def call(self, method: str, path: str, body: bytes | None = None, content_type: str = "application/json",
             **headers: str) -> tuple[int, bytes, dict[str, str]]:
        request = urllib.request.Request(  # noqa: S310 - our own live server
            f"http://127.0.0.1:{self.port}{path}", method=method, data=body,
            headers={"Host": self.host, "Authorization": f"Bearer {self.key}", "Content-Type": content_type,
                     **headers})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def json(self, method: str, path: str, data: dict[str, Any] | None = None, **headers: str) -> tuple[int, Any]:
        status, body, _headers = self.call(method, path, json.dumps(data or {}).encode(), **headers)
        return status, json.loads(body)


def test_a_partner_uploads_photos_with_a_reply_and_downloads_them(committed: None) -> None:
    body = LocalBody.objects.get(dla_code=BODY)
    stamp = str(time.time_ns())[-9:]
    admin, raw = admin_and_key(body, f"files-admin-{stamp}", f"ระบบภาพถ่าย {stamp}")
    with schema_context(body.schema_name):
        _token, blind = integration_key_issue(actor=admin, name=f"แดชบอร์ด {stamp}", scope="read",
                                              personal_data=False, role="clerk")
        category = Category.objects.filter(national_category_id="road", is_active=True).order_by("position").first()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "rongthuk.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=_test_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    host = f"{body.slug}.localhost:{port}"
    partner = Partner(port, host, raw)
    try:
        _wait(port)
        status, created = partner.json("POST", "/api/staff/v1/complaints/", {
            "channel": "phone", "category": category.pk, "description": "ถนนเป็นหลุมหน้าโรงเรียน"})
        assert status == 201, created
        case = f"/api/staff/v1/complaints/{created['id']}/"
        original = _jpeg_with_location()
        assert Image.open(io.BytesIO(original)).getexif()[0x010F] == "PhoneMaker"
        data, content_type = _multipart({"text": "ออกสำรวจแล้ว ภาพตามแนบ"},
                                        [("attachments", "IMG_0001.jpg", original, "image/jpeg")])
        status, body_bytes, _h = partner.call("POST", f"{case}reply/", data, content_type,
                                              **{"Idempotency-Key": f"reply-{stamp}"})
        assert status == 200, body_bytes
        reply = json.loads(body_bytes)["complaint"]
        [attachment] = reply["attachments"]
        assert (attachment["content_type"], attachment["name"], attachment["is_public"]) == (
            "image/jpeg", "IMG_0001.jpg", True)

        # Refused: not an image or PDF, whatever its name says. Thai, or English when asked; nothing changes.
        with schema_context(body.schema_name):
            before = (ComplaintEvent.objects.filter(complaint_id=created["id"]).count(),
                      Attachment.objects.filter(complaint_id=created["id"]).count())
        fake, fake_type = _multipart({"text": "ไฟล์ปลอม"}, [("attachments", "photo.jpg", b"MZ\x90\x00 not an image",
                                                              "image/jpeg")])
        status, refused, headers = partner.call("POST", f"{case}reply/", fake, fake_type)
        assert (status, headers["Content-Type"]) == (400, "application/json")
        assert json.loads(refused) == {
            "field": "attachments", "message": "ไฟล์ “photo.jpg” ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF จึงไม่ได้บันทึก"}
        status, refused, _h = partner.call("POST", f"{case}reply/", fake, fake_type, **{"Accept-Language": "en"})
        assert status == 400
        assert json.loads(refused)["message"].startswith("“photo.jpg” is not")
        with schema_context(body.schema_name):
            assert (ComplaintEvent.objects.filter(complaint_id=created["id"]).count(),
                    Attachment.objects.filter(complaint_id=created["id"]).count()) == before

        # Down: what was stored, re-encoded, with no EXIF (no location, no device).
        status, downloaded, headers = partner.call("GET", f"{case}files/{attachment['id']}/")
        assert status == 200
        assert headers["Content-Type"] == "image/jpeg"
        assert downloaded != original and len(downloaded) == attachment["size"]
        image = Image.open(io.BytesIO(downloaded))
        assert (image.format, image.size) == ("JPEG", (640, 480))
        assert dict(image.getexif()) == {} and "exif" not in image.info

        # A key without the personal-data scope: the files are neither listed nor downloadable.
        dashboard = Partner(port, host, blind)
        status, seen = dashboard.json("GET", case)
        assert (status, seen["attachments"]) == (200, [])
        status, _body, _h = dashboard.call("GET", f"{case}files/{attachment['id']}/")
        assert status == 404
    finally:
        server.terminate()
        server.wait(timeout=20)
