"""The receipt as an image: the anonymous PIN in grouped digits on one line that never wraps,
the tracking code, in the citizen's language, linked from the receipt page."""

from __future__ import annotations

import io

from django.test import Client
from PIL import Image

from tenants.models import LocalBody
from tests.apps.portal.helpers import form_data
from tests.apps.portal.test_phone_lookup import citizen


def _ink_bands(image: Image.Image, merge: int) -> list[tuple[int, int]]:
    """The runs of rows with ink, runs closer than `merge` rows joined (a Thai vowel above its letter)."""
    gray = image.convert("L")
    width, height = gray.size
    pixels = gray.load()
    inked = [any(pixels[x, y] < 128 for x in range(width)) for y in range(height)]
    bands: list[list[int]] = []
    for y, ink in enumerate(inked):
        if not ink:
            continue
        if bands and y - bands[-1][1] <= merge:
            bands[-1][1] = y
        else:
            bands.append([y, y])
    return [(a, b) for a, b in bands]


def _ink_columns(image: Image.Image, band: tuple[int, int]) -> list[tuple[int, int]]:
    """The runs of columns with ink inside a band: the glyph groups of one line."""
    gray = image.convert("L").crop((0, band[0], image.size[0], band[1] + 1))
    pixels = gray.load()
    runs: list[list[int]] = []
    for x in range(gray.size[0]):
        if any(pixels[x, y] < 128 for y in range(gray.size[1])):
            if runs and x - runs[-1][1] <= 12:
                runs[-1][1] = x
            else:
                runs.append([x, x])
    return [(a, b) for a, b in runs]


def test_the_anonymous_receipt_downloads_as_an_image_with_the_pin_on_one_line(banlat: LocalBody) -> None:
    client = citizen(31)
    assert client.post("/complaints/new/", form_data(banlat, anonymous="on", name="", phone="")).status_code == 302
    receipt = client.get("/complaints/receipt/").content.decode()
    assert 'id="receipt-png" href="/complaints/receipt.png" download>ดาวน์โหลดใบรับเรื่อง (รูปภาพ)<' in receipt
    code = client.session["portal_receipt"]["code"]
    response = client.get("/complaints/receipt.png")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["Content-Disposition"] == f'attachment; filename="receipt-{code}.png"'
    assert "no-cache" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.mode, image.info["Title"]) == ("PNG", "RGB", code)
    bands = _ink_bands(image, merge=14)
    # Title, body, "tracking code", the code, "PIN", the PIN, the keep-it note, received, track at:
    # nine lines, none wrapped.
    assert len(bands) == 9, bands
    pin_band = bands[5]
    # Six digits in two groups of three: two runs of ink on its one line, well inside the image.
    groups = _ink_columns(image, pin_band)
    assert len(groups) == 2, groups
    assert groups[0][0] >= 40 and groups[-1][1] <= image.size[0] - 40
    assert Client(HTTP_HOST="banlat.localhost").get("/complaints/receipt.png")["Location"] == "/complaints/new/"
