# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install run test test-postgres lint bench

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Development server on an embedded SQLite database, with the Ember app's public client registered.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createclient "Ember app" --client-id ember-app --public --grant-type password
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Lint, then every test on SQLite.
test: install lint
	$(BIN)/pytest

# The same suite on PostgreSQL (pytest-django creates and drops its own test database).
test-postgres: install
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m bench.run
