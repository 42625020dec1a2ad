# statemedia — every target sets up .venv first if needed.
PY      := .venv/bin/python
STAMP   := .venv/.installed
SHARED  ?= ../shared
DB      ?= var/statemedia.db

.PHONY: setup demo test lint bench train clean

$(STAMP): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The main job on the embedded default: analyse the seed article and print the report.
demo: $(STAMP)
	.venv/bin/statemedia analyze $(SHARED)/seed/kim-il-sung-leadership-in-war.txt

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

lint: $(STAMP)
	.venv/bin/ruff check src tests bench
	.venv/bin/mypy

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf .venv var artifacts
