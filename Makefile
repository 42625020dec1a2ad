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

DEMO_CORPUS ?= $(SHARED)/data/kcna/kcna-2012.jsonl.gz

# The main job on the embedded default (SQLite): analyse the seed article, ingest a corpus
# with full analysis, then search it, log the leader's activities and count who is quoted.
demo: $(STAMP)
	.venv/bin/statemedia analyze $(SHARED)/seed/kim-il-sung-leadership-in-war.txt
	.venv/bin/statemedia ingest $(DEMO_CORPUS) --db $(DB)
	.venv/bin/statemedia search '"field guidance"' --person "Kim Jong Un" --limit 5 --db $(DB)
	.venv/bin/statemedia activities --db $(DB) --leader "Kim Jong Un" --kind field_guidance
	.venv/bin/statemedia quotations --db $(DB) --view speakers --from 2012-11-01

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

lint: $(STAMP)
	.venv/bin/ruff check src tests bench
	.venv/bin/mypy

# Technique model from PTC (SemEval-2020 Task 11) -> src/statemedia/data/rhetoric/techniques.npz.
# Then the transformer span taggers: MPNet's LoRA adapters -> src/statemedia/data/rhetoric/si_mpnet.npz
# (tagger = "mpnet"), then two students taught by MPNet: MiniLM's -> .../si_minilm.npz (tagger =
# "minilm") and MPNet's first 4 layers' -> .../si_mpnet4.npz (tagger = "mpnet4").
# MPNet is deleted first so that it is retrained (git checkout restores the shipped one).
# About 70 minutes on 2 quiet cores (docs/rhetoric.md).
MPNET := src/statemedia/data/rhetoric/si_mpnet.npz
train: $(STAMP)
	$(PY) -m statemedia.training.activities $(SHARED)
	$(PY) -m statemedia.training.techniques --ptc $(SHARED)/data/ptc
	rm -f $(MPNET)
	$(PY) -m statemedia.training.span_tagger --ptc $(SHARED)/data/ptc --teacher $(MPNET) \
		--unlabelled $(SHARED)/data/kcna/kcna-2012.jsonl.gz
	$(PY) -m statemedia.training.span_tagger --ptc $(SHARED)/data/ptc --teacher $(MPNET) \
		--unlabelled $(SHARED)/data/kcna/kcna-2012.jsonl.gz --student mpnet4

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf .venv var artifacts
