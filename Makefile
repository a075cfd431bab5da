# The project's two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format migrations-check install install-test serve clean backup restore messages load release

# Find a Python >= 3.12 (Django 6.1 needs it), or say what to install.
$(PY):
	@python=""; \
	for candidate in python3.13 python3.14 python3.12 python3; do \
		if command -v $$candidate >/dev/null 2>&1 && \
			$$candidate -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
			python=$$candidate; break; \
		fi; \
	done; \
	if [ -z "$$python" ]; then \
		echo "Python 3.12 or newer is needed (Django 6.1). Install python3.13 (e.g. 'apt-get install python3.13 python3.13-venv' or 'pyenv install 3.13') and run make again." >&2; \
		exit 1; \
	fi; \
	echo "Creating $(VENV) with $$($$python --version)"; \
	$$python -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# `make run` installs what running the portal needs; `make test` and `make lint` add the test
# tools (pytest, Playwright, hypothesis, ruff, ...: pyproject.toml's "test" extra).
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet .
	@touch $@

# One pip run for both (the test extra includes what running needs).
$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet ".[test]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Set everything up (virtual environment, dependencies, database, seed data, demo accounts)
# and serve the portal on SQLite at http://127.0.0.1:8000/ with its background worker
# (Procfile, started by honcho: the lines of each are prefixed web/worker; Ctrl-C stops both).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_network
	$(PY) manage.py seed_demo
	@echo "The portal: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	WEB_HOST=$(HOST) WEB_PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

# The whole suite. DATABASE_URL chooses PostgreSQL; without it the tests run on SQLite.
# On every core (pytest-xdist; TEST_WORKERS=0 for one process), each worker with its own test
# database, kept between runs while the migrations stay the same (var/test-databases/;
# PYTEST_ARGS=--create-db makes them anew). Bytecode is written (even where
# PYTHONDONTWRITEBYTECODE is set) so that the next run skips rewriting the test modules'
# asserts: about 10 s of each worker's start.
TEST_WORKERS ?= auto
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n $(TEST_WORKERS) --dist load --reuse-db
test: install-test migrations-check
	$(PYTEST) $(PYTEST_ARGS)

# The edit-test loop: everything but the browser, fuzz, fault and scale tests (their folders
# are not even collected: importing them costs each worker about a second).
test-fast: install-test
	$(PYTEST) -m "not browser and not fuzz and not faults and not scale" \
		--ignore=tests/browser --ignore=tests/fuzz --ignore=tests/faults $(PYTEST_ARGS)

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract the strings to translate into locale/en/ and compile them (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --add-location=file --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

# A consistent snapshot of the database (pg_dump on PostgreSQL, SQLite's backup API) in
# var/backups/, and the way back: make restore FILE=var/backups/asfnet-....backup
backup: install
	$(PY) manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/asfnet-YYYYMMDD-HHMMSS.backup" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)"

# The release steps the Docker image and CI run (install, compilemessages, collectstatic,
# check --deploy); run it with the production environment.
release: install
	PYTHON=$(PY) bash scripts/release.sh

# The load test (scripts/load/run.py): gunicorn with DEBUG=0 on 127.0.0.1:8100 against the
# synthetic data set in PostgreSQL (LOAD_DATABASE_URL, default asfnet_load: it must exist) and
# Redis (LOAD_CACHE_URL, default redis://127.0.0.1:6379/5), 200 clients for 60 s.
$(VENV)/.installed-load: pyproject.toml | $(VENV)/.installed
	$(PY) -m pip install --quiet ".[load]"
	@touch $@

load: $(VENV)/.installed-load
	$(PY) scripts/load/run.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
