"""Accounts and transport security: password rules, lockout (django-axes), the second factor
(django-otp), sessions, the Content-Security-Policy (django-csp), and the production profile.

`RONGTHUK_ENV=production` (docker-compose.yml) turns on what needs HTTPS in front of the app:
Secure cookies, HSTS, the redirect to HTTPS behind the proxy. `manage.py check --deploy` passes
with it (tests/platform/test_deploy_check.py).
"""

from __future__ import annotations

import datetime as dt

from csp.constants import NONCE, NONE, SELF

from rongthuk.env import EnvError, env_bool, env_int, env_str

RONGTHUK_ENV = env_str("RONGTHUK_ENV", "development")
if RONGTHUK_ENV not in {"development", "production"}:
    raise EnvError(f"environment variable RONGTHUK_ENV must be development or production, got {RONGTHUK_ENV!r}")
PRODUCTION = RONGTHUK_ENV == "production"

# --- passwords -----------------------------------------------------------------------------------
# Every password a person sets goes through these: sign-up by a body admin, reset by e-mail, the
# national admin's user forms. Thai messages come from locale/th (Django ships none for these).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A reset link works once (the token covers the password hash) and for this long.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60

# --- lockout (django-axes) ------------------------------------------------------------------------
# An account is (schema, username): the same username exists in many bodies. Attempts are kept
# in the public schema (axes is a shared app only: no relations in the bodies' schemas), keyed
# "<schema>:<username>" by apps.accounts.lockout.axes_username. Locked by account and, separately,
# by client IP across all accounts.
AUTH_LOCKOUT_FAILURES = env_int("AUTH_LOCKOUT_FAILURES", 5)
AUTH_LOCKOUT_MINUTES = env_int("AUTH_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = AUTH_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(minutes=AUTH_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.axes_username"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "apps.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
# Sign-ins are audited in the body's own schema (apps.accounts.audit); no second log in public.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- second factor (django-otp) -------------------------------------------------------------------
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Rongthuk")
# Recovery codes given at enrolment (django-otp static tokens, each works once).
RECOVERY_CODE_COUNT = 10

# --- sessions -------------------------------------------------------------------------------------
# Signed-in sessions end after this much idleness, and in any case this long after sign-in.
AUTH_SESSION_IDLE_MINUTES = env_int("AUTH_SESSION_IDLE_MINUTES", 30)
AUTH_SESSION_MAX_HOURS = env_int("AUTH_SESSION_MAX_HOURS", 10)
# The session cookie's own age stays Django's (citizens' tracking sessions use it); a signed-in
# session is cut to the idle timeout by apps.accounts.middleware on every request.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- transport (production profile) ---------------------------------------------------------------
_https = PRODUCTION or env_bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=_https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _https
# nginx terminates TLS and tells the app with X-Forwarded-Proto (deploy/nginx/rongthuk.conf.template).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https  # every body is a sub-domain of the platform
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=_https)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Health probes come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Content-Security-Policy (django-csp) ---------------------------------------------------------
# Scripts and styles from the app's own origin, inline ones only with the request's nonce; images
# from the app, images the pages build (data:) and the photo previews and in-browser resizing of the
# complaint form (blob:); the tile server (PORTAL_TILE_URL's origin, or a body's own) only on the
# pages that show a map (apps.ui.csp.allow_tiles_from). Never any https origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
