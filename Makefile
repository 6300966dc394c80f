# The two commands of the README: `make run` and `make test`. Each sets itself up.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP_FLAGS ?= --quiet --disable-pip-version-check

.PHONY: run test lint prepare chromium postgres clean bench bench-quick docker-test docker-lint

# Debian's own python3 needs the python3-venv package before it can make a venv.
$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		rm -rf $(VENV); \
		echo "Installerar Debians python3-venv …"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv >/dev/null && \
		$(PYTHON) -m venv $(VENV); }

# Stamp files re-run the install whenever pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install $(PIP_FLAGS) -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(PY) app.py

prepare: $(VENV)/.installed-run
	$(PY) -m indicators prepare

# Browser tests drive Debian's Chromium; Playwright's own browser download is blocked here.
chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "Installerar Debians chromium och chromium-driver …"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# A throwaway PostgreSQL server under /tmp (installed from Debian when missing): the store,
# import and query tests run on it as well as on SQLite.
postgres:
	@scripts/postgres-start.sh >/dev/null

# No ruff cache: a stale cache once passed an import order that a fresh checkout (CI) refuses.
# mypy checks indicators/ strictly ([tool.mypy] in pyproject.toml); its cache in .mypy_cache
# keys on file contents, and a fresh checkout runs cold (about 15 s of one core).
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/ruff format --no-cache --check .
	$(VENV)/bin/mypy

# The suite runs in TEST_WORKERS parallel workers (pytest-xdist): one per core, at least two
# (its tests wait on app servers and Chromium as much as they compute) and at most four (each
# worker starts its own demo store, servers and browser). Work is stolen test by test, so no
# worker sits idle while another ends a long file. Every fixture makes its own files, databases
# and ports. A single test file runs as before: `.venv/bin/python -m pytest tests/test_x.py`.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -lt 2 ] && n=2; [ $$n -gt 4 ] && n=4; echo $$n)

# pytest exits 5 when it collects nothing: a suite that runs no test must not pass as green.
test: $(VENV)/.installed-test chromium postgres lint
	INDIKATOR_TEST_POSTGRES_URL=$$(scripts/postgres-start.sh) \
		$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "Inga tester hittades – det räknas som fel." >&2; exit 1; fi; \
	exit $$rc

# Benchmarks of issue 6 into BENCHMARKS.md (bench/run.py). The first full run builds the
# national-scale stores (a few minutes; reused after). QUICK=1 or bench-quick: demo scale only,
# a smoke run under 2 min, reported in bench/.data/BENCHMARKS-quick.md (BENCHMARKS.md untouched).
bench: $(VENV)/.installed-test chromium postgres
	@if [ -n "$(QUICK)" ]; then $(PY) bench/run.py --quick; \
	else $(PY) bench/run.py --postgres "$$(scripts/postgres-start.sh)"; fi

bench-quick: $(VENV)/.installed-test chromium
	$(PY) bench/run.py --quick

# The image and compose file, for real: build, compose up with PostgreSQL, /healthz, sign-in and
# the start page, then down (scripts/docker-test.sh; starts Debian's dockerd when none runs).
# Not part of `make test`: a first run builds base images and the app image (several minutes).
docker-test:
	scripts/docker-test.sh

# Without an engine: hadolint on the Dockerfile, docker-compose config on the compose file.
docker-lint: $(VENV)/bin/python
	VENV=$(VENV) scripts/docker-lint.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache data/*.sqlite data/*.sqlite-*
