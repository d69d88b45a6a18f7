# MED-bot: the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PORT ?= 3978

.PHONY: run test install install-dev chat bench clean

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

## Install the dev dependencies and run the whole test suite.
test: install-dev
	$(PY) -m pytest -q $(PYTEST_ARGS)

## A console conversation with the bot.
chat: install
	$(VENV)/bin/medbot chat

bench: install-dev
	$(PY) bench/search.py

clean:
	rm -rf $(VENV) build *.egg-info
