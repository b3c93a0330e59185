"""Encryption at rest for secrets kept in a body's schema (Fernet: AES-128-CBC with an HMAC):
the LINE channel's secret and token, webhook signing secrets. The key is RONGTHUK_SECRETS_KEY, or
one derived from SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.encoding import force_bytes

__all__ = ["InvalidToken", "decrypt", "encrypt"]


def _fernet() -> Fernet:
    key = settings.RONGTHUK_SECRETS_KEY
    if not key:
        digest = hashlib.sha256(b"rongthuk-secrets:" + force_bytes(settings.SECRET_KEY)).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    """Raises InvalidToken when the key changed since the value was stored."""
    return _fernet().decrypt(value.encode()).decode()
