"""No page, export or PDF shows a raw code where a person reads it: statuses (in_progress), channels
(walk_in), categories (drainage, urgent_hazard), classes and stages (B/reply), day types, event
kinds, directive measures and department codes always appear by their Thai label.

Crawled like a person would: from the citizen's portal, the staff desk (signed in as the body's
admin) and the district office's oversight pages, every link on the same host is followed (GET
only), and the visible text of each page — and of every CSV, Excel and PDF a link offers — is
searched for the codes. Codes are lower-case identifiers, so a Thai page has no reason to show any.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import openpyxl
import pytest
from django.test import Client
from django_tenants.utils import schema_context
from pypdf import PdfReader

from apps.accounts.models import User
from apps.categories.models import NationalCategory, SlaClass
from apps.complaints.models import Department, EventKind
from apps.complaints.services.workflow import complaint_acknowledge, complaint_reply, complaint_request_info
from apps.complaints.status import Channel, Status
from apps.oversight.models import DirectiveMeasure
from apps.sla.models import DayType, Stage
from tenants.models import LocalBody
from tests.apps.complaints.staff_helpers import make_case, signed_in
from tests.apps.oversight.factories import officer
from tests.signin import verified_login

pytestmark = pytest.mark.django_db

# Never followed: signing out, switching language, files of a case, the Django admin and the JSON
# and Open311 APIs (machine interfaces whose codes are their contract).
SKIP = re.compile(r"^/(staff/logout|oversight/logout|i18n|static|media|admin|api|open311)/|/files/|/identity/|"
                  r"logout|forget")
LIMIT = 250


class _Visible(HTMLParser):
    """The text a person sees: no script, style or template content, no attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag in {"input", "img"}:  # what is read of them: a button's caption, an image's alt
            values = dict(attrs)
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.text.append(values.get("value") or "")
            if tag == "img":
                self.text.append(values.get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def raw_codes() -> set[str]:
    codes = {str(v) for choices in (Status, Channel, EventKind, Stage, DayType, DirectiveMeasure, SlaClass)
             for v in choices.values}
    codes |= set(NationalCategory.objects.values_list("code", flat=True))
    codes |= set(Department.objects.values_list("code", flat=True))
    # Single letters (the class codes A–D) are caught as "B/reply" below, not alone.
    return {c for c in codes if len(c) > 2}


def found_codes(text: str, codes: set[str]) -> list[str]:
    found = {m.group(0) for m in re.finditer(r"(?<![\w./@:#=?&-])[a-z][a-z0-9_]+(?![\w./@:#=?&-])", text)
             if m.group(0) in codes}
    found |= {m.group(0) for m in re.finditer(r"\b[A-E]/[a-z_]+\b", text)}
    found |= {m.group(0) for m in re.finditer(r"→\s*[a-z_]+", text)}
    return sorted(found)


def _around(text: str, code: str) -> str:
    at = text.find(code)
    return " ".join(text[max(0, at - 30):at + len(code) + 30].split())


def readable_text(response: object) -> tuple[str, list[str]]:
    content_type = response["Content-Type"]  # type: ignore[index]
    body = response.content  # type: ignore[attr-defined]
    if content_type.startswith("text/html"):
        parser = _Visible()
        parser.feed(body.decode())
        return " ".join(parser.text), parser.links
    if content_type.startswith("text/csv"):
        return body.decode("utf-8-sig"), []
    if content_type.startswith("application/pdf"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages), []
    if "spreadsheetml" in content_type:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                        for cell in row if cell is not None), []
    return "", []


def crawl(client: Client, starts: list[str], codes: set[str]) -> tuple[dict[str, list[str]], int]:
    """Every page reachable from `starts` on the client's host: {path: codes found on it, whatever
    the query}, pages read."""
    seen: set[str] = set()
    queue = list(starts)
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        text, links = readable_text(response)
        codes_here = found_codes(text, codes)
        if codes_here:
            path = urlsplit(url).path
            shown = [f"{code} («{_around(text, code)}»)" for code in codes_here]
            problems[path] = sorted(set(problems.get(path, [])) | set(shown))
        for link in links:
            parts = urlsplit(urljoin(url, link))
            if parts.scheme not in {"", "http"} or (parts.netloc and parts.netloc != client.defaults["HTTP_HOST"]):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and not SKIP.search(parts.path) and target.startswith("/"):
                queue.append(target)
    return problems, len(seen)


def report(problems: dict[str, list[str]]) -> str:
    return "raw codes shown:\n" + "\n".join(f"  {path}: {', '.join(codes)}" for path, codes in sorted(problems.items()))


@pytest.fixture
def worked_case(banlat: LocalBody):  # type: ignore[no-untyped-def]
    """A case that went through acknowledgement, a request for information and a reply."""
    case = make_case(banlat, national="drainage", description="ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าบ้าน")
    with schema_context(banlat.schema_name):
        admin = User.objects.get(username="admin")
        complaint_acknowledge(complaint=case, actor=admin)
        complaint_request_info(complaint=case, actor=admin, text="ขอรูปถ่ายเพิ่มเติม")
        complaint_reply(complaint=case, actor=admin, text="ส่งช่างไปตรวจแล้ว")
    make_case(banlat, national="urgent_hazard", description="ต้นไม้ล้มขวางถนน สายไฟขาด")
    return case


def test_staff_pages_exports_and_pdfs_show_no_raw_code(banlat: LocalBody, worked_case: object) -> None:
    with schema_context(banlat.schema_name):
        codes = raw_codes()
    client = signed_in(banlat, "admin")
    problems, pages = crawl(client, ["/staff/", f"/staff/cases/{worked_case.pk}/", "/sla/manage/",  # type: ignore[attr-defined]
                                     "/sla/", "/sla/announcement/", "/sla/announcement.pdf",
                                     "/staff/register/export/"], codes)
    assert pages > 20
    assert not problems, report(problems)


def test_citizen_pages_show_no_raw_code(banlat: LocalBody, worked_case: object) -> None:
    with schema_context(banlat.schema_name):
        codes = raw_codes()
    client = Client(HTTP_HOST=f"{banlat.slug}.localhost")
    problems, pages = crawl(client, ["/", "/complaints/new/", "/sla/", "/stats/"], codes)
    response = client.post("/track/", {"code": worked_case.tracking_code,  # type: ignore[attr-defined]
                                       "second_factor": "5678"})
    assert response.status_code == 302
    tracked, _ = crawl(client, ["/track/case/"], codes)
    assert pages > 5
    assert not {**problems, **tracked}, report({**problems, **tracked})


def test_oversight_pages_and_exports_show_no_raw_code(banlat: LocalBody, worked_case: object) -> None:
    with schema_context(banlat.schema_name):
        codes = raw_codes()
    user = officer("rawcodes-district", "district", banlat.district.code)
    client = verified_login(Client(HTTP_HOST="localhost"), user)
    problems, pages = crawl(client, ["/oversight/", "/oversight/overdue/", "/oversight/performance/",
                                     f"/oversight/bodies/{banlat.dla_code}/"], codes)
    assert pages > 10
    assert not problems, report(problems)
