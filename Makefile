# The two commands a newcomer needs are `make demo` and `make test`; everything else is for developers.
# Every target works from a fresh clone: it creates .venv with the system python3 and installs the
# pinned requirements into it (again only when a requirements file changes).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# The embedded defaults (SQLite, local-memory cache, in-process tasks): drop anything from the
# caller's shell that would point the suite or the demo at external services.
EMBEDDED := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND -u CI_REQUIRE_SERVICES

# The services run of the same suite: PostgreSQL + Redis (DB 7, used only by tests) + a real Celery worker.
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/marketplace_ci
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/7
SERVICES := env -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND \
	DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL) CI_REQUIRE_SERVICES=1

# Demo only: DEBUG lets runserver serve static and media files and show readable errors.
DEMO_ENV := $(EMBEDDED) DEBUG=1
# The demo pays through localstripe (a local Stripe emulator from PyPI, started and stopped by `make demo`):
# the same Stripe code path as production, offline. The keys are localstripe's dummies, not secrets.
LOCALSTRIPE_PORT ?= 8420
LOCALSTRIPE_URL := http://127.0.0.1:$(LOCALSTRIPE_PORT)
DEMO_STRIPE_ENV := PAYMENT_PROVIDER=stripe STRIPE_API_BASE=$(LOCALSTRIPE_URL) \
	STRIPE_JS_URL=$(LOCALSTRIPE_URL)/js.stripe.com/v3/ STRIPE_SECRET_KEY=sk_test_localstripe_demo \
	STRIPE_PUBLISHABLE_KEY=pk_test_localstripe_demo STRIPE_WEBHOOK_SECRET=whsec_localstripe_demo \
	SITE_URL=http://$(HOST):$(PORT)

RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: help demo test services-test lint imports types requirements worker beat messages venv

help:
	@echo "make demo           install, migrate, seed demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test           run the whole test suite on the embedded defaults (SQLite, no services)"
	@echo "make services-test  run the same suite on PostgreSQL + Redis + a real Celery worker"
	@echo "make lint           ruff check + ruff format --check"
	@echo "make imports        lint-imports: the app layers and rules-below-pages contracts (.importlinter)"
	@echo "make types          mypy: strict modules clean, the rest held to mypy-baseline.txt (may only shrink)"
	@echo "make requirements   recompile requirements*.txt from requirements*.in with uv"
	@echo "make worker | beat  Celery worker / beat (needs REDIS_URL, and DATABASE_URL like the web process)"
	@echo "make messages       makemessages + compilemessages for en and zh_Hans"

# --- virtualenv -----------------------------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "error: Python 3.11 or newer is needed as '$(PYTHON)' (make PYTHON=python3.12 ... to pick another)." >&2; \
		exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
		echo "error: '$(PYTHON) -m venv' is not available." >&2; \
		echo "hint:  on Debian/Ubuntu run: sudo apt-get install python3-venv  (or python3.X-venv for your version)" >&2; \
		exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "hint: on Debian/Ubuntu run: sudo apt-get install python3-venv" >&2; exit 1; }

venv: $(BIN)/python

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt -r requirements-dev.txt
	@touch $@ $(RUNTIME_STAMP)

# --- the two README commands ----------------------------------------------------------------------
demo: $(RUNTIME_STAMP)
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	@# seed_demo is idempotent: it creates what is missing and skips what exists.
	$(DEMO_ENV) $(MANAGE) seed_demo
	@echo
	@echo "=== Marketplace demo: http://$(HOST):$(PORT)/  (admin: /admin/, API: /api/docs/, health: /healthz)"
	@echo "    shopper   shopper@demo.marketplace   demo-shopper-pass"
	@echo "    seller    seller@demo.marketplace    demo-seller-pass"
	@echo "    operator  operator@demo.marketplace  demo-operator-pass"
	@echo "    Cards (localstripe, no real money): 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined,"
	@echo "    4000 0025 0000 3155 asks for 3-D Secure; any future expiry, any CVC."
	@echo "    Stop with Ctrl-C (localstripe and the Celery worker stop with it). Data lives in var/ (delete var/ to start over)."
	@echo "    This terminal stays busy while the demo runs: run make test in a second one."
	@echo
	@# localstripe runs in the background for as long as the demo does (killed by its PID on exit); it
	@# starts empty each time (--from-scratch) and is only ever called on 127.0.0.1. So does a Celery
	@# worker with beat on an embedded folder broker (var/celery-queue, log var/celery.log): the periodic
	@# jobs (unpaid-order expiry, auto-completion, funds release, payouts, reconciliation) run as in
	@# production, while the web process keeps running its own tasks in-process.
	@mkdir -p var
	$(BIN)/localstripe --port $(LOCALSTRIPE_PORT) --from-scratch >var/localstripe.log 2>&1 & \
	localstripe_pid=$$!; \
	$(DEMO_ENV) $(DEMO_STRIPE_ENV) CELERY_BROKER_URL=filesystem:// \
		$(BIN)/celery -A marketplace worker --beat --pool=solo -l info \
		--schedule var/celerybeat-schedule >var/celery.log 2>&1 & \
	celery_pid=$$!; \
	trap 'kill $$localstripe_pid $$celery_pid 2>/dev/null || true' EXIT INT TERM; \
	$(DEMO_ENV) $(DEMO_STRIPE_ENV) $(MANAGE) stripe_dev_setup --wait 20; \
	$(DEMO_ENV) $(DEMO_STRIPE_ENV) $(MANAGE) runserver $(HOST):$(PORT)

test: $(DEV_STAMP)
	bash scripts/ensure-chromium.sh
	$(EMBEDDED) $(BIN)/pytest $(PYTEST_ARGS)

# --- developer targets ----------------------------------------------------------------------------
services-test: $(DEV_STAMP)
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-services.sh
	$(SERVICES) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	@# Both always run, so one pass reports lint and format problems together.
	rc=0; $(BIN)/ruff check . || rc=1; $(BIN)/ruff format --check . || rc=1; exit $$rc

imports: $(DEV_STAMP)
	$(BIN)/lint-imports

# DEBUG=1: the django-stubs plugin imports the settings, which demand the production secrets without it.
types: $(DEV_STAMP)
	$(EMBEDDED) DEBUG=1 $(BIN)/python scripts/mypy_baseline.py

requirements: $(BIN)/python
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --disable-pip-version-check -q uv
	$(BIN)/uv pip compile -q requirements.in -o requirements.txt --python-version 3.11
	$(BIN)/uv pip compile -q requirements-dev.in -o requirements-dev.txt --python-version 3.11

define require_redis
	@test -n "$${REDIS_URL:-}" || { \
		echo "error: export REDIS_URL (e.g. redis://127.0.0.1:6379/0) and the DATABASE_URL the web process uses;" >&2; \
		echo "       without a broker, tasks already run inside the web process and no $(1) is needed." >&2; \
		exit 1; }
endef

worker: $(RUNTIME_STAMP)
	$(call require_redis,worker)
	$(BIN)/celery -A marketplace worker -l info

beat: $(RUNTIME_STAMP)
	$(call require_redis,beat)
	@mkdir -p var
	$(BIN)/celery -A marketplace beat -l info --schedule var/celerybeat-schedule

# DEBUG=1: a developer tool, and without DEBUG the settings demand the production secrets.
messages: $(RUNTIME_STAMP)
	$(EMBEDDED) DEBUG=1 $(MANAGE) makemessages -l en -l zh_Hans --ignore=.venv --ignore=var --ignore=test-artifacts
	$(EMBEDDED) DEBUG=1 $(MANAGE) compilemessages -l en -l zh_Hans --ignore=.venv
