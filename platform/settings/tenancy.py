from rongthuk.env import env_int, env_list, env_str

# Apps whose tables live once, in the public schema: the registry, geography, national data,
# oversight users, reporting facts (no personal data).
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "apps.accounts.apps.PlatformAdminConfig",
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
    # Invitations of first administrators, setup facts, reminders: public schema only.
    "apps.onboarding",
    "api",
    "apps.audit",
    # Lockout attempts: public schema only, keyed by schema and username (settings/security.py).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

# Apps whose tables exist in every body's schema. Every relation here is multiplied by ~7,850:
# keep the count at or under 150 per schema (README, "Architecture").
TENANT_APPS = [
    "apps.accounts",
    "django.contrib.sessions",
    # Staff second factors live beside the staff accounts, in the body's schema.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "apps.complaints",
    # One table: the body's audit log (apps.audit.models).
    "apps.audit",
    # Three tables: the body's LINE Official Account, its LINE users (chat state), processed events.
    "apps.line",
    # One table each: staff API tokens (apps.tokens), webhook endpoints (apps.webhooks; their
    # deliveries are rows of the body's outbox).
    "apps.tokens",
    "apps.webhooks",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.LocalBody"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# Oversight and national reads of the facts may go to the read replica (tenants.replica).
DATABASE_ROUTERS = ("tenants.replica.ReplicaRouter", "django_tenants.routers.TenantSyncRouter")

# Bodies are cloned from this migrated schema; it is never a body itself.
TENANT_TEMPLATE_SCHEMA = "body_template"
# Each process holds the whole host → body table (tenants.cache); it is reloaded when the version
# row changes (below) and, whatever happens, after this many seconds.
TENANT_CACHE_TTL = env_int("TENANT_CACHE_TTL", 600)
# How often each process reads the host cache's version (tenants.cache): a suspension or a new
# domain reaches every process within this many seconds, whatever the TTL.
TENANT_CACHE_CHECK_SECONDS = float(env_int("TENANT_CACHE_CHECK_MS", 1000)) / 1000
# Where a body's own domain is checked for its token (tenants.domains): empty, the name's own public
# address; "host:port", that server instead, the name sent as Host (a local proxy, a test server).
DOMAIN_VERIFICATION_CONNECT = env_str("DOMAIN_VERIFICATION_CONNECT", "")
# The DNS servers asked for the TXT proof (`_rongthuk.<name>`): empty, the system's resolver;
# "address[:port]" (comma-separated), those; "off", no TXT proof is looked for.
DOMAIN_VERIFICATION_DNS_SERVERS = env_list("DOMAIN_VERIFICATION_DNS_SERVERS", [])
# Routes of the body's site that stay open while the body is suspended, so a citizen who was
# filling in the complaint form when it happened does not lose it: the complaint is stored and
# the receipt says the body will handle it on reopening (apps.portal).
TENANT_SUSPENDED_OPEN_ROUTES = {
    "portal:complaint-new": {"POST"},
    "portal:complaint-conduct": {"POST"},
    "portal:complaint-receipt": {"GET", "HEAD"},
}
# What an archived body's portal still answers: citizens track and read their cases (the tracking
# look-up is a POST; the case page's own forms are not), read the statistics and the published SLA.
TENANT_ARCHIVED_OPEN_ROUTES = {
    "healthz": {"GET", "HEAD"},
    "set_language": {"POST"},
    "portal:body-home": {"GET", "HEAD"},
    "portal:track": {"GET", "HEAD", "POST"},
    "portal:track-case": {"GET", "HEAD"},
    "portal:track-forget": {"POST"},
    "portal:track-file": {"GET", "HEAD"},
    "portal:stats": {"GET", "HEAD"},
    "portal:stats-csv": {"GET", "HEAD"},
    "portal:stats-pdf": {"GET", "HEAD"},
    "sla:agreement": {"GET", "HEAD"},
    "sla:announcement": {"GET", "HEAD"},
    "sla:announcement-pdf": {"GET", "HEAD"},
}
TENANT_LIMIT_SET_CALLS = True
