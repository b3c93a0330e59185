"""The cached forms' CSRF token (apps.portal.csrf_tokens): the token Django's check accepts, the
secret kept as get_token keeps it, a new secret and a new mask for every visitor."""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest
from django.middleware.csrf import (  # type: ignore[attr-defined]
    CSRF_ALLOWED_CHARS,
    _check_token_format,
    _does_token_match,
    _unmask_cipher_token,
)

from apps.portal import csrf_tokens


def test_a_token_is_one_djangos_check_accepts_for_the_secret_it_stored() -> None:
    request = HttpRequest()
    token = csrf_tokens.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    _check_token_format(token)  # raises when the length or a character is wrong
    assert (len(token), len(secret), request.META["CSRF_COOKIE_NEEDS_UPDATE"]) == (64, 32, True)
    assert set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert _does_token_match(token, secret) is True


def test_the_browsers_own_secret_is_kept_under_a_new_mask_each_time() -> None:
    request = HttpRequest()
    request.META["CSRF_COOKIE"] = "A" * 16 + "z9" * 8
    first, second = csrf_tokens.get_token(request), csrf_tokens.get_token(request)
    assert request.META["CSRF_COOKIE"] == "A" * 16 + "z9" * 8
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == "A" * 16 + "z9" * 8
    assert first != second


def test_two_visitors_never_share_a_secret_or_a_token() -> None:
    requests = [HttpRequest() for _ in range(2000)]
    tokens = [csrf_tokens.get_token(request) for request in requests]
    assert len(set(tokens)) == 2000
    assert len({request.META["CSRF_COOKIE"] for request in requests}) == 2000


def test_every_character_is_drawn_alike() -> None:
    drawn = Counter("".join(csrf_tokens.random_string() for _ in range(4000)))  # 128,000 characters
    assert set(drawn) == set(CSRF_ALLOWED_CHARS)
    # 2,064.5 expected each; a character the byte mapping favoured (bytes 248–255 not dropped)
    # would be drawn ≈ 2,330 times: 5.8 standard deviations above.
    assert max(drawn.values()) < 2064.5 + 5 * 45 and min(drawn.values()) > 2064.5 - 5 * 45
