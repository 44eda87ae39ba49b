# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: gen test check test-corpus bench dist clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## gen: generate the client packages of all four vendors into generated/
gen: $(STAMP)
	$(BIN)/gen generate

## test: the whole test suite (parser, generated packages, runtime, CLI)
test: $(STAMP)
	$(BIN)/python -m pytest

## check: fail if generated/ is not what specs/ and the generator produce now
check: $(STAMP)
	$(BIN)/gen check

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
