# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
HAPROXY ?= /usr/sbin/haproxy

FRONTEND := frontend
# npm writes this file on every install, so it is newer than package-lock.json once installed.
NODE_MODULES := $(FRONTEND)/node_modules/.package-lock.json
FRONTEND_SOURCES := $(shell find $(FRONTEND) \( -name node_modules -o -name 'dist*' -o -name tmp \) -prune \
	-o -type f -print 2>/dev/null)

# oauth4webapi, the strict OAuth client the end-to-end tests run (e2e/oauth4webapi/package-lock.json pins it).
STRICT_CLIENT := e2e/oauth4webapi/node_modules/.package-lock.json

.PHONY: install frontend run test test-frontend test-postgres lint bench bench-inprocess

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(NODE_MODULES): $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund

$(STRICT_CLIENT): e2e/oauth4webapi/package-lock.json
	cd e2e/oauth4webapi && npm ci --no-audit --no-fund

# The production build Django serves at /, pre-compressed so whitenoise sends gzip without work per request.
frontend: $(FRONTEND)/dist/index.html

$(FRONTEND)/dist/index.html: $(NODE_MODULES) $(FRONTEND_SOURCES) | install
	cd $(FRONTEND) && npm run build
	$(BIN)/python -m whitenoise.compress --no-brotli $(FRONTEND)/dist

# Debian's Chromium, for the Ember tests and the end-to-end tests (never a browser download).
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Debian's HAProxy, in front of the app servers of the multi-server tests (deploy/).
$(HAPROXY):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy

# Development server on an embedded SQLite database, serving the built Ember app, with its client registered.
run: install frontend
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createclient "Ember app" --client-id ember-app --public --grant-type password \
		--redirect-uri http://$(HOST):$(PORT)/login/google-oauth2/callback \
		--redirect-uri http://localhost:$(PORT)/login/google-oauth2/callback
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Lint, the Ember app's own tests, then every Python test (end-to-end ones included) on SQLite.
test: install lint frontend test-frontend $(HAPROXY) $(STRICT_CLIENT)
	$(BIN)/pytest

test-frontend: $(NODE_MODULES) $(CHROMIUM)
	cd $(FRONTEND) && npm test

# The same Python suite on PostgreSQL (pytest-django creates and drops its own test database).
test-postgres: install frontend $(CHROMIUM) $(HAPROXY) $(STRICT_CLIENT)
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m bench.run

bench-inprocess: install
	$(BIN)/python -m bench.inprocess

# Several app servers behind HAProxy on this machine, with a PostgreSQL and a Redis of their own
# (README: "Production: several app servers"). `make cluster-down` stops everything `cluster-up` started.
.PHONY: cluster-up cluster-down test-cluster bench-cluster
cluster-up: install $(HAPROXY)
	deploy/local-cluster up

cluster-down:
	deploy/local-cluster down

# Every multi-server test, the long ones under load (marker cluster_load) included; `make test` runs the short ones.
test-cluster: install $(HAPROXY)
	$(BIN)/pytest deploy -m "cluster_load or not cluster_load"

# Throughput with one app server and with two, through HAProxy.
bench-cluster: install $(HAPROXY)
	$(BIN)/python -m bench.cluster
