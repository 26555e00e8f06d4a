# The two set-up commands: `make run` and `make test`. Everything else is for operations.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# first interpreter that is Python 3.12 or newer: on the PATH (pyenv's shims too), then pyenv's
# versions, /usr/local (built from source), uv's own installs; `make PYTHON=/path/python3.12 run`
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 python \
  $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] \
  $$(uv python find '>=3.12' 2>/dev/null); do \
  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
  then echo $$p; break; fi; done)
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint format messages system-deps browser-deps checker-deps vendor-axe vendor-tus serve worker backup restore clean bench

define NO_PYTHON
Django 6 needs Python 3.12 or newer (Debian 12 ships 3.11). One of:
  Debian 13 or Ubuntu 24.04:  sudo apt-get install python3 python3-venv   (3.13 / 3.12)
  Ubuntu 22.04:  sudo add-apt-repository ppa:deadsnakes/ppa && sudo apt-get install python3.12-venv
  pyenv (any system):  pyenv install 3.12 && pyenv local 3.12   (needs a C compiler and the
    Python build headers: apt-get install build-essential libssl-dev zlib1g-dev libffi-dev)
  uv:  uv python install 3.12
Then run make again; or name it: make PYTHON=/path/to/python3.12 run
endef
export NO_PYTHON

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "Found: $$(python3 --version 2>&1 || echo no python3)." >&2; \
	  echo "$$NO_PYTHON" >&2; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version)) and installing the packages (first run: a minute or two)"
	@$(PYTHON) -m venv $(VENV) || { \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update -qq && $(APT_GET) install -y -qq python3-venv && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
	  else echo "Install the venv module (apt-get install python3-venv) and try again." >&2; exit 1; fi; }
	@$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	@$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test,dev]'
	touch $@ $(VENV)/.installed-run

# WeasyPrint needs Pango and HarfBuzz-subset from the system; the OCR of scans needs tesseract
# and its Indonesian data (others may hold the apt lock: wait for it rather than fail).
APT_INSTALL := $(APT_GET) -o DPkg::Lock::Timeout=600 install -y -qq
system-deps:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx ind; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) -o DPkg::Lock::Timeout=600 update -qq && $(APT_INSTALL) tesseract-ocr tesseract-ocr-ind; \
	  else echo "Reading scans needs tesseract with Indonesian: sudo apt-get install tesseract-ocr tesseract-ocr-ind" >&2; exit 1; fi; fi
	@if ! ldconfig -p | grep -q 'libpango-1.0.so' || ! ldconfig -p | grep -q 'libpangoft2-1.0.so' \
	  || ! ldconfig -p | grep -q 'libharfbuzz-subset.so'; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update -qq && $(APT_GET) install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; \
	  else echo "WeasyPrint needs Pango and HarfBuzz: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" >&2; exit 1; fi; fi

# Browser tests drive Debian's Chromium; Playwright's own browser download is never used.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update -qq && $(APT_GET) install -y -qq chromium; \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; fi; fi

# The Nu Html Checker for the HTML5 conformance tests (tests/html_conformance.py): the npm package
# vnu-jar (~30 MB, so not in git) unpacked into $(VNU_DIR), run offline with Java 17+.
VNU_VERSION ?= 26.9.27
VNU_DIR := tests/browser/vendor/vnu-jar
checker-deps:
	@if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then \
	  if [ "$$(id -u)" = 0 ]; then $(APT_GET) update -qq && $(APT_GET) install -y -qq default-jre-headless; \
	  else echo "The HTML checker needs Java 17 or newer: sudo apt-get install default-jre-headless" >&2; exit 1; fi; fi
	@if [ "$$(cat $(VNU_DIR)/VERSION 2>/dev/null)" != "$(VNU_VERSION)" ]; then \
	  command -v npm >/dev/null || { echo "Fetching the HTML checker needs npm: sudo apt-get install npm" >&2; exit 1; }; \
	  tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent "vnu-jar@$(VNU_VERSION)" >/dev/null && tar xzf vnu-jar-*.tgz) && \
	  mkdir -p $(VNU_DIR) && cp "$$tmp/package/build/dist/vnu.jar" "$$tmp/package/LICENSE" $(VNU_DIR)/ && \
	  echo "$(VNU_VERSION)" > $(VNU_DIR)/VERSION && echo "Nu Html Checker $(VNU_VERSION) in $(VNU_DIR)"; fi

# Refresh axe-core, vendored for the accessibility checks of the browser tests (they never fetch
# it): `make vendor-axe` for the latest, `make vendor-axe AXE=axe-core@4.14.1` for one version.
AXE ?= axe-core
AXE_DIR := tests/browser/vendor/axe-core
vendor-axe:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent "$(AXE)" >/dev/null && tar xzf axe-core-*.tgz) && \
	  cp "$$tmp/package/axe.min.js" "$$tmp/package/LICENSE" $(AXE_DIR)/ && \
	  sed -n 's/^  "version": "\(.*\)",$$/\1/p' "$$tmp/package/package.json" > $(AXE_DIR)/VERSION && \
	  echo "axe-core $$(cat $(AXE_DIR)/VERSION) in $(AXE_DIR)"

# Refresh tus-js-client, the resumable upload client of the entry page (static/, served by
# Django like our own scripts; nothing is fetched at run time): `make vendor-tus` for the
# latest, `make vendor-tus TUS=tus-js-client@4.3.1` for one version. Its source-map comment is
# dropped (the map is not shipped; the hashed static storage would look for it).
TUS ?= tus-js-client
TUS_DIR := static/vendor/tus-js-client
vendor-tus:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent "$(TUS)" >/dev/null && tar xzf tus-js-client-*.tgz) && \
	  mkdir -p $(TUS_DIR) && \
	  sed '/^\/\/# sourceMappingURL=/d' "$$tmp/package/dist/tus.min.js" > $(TUS_DIR)/tus.min.js && \
	  cp "$$tmp/package/LICENSE" $(TUS_DIR)/ && \
	  sed -n 's/^  "version": "\(.*\)",$$/\1/p' "$$tmp/package/package.json" > $(TUS_DIR)/VERSION && \
	  echo "tus-js-client $$(cat $(TUS_DIR)/VERSION) in $(TUS_DIR)"

# Quiet on purpose: what a newcomer reads is the demo's summary, the users and the address.
run: system-deps $(VENV)/.installed-run
	@$(PY) manage.py migrate --no-input --verbosity 0 && echo "Database: migrated."
	@$(PY) manage.py demo --url http://$(HOST):$(PORT)/
	@# the background worker (tasks queued in the database) runs beside the server and stops with
	@# it; of its lines only failures are shown (the demo queues thumbnails and mail)
	@$(PY) manage.py db_worker --no-reload \
	  > >(grep --line-buffered -Ev '^(Starting worker|Task id=.* state=(RUNNING|SUCCESSFUL)$$)') 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	  DJANGO_RUNSERVER_HIDE_WARNING=true $(PY) manage.py runserver $(HOST):$(PORT)

test: system-deps browser-deps checker-deps $(VENV)/.installed-test
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

# ---- Operations (README, "Operations"): production server, background worker, backup --------
# gunicorn workers: WEB_CONCURRENCY from the environment, else 2 × cores + 1
WORKERS ?= $(or $(WEB_CONCURRENCY),$(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 ))))
# MIGRATE=0 on every app server but one when several start at once
MIGRATE ?= 1

serve: export DEBUG = 0
serve: system-deps $(VENV)/.installed-run
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve runs on PostgreSQL: set DATABASE_URL=postgres://..., SECRET_KEY, ALLOWED_HOSTS (README, Operations)." >&2; exit 1;; esac
	$(PY) manage.py check --deploy
	$(if $(filter 1,$(MIGRATE)),$(PY) manage.py migrate --no-input)
	$(PY) manage.py collectstatic --no-input --verbosity 0
	WEB_CONCURRENCY=$(WORKERS) BIND=$(HOST):$(PORT) exec $(VENV)/bin/gunicorn --config ppid/gunicorn_conf.py ppid.wsgi

# the background worker (thumbnails, text of files, PDF renders, mail): one or more per installation
worker: system-deps $(VENV)/.installed-run
	exec $(PY) manage.py db_worker --no-reload

# make backup [TO=dir]   make restore FROM=dir [FORCE=1]
backup: $(VENV)/.installed-run
	$(PY) manage.py backup $(if $(TO),--output "$(TO)")

restore: $(VENV)/.installed-run
	@test -n "$(FROM)" || { echo "usage: make restore FROM=var/backups/dik-YYYYmmdd-HHMMSS [FORCE=1]" >&2; exit 1; }
	$(PY) manage.py restore "$(FROM)" $(if $(FORCE),--force)

# ---- Benchmarks (README, "Performance"): every measure of issue 9 in one run, one table --------
# Into its own PostgreSQL database (name with "bench"), recreated each run; never the dev one.
# make bench [BENCH_DATABASE_URL=postgres://…/dik_bench_data] [BENCH_ARGS="--entries 10000 …"]
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dik_bench_data
bench: system-deps $(VENV)/.installed-run
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.run --fresh-db $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles test-artifacts .pytest_cache
