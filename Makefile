# The two commands a person needs: `make run` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/publisher
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

.PHONY: run test setup migrate demo lint messages bench faults clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

PORT ?= 8000
export PORT
# honcho gives each Procfile process a PORT of its own (PORT + 100 per line): `ready` asks the web's at WEB_PORT.
WEB_PORT := $(PORT)
export WEB_PORT
# Links in local emails must point at the port the web process really listens on.
SITE_URL ?= http://127.0.0.1:$(PORT)
export SITE_URL

run: demo
	@$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@bash scripts/ensure_local_redis.sh
	@$(BIN)/python manage.py ensure_admin
	@$(BIN)/python manage.py ensure_demo_editors
	@echo "Starting web on http://127.0.0.1:$(PORT)/ , Celery workers for the mail, bulk and feeds queues, and beat (Ctrl-C stops all)"
	@echo "Sent mail (EMAIL_PROVIDER=$${EMAIL_PROVIDER:-outbox}) is in http://127.0.0.1:$(PORT)/outbox/ ; health: /healthz"
	@$(BIN)/honcho --procfile Procfile.dev start

test: setup
	@bash scripts/ensure_services.sh
	@bash scripts/ensure_package.sh chromium /usr/bin/chromium "the browser tests (Playwright drives Debian's chromium, never playwright install)"
	@bash scripts/ensure_package.sh spamassassin /usr/bin/spamassassin "the spam-score test (tests/worker/test_spam_score.py, offline rules)"
	@bash scripts/ensure_package.sh gettext /usr/bin/msgfmt "the translation tests (tests/config/test_translations.py: xgettext, msgfmt)"
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) EMAIL_PROVIDER=locmem DEBUG=0 \
		$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

# Extract, fill and compile the French and Arabic catalogues; APPS="subscribers worker" for some apps only.
messages: setup
	@bash scripts/ensure_package.sh gettext /usr/bin/msgfmt "the translation catalogues (xgettext, msgfmt)"
	$(BIN)/python scripts/messages.py $(APPS)

bench: setup
	@bash scripts/ensure_services.sh
	$(BIN)/python -m bench.run

# Fault scenarios with production defaults (bench/README.md); its own PostgreSQL and Redis, never the shared ones.
faults: setup
	$(BIN)/python -m bench.faults

# Local state lives in VAR_DIR (config/settings.py), ./var unless set.
VAR_DIR ?= var
clean:
	rm -rf $(VENV) $(VAR_DIR)/*.sqlite3* $(VAR_DIR)/static $(VAR_DIR)/celerybeat-schedule*
