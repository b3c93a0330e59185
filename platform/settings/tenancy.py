from rongthuk.env import env_int

# Apps whose tables live once, in the public schema: the registry, geography, national data,
# oversight users, reporting facts (no personal data).
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "apps.accounts",
    "apps.ui",
    "apps.categories",
    "apps.reporting",
    "apps.sla",
    "apps.portal",
    "apps.oversight",
    "api",
    "apps.audit",
]

# Apps whose tables exist in every body's schema. Every relation here is multiplied by ~7,850:
# keep the count at or under 150 per schema (README, "Architecture").
TENANT_APPS = [
    "apps.accounts",
    "django.contrib.sessions",
    "apps.complaints",
    # One table: the body's audit log (apps.audit.models).
    "apps.audit",
    # Three tables: the body's LINE Official Account, its LINE users (chat state), processed events.
    "apps.line",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.LocalBody"
TENANT_DOMAIN_MODEL = "tenants.Domain"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)

# Bodies are cloned from this migrated schema; it is never a body itself.
TENANT_TEMPLATE_SCHEMA = "body_template"
# Seconds a host → body lookup stays in a process's cache; changes clear the local cache at once.
TENANT_CACHE_TTL = env_int("TENANT_CACHE_TTL", 30)
TENANT_LIMIT_SET_CALLS = True
