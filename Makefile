# make lab   sets everything up and opens JupyterLab on the first notebook
# make test  sets everything up and runs the whole test suite
# make bench sets everything up and runs the benchmarks of issue 8 (benchmarks/run.py; --quick: BENCH_ARGS=--quick)
# make soak  the 10-minute long-run memory benchmark (benchmarks/soak.py; quick: SOAK_ARGS="--minutes 0.1")
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LAB_ARGS ?=
SOAK_ARGS ?=

.PHONY: lab test bench soak setup clean

setup: $(STAMP) tests/node/node_modules/.package-lock.json

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

tests/node/node_modules/.package-lock.json: tests/node/package.json tests/node/package-lock.json
	npm ci --prefix tests/node --no-audit --no-fund --loglevel=error

lab: setup
	$(VENV)/bin/jupyter lab $(LAB_ARGS) notebooks/01_quickstart.ipynb

test: setup
	node --test js/
	$(PY) -m pytest

bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

soak: setup
	$(PY) benchmarks/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) tests/node/node_modules
