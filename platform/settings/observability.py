from rongthuk.env import env_opt, env_str

SENTRY_DSN = env_opt("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "development")

if SENTRY_DSN:
    from rongthuk.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
