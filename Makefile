# The two set-up commands: `make run` and `make test`. Everything else is for operations.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# first interpreter that is Python 3.12 or newer
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
  then echo $$p; break; fi; done)
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint format messages system-deps browser-deps serve clean

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 not found)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update -qq && $(APT_GET) install -y -qq python3-venv && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
	  else echo "Install the venv module (apt-get install python3-venv) and try again." >&2; exit 1; fi; }
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test,dev]'
	touch $@ $(VENV)/.installed-run

# WeasyPrint needs Pango from the system.
system-deps:
	@if ! ldconfig -p | grep -q 'libpango-1.0.so' || ! ldconfig -p | grep -q 'libpangoft2-1.0.so'; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update -qq && $(APT_GET) install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; \
	  else echo "WeasyPrint needs Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2; exit 1; fi; fi

# Browser tests drive Debian's Chromium; Playwright's own browser download is never used.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update -qq && $(APT_GET) install -y -qq chromium; \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; fi; fi

run: system-deps $(VENV)/.installed-run
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: system-deps browser-deps $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract new strings into locale/id and compile the catalogue (gettext tools needed).
messages: $(VENV)/.installed-test
	$(PY) manage.py makemessages -l id --no-obsolete --ignore='.venv/*' --ignore='tests/*'
	$(PY) manage.py compilemessages -l id --ignore='.venv/*'

clean:
	rm -rf $(VENV) var staticfiles test-artifacts .pytest_cache
