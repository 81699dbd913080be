# The two commands of the README: `make run` and `make test`. Each sets up its own environment.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
DATA   ?= data

.PHONY: run test build install install-test clean bench evaluate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# What the app needs; the test extras (pytest, playwright, pySHACL, schemathesis...) only for `make test`.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Build the graph from the bundled corpus and serve it.
run: install
	$(BIN)/r2pkg build --data-dir $(DATA)
	$(BIN)/r2pkg serve --host $(HOST) --port $(PORT) --data-dir $(DATA)

build: install
	$(BIN)/r2pkg build --data-dir $(DATA)

## Set up and run every test.
test: install-test
	$(BIN)/python -m pytest

## Measure extraction against gold facts (a measurement, never part of `make test`): the bundled
## corpus, then the development set when ../shared/devset is there. FORMAT=json for JSON.
DEVSET := $(wildcard ../shared/devset/gold.json)
evaluate: install
	$(BIN)/r2pkg evaluate --corpus corpus --gold corpus/gold.json $(if $(FORMAT),--format $(FORMAT))
ifneq ($(DEVSET),)
	$(BIN)/r2pkg evaluate --corpus $(dir $(DEVSET))docs --gold $(DEVSET) $(if $(FORMAT),--format $(FORMAT))
endif

## Benchmark (minutes; never part of `make test`). QUICK=1: about 3 minutes. FULL=1: every size the scale
## targets name, 10,000 summaries included (about 100 minutes on 2 cores; publishes to Virtuoso too when
## R2PKG_TEST_VIRTUOSO is set). BENCH_ARGS: more options. It ends with the targets table (bench/targets.py).
BENCH_FULL := --summaries 10 100 1000 10000 --triples 100k 1m --publish 1000
bench: install-test
	$(BIN)/python -m bench.run $(if $(QUICK),--quick) $(if $(FULL),$(BENCH_FULL)) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DATA) *.egg-info
