from rongthuk.env import env_int, env_opt, env_str

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# JSON bodies (api.parsers): nesting depth; the size limit is REQUEST_MAX_BODY_BYTES (settings.base).
REQUEST_MAX_JSON_DEPTH = 20

# National reporting API (api/national.py): requests per key.
NATIONAL_API_THROTTLE_RATE = env_str("NATIONAL_API_THROTTLE_RATE", "600/minute")
# Oversight rankings leave out bodies with fewer complaints than this in the period.
OVERSIGHT_RANKING_MIN_VOLUME = env_int("OVERSIGHT_RANKING_MIN_VOLUME", 20)

SPECTACULAR_SETTINGS = {
    "PREPROCESSING_HOOKS": ["api.schema.published_apis_only"],
    "TITLE": "Rongthuk national reporting API and staff API",
    "DESCRIPTION": "National reporting (platform domain): aggregate complaint and SLA figures of Thai local "
                   "bodies, no personal data; authenticate with `Authorization: Api-Key <key>`. "
                   "Staff API (each body's sub-domain, `https://<body>.<domain>/api/staff/v1/`): complaint "
                   "intake for the body's signed-in staff (session and CSRF token).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/api/",
    # The complainant's contact channels appear in the JSON and the multipart intake: one enum.
    "ENUM_NAME_OVERRIDES": {"ContactChannelEnum": ["phone", "email", "line"]},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "APPEND_COMPONENTS": {"securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "Authorization",
                                                          "description": "Api-Key <key>"}}},
    "SECURITY": [{"ApiKey": []}],
}

# Caches. "default" is each process's own memory (small, per-process data). "shared" is one store
# for every web process: Redis when REDIS_URL is set, otherwise a table in the public schema
# (rongthuk_cache, made by api's migration). Rate-limit counters live there, so a limit holds
# however many processes serve the requests.
_redis_cache = env_opt("CACHE_REDIS_URL") or env_opt("REDIS_URL")
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_cache,
         "KEY_PREFIX": "rongthuk"}
        if _redis_cache else
        {"BACKEND": "rongthuk.cache.AtomicDatabaseCache", "LOCATION": "rongthuk_cache",
         "OPTIONS": {"MAX_ENTRIES": 100_000}}
    ),
}
# django-ratelimit (Open311): counters in the shared cache.
RATELIMIT_USE_CACHE = "shared"
# Open311 requests per key (an anonymous reader: per IP address), over a fixed window.
OPEN311_READ_RATE = env_str("OPEN311_READ_RATE", "600/m")
OPEN311_WRITE_RATE = env_str("OPEN311_WRITE_RATE", "60/m")
OPEN311_ANONYMOUS_RATE = env_str("OPEN311_ANONYMOUS_RATE", "120/m")
# How many service requests one GET may return (the `page_size` extension's ceiling).
OPEN311_MAX_PAGE_SIZE = env_int("OPEN311_MAX_PAGE_SIZE", 1000)
