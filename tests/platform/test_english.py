"""English is complete: with the language set to English, the visible text of each main page's <main>
holds no Thai except proper names from the data (bodies, places, people, a body's own categories and
divisions). Deliberately Thai content is marked lang="th" and is skipped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from apps.oversight.models import Directive
from apps.sla.models import Agreement
from tenants import cache
from tenants.models import District, LocalBody, Province, Subdistrict
from tests.conftest import STAFF_PASSWORD
from tests.signin import password_and_code

THAI = re.compile(r"[\u0E00-\u0E7F]")
BODY_HOST = "banlat.localhost"
PLATFORM_HOST = "localhost"


class _MainText(HTMLParser):
    """The text nodes inside <main>, without <script>/<style> and without elements marked lang="th"."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.in_main = 0
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        skipped = tag in ("script", "style", "template") or (self.in_main > 0 and dict(attrs).get("lang") == "th")
        self.stack.append((tag, skipped))
        if tag == "main":
            self.in_main += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _skipped = self.stack.pop()
            if open_tag == "main":
                self.in_main -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_main and not self._skipping() and data.strip():
            self.texts.append(" ".join(data.split()))


def _proper_names() -> list[str]:
    """Names from the data, longest first so that a longer name is removed before a part of it."""
    names: set[str] = set()
    for body in LocalBody.objects.exclude(schema_name="public"):
        names.update({body.name_th, body.display_name})
    for model in (Province, District, Subdistrict):
        names.update(model.objects.values_list("name_th", flat=True))
    from apps.accounts.models import User
    from apps.categories.models import NationalCategory
    from apps.complaints.models import Category, Department

    with schema_context(LocalBody.objects.get(domains__domain=BODY_HOST).schema_name):
        names.update(Category.objects.values_list("name_th", flat=True))
        names.update(Department.objects.values_list("name_th", flat=True))
        names.update(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    # A body's own category may be linked to a national one, whose Thai name is data too.
    names.update(NationalCategory.objects.values_list("name_th", flat=True))
    return sorted((n for n in names if n and THAI.search(n)), key=len, reverse=True)


def _thai_left(html: str, names: list[str]) -> list[str]:
    parser = _MainText()
    parser.feed(html)
    assert parser.texts, "the page has no text in <main>"
    left = []
    for text in parser.texts:
        if not THAI.search(text):
            continue
        stripped = text
        for name in names:
            if name in stripped:
                stripped = stripped.replace(name, "")
        # Administrative prefixes glued to a place name (อำเภอบ้านลาด) are part of the name.
        stripped = re.sub(r"(จังหวัด|อำเภอ|ตำบล|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร|อบต\.|อบจ\.)", "", stripped)
        if THAI.search(stripped):
            left.append(text)
    return left


def _english(client: Client, host: str) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_HOST=host)
    assert response.status_code == 302


@pytest.fixture
def names(banlat: LocalBody) -> list[str]:
    cache.clear()
    return _proper_names()


PLATFORM_PAGES = [
    ("/", ["Find your local government"], ["ค้นหาหน่วยงาน", "แจ้งเรื่องร้องทุกข์"]),
    ("/oversight/login/", ["Oversight sign-in", "Sign in"], ["เข้าสู่ระบบกำกับดูแล", "ท้องถิ่นอำเภอ"]),
]
BODY_PAGES = [
    ("/", ["File a complaint", "Follow a complaint"], ["แจ้งเรื่องร้องทุกข์", "ติดตามเรื่องที่แจ้งไว้"]),
    ("/complaints/new/", ["Privacy notice", "Send"], ["ประกาศความเป็นส่วนตัว", "ส่งเรื่อง"]),
    ("/track/", ["Follow a complaint", "Tracking code"], ["ติดตามเรื่องร้องทุกข์", "เลขติดตามเรื่อง"]),
    ("/stats/", ["Complaint statistics", "Fiscal year"], ["สถิติเรื่องร้องทุกข์", "ปีงบประมาณ"]),
    ("/sla/", ["Service level agreement (SLA)"], ["ข้อตกลงระดับการให้บริการ", "วันทำการ"]),
]


@pytest.mark.parametrize(("path", "english", "thai"), PLATFORM_PAGES)
def test_platform_pages_in_english(names: list[str], path: str, english: list[str], thai: list[str]) -> None:
    client = Client()
    _english(client, PLATFORM_HOST)
    _check(client.get(path, HTTP_HOST=PLATFORM_HOST), names, english, thai)


@pytest.mark.parametrize(("path", "english", "thai"), BODY_PAGES)
def test_body_pages_in_english(names: list[str], path: str, english: list[str], thai: list[str]) -> None:
    client = Client()
    _english(client, BODY_HOST)
    _check(client.get(path, HTTP_HOST=BODY_HOST), names, english, thai)


def test_staff_inbox_in_english(names: list[str]) -> None:
    client = Client()
    _english(client, BODY_HOST)
    password_and_code(client, username="officer", password=STAFF_PASSWORD,
                      schema=LocalBody.objects.get(domains__domain=BODY_HOST).schema_name, HTTP_HOST=BODY_HOST)
    _check(client.get("/staff/", HTTP_HOST=BODY_HOST, follow=True), names,
           ["Complaint inbox", "Filter", "Sign out"], ["กล่องเรื่องร้องทุกข์", "ออกจากระบบ", "กรอง"])


def test_staff_login_page_in_english(names: list[str]) -> None:
    client = Client()
    _english(client, BODY_HOST)
    _check(client.get("/staff/login/", HTTP_HOST=BODY_HOST), names, ["Staff sign-in"], ["เข้าสู่ระบบเจ้าหน้าที่"])


def _check(response, names: list[str], english: list[str], thai: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    main = html[html.find("<main"):html.rfind("</main>")]
    for text in english:
        assert text in html, f"missing English text {text!r}"
    for text in thai:
        assert text not in main, f"Thai UI text {text!r} left in <main>"
    assert _thai_left(html, names) == []


def test_a_letters_subject_is_subject_not_complaint_in_the_national_admin() -> None:
    """Directives and agreements have a subject (เรื่อง of an official letter); the same Thai word
    for a citizen's complaint must not name the field in English."""
    with translation.override("en"):
        labels = [str(model._meta.get_field("title").verbose_name) for model in (Directive, Agreement)]
    with translation.override("th"):
        thai = [str(model._meta.get_field("title").verbose_name) for model in (Directive, Agreement)]
    assert (labels, thai) == (["Subject", "Subject"], ["เรื่อง", "เรื่อง"])
