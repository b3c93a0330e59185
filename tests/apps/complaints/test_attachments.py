"""Attachments: the documented pixel limit is the limit; PDFs that can act are refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.complaints.attachments import MAX_PIXELS, clean_upload
from apps.complaints.errors import ComplaintError
from tests.hostile import files


def _upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_an_image_one_row_over_the_pixel_limit_is_refused_before_decoding() -> None:
    data = files.png_bomb(MAX_PIXELS + 1)
    assert len(data) < 200_000  # small on the wire: only the header says how big it is
    with pytest.raises(ComplaintError) as caught:
        clean_upload(_upload("bomb.png", data, "image/png"))
    assert str(caught.value) == "รูปภาพ “bomb.png” ใหญ่เกิน 40 ล้านพิกเซล จึงไม่ได้บันทึก"


def test_a_header_only_bomb_is_refused() -> None:
    with pytest.raises(ComplaintError, match="ใหญ่เกิน 40 ล้านพิกเซล"):
        clean_upload(_upload("huge.png", files.png_claimed_huge(), "image/png"))


def test_a_plain_photo_is_re_encoded() -> None:
    clean = clean_upload(_upload("ถนน.jpg", files.jpeg(), "image/jpeg"))
    assert (clean.content_type, clean.original_name) == ("image/jpeg", "ถนน.jpg")


@pytest.mark.parametrize("data", [files.pdf(javascript="app.alert(1)"),
                                  files.pdf(open_action_uri="http://evil.example/"), files.pdf(launch=True)],
                         ids=["javascript", "open-action", "launch"])
def test_pdfs_that_can_act_are_refused(data: bytes) -> None:
    with pytest.raises(ComplaintError) as caught:
        clean_upload(_upload("หนังสือ.pdf", data, "application/pdf"))
    assert str(caught.value).startswith("ไฟล์ PDF “หนังสือ.pdf” มีสคริปต์ คำสั่งอัตโนมัติ")


def test_a_plain_pdf_is_kept_byte_for_byte() -> None:
    data = files.pdf()
    clean = clean_upload(_upload("letter.pdf", data, "application/pdf"))
    assert clean.content.read() == data


def test_a_pdf_html_polyglot_is_refused_as_damaged() -> None:
    with pytest.raises(ComplaintError, match="เสียหาย"):
        clean_upload(_upload("doc.pdf", files.pdf_html_polyglot(), "application/pdf"))
