# A fresh machine needs only Python 3.11+: every target builds .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/courtbot run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/adapter.py
	$(BIN)/python bench/release.py
	$(BIN)/python bench/release.py --site mrbs --sizes 200 --modes loopback
	$(BIN)/python bench/release.py --site librebooking --sizes 200 --modes loopback
	$(BIN)/python bench/bot.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
