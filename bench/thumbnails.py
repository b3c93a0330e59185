"""What a thumbnail costs at intake and saves on the page: `python bench/thumbnails.py [--runs 5]`.

For phone-sized photos (4000×3000 and 1600×1200 JPEG at quality 85), two contents — pixel noise and
a texture with detail at every scale (`_photo`) — it prints the time `clean_upload` takes (it
re-encodes the photo and makes its thumbnail), the time of `thumbnail_make` from the stored photo
(decoding included: what `rongthuk thumbnails` pays per photo), and the bytes of the stored photo
and of its thumbnail. No database is used."""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")


def _photo(width: int, height: int, kind: str) -> bytes:
    """"noise": detail at the pixel only (the stored photo's worst case; it averages out in the
    thumbnail); "texture": detail at every scale from the pixel to a tenth of the frame, which the
    thumbnail keeps (nearer a street photo: bricks, leaves, asphalt)."""
    from PIL import Image, ImageChops

    def layer(scale: int, sigma: int) -> Image.Image:
        small = Image.effect_noise((max(1, width // scale), max(1, height // scale)), sigma)
        return small.resize((width, height), Image.Resampling.BICUBIC)

    if kind == "noise":
        grey = layer(1, 32)
        channels = (grey, grey.rotate(180), grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    else:
        grey = layer(1, 10)
        for scale in (4, 16, 64, 256):
            grey = ImageChops.add(grey, layer(scale, 40), scale=1, offset=-128)
        channels = (grey, ImageChops.add(grey, layer(32, 30), scale=1, offset=-128), grey.rotate(180))
    out = io.BytesIO()
    Image.merge("RGB", channels).save(out, format="JPEG", quality=85)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.complaints.attachments import clean_upload, thumbnail_make

    print(f"| photo | upload | clean_upload (median of {runs}) | thumbnail from the stored photo "
          "| stored photo | thumbnail |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for width, height in ((4000, 3000), (1600, 1200)):
        for kind in ("noise", "texture"):
            data = _photo(width, height, kind)
            cleans, smalls = [], []
            for _ in range(runs):
                started = time.perf_counter()
                clean = clean_upload(SimpleUploadedFile("photo.jpg", data, "image/jpeg"))
                cleans.append(time.perf_counter() - started)
                stored = clean.content.read()
                started = time.perf_counter()
                thumbnail_make(stored)
                smalls.append(time.perf_counter() - started)
            assert clean.thumbnail is not None
            print(f"| {width}×{height} {kind} | {len(data) / 1024:,.0f} KB "
                  f"| {statistics.median(cleans) * 1000:,.0f} ms "
                  f"| {statistics.median(smalls) * 1000:,.0f} ms | {len(stored) / 1024:,.0f} KB "
                  f"| {clean.thumbnail.size / 1024:,.1f} KB |")


if __name__ == "__main__":
    main()
