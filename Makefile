# The two set-up commands: `make run` (the app with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint vendor-js test-sqlite test-postgres system-packages translations extract-messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Browser libraries come from the npm registry and are served from static/, never committed.
vendor-js: static/js/vendor/jsQR.js

static/js/vendor/jsQR.js: node_modules/.package-lock.json
	mkdir -p $(@D)
	cp node_modules/jsqr/dist/jsQR.js $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d conference/translations 2>&1 | grep -v '^compiling' || true
	@$(BIN)/pybabel compile -d conference/translations >/dev/null

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -w 100 \
	  --project=conference -o conference/translations/messages.pot .
	$(BIN)/pybabel update -i conference/translations/messages.pot -d conference/translations --no-fuzzy-matching --ignore-obsolete -w 100

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))' > $@

run: $(VENV)/.installed node_modules/.package-lock.json vendor-js translations instance/secret_key
	export SECRET_KEY="$${SECRET_KEY:-$$(cat instance/secret_key)}"; \
	export BASE_URL="$${BASE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(FLASK) db upgrade && \
	$(FLASK) demo load --if-empty && \
	{ $(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "Serving on http://127.0.0.1:$(PORT)/"; \
	  $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - wsgi:app; }

system-packages:
	bash tests/system_packages.sh

test: $(VENV)/.installed-test system-packages node_modules/.package-lock.json vendor-js translations
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Defects the tests may not reach (undefined names, tests that shadow each other, ...), and the order of the
# packages: features import only downward and never another feature's pages. Rules in pyproject.toml.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check conference tests migrations wsgi.py
	$(BIN)/lint-imports

test-sqlite:
	$(BIN)/pytest -m "not postgres"

test-postgres:
	bash tests/with_postgres.sh $(BIN)/pytest -m "not browser"

# Registrations per second and outbox delivery rate, on SQLite and a throw-away PostgreSQL; then how the
# process page grows and what a camera photo costs. Prints tables.
bench: $(VENV)/.installed-test translations
	bash tests/with_postgres.sh sh -c '$(BIN)/python -m tests.benchmarks.bench_registration --postgres-url "$$TEST_DATABASE_URL"'
	$(BIN)/python -m tests.benchmarks.bench_consultation

clean:
	rm -rf $(VENV) node_modules
