# MED-bot: the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PORT ?= 3978

.PHONY: run test lint install install-dev chat bench clean e2e teams-package

$(VENV)/.stamp-install: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e .
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-install
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.stamp-install
install-dev: $(VENV)/.stamp-dev

## Start the bot on port 3978 with an embedded SQLite database (data/medbot.sqlite3).
run: install
	$(VENV)/bin/medbot serve --port $(PORT)

## Install the dev dependencies, lint and type-check, and run the whole test suite.
test: install-dev lint
	$(PY) -m pytest -q $(PYTEST_ARGS)

## ruff and mypy, as configured in pyproject.toml (no output and exit 0 when all is well).
lint: install-dev
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/mypy

## A console conversation with the bot.
chat: install
	$(VENV)/bin/medbot chat

## End-to-end: the bot in Microsoft 365 Agents Playground, driven by headless Chromium
## (installs Debian's chromium and the npm packages when missing; see e2e/run.sh).
e2e: install
	bash e2e/run.sh

## The Teams app package for the admin (needs MicrosoftAppId and MEDBOT_PUBLIC_URL).
teams-package: install
	$(VENV)/bin/medbot manifest build -o build/medbot-teams-app.zip

bench: install-dev
	$(PY) bench/search.py

clean:
	rm -rf $(VENV) build *.egg-info
