from django.test import Client

from tenants import cache
from tenants.models import LocalBody


def test_thai_by_default_even_for_an_english_browser_and_english_when_chosen(banlat: LocalBody) -> None:
    cache.clear()
    client = Client()
    page = client.get("/", HTTP_HOST="banlat.localhost", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "th"
    assert "แจ้งเรื่องร้องทุกข์" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_HOST="banlat.localhost")
    page = client.get("/", HTTP_HOST="banlat.localhost")
    assert page["Content-Language"] == "en"
    assert "File a complaint" in page.content.decode()
