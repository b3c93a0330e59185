"""The production profile passes Django's deployment checks with no warning at all."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _production_env() -> dict[str, str]:
    # The browser tests' conftest allows sync ORM calls under Playwright's loop; production never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"RONGTHUK_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0"})
    return env


def test_check_deploy_passes_with_zero_warnings_under_the_production_profile() -> None:
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=REPO, env=_production_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_profile_settings() -> None:
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.CSRF_TRUSTED_ORIGINS)")
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=REPO,
                            env={**_production_env(), "DJANGO_SETTINGS_MODULE": "rongthuk.settings"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True ('HTTP_X_FORWARDED_PROTO', 'https') 31536000 []"
