# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the browser tests drive Debian's Chromium (Playwright's own browser download does not work everywhere)
CHROMIUM := /usr/bin/chromium
APT := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: gen test check test-corpus bench dist clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	test -x $(CHROMIUM) || $(APT) install -y -qq chromium >/dev/null \
		|| { $(APT) update -qq && $(APT) install -y -qq chromium >/dev/null; }
	$(BIN)/python -m tests.browser.axe
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

## dist: a wheel and an sdist of each generated package in dist/<vendor>/, checked with twine
## (PACKAGES=modulex builds one of them, DIST=path puts them elsewhere)
DIST ?= dist
PACKAGES ?= $(sort $(patsubst generated/%/pyproject.toml,%,$(wildcard generated/*/pyproject.toml)))
dist: $(STAMP)
	@test -n "$(PACKAGES)" || { echo "no packages in generated/: run make gen first" >&2; exit 2; }
	rm -rf $(addprefix $(DIST)/,$(PACKAGES))
	for package in $(PACKAGES); do \
		$(BIN)/python -m build --quiet --outdir $(DIST)/$$package generated/$$package || exit 1; \
	done
	$(BIN)/python -m twine check --strict $(foreach package,$(PACKAGES),$(DIST)/$(package)/*)

## test-corpus: opt-in; GitHub, Stripe, Box and 40 random APIs.guru documents generate, import, type-check
## (CORPUS_SPECS=path,path runs those documents instead, CORPUS_SIZE=N sets the sample size, CORPUS_SHARD=k/n
## runs the k-th of n shards: see README)
test-corpus: $(STAMP)
	$(BIN)/python -m pytest -m corpus tests/corpus -s

## bench: generation speed and memory, import time and per-call overhead, as ratios to peers
bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
