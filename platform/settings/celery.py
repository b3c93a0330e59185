import sys

from rongthuk.env import env_opt, project_root

_broker = env_opt("CELERY_BROKER_URL") or env_opt("REDIS_URL")
if _broker:
    CELERY_BROKER_URL = _broker
    # A broker that accepts the connection and never answers must not hold a process for long:
    # every socket operation gives up after a few seconds (the outbox sweep does the work later).
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1,
    }
else:
    # No broker server on a fresh machine: kombu's filesystem transport carries tasks between the
    # web process and a real worker through one folder of the project.
    # The test suite gets its own folder, so a demo worker running beside it never takes its tasks.
    _folder = env_opt("RONGTHUK_BROKER_FOLDER") or ("broker-test" if "pytest" in sys.modules else "broker")
    _queue = project_root() / ".data" / _folder
    for _sub in ("queue", "processed", "control"):
        (_queue / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "data_folder_processed": str(_queue / "processed"),
        # kombu's default is ./control, relative to wherever the process started
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
# How long a request waits for the broker to take a task published after commit (apps.complaints.publish).
TASK_PUBLISH_TIMEOUT = float(env_opt("TASK_PUBLISH_TIMEOUT") or 2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Bangkok"
CELERY_BEAT_SCHEDULE_FILENAME = str(project_root() / ".data" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "notifications-sweep": {"task": "complaints.notifications_sweep", "schedule": 60.0},
    # SLA warnings and escalations across all bodies (apps.oversight.sweep).
    "sla-sweep": {"task": "sla.sweep", "schedule": 60.0},
}
# Directives: refresh measurable compliance and remind bodies before the due date (apps.oversight).
# Bodies' own domains waiting for their token (tenants.domains).
CELERY_BEAT_SCHEDULE["tenants-domain-claims-check"] = {
    "task": "tenants.domain_claims_check",
    "schedule": 600.0,
}
CELERY_BEAT_SCHEDULE["oversight-directive-reminders"] = {
    "task": "oversight.directive_reminders",
    "schedule": 3600.0,
}
# PDPA retention: anonymise closed cases past their body's retention period (apps.complaints.retention).
CELERY_BEAT_SCHEDULE["complaints-retention-sweep"] = {
    "task": "complaints.retention_sweep",
    "schedule": 6 * 3600.0,
}
# Onboarding: reminders' e-mails left by a broker outage, and the first-run checklist facts of
# claimed bodies still setting up (apps.onboarding).
CELERY_BEAT_SCHEDULE["onboarding-setup-refresh"] = {
    "task": "onboarding.setup_refresh",
    "schedule": 900.0,
}
