# AcademicHub. `make run` collects tonight's papers and builds the site; `make test` runs the tests.
# Each target bootstraps .venv from the hash-checked lock files on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM ?= /usr/bin/chromium
OUTPUT ?= output
PELICAN_SETTINGS ?= pelicanconf.py

.PHONY: run site fetch check schema test lint bench clean browser serve lock

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

## lock: re-resolve requirements.lock and requirements-dev.lock (with hashes) from pyproject.toml
lock: $(DEV_STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes --quiet -o requirements-dev.lock

## run: fetch → match → dedupe → write Markdown → brief, then build and index the site
run: $(STAMP)
	$(PY) -m pipeline run
	$(MAKE) --no-print-directory site

## fetch: only the pipeline (no site build)
fetch: $(STAMP)
	$(PY) -m pipeline run

## site: build output/ from content/ and theme/ and index it with Pagefind; no network
site: $(STAMP)
	$(PY) -m pipeline site --settings $(PELICAN_SETTINGS) --output $(OUTPUT)

## check: validate radar.yaml
check: $(STAMP)
	$(PY) -m pipeline check

## schema: write radar.schema.json from the table of radar.yaml's keys (pipeline/radar_keys.py)
schema: $(STAMP)
	$(PY) -m pipeline.radar_keys > radar.schema.json.tmp && mv radar.schema.json.tmp radar.schema.json

## browser: Debian's Chromium for the browser tests (installed with apt-get when missing)
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install -y chromium' for the browser tests"; fi; \
	fi

## axe: axe-core from npm for the accessibility checks in the browser tests
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --silent
	touch $@

## serve: preview output/ on http://127.0.0.1:8000 (gzip, as GitHub Pages serves it)
serve: $(STAMP)
	$(PY) -m pipeline serve --output $(OUTPUT)

## test: unit, network-over-loopback and browser tests
test: $(DEV_STAMP) browser $(AXE)
	$(PY) -m pytest -q

## lint: ruff format --check and ruff check
lint: $(DEV_STAMP)
	$(VENV)/bin/ruff format --check pipeline tests bench
	$(VENV)/bin/ruff check pipeline tests bench

## bench: synthetic archives, timings and sizes (prints a table; not a test). BENCH_ARGS="--sizes 1000,10000 --repeat 1" for a quick one
bench: $(DEV_STAMP) browser $(AXE)
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(OUTPUT) cache .pytest_cache
