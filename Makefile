# orglife — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv is bootstrapped with pip when missing (a fresh machine has only Python 3.11).
UV = $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
DEMO_ENV := ORGLIFE_DEMO=1
SETTINGS := --settings=orglife.config.settings_test --pythonpath=..
MAKEMESSAGES := makemessages -l zh_Hans -l zh_Hant -l vi --no-obsolete --no-location --ignore='tests/*' --ignore='*/tests/*'

.PHONY: demo test lint fmt typecheck messages check ci bench drill uv install install-dev

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(HOME)/.local/bin/uv" ] || $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv

install: uv
	@$(UV) sync --frozen --quiet

install-dev: uv
	@$(UV) sync --frozen --group dev --quiet

## demo: install, migrate, load the small demo, serve on http://127.0.0.1:8000
demo: install
	@$(DEMO_ENV) $(BIN)/orglife migrate --verbosity 0
	@$(DEMO_ENV) $(BIN)/orglife demo --size small --jurisdiction both --if-empty
	@$(DEMO_ENV) $(BIN)/orglife serve

## test: install dev dependencies and run the whole suite (SQLite; .ci/run adds PostgreSQL)
test: install-dev
	$(BIN)/pytest -n 2 --cov --cov-report=term

lint: install-dev
	$(BIN)/ruff check src e2e bench scripts
	$(BIN)/ruff format --check src e2e bench scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

fmt: install-dev
	$(BIN)/ruff format src e2e bench scripts
	$(BIN)/ruff check --fix src e2e bench scripts

typecheck: install-dev
	$(BIN)/mypy

## messages: refresh the .po files, compile them, check they are complete
messages: install-dev
	cd src/orglife && ../../$(BIN)/django-admin $(MAKEMESSAGES) $(SETTINGS)
	cd src/orglife && ../../$(BIN)/django-admin compilemessages $(SETTINGS)
	$(BIN)/python scripts/check_messages.py

check: install-dev
	$(BIN)/python scripts/check_messages.py
	ORGLIFE_SECRET_KEY=check $(BIN)/orglife check --fail-level WARNING
	ORGLIFE_SECRET_KEY=check $(BIN)/orglife makemigrations --check --dry-run

## ci: exactly what CI runs (SQLite and PostgreSQL)
ci:
	bash .ci/run

## bench: province-scale benchmarks on PostgreSQL (writes docs/performance.md)
bench: install-dev
	$(BIN)/python bench/run.py

## drill: restart the local PostgreSQL under load and check the app recovers (not in CI: it restarts the server)
drill: install-dev
	$(BIN)/python bench/drill_pg_restart.py
