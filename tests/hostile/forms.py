"""Find the forms: walk a URLconf for the pages that take no parameters (or ones we can fill), render
each page as the user it is for, and read every <form> in it with its fields and their defaults."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Plausible values for empty text fields, so that a form is otherwise valid and the hostile value is
# the only thing wrong with it.
PLAUSIBLE = {
    "description": "ไฟถนนหน้าวัดดับมา 3 คืนแล้ว", "name": "สมชาย ใจดี", "phone": "0812345678",
    "email": "somchai@example.com", "text": "ข้อความทดสอบ", "reason": "เหตุผลทดสอบ", "resolution": "ซ่อมแล้ว",
    "title": "หนังสือทดสอบ", "number": "1/2568", "username": "hostile-user", "full_name": "ผู้ใช้ ทดสอบ",
    "code": "ABCD-2345", "second_factor": "1234", "comment": "ดีมาก", "location_text": "หน้าวัด",
    "name_th": "กองทดสอบ", "name_en": "Test division", "position": "1", "days": "1", "moo": "3",
    "office_hours": "08:30–16:30", "reopen_window_days": "30", "remind_days_before": "3",
    "due_date": "2099-12-31", "effective_from": "2099-01-01", "signatory_name": "นายทดสอบ",
    "signatory_position": "นายก", "agency_other": "หน่วยงานทดสอบ", "q": "ถนน",
}


@dataclass
class Form:
    page: str
    action: str
    method: str
    multipart: bool
    fields: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # name → input type / textarea / select

    def baseline(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, values in self.fields.items():
            kind = self.kinds[name]
            if kind == "file":
                continue
            value = values[0] if values else ""
            if not value and kind in ("text", "textarea", "email", "tel", "search", "number", "date", "password"):
                base = name.split("-", 1)[-1]
                value = PLAUSIBLE.get(base, "1" if kind == "number" else "ทดสอบ")
                if kind == "password":
                    value = "long-enough-password"
            data[name] = value
        return data

    def text_fields(self) -> list[str]:
        return [n for n, k in self.kinds.items() if k in ("text", "textarea", "email", "tel", "search", "hidden",
                                                          "number", "date", "password")]

    def file_fields(self) -> list[str]:
        return [n for n, k in self.kinds.items() if k == "file"]


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(self.page, a.get("action") or self.page, (a.get("method") or "get").lower(),
                                a.get("enctype") == "multipart/form-data")
            self.forms.append(self.current)
            return
        form = self.current
        if form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if name not in form.fields:
                    form.fields[name], form.kinds[name] = [a.get("value", "")], "hidden"
                return
            if kind in ("checkbox", "radio"):
                values = form.fields.setdefault(name, [])
                form.kinds[name] = kind
                if kind == "checkbox" or not values:
                    values.append(a.get("value") or "on")
                return
            form.fields.setdefault(name, [a.get("value", "")])
            form.kinds[name] = kind
        elif tag == "textarea":
            form.fields[name], form.kinds[name] = [""], "textarea"
            self.textarea = name
        elif tag == "select":
            form.fields[name], form.kinds[name] = [], "select"
            self.select = name
        elif tag == "option" and self.select is not None:
            options = form.fields[self.select]
            value = a.get("value", "")
            if value and ("selected" in a or not options):
                options[:] = [value]

    def handle_data(self, data: str) -> None:
        if self.textarea and self.current is not None:
            self.current.fields[self.textarea] = [self.current.fields[self.textarea][0] + data]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_in(page: str, html: str) -> list[Form]:
    parser = _Forms(page)
    parser.feed(html)
    for form in parser.forms:
        if form.action.startswith("?") or not form.action:
            form.action = page.split("?")[0] + form.action
    return [f for f in parser.forms if f.method == "post"]


def routes(urlconf: str, params: dict[str, str]) -> Iterator[str]:
    """Every concrete path of `urlconf` whose parameters are all in `params`."""
    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                yield prefix + route

    for route in walk(get_resolver(urlconf).url_patterns, "/"):
        if route.startswith("/^") or "(?P" in route:  # regex routes: the admin's and static
            continue
        path = route
        for name, value in params.items():
            for converter in ("int", "str", "slug", ""):
                token = f"<{converter}:{name}>" if converter else f"<{name}>"
                path = path.replace(token, value)
        if "<" not in path:
            yield path
