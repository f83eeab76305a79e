# LearnCity: two commands set everything up on a fresh machine.
#   make run   install, migrate, load demo data, serve http://127.0.0.1:8000 (SQLite)
#   make test  install and run every test, on SQLite and on PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install run test test-sqlite test-postgres lint messages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/learncity compilemessages

run: install
	$(BIN)/learncity migrate
	$(BIN)/learncity demo
	$(BIN)/learncity serve

test: install lint test-sqlite test-postgres

lint: install
	$(BIN)/ruff check src tests $(wildcard bench tools)

test-sqlite: install
	$(BIN)/pytest -q

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser"

messages: install
	cd src/learncity && ../../$(BIN)/learncity manage makemessages -l zh_Hans -l en --no-wrap $$(for d in */locale; do printf -- "--ignore=%s " "$${d%/locale}"; done)

clean:
	rm -rf $(VENV) var .pytest_cache
