"""The CSRF token of a cached page's form, made as Django makes it, at a fraction of the cost.

Django's get_token draws the secret (when the browser has none) and the mask with
get_random_string: 64 calls of secrets.choice, then masks with two str.index per character —
profiled, a third of a page served by the front. Here both come from os.urandom with rejection
sampling (a byte is used only below 248 = 4 × 62, so each of the 62 characters is equally likely:
the same distribution as secrets.choice), and the mask is added with a table. The result is the
same token Django's CSRF check unmasks (django.middleware.csrf._unmask_cipher_token): a 32-character
mask followed by the secret shifted by it; the secret is request.META["CSRF_COOKIE"] (the
browser's own, when CsrfViewMiddleware.process_request found it sound) and
CSRF_COOKIE_NEEDS_UPDATE is set, exactly as get_token leaves them.
"""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # type: ignore[attr-defined]

_CHARS = CSRF_ALLOWED_CHARS
_COUNT = len(_CHARS)  # 62
_LIMIT = 256 - 256 % _COUNT  # 248: bytes at or above it are dropped (no bias)
_INDEX = {char: index for index, char in enumerate(_CHARS)}
_DROP = bytes(range(_LIMIT, 256))
# Byte b (below _LIMIT) becomes the character b % 62; the bytes in _DROP are deleted.
_TABLE = bytes((ord(_CHARS[b % _COUNT]) if b < _LIMIT else 0) for b in range(256))


def random_string(length: int = CSRF_SECRET_LENGTH) -> str:
    """`length` characters drawn uniformly from CSRF_ALLOWED_CHARS with the OS's random source."""
    out = ""
    while len(out) < length:
        out += os.urandom(length + 8).translate(_TABLE, _DROP).decode("ascii")
    return out[:length]


def mask(secret: str) -> str:
    """A new masked token for `secret` (Django's _mask_cipher_secret)."""
    shift = random_string()
    index = _INDEX
    return shift + "".join(_CHARS[(index[s] + index[m]) % _COUNT] for s, m in zip(secret, shift, strict=True))


def get_token(request: HttpRequest) -> str:
    """django.middleware.csrf.get_token, with the faster random string and mask."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = random_string()
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)
