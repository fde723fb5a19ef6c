# orglife — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := ORGLIFE_DEMO=1

.PHONY: demo test test-pg lint fmt typecheck messages check ci bench uv install install-dev browser-deps

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv

install: uv
	@$$(command -v uv || echo $(UV)) sync --frozen --no-dev --quiet

install-dev: uv
	@$$(command -v uv || echo $(UV)) sync --frozen --group dev --quiet

## demo: install, migrate, load the small demo, serve on http://127.0.0.1:8000
demo: install
	@$(DEMO_ENV) $(BIN)/orglife migrate --verbosity 0
	@$(DEMO_ENV) $(BIN)/orglife demo --size small --jurisdiction both --if-empty
	@$(DEMO_ENV) $(BIN)/orglife serve

## test: install dev dependencies and run the whole suite (SQLite)
test: install-dev
	@$(BIN)/orglife compilemessages --ignore=.venv -v 0 2>/dev/null || true
	$(BIN)/pytest -n 2 --cov --cov-report=term

## test-pg: the same suite on PostgreSQL (ORGLIFE_DATABASE_URL must point at a server)
test-pg: install-dev
	$(BIN)/pytest -n 2

lint: install-dev
	$(BIN)/ruff check src e2e bench
	$(BIN)/ruff format --check src e2e bench
	$(BIN)/lint-imports
	$(BIN)/mypy

fmt: install-dev
	$(BIN)/ruff format src e2e bench
	$(BIN)/ruff check --fix src e2e bench

typecheck: install-dev
	$(BIN)/mypy

## messages: refresh the .po files and compile them
messages: install-dev
	cd src/orglife && ../../$(BIN)/django-admin makemessages -l zh_Hans -l zh_Hant -l vi --no-obsolete --no-location --ignore='tests/*' --settings=orglife.config.settings_test --pythonpath=..
	cd src/orglife && ../../$(BIN)/django-admin compilemessages --settings=orglife.config.settings_test --pythonpath=..

check: install-dev
	ORGLIFE_SECRET_KEY=check $(BIN)/orglife check --fail-level WARNING
	ORGLIFE_SECRET_KEY=check $(BIN)/orglife makemigrations --check --dry-run

ci:
	bash .ci/run

## bench: province-scale benchmarks on PostgreSQL (writes docs/performance.md)
bench: install-dev
	$(BIN)/python bench/run.py
