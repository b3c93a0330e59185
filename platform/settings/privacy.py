from rongthuk.env import env_int

# PDPA retention of a closed case's complainant identity (README, "Personal data"): the national
# default, in years after the case was closed; each body may set its own (BodyProfile).
PDPA_RETENTION_YEARS = env_int("RONGTHUK_RETENTION_YEARS", 5)
PDPA_RETENTION_MIN_YEARS = 1
PDPA_RETENTION_MAX_YEARS = 20
# Cases anonymised per transaction by the retention job.
PDPA_RETENTION_BATCH = env_int("RONGTHUK_RETENTION_BATCH", 1000)
