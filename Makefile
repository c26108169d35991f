# All set-up is done here: `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP := $(VENV)/.installed

.PHONY: install system-deps generate check test demo bench clean

install: $(STAMP) system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# DCMTK is the peer tool of the interop tests (dcm2xml, dcm2json).
system-deps:
	@command -v dcm2xml >/dev/null 2>&1 && command -v dcm2json >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dcmtk >/dev/null; }

generate: $(STAMP)
	$(PY) -m codegen.generate --out generated

check: $(STAMP)
	$(PY) -m ruff check src tests codegen bench
	$(PY) -m ruff format --check src tests codegen bench
	$(PY) -m mypy src/dicombind
	$(PY) -m codegen.generate --check generated

test: install check
	$(PY) -m pytest -q tests

demo: install
	$(PY) -m dicombind.demo

bench: install
	$(PY) bench/run.py --write-readme README.md

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
