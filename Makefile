# make lab       sets everything up and opens JupyterLab on the first notebook
# make test      sets everything up and runs the whole test suite
# make test-fast the tests that need neither a browser nor a kernel (node --test js/, then pytest)
# make check     lint, format check, types, the layer contract, the widget's pure JS helpers
# make docs      builds the documentation site into build/docs/ (mkdocs build --strict: any warning, broken link or anchor fails)
# make format    applies ruff's safe fixes and ruff format
# make lite      builds the JupyterLite site into build/lite (LITE_DIR=... for another folder; lite/build.py)
# make js        rebuilds js/widget.js, the bundle anywidget loads, from the modules in js/src (esbuild; committed)
# make labextension  rebuilds the %%qsys-as-Lua highlighter (labextension/ -> ws_widget/labextension/, committed) and reinstalls it
# make bench     sets everything up and runs the benchmarks of issue 8 (benchmarks/run.py; --quick: BENCH_ARGS=--quick)
# make soak      the 10-minute long-run memory benchmark (benchmarks/soak.py; quick: SOAK_ARGS="--minutes 0.1")
# CI (.ci/run) runs `make check`, then `make docs`, then `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The JupyterLite build tools live in a venv of their own: their JupyterLab extension
# (@jupyterlite/pyodide-kernel-extension) fails in a normal JupyterLab's page.
LITE_VENV ?= .venv-lite
LITE_STAMP := $(LITE_VENV)/.installed
LAB_ARGS ?=
SOAK_ARGS ?=
PYTEST_ARGS ?=
LITE_DIR ?= build/lite
LINTED := ws_widget tests benchmarks notebooks/sources docs/hooks.py lite

.PHONY: lab test test-fast check format docs bench soak setup setup-lite clean labextension lite js

setup: $(STAMP) tests/node/node_modules/.package-lock.json js/node_modules/.package-lock.json

# What make lite and its tests need besides (the test suite builds a site; make lab does not).
setup-lite: $(LITE_STAMP) lite/node_modules/.package-lock.json

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,check]'
	touch $@

tests/node/node_modules/.package-lock.json: tests/node/package.json tests/node/package-lock.json
	npm ci --prefix tests/node --no-audit --no-fund --loglevel=error

lite/node_modules/.package-lock.json: lite/package.json lite/package-lock.json
	npm ci --prefix lite --no-audit --no-fund --loglevel=error

# esbuild, which bundles js/src into js/widget.js (make js; tests/widget/test_bundle.py checks the bundle is up to date).
js/node_modules/.package-lock.json: js/package.json js/package-lock.json
	npm ci --prefix js --no-audit --no-fund --loglevel=error

js: js/node_modules/.package-lock.json
	node js/build.mjs

$(LITE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LITE_VENV)/bin/python -m pip install --quiet -e '.[lite]'
	touch $@

lite: setup setup-lite
	$(LITE_VENV)/bin/python lite/build.py $(LITE_DIR)

lab: setup
	$(VENV)/bin/jupyter lab $(LAB_ARGS) notebooks/01_quickstart.ipynb

test: setup setup-lite
	node --test js/
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup setup-lite
	node --test js/
	$(PY) -m pytest -m "not browser and not kernel" $(PYTEST_ARGS)

# Every step runs, so one report shows every failure; the target fails if any step failed.
check: $(STAMP)
	@status=0; \
	echo "== ruff check"; $(VENV)/bin/ruff check --output-format concise $(LINTED) || status=1; \
	echo "== ruff format --check"; $(VENV)/bin/ruff format --check $(LINTED) || status=1; \
	echo "== mypy"; $(VENV)/bin/mypy || status=1; $(VENV)/bin/mypy --disallow-untyped-defs lite/build.py || status=1; \
	echo "== lint-imports"; $(VENV)/bin/lint-imports --no-cache --no-logo || status=1; \
	echo "== node --test js/"; node --test --test-reporter=dot js/ || status=1; \
	exit $$status

format: $(STAMP)
	$(VENV)/bin/ruff check --fix $(LINTED)
	$(VENV)/bin/ruff format $(LINTED)

# mkdocs.yml; docs/hooks.py serves README.md, CONTRIBUTING.md, benchmarks/ and notebooks/ too.
# Not --quiet: it hides the warnings, and --strict then passes. Nothing is fetched (no external
# link is checked). NO_MKDOCS_2_WARNING silences mkdocs-material's banner about its successor.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir build/docs

labextension: $(STAMP)
	npm ci --prefix labextension --no-audit --no-fund --loglevel=error
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" npm run --prefix labextension build
	$(PY) -m pip install --quiet --no-deps -e .

bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

soak: setup
	$(PY) benchmarks/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) $(LITE_VENV) tests/node/node_modules lite/node_modules js/node_modules
