# Two commands do all set-up on a fresh machine:
#   make sample   install newsbrief into .venv and write the brief of the bundled sample
#   make test     install newsbrief with its test tools into .venv and run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: sample test bench clean

$(BIN)/newsbrief: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@touch $@

sample: $(BIN)/newsbrief
	@$(BIN)/newsbrief brief examples/selvan-dam

test: $(BIN)/newsbrief
	$(BIN)/python -m pytest -q

bench: $(BIN)/newsbrief
	$(BIN)/python bench/brief_quality.py
	$(BIN)/python bench/extraction.py

clean:
	rm -rf $(VENV) build src/*.egg-info
