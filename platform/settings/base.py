from pathlib import Path

from rongthuk.env import env_bool, env_int, env_list, env_opt, env_str, project_root

BASE_DIR: Path = project_root()
DATA_DIR: Path = BASE_DIR / ".data"

DEBUG = env_bool("DEBUG", default=False)
_secret = env_opt("SECRET_KEY")
_production = env_str("RONGTHUK_ENV", "development") == "production"
if _secret is None and not DEBUG and (_production or env_bool("RONGTHUK_REQUIRE_SECRET", default=False)):
    raise RuntimeError("environment variable SECRET_KEY is required in production")
# A development key: production sets SECRET_KEY (deploy/ and docker-compose.yml do).
SECRET_KEY = _secret or "rongthuk-development-key-not-for-production"  # noqa: S105

# The platform's own host; every body lives at <slug>.<PLATFORM_DOMAIN>.
PLATFORM_DOMAIN = env_str("PLATFORM_DOMAIN", "localhost")
PLATFORM_PORT = env_opt("PLATFORM_PORT") or ""
# Any host passes Django's own check: the tenant middleware (tenants.middleware) is the host gate.
# It answers only the hosts in the domain table (the platform's, each body's `<slug>.` and
# `<dla_code>.` names, and the custom domains bodies add in the admin, e.g. complaint.banlat.go.th)
# and every other host with the 404 page, before any view reads the host; so a body's own domain
# needs no edit here and no restart.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"])
# Empty: a form is accepted only from the origin it was served on (CsrfViewMiddleware compares
# Origin with the request's own scheme and host), so one body's pages can never post to another's.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

ROOT_URLCONF = "rongthuk.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "rongthuk.urls_public"
WSGI_APPLICATION = "rongthuk.wsgi.application"

MIDDLEWARE = [
    # Probes first: /healthz and /readyz answer on any host and the bare IP (rongthuk.health).
    "rongthuk.health.ProbeMiddleware",
    # First, so every response (the unknown-host page too) carries the security headers and the CSP.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "tenants.middleware.TenantResolutionMiddleware",
    # Oversight and national GETs read the facts from the read replica when one is set (tenants.replica).
    "tenants.replica.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rongthuk.middleware.ThaiFirstLocaleMiddleware",
    "rongthuk.inputs.InputNormalisationMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Signed-in sessions: idle and absolute timeouts, no-store, the second factor before any page.
    "apps.accounts.middleware.SignedInSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lockout raised during authentication into the Thai lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "apps.portal.context_processors.ui",
                # Last: while a citizen page is rendered for the shared cache, the CSRF token and
                # the CSP nonce become placeholders filled per response (apps.portal.page_cache).
                "apps.portal.context_processors.page_holes",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"

# Thai first, English available; the Buddhist era is a display concern (templatetags).
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env_opt("MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "/media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request bodies (rongthuk.inputs): forms and JSON, and multipart uploads (five 10 MB photos and the
# form; the register import's 20 MB sheet). deploy/nginx/rongthuk.conf's client_max_body_size matches.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
REQUEST_MAX_BODY_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
REQUEST_MAX_UPLOAD_BYTES = 55 * 1024 * 1024
# The longest value one form field or GET parameter may carry (the longest field, a description,
# takes 5,000 characters): a longer one is refused at the edge, whatever the field (a checkbox too).
REQUEST_MAX_FIELD_CHARS = 8000

CSRF_FAILURE_VIEW = "rongthuk.errors.csrf_failure"

# Citizen notification providers by name (apps.complaints.providers) and the one each channel uses
# nationally (a name from NOTIFICATION_PROVIDERS or a dotted path); console in development. A body's
# admin may choose another configured provider for the body (staff → การแจ้งผู้ร้อง).
NOTIFICATION_PROVIDERS = {
    "console": "apps.complaints.notifications.ConsoleBackend",
    "smtp": "apps.complaints.providers.SmtpEmail",
    "ants": "apps.complaints.providers.AntsSms",
    "http": "apps.complaints.notifications.HttpSmsBackend",
    "line": "apps.line.backend.LinePushBackend",
}
# Which providers can carry which channel (the body's choice is among these).
NOTIFICATION_PROVIDER_CHANNELS = {"console": ("email", "sms"), "smtp": ("email",), "ants": ("sms",),
                                  "http": ("sms",)}
NOTIFICATION_BACKENDS = {
    "email": env_opt("NOTIFY_EMAIL_BACKEND") or "apps.complaints.notifications.ConsoleBackend",
    "sms": env_opt("NOTIFY_SMS_BACKEND") or "apps.complaints.notifications.ConsoleBackend",
    "line": env_opt("NOTIFY_LINE_BACKEND") or "apps.line.backend.LinePushBackend",
    # The body's rich menu, made on LINE through the same outbox (retried until LINE takes it).
    "line_menu": "apps.line.backend.LineRichMenuBackend",
    "webhook": "apps.webhooks.delivery.WebhookBackend",
}
# Webhook deliveries: seconds to wait for the receiver; whether URLs may point at private or
# loopback addresses (never in production: server-side request forgery; tests set it).
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 5)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False) and not _production
# An HTTP SMS gateway for apps.complaints.notifications.HttpSmsBackend.
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
# ANTS SMS gateway (apps.complaints.providers.AntsSms): account, registered sender name, and the
# key that signs the delivery-report URL (unset: SECRET_KEY). SMS_CALLBACK_HOST/SCHEME: where the
# gateway reaches this platform (unset: the body's own host, https in production).
ANTS_SMS_URL = env_str("ANTS_SMS_URL", "https://api-service.ants.co.th/sms/send")
ANTS_SMS_USERNAME = env_str("ANTS_SMS_USERNAME", "")
ANTS_SMS_PASSWORD = env_str("ANTS_SMS_PASSWORD", "")
ANTS_SMS_SENDER = env_str("ANTS_SMS_SENDER", "Rongthuk")
SMS_CALLBACK_SECRET = env_str("SMS_CALLBACK_SECRET", "")
SMS_CALLBACK_HOST = env_str("SMS_CALLBACK_HOST", "")
SMS_CALLBACK_SCHEME = env_str("SMS_CALLBACK_SCHEME", "https")
# Quiet hours (apps.complaints.quiet): no SMS or LINE push from START to END o'clock local time,
# except about urgent (class A) cases; a body may set its own. START == END: no quiet hours.
QUIET_HOURS_START = env_int("QUIET_HOURS_START", 21)
QUIET_HOURS_END = env_int("QUIET_HOURS_END", 8)
# Citizens' look-up by phone number (apps.complaints.phone_access, the portal's /track/phone/): how long
# a code works, wrong tries allowed, and requests per address and per number (django-ratelimit).
PHONE_CODE_MINUTES = env_int("PHONE_CODE_MINUTES", 10)
PHONE_CODE_TRIES = env_int("PHONE_CODE_TRIES", 5)
PHONE_CODE_RATE_ADDRESS = env_str("PHONE_CODE_RATE_ADDRESS", "10/h")
PHONE_CODE_RATE_NUMBER = env_str("PHONE_CODE_RATE_NUMBER", "3/h")
# How long a claimed notification is held by the worker sending it before another may retry it.
NOTIFICATION_CLAIM_SECONDS = env_int("NOTIFICATION_CLAIM_SECONDS", 300)
# How long the link inviting a body's first administrator works (apps.onboarding).
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
EMAIL_BACKEND = env_opt("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_opt("DEFAULT_FROM_EMAIL") or "noreply@rongthuk.localhost"
# The SMTP server of the "smtp" provider (apps.complaints.providers.SmtpEmail).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Citizen portal and staff maps: the tile server ({z}/{x}/{y} URL; empty = no tiles, the maps still
# work on their own background: apps/ui/static/ui/js/basemap.js) and the credit it requires. The
# default is OpenStreetMap's standard tiles, which label Thailand in Thai script; OSM's usage policy
# asks heavy users to run or rent their own tile server (README "Configuration"). The tests set it
# empty (tests/conftest.py): they fetch nothing from outside.
PORTAL_TILE_URL = env_str("PORTAL_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
PORTAL_TILE_ATTRIBUTION = env_str("PORTAL_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# How many reverse proxies append to X-Forwarded-For before the app (nginx: 1).
PORTAL_TRUSTED_PROXIES = env_int("PORTAL_TRUSTED_PROXIES", 0)
# Citizen pages from the shared cache (apps.portal.page_cache): on unless PORTAL_PAGE_CACHE=0 (the
# load bench's baseline). Pages that show figures (the body's home, /stats/) may be this many
# seconds behind the facts; the others change only with their version and live at most a day.
PORTAL_PAGE_CACHE = env_bool("PORTAL_PAGE_CACHE", default=True)
PORTAL_FIGURES_STALENESS = env_int("PORTAL_FIGURES_STALENESS", 300)
PORTAL_PAGE_TTL = env_int("PORTAL_PAGE_TTL", 86_400)

# LINE Messaging API (apps.line): the hosts the SDK calls (tests point them at a local fake
# platform), how long a call may take, and how long a half-finished chat conversation is kept.
LINE_API_BASE = env_str("LINE_API_BASE", "https://api.line.me")
LINE_DATA_API_BASE = env_str("LINE_DATA_API_BASE", "https://api-data.line.me")
LINE_API_TIMEOUT = env_int("LINE_API_TIMEOUT", 5)
LINE_CONVERSATION_MINUTES = env_int("LINE_CONVERSATION_MINUTES", 60)
# A photo sent in the chat whose content LINE does not give: the fetch is tried again after this many
# seconds, doubling each time (apps.line.tasks.photo_fetch).
LINE_CONTENT_RETRY_SECONDS = env_int("LINE_CONTENT_RETRY_SECONDS", 30)
# Key for secrets stored in a body's schema (LINE channel secret and token): a Fernet key
# (urlsafe base64 of 32 bytes). Unset: derived from SECRET_KEY, so changing SECRET_KEY then
# means reconnecting each body's LINE account.
RONGTHUK_SECRETS_KEY = env_opt("RONGTHUK_SECRETS_KEY") or ""
