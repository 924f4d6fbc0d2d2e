# douyin_cart — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APPS := core creators showcase affiliates orders commissions notices
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-outside screenshots serve bench lint messages compilemessages browser clean venv

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-sdk-nodeps.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -r requirements-sdk-nodeps.txt
	touch $@

# GNU gettext's msgfmt compiles the catalogs; install it from Debian when missing.
gettext:
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null); } || { echo "install GNU gettext (msgfmt)"; exit 1; }

compilemessages: venv gettext
	$(PY) manage.py compilemessages --ignore=.venv -v0

## Extract strings of each app (and its templates/<app>/ folder) into <app>/locale.
messages: venv gettext
	$(PY) manage.py extract_messages

## Headless Chromium and a CJK font for the browser tests (Debian packages).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	  else echo "browser tests will be skipped: install chromium and fonts-wqy-zenhei"; fi; fi

# The address a user gives is the site's own (images, the sandbox sources) unless SITE_BASE_URL is set.
# Periodic tasks run in `manage.py run_schedule` beside runserver (no Redis, no beat); it stops with it.
run: export SITE_BASE_URL ?= http://$(HOST):$(PORT)
run: venv compilemessages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py setup_schedules
	$(PY) manage.py seed_demo
	$(PY) manage.py run_schedule --delay 5 & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv compilemessages browser
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || true
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

## The checks from outside alone (tests/outside/: authorization matrix, mass assignment, schema
## fuzzing, deploy check, ruff, bandit, migrations); `make test` runs them too.
test-outside: venv compilemessages
	$(PY) -m pytest tests/outside $(PYTEST_ARGS)

## The browser journeys (creator, shopper, merchant, operator) with their screenshots in both
## languages under screenshots/ (git-ignored), then screenshots/index.html to look at them.
screenshots: venv compilemessages browser
	rm -rf screenshots
	$(PY) -m pytest tests/browser -m browser -o addopts="-q" $(PYTEST_ARGS)
	$(PY) tools/screenshots_html.py

## The production stack on this machine: gunicorn + Celery worker + beat, prod settings.
serve: venv compilemessages
	@[ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ] || { echo "make serve needs DATABASE_URL and REDIS_URL"; exit 2; }
	@test -s .serve-secret || $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > .serve-secret
	export DJANGO_SETTINGS_MODULE=douyin_cart.settings.prod SECRET_KEY="$$(cat .serve-secret)" \
	  ALLOW_PLAIN_HTTP_ON_LOOPBACK=1 SERVE_MEDIA=1 SANDBOX_ENABLED=$${SANDBOX_ENABLED:-1}; \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py setup_schedules && \
	{ nice -n 10 $(VENV)/bin/celery -A douyin_cart worker -l info --concurrency 2 & \
	  $(VENV)/bin/celery -A douyin_cart beat -l info & \
	  trap 'kill 0' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn douyin_cart.wsgi:application -c gunicorn.conf.py; }

bench: venv compilemessages
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench $(BENCH_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles .test-media
