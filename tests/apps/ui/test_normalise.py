"""The one normalisation step (apps.ui.normalise) and where it is applied at the request's edge."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.ui.normalise import Refused, normalise, normalise_data, safe_file_name


@pytest.mark.parametrize(("value", "code"), [
    ("a\x00b", "nul"), ("a\x07b", "control"), ("a\x1bb", "control"), ("a\x85b", "control"),
    ("invoice\u202egpj.exe", "bidi"), ("a\u2066b", "bidi"), ("e" + "\u0301" * 5, "combining"),
])
def test_refused_everywhere(value: str, code: str) -> None:
    for kind in ("text", "line", "name", "code", "number"):
        with pytest.raises(Refused) as caught:
            normalise(value, kind=kind)  # type: ignore[arg-type]
        assert caught.value.code == code


def test_nfc_and_kinds() -> None:
    decomposed = "e\u0301"  # é as e + combining acute
    assert normalise(decomposed) == "\u00e9"
    assert normalise("ไฟ\u200bถนน\nดับ 👷\u200d♀️") == "ไฟ\u200bถนน\nดับ 👷\u200d♀️"  # free text keeps them
    assert normalise("สม\u200bชาย\u200d ใจดี", kind="name") == "สมชาย ใจดี"
    assert normalise("๐๘๑-๒๓๔-๕๖๗๘", kind="number") == "081-234-5678"
    assert normalise("ไม้ยมก น้ำ กั๊ก") == "ไม้ยมก น้ำ กั๊ก"  # Thai stacks stay
    with pytest.raises(Refused):
        normalise("line one\nline two", kind="line")


def test_json_depth_is_bounded_without_recursion() -> None:
    deep: object = "x"
    for _ in range(50):
        deep = [deep]
    with pytest.raises(Refused) as caught:
        normalise_data(deep, max_depth=20)
    assert caught.value.code == "depth"
    assert normalise_data({"e\u0301": ["e\u0301", 1, None]}) == {"\u00e9": ["\u00e9", 1, None]}


def test_file_names() -> None:
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\Users\\x\\photo.jpg") == "photo.jpg"
    assert safe_file_name("photo\u202egpj.exe") == "photogpj.exe"
    assert safe_file_name("a\x00b.jpg") == "ab.jpg"
    assert safe_file_name("ก" * 300 + ".jpg") == "ก" * 196 + ".jpg"
    assert safe_file_name(".htaccess") == "htaccess"


def test_get_parameter_with_nul_is_a_thai_400(banlat) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/stats/", {"year": "2568\x00"}, HTTP_HOST="banlat.localhost")
    assert response.status_code == 400
    assert "ช่อง “year”: มีอักขระ NUL ซึ่งไม่อนุญาต" in response.content.decode()


def test_form_value_with_bidi_override_is_refused_in_english_when_chosen(banlat) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post("/track/", {"code": "ABCD\u202e-2345", "second_factor": "1234"},
                           HTTP_HOST="banlat.localhost")
    assert response.status_code == 400
    assert "bidirectional" in response.content.decode()


def test_oversize_form_is_a_thai_413_page_and_json_on_the_api(banlat, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REQUEST_MAX_BODY_BYTES = 1000
    page = Client().post("/track/", "code=" + "x" * 2000, content_type="application/x-www-form-urlencoded",
                         HTTP_HOST="banlat.localhost")
    assert page.status_code == 413 and "ข้อมูลใหญ่เกินกำหนด (413)" in page.content.decode()
    api = Client().post("/api/staff/v1/complaints/", json.dumps({"description": "x" * 2000}),
                        content_type="application/json", HTTP_HOST="banlat.localhost")
    assert api.status_code == 413 and api.json()["message"].startswith("ข้อมูลหรือไฟล์ที่ส่งมีขนาดใหญ่เกินกำหนด")


def test_django_data_upload_limit_is_a_413_not_a_500(banlat, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500  # below our own limit: Django's check fires first
    response = Client().post("/track/", {"code": "x" * 2000, "second_factor": "1234"},
                             HTTP_HOST="banlat.localhost")
    assert response.status_code == 413
