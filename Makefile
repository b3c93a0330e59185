# Two commands for a newcomer with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint lock bench clean-data

# Installs the exact versions in requirements.lock (with their hashes), then the project itself.
$(STAMP): pyproject.toml setup.py requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After changing dependencies in pyproject.toml: re-resolve and record exact versions and hashes.
lock:
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--no-header --quiet -o requirements.lock

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/rongthuk demo

test: $(STAMP)
	# Browser tests drive Debian's chromium (never a downloaded build).
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	# The catalogue test runs makemessages, which needs xgettext (Debian's gettext).
	command -v xgettext >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The fault campaign (tests/faults): a private PostgreSQL (Debian's binaries, its own port and data
# folder) and a private Redis, restarted, stopped, hung and killed under load; prints a table of
# each fault's submissions, acknowledged, lost and duplicated. Then tests/deploy's servers: the app through
# Debian's pgbouncer in session mode, and a streaming replica made with pg_basebackup, lagged and stopped.
# Not part of `make test`.
test-faults: $(STAMP)
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	$(BIN)/python -m pytest -m faults tests/faults tests/deploy $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy platform tenants apps api
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/provisioning.py

clean-data:
	$(BIN)/python -m rongthuk.embedded stop || true
	rm -rf .data
