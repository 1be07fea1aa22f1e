# mentoring_cms: set-up, demo and tests. `make demo` and `make test` do all
# the set-up a fresh machine with Python 3.11 needs.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
PORT ?= 8000

NPM := $(shell command -v npm)

.PHONY: install gettext messages makemessages check-messages migrate demo-content demo run serve loadtest test lint format check bench bench-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# msgfmt comes from GNU gettext; install it where it is missing and we may.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && apt-get install -y -qq gettext; \
		else echo "Please install GNU gettext (msgfmt)"; exit 1; fi; }

messages: install gettext
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# Re-extract the strings from code and templates into the nb and en catalogues.
makemessages: install gettext
	cd mentoring_cms && ../$(BIN)/python ../manage.py makemessages -l nb -l en --no-obsolete --no-location -v 0
	$(MANAGE) makemessages -l nb -l en --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=mentoring_cms --ignore=tests --ignore=benchmarks -v 0

# Fails when a catalogue has fuzzy or untranslated entries, or is out of date.
check-messages: makemessages
	$(BIN)/python scripts/check_catalogues.py

migrate: messages
	$(MANAGE) migrate --noinput -v 0

# Links in the demo's emails (the site's address and the admin's) point at
# the address the demo runs on, unless WAGTAILADMIN_BASE_URL says otherwise.
demo-content demo run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)

demo-content: migrate
	$(MANAGE) load_demo_content

demo: demo-content
	@echo "Site:  http://$(HOST):$(PORT)/nb/  and  http://$(HOST):$(PORT)/en/"
	@echo "Admin: http://$(HOST):$(PORT)/admin/"
	$(MANAGE) runserver $(HOST):$(PORT)

run: migrate
	$(MANAGE) runserver $(HOST):$(PORT)

# gunicorn and the task worker with the production settings, as in Procfile
# (migrations and collectstatic first). See docs/deployment.md.
serve: messages
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) scripts/serve.sh

# 200 simulated applicants against two gunicorn instances on PostgreSQL, in a
# database of its own (LOADTEST_DATABASE) that it creates and drops.
loadtest: messages
	$(BIN)/python scripts/loadtest.py

# axe-core and the Nu Html Checker for the browser tests, pinned by
# package-lock.json. vnu-jar's install script (which would fetch a Java
# runtime) is skipped: the system's java runs vnu.jar.
node_modules: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch node_modules

# The browser tests (tests/browser/) run when /usr/bin/chromium exists; when it
# does not, pytest deselects them and says so at the end of its report.
test: messages $(if $(NPM),node_modules)
	$(BIN)/pytest $(PYTEST_ARGS)

# lint-imports checks the layers of mentoring_cms ([tool.importlinter] in
# pyproject.toml, "Code layout" in README.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: messages
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# Benchmarks beside Wagtail's form builder (see "Performance" in README.md).
# Uses wrk for the load test where it can be installed,
# otherwise a small Python load generator.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

bench-tools: $(BENCH_STAMP)
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && apt-get install -y -qq wrk >/dev/null || true; \
		fi; }

bench: messages bench-tools
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
