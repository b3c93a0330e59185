from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from tenants import cache

SHELLS = ["ui/base.html", "ui/base_citizen.html", "ui/base_staff.html", "ui/base_oversight.html"]


@pytest.mark.parametrize("shell", SHELLS)
def test_every_shell_offers_the_blocks_other_apps_extend(shell: str, db: None) -> None:
    source = ('{% extends "' + shell + '" %}{% block title %}T-TITLE{% endblock %}'
              '{% block nav %}<a href="/x">T-NAV</a>{% endblock %}{% block content %}T-CONTENT{% endblock %}'
              '{% block extra_head %}<meta name="t-head">{% endblock %}'
              '{% block scripts %}<script>T</script>{% endblock %}')
    request = RequestFactory().get("/")
    html = Template(source).render(Context({"request": request}))
    assert "<title>T-TITLE</title>" in html
    assert "T-NAV" in html and "T-CONTENT" in html and '<meta name="t-head">' in html and "<script>T</script>" in html
    assert 'href="#main"' in html and '<main id="main"' in html  # skip link to the landmark
    assert 'lang="th"' in html
    assert "ui/css/ui.css" in html
    assert not re.search(r'(src|href)="https?://', html)  # nothing from a CDN


def test_the_language_switcher_turns_the_portal_english_and_back(db: None) -> None:
    cache.clear()
    client = Client(HTTP_HOST="banlat.localhost")
    assert "แจ้งเรื่องร้องทุกข์" in client.get("/complaints/new/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/complaints/new/"})
    assert response.status_code == 302 and response["Location"] == "/complaints/new/"
    html = client.get("/complaints/new/").content.decode()
    assert 'lang="en"' in html and "File a complaint" in html and "Privacy notice" in html
    assert 'aria-current="true">EN<' in html
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    assert 'lang="th"' in client.get("/complaints/new/").content.decode()


def test_vendored_assets_carry_their_licences() -> None:
    from pathlib import Path

    vendor = Path(__file__).resolve().parents[3] / "apps" / "ui" / "static" / "ui" / "vendor"
    for folder, files in {"leaflet": ["leaflet.js", "leaflet.css", "LICENSE"],
                          "chartjs": ["chart.umd.min.js", "LICENSE.md"],
                          "sarabun": ["sarabun-thai-400-normal.woff2", "sarabun-thai-700-normal.woff2",
                                      "LICENSE"]}.items():
        for name in files:
            assert (vendor / folder / name).is_file(), f"{folder}/{name}"
