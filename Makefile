# One entry point for tooling. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
PACKAGE := src/equal_outcomes
STATIC_BUILD := $(PACKAGE)/static/build
export EQUAL_OUTCOMES_HOME ?= $(CURDIR)/var
export UV_PYTHON_DOWNLOADS := never
# Python keeps compiled modules, even where the environment says not to write them
# (PYTHONDONTWRITEBYTECODE): otherwise every process (each command, each test worker and each
# process a test starts) compiles the whole of Django and the app again, about 4 s each.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install run test test-fast screenshots lint types pytest pytest-sqlite pytest-postgres browser-deps assets messages makemessages format clean

help:
	@echo "make run     set everything up, load a demo landlord if empty, serve http://127.0.0.1:8000"
	@echo "make test    every check: ruff, mypy, pytest on SQLite and on PostgreSQL, browser tests"
	@echo "make test-fast  lint and the SQLite tests without the browser, for the inner loop"
	@echo "make install set-up alone (environment, assets, translations, migrations)"
	@echo "make screenshots  every role's pages in both languages and widths, in test-results/"

$(BIN)/python:
	python3 -m venv $(VENV)

$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --quiet --extra spark --compile-bytecode
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
	touch $@

$(STATIC_BUILD)/app.css: $(PACKAGE)/static_src/app.scss node_modules/.installed
	mkdir -p $(STATIC_BUILD)
	npx --no-install sass --no-source-map --quiet --load-path=node_modules --style=compressed $< $@
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC_BUILD)/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js.map $(STATIC_BUILD)/

assets: $(STATIC_BUILD)/app.css

# Compiled with Babel (from the lock file), so no system gettext is needed to install.
messages: $(VENV)/.synced
	$(BIN)/pybabel compile --domain=django --directory=$(PACKAGE)/locale --statistics 2>&1 | grep -v "^$$" || true
	test -f $(PACKAGE)/locale/cy/LC_MESSAGES/django.mo

# For developers adding strings (needs gettext's xgettext).
makemessages: $(VENV)/.synced
	cd $(PACKAGE) && ../../$(BIN)/django-admin makemessages --locale=cy --no-obsolete --ignore=static_src

install: $(VENV)/.synced assets messages
	EQUAL_OUTCOMES_ENV=development $(BIN)/equal-outcomes collectstatic --no-input --verbosity=0
	EQUAL_OUTCOMES_ENV=development $(BIN)/equal-outcomes migrate --no-input --verbosity=0

run: install
	EQUAL_OUTCOMES_ENV=development $(BIN)/equal-outcomes demo --if-empty --customers 5000 --seed 1
	@echo
	@echo "Equal Outcomes is starting at http://127.0.0.1:8000/"
	@echo "Sign in as 'lead' (equality and data lead) with the password 'equal-outcomes-demo'."
	@echo "Other demo users: advisor, officer, tenant, contractor, partner, board, admin (same password)."
	@echo "Staff then need a two-factor code: add the secret key printed above to an authenticator"
	@echo "app, or print the current code with: EQUAL_OUTCOMES_ENV=development $(BIN)/equal-outcomes demo --code lead"
	@echo
	EQUAL_OUTCOMES_ENV=development $(BIN)/equal-outcomes serve --host 127.0.0.1 --port 8000

lint: $(VENV)/.synced
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

format: $(VENV)/.synced
	$(BIN)/ruff format src tests scripts benchmarks
	$(BIN)/ruff check --fix src tests scripts benchmarks

types: $(VENV)/.synced
	$(BIN)/mypy

browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }
	@command -v java >/dev/null || { \
	  echo "Installing Debian's Java runtime for the Spark parity test"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq default-jre-headless >/dev/null; fi; }
	@command -v pdftoppm >/dev/null || { \
	  echo "Installing Debian's poppler-utils (pdftoppm, pdftotext) for the report tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils >/dev/null; fi; }

# Side by side on every core (up to four), a module per worker at a time: a module's shared world is
# built once, and the crash harness's tests run in order (tests/conftest.py also keeps the Spark
# modules on one worker).
PYTEST := $(BIN)/pytest -q -p no:cacheprovider --numprocesses=auto --maxprocesses=4 --dist=loadfile

pytest-sqlite: install browser-deps
	$(PYTEST)

# Starts a throwaway PostgreSQL cluster (as a non-root user) unless DATABASE_URL reaches one, and
# runs the tests that touch the database (the others do not depend on it and ran on SQLite).
pytest-postgres: install browser-deps
	EQUAL_OUTCOMES_TESTS=database $(BIN)/python scripts/with_postgres.py $(PYTEST)

# The inner loop: lint and the SQLite pass without the browser journeys.
test-fast: install
	$(BIN)/ruff check src tests scripts benchmarks
	$(PYTEST) -m "not browser"

# Every role's pages in both languages at both widths, as screenshots in test-results/ to look at.
screenshots: install browser-deps
	EQUAL_OUTCOMES_SCREENSHOTS=1 $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_every_role.py

pytest: pytest-sqlite pytest-postgres

test: lint types pytest

clean:
	rm -rf $(VENV) node_modules $(STATIC_BUILD) .mypy_cache .ruff_cache
