# A fresh machine needs only Python 3.11+: every target builds .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install clean catalogs

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

# After changing a text: extract the messages, update each language's .po (then translate what is new
# there), and compile the .mo files, which are committed: an install needs no build step.
catalogs: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project=courtbot -o bot/locale/courtbot.pot bot
	$(BIN)/pybabel update --width=110 --ignore-pot-creation-date --ignore-obsolete --no-fuzzy-matching -i bot/locale/courtbot.pot -d bot/locale -D courtbot
	$(BIN)/pybabel compile --statistics -d bot/locale -D courtbot

bench: $(STAMP)
	$(BIN)/python bench/adapter.py
	$(BIN)/python bench/release.py
	$(BIN)/python bench/release.py --site mrbs --sizes 200 --modes loopback
	$(BIN)/python bench/release.py --site librebooking --sizes 200 --modes loopback
	$(BIN)/python bench/bot.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
