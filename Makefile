# The two commands of the README: `make run` and `make test`. CI runs `.ci/run`, which calls `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEV    := DJANGO_DEBUG=true

.PHONY: run test install install-test system-packages lint deploy-check messages clean bench bench-packages screenshots

# `make run PORT=8001` serves on another port when 8000 is taken.
PORT ?= 8000
run: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo
	@# The task worker sends the e-mails (printed on this console in the demo); it stops with
	@# the web server, however the web server stops.
	$(DEV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite, spread over the machine's cores (pytest-xdist; each worker has its own test
# database). `make test E2E=no` leaves the browser journeys out: CI runs them once, on PostgreSQL.
WORKERS ?= auto
E2E     ?= yes
test: install-test system-packages
	$(PY) -m pytest -n $(WORKERS) $(if $(filter no,$(E2E)),-m "not e2e")

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV) \
		|| { echo "Could not create $(VENV): install python3-venv (apt-get install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

install-test: $(VENV)/.installed-test
$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

# Browser tests drive Debian's chromium (never a downloaded browser); a CJK font renders Chinese.
# pg_dump and pg_restore back up and restore PostgreSQL (backup_database, restore_database).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	command -v pg_restore >/dev/null 2>&1 || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The import contracts of pyproject.toml ([tool.importlinter]): apps depend downwards, inbox,
# accounts and caching know no domain app.
lint: install-test deploy-check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# The deployment checklist with production-like variables: a fresh 50+ character secret, a host
# name, a shared cache, and the HTTPS, HSTS and cookie flags as the settings default them with
# DEBUG off.
deploy-check: install
	env -u DJANGO_HTTPS -u DJANGO_HSTS_SECONDS -u DJANGO_HSTS_INCLUDE_SUBDOMAINS -u DJANGO_HSTS_PRELOAD \
		DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=portal.example.org \
		DJANGO_CACHE_URL=redis://127.0.0.1:6379/1 \
		DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(PY) manage.py check --deploy --fail-level WARNING

# The load benchmark (bench/README.md): gunicorn and wrk on 127.0.0.1 against the million-case
# *_bench database (filled when missing) and a Redis cache database of its own.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lujiazui_bench
BENCH_CACHE_URL    ?= redis://127.0.0.1:6379/3
bench: install bench-packages
	DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_CACHE_URL=$(BENCH_CACHE_URL) $(PY) bench/load.py

# wrk is for the benchmark only: the tests never need it.
bench-packages:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing wrk"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; \
	}

# The README's phone screenshots (docs/screenshots/), from the demo street in a throw-away database.
screenshots: install-test system-packages
	$(PY) docs/screenshots.py

# Needs Debian's gettext; the compiled catalogue is committed, so running the portal does not.
messages: install
	$(DEV) $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	$(DEV) $(PY) manage.py compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache
