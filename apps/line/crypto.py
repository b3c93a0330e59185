"""Encryption at rest for the LINE channel's secrets: the platform's one helper (apps.ui.secrets)."""

from apps.ui.secrets import InvalidToken, decrypt, encrypt

__all__ = ["InvalidToken", "decrypt", "encrypt"]
